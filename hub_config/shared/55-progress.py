# The learning record (datalit/progress/service.py): lesson checks, hints and solution requests from the
# learners' kernels, 내 학습 현황 and the instructors' dashboards. Its port is chosen once from
# hub.internal_port_min..max and kept in <state>/progress/port.json; kernels find it through the proxy
# (DATALIT_PROGRESS_URL, datalit/progress/post.py). After 45-spawn (the environment) and 50-grading (its hook).
import os
import sys
from pathlib import Path

from datalit.config import load_config
from datalit.hub import roles
from datalit.progress.post import URL_ENV
from datalit.progress.service import kept_port

_state = Path(settings["state_dir"])
_hub_cfg = load_config(state_dir=settings["state_dir"])["hub"]
_progress_port = kept_port(_state, _hub_cfg["internal_port_min"], _hub_cfg["internal_port_max"])
c.JupyterHub.services.append({
    "name": roles.PROGRESS_SERVICE,
    "url": f"http://127.0.0.1:{_progress_port}",
    "command": [sys.executable, "-m", "datalit.hub.tether", sys.executable, "-m", "datalit.progress.service"],
    "environment": {**{k: v for k, v in os.environ.items() if k.startswith("DATALIT_") and k != "DATALIT_HUB_SETTINGS"},
                    "DATALIT_HUB_STATE_DIR": str(_state)},
    "oauth_no_confirm": True,  # the learner's own record: no 'authorize' page in between
})
_progress_host = settings["ip"] if settings["ip"] not in ("", "0.0.0.0", "::") else "127.0.0.1"
_progress_url = f"http://{_progress_host}:{settings['port']}/services/{roles.PROGRESS_SERVICE}"
_progress_previous_hook = c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None


def _progress_env(spawner):
    if callable(_progress_previous_hook):
        _progress_previous_hook(spawner)
    spawner.environment = {**spawner.environment, URL_ENV: _progress_url}


c.Spawner.pre_spawn_hook = _progress_env
# the hub's own oauth_no_confirm_list (from "oauth_no_confirm" above) is replaced by one set in
# tornado_settings (46-teams.py): the record's client is added to that one
_tornado = c.JupyterHub.tornado_settings
_tornado = _tornado.to_dict().get("update", {}) if hasattr(_tornado, "to_dict") else dict(_tornado)
_no_confirm = _tornado.get("oauth_no_confirm_list")
if _no_confirm is None:
    c.JupyterHub.tornado_settings.update({"oauth_no_confirm_list": {f"service-{roles.PROGRESS_SERVICE}"}})
else:
    _no_confirm.add(f"service-{roles.PROGRESS_SERVICE}")
