# Hub services: the datalit CLI's token, the idle culler, the workshop-expiry watcher. Managed services
# start through datalit.hub.tether: they die with the hub (also after kill -9) and stop at once on SIGINT.
import os
import sys
from pathlib import Path

from datalit.databases import SECRET_ENV
from datalit.hub import roles

state = Path(settings["state_dir"])
# the proxy routes /services/datalit-exchange/ to it: a port of hub.internal_port_min..max, picked once and
# kept in <state>/ports.json like the hub's (datalit/hub/launch.py internal_ports), never a random one
_exchange_port = settings["exchange_port"]
tether = [sys.executable, "-m", "datalit.hub.tether"]
c.JupyterHub.services = [
    {"name": roles.CLI_SERVICE, "api_token": (state / "api_token").read_text().strip()},
    {
        "name": roles.CULLER_SERVICE,
        "command": [*tether, sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={settings['cull_idle_seconds']}", f"--cull-every={settings['cull_every_seconds']}"],
    },
    {
        "name": roles.EXPIRY_SERVICE,
        "command": [*tether, sys.executable, "-m", "datalit.hub.expiry"],
        "environment": {
            "DATALIT_HUB_STATE_DIR": str(state),
            "DATALIT_HUB_EXPIRY_CHECK_SECONDS": str(settings["expiry_check_seconds"]),
        },
    },
    {   # the grading exchange: identity from the hub, a root-only store (datalit/exchange/service.py)
        "name": roles.EXCHANGE_SERVICE,
        "url": f"http://127.0.0.1:{_exchange_port}",
        "command": [*tether, sys.executable, "-m", "datalit.exchange.service"],
        # (not the database passwords: it parses learners' uploads and never opens a database)
        "environment": {k: v for k, v in os.environ.items() if k.startswith("DATALIT_") and k != "DATALIT_HUB_SETTINGS"
                        and k not in SECRET_ENV},
    },
]
