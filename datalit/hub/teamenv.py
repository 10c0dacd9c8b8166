"""What a team server reads at start: nothing a member wrote.

Why: a team server runs as the team's unix account with the team folder as its home, and every member can
write that folder. By default Jupyter and Python read code and settings from the home: ``~/.jupyter``
(``jupyter_server_config.py`` is Python run by the server; ``labconfig/`` re-enables extensions),
``~/.local/share/jupyter`` (labextensions, i.e. page script for every visitor; kernel specs; the notebook
secret and the signature database, with which a member can make any notebook "trusted" so its script
outputs run for whoever opens it), ``~/.ipython`` (kernel start-up scripts), nbgrader's
``nbgrader_config.py`` in the server's folder, the user site-packages
(``usercustomize.py``, ``.pth`` files) and, because the server starts as ``python -m``, the working
directory, which is the team folder (a member's ``datalit/`` or ``jupyterhub/`` package would be imported
instead of the real one). :func:`team_env` points all of them elsewhere:

* ``JUPYTER_CONFIG_DIR``, ``JUPYTER_DATA_DIR``, ``IPYTHONDIR``: root-owned, read-only folders of the
  checkout (``hub_config/user_server/team_readonly/``); the config folder's one file makes every notebook
  untrusted (:class:`NeverTrusted`) and keeps the file-id database in the runtime folder;
* nbgrader's Assignments panel and Validate read the course's config only, not a ``nbgrader_config.py`` of
  the team folder (:func:`course_config_only`);
* ``PYTHONNOUSERSITE=1`` (no user site) and ``PYTHONSAFEPATH=1`` (no working directory on ``sys.path``;
  datalit.hub.singleuser drops it again for the kernels, whose notebooks import the team's own modules);
* JupyterLab's user settings and workspaces in the server's private runtime folder (``JUPYTER_RUNTIME_DIR``,
  0700, removed when the server stops): writable, as Lab needs, but no file of the team folder.

What is still the team's, by design: the notebooks and files themselves (served by the server, shown
untrusted), and its terminals' ``~/.bashrc``. A member runs code as the team's uid and can still replace the
server's process; only a separate origin (datalit/hub/origins.py) protects a visitor's browser from that.
"""
from __future__ import annotations

import os

from nbformat.sign import SignatureStore

from datalit.paths import repo_path

READONLY = ("hub_config", "user_server", "team_readonly")


class NeverTrusted(SignatureStore):
    """A signature store that keeps nothing and knows no signature: every notebook is untrusted."""

    def store_signature(self, digest, algorithm):
        return None

    def check_signature(self, digest, algorithm):
        return False

    def remove_signature(self, digest, algorithm):
        return None

    def close(self):
        return None


def course_config_only() -> None:
    """nbgrader's Assignments panel (list, fetch, submit) and Validate read ``nbgrader_config.py`` from the
    server's folder, as Python run inside the server process (nbgrader 0.9.6 puts the working directory
    first, with no setting to stop it for these handlers). On a team server that folder is the members':
    here they read the course's nbgrader config only (``JUPYTER_CONFIG_PATH``: grading/), still with the
    folder as the working directory. Called by the team servers' config file (team_readonly/jupyter/)."""
    import contextlib

    try:
        from nbgrader.apps import NbGrader
        from nbgrader.server_extensions.assignment_list import handlers as listing
        from nbgrader.server_extensions.validate_assignment import handlers as validating
    except ImportError:  # no nbgrader: nothing reads the folder's config
        return

    def load_config(self):
        app = NbGrader()
        app.load_cwd_config = False  # what nbgrader's own formgrader does for its config
        app.load_config_file()
        return app.config

    @contextlib.contextmanager
    def get_assignment_dir_config(self):
        with listing.chdir(self._root_dir):
            config = self.load_config()
        lister = listing.ExchangeFactory(config=config).List(config=config)
        with listing.chdir(lister.assignment_dir):
            yield self.load_config()

    listing.AssignmentList.load_config = load_config
    listing.AssignmentList.get_assignment_dir_config = get_assignment_dir_config
    validating.ValidateAssignmentHandler.load_config = load_config


def team_env(runtime_dir: str | None) -> dict[str, str]:
    """The environment variables that keep a team server off member-written config, extensions and code."""
    ro = repo_path(*READONLY)
    env = {
        "JUPYTER_CONFIG_DIR": str(ro / "jupyter"),
        "JUPYTER_DATA_DIR": str(ro / "data"),
        "IPYTHONDIR": str(ro / "ipython"),
        "PYTHONNOUSERSITE": "1",
        "PYTHONSAFEPATH": "1",
    }
    if runtime_dir:
        env["JUPYTERLAB_SETTINGS_DIR"] = os.path.join(runtime_dir, "lab", "user-settings")
        env["JUPYTERLAB_WORKSPACES_DIR"] = os.path.join(runtime_dir, "lab", "workspaces")
    return env
