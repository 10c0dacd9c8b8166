"""The user servers' command: ``jupyterhub-singleuser`` without two pieces of start-up waste.

``python -m datalit.hub.singleuser [args]`` runs JupyterHub's single-user server (same arguments, same
behaviour) after two preparations, measured on this machine (``bench/server_cpu.py``):

* jsonschema's optional IRI format checker (``rfc3987_syntax``) is not imported. At import it compiles
  about 35 Lark Earley grammars: ~0.9 CPU-s of a ~2 CPU-s server start. No Jupyter event, settings or
  notebook schema uses the ``iri`` formats (jupyter-server/jupyter_server#1559,
  python-jsonschema/jsonschema#1428); jsonschema simply does not check that format. Only this server
  process is affected: kernels (learners' code) are separate processes with the full package.
* JupyterLab's module-level version probe (``jupyterlab.labapp`` -> ``AppOptions.registry``) runs
  ``node yarn.js config --json`` to learn the npm registry, used only to build or install Lab
  extensions, which nobody can do here (the environment is read-only for users; the extension manager is
  read-only, hub_config/user_server/). That is a node process, ~0.45 CPU-s, per server start. The
  module is imported while no folder holding ``node`` is on PATH; PATH is restored right after.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

SKIPPED_MODULES = ("rfc3987_syntax",)


def _without_node(path: str) -> str:
    return os.pathsep.join(d for d in path.split(os.pathsep)
                           if d and not ((Path(d) / "node").exists() or (Path(d) / "nodejs").exists()))


def prepare() -> None:
    """Skip the IRI grammar and import JupyterLab's server app without spawning node."""
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)  # `import name` now raises ImportError, which jsonschema expects
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = _without_node(path)
    try:
        import jupyterlab.labapp  # noqa: F401
    except ImportError:  # a server without JupyterLab: nothing to prepare
        pass
    finally:
        os.environ["PATH"] = path


def main() -> int:
    # a team server starts with PYTHONSAFEPATH (no team-folder module shadows ours, datalit/hub/teamenv.py);
    # this interpreter is past that, and its kernels import the notebook folder's own modules as usual
    os.environ.pop("PYTHONSAFEPATH", None)
    prepare()
    from jupyterhub.singleuser import main as singleuser_main

    return singleuser_main()


if __name__ == "__main__":
    sys.exit(main())
