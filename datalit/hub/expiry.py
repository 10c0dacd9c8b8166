"""The ``workshop-expiry`` hub service: stops the servers of expired workshop accounts.

Run by the hub (``c.JupyterHub.services``) as ``python -m datalit.hub.expiry``; every
``hub.expiry_check_seconds`` it reads the workshop registry and stops each expired account's
server through the REST API. The login of those accounts is already refused by the authenticator.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from datalit.hub import workshop
from datalit.hub.api import HubAPI


def check_once(api: HubAPI, state: Path) -> list[str]:
    stopped = []
    for name in sorted(workshop.expired_accounts(state)):
        user = api.user(name)
        if user and (user.get("server") or user.get("pending") == "spawn"):
            api.stop_server(name)
            stopped.append(name)
    return stopped


def main() -> int:
    state = Path(os.environ["DATALIT_HUB_STATE_DIR"])
    interval = float(os.environ.get("DATALIT_HUB_EXPIRY_CHECK_SECONDS", "60"))
    api_url = os.environ["JUPYTERHUB_API_URL"]  # http://127.0.0.1:8081/hub/api
    api = HubAPI(api_url.rsplit("/hub/api", 1)[0], os.environ["JUPYTERHUB_API_TOKEN"])
    while True:
        try:
            for name in check_once(api, state):
                print(f"[workshop-expiry] stopped the server of expired account {name}", flush=True)
        except Exception as exc:  # keep the service alive through hub restarts
            print(f"[workshop-expiry] check failed: {exc}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
