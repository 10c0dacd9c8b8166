# nbgrader in the hub (team labs): every server finds the course's nbgrader config (course id,
# exchange) through JUPYTER_CONFIG_PATH=grading/, so the assignment list fetches and submits;
# instructors' servers also get the course directory (formgrader) and the extension that lets
# JupyterLab frame the formgrader despite JupyterHub's CSP (nbgrader #1870/#1910).
from datalit.config import load_config
from datalit.hub.roles import teaches
from datalit.paths import repo_path

_lab = load_config()["lab"]
_grading = str(repo_path("grading"))
_instructor = str(repo_path("grading", "instructor"))
_previous_hook = c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None


def _grading_env(spawner):
    if callable(_previous_hook):
        _previous_hook(spawner)
    env = dict(spawner.environment)
    env.update({"DATALIT_LAB_COURSE_ID": _lab["course_id"], "DATALIT_LAB_EXCHANGE_DIR": _lab["exchange_dir"],
                "JUPYTER_CONFIG_PATH": _grading})
    if teaches(spawner.user):
        env["JUPYTER_CONFIG_PATH"] = f"{_instructor}:{_grading}"
        if _lab["course_dir"]:
            env["DATALIT_LAB_COURSE_DIR"] = _lab["course_dir"]
    spawner.environment = env


c.Spawner.pre_spawn_hook = _grading_env
