# nbgrader in the hub (team labs): every server finds the course's nbgrader config (course id,
# exchange classes) and the exchange service's URL through JUPYTER_CONFIG_PATH=grading/, so the assignment list fetches and submits;
# instructors' servers also get the course directory (formgrader) and the extension that lets
# JupyterLab frame the formgrader despite JupyterHub's CSP (nbgrader #1870/#1910).
from datalit.config import load_config
from datalit.exchange.client import URL_ENV
from datalit.hub import origins
from datalit.hub.roles import EXCHANGE_SERVICE, SERVER_TOKEN_SCOPES, teaches
from datalit.paths import repo_path

_lab = load_config()["lab"]
_grading = str(repo_path("grading"))
_instructor = str(repo_path("grading", "instructor"))
# user servers reach the exchange service through the proxy's address (stable across hub restarts), or its
# kept port with subdomains (datalit/hub/origins.py service_url)
_exchange_url = origins.service_url(settings, EXCHANGE_SERVICE, settings.get("exchange_port"))
c.Spawner.server_token_scopes = SERVER_TOKEN_SCOPES
_previous_hook = c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None


def _grading_env(spawner):
    if callable(_previous_hook):
        _previous_hook(spawner)
    env = dict(spawner.environment)
    env.update({"DATALIT_LAB_COURSE_ID": _lab["course_id"], URL_ENV: _exchange_url, "JUPYTER_CONFIG_PATH": _grading})
    env.pop("DATALIT_LAB_EXCHANGE_DIR", None)  # the store is the service's, never a learner's path
    if teaches(spawner.user):
        env["JUPYTER_CONFIG_PATH"] = f"{_instructor}:{_grading}"
        if _lab["course_dir"]:
            env["DATALIT_LAB_COURSE_DIR"] = _lab["course_dir"]
    spawner.environment = env


c.Spawner.pre_spawn_hook = _grading_env
