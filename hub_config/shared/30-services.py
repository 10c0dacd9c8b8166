# Hub services: the datalit CLI's token, the idle culler, the workshop-expiry watcher. Managed services
# start through datalit.hub.tether: they die with the hub (also after kill -9) and stop at once on SIGINT.
import sys
from pathlib import Path

from datalit.hub import roles

state = Path(settings["state_dir"])
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
]
