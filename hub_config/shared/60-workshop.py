# Pre-warmed workshop servers (datalit/hub/prewarm.py): `datalit workshop start BATCH --at ...` and
# `datalit users warm --group G` record a warm-up in <state>/workshop/prewarm.json; this service starts the
# scheduled ones at their time (also after a hub restart) and applies each batch's own idle rule until the
# workshop ends, then stops the servers nobody opened. It uses the datalit-cli token of the state directory.
import os
import sys
from pathlib import Path

_state = Path(settings["state_dir"])
c.JupyterHub.services.append({
    "name": "workshop-prewarm",
    "command": [sys.executable, "-m", "datalit.hub.tether", sys.executable, "-m", "datalit.hub.prewarm"],
    "environment": {**{k: v for k, v in os.environ.items() if k.startswith("DATALIT_") and k != "DATALIT_HUB_SETTINGS"},
                    "DATALIT_HUB_STATE_DIR": str(_state), "DATALIT_HUB_CONTENT_DIR": str(settings["content_dir"])},
})
