# The learning record (datalit/progress/service.py): lesson checks, hints and solution requests from the
# learners' kernels, 내 학습 현황 and the instructors' dashboards. Its port is chosen once from
# hub.internal_port_min..max and kept in <state>/progress/port.json; kernels find it through the proxy
# (DATALIT_PROGRESS_URL, datalit/progress/post.py). After 45-spawn (the environment), 46-teams (the
# no-confirm list) and 50-grading (its pre-spawn hook).
import os
import sys
from pathlib import Path

from datalit.config import load_config
from datalit.databases import HUB_PASSWORD_ENV
from datalit.hub import origins, roles
from datalit.progress import wiring
from datalit.progress.service import kept_port

_state = Path(settings["state_dir"])
_hub_cfg = load_config(state_dir=settings["state_dir"])["hub"]
_progress_port = kept_port(_state, _hub_cfg["internal_port_min"], _hub_cfg["internal_port_max"])
c.JupyterHub.services.append({
    "name": roles.PROGRESS_SERVICE,
    "url": f"http://127.0.0.1:{_progress_port}",
    "command": [sys.executable, "-m", "datalit.hub.tether", sys.executable, "-m", "datalit.progress.service"],
    # (the gradebook's password for the labs part on PostgreSQL, never the hub database's)
    "environment": {**{k: v for k, v in os.environ.items() if k.startswith("DATALIT_")
                       and k not in ("DATALIT_HUB_SETTINGS", HUB_PASSWORD_ENV)},
                    "DATALIT_HUB_STATE_DIR": str(_state)},
    "oauth_no_confirm": True,  # the learner's own record: no 'authorize' page in between
})
wiring.skip_confirmation(c)
c.Spawner.pre_spawn_hook = wiring.with_progress_url(  # through the proxy, or its port with subdomains (origins.py)
    c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None,
    origins.service_url(settings, roles.PROGRESS_SERVICE, _progress_port))
