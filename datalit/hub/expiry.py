"""The ``workshop-expiry`` hub service: at expiry an account loses its servers and every token.

Run by the hub (``c.JupyterHub.services``) as ``python -m datalit.hub.expiry``; every
``hub.expiry_check_seconds`` it reads the workshop registry and, for each expired account, stops its
server and deletes all its tokens through the REST API (API tokens the learner made and the OAuth tokens
behind the user-server cookie). The login of those accounts is refused, and the hub session cookie stops
working at the next ``refresh_user`` (datalit/hub/authenticator.py); JupyterHub has no API to revoke a
cookie, so that is what makes it useless. Processes of the account that outlived its server (a
``setsid`` daemon) are killed through the account's cgroups (datalit/hub/cgroups.py; the service runs as
the hub's user, root), also when the hub thinks no server runs.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

from datalit.hub import cgroups, workshop
from datalit.hub.api import HubAPI


def revoke_tokens(api: HubAPI, name: str) -> int:
    tokens = (api.get(f"/users/{quote(name)}/tokens") or {}).get("api_tokens", [])
    for token in tokens:
        api.request("DELETE", f"/users/{quote(name)}/tokens/{quote(token['id'])}")
    return len(tokens)


def check_once(api: HubAPI, state: Path) -> list[str]:
    """Stop and revoke what each expired account still has; returns what was done, one line each."""
    done = []
    for name in sorted(workshop.expired_accounts(state)):
        user = api.user(name)
        if user is not None and (user.get("server") or user.get("pending") == "spawn"):
            api.stop_server(name)
            done.append(f"stopped the server of expired account {name}")
        killed = cgroups.kill_all(name)  # what outlived the server, even if the hub knows of no server
        if killed:
            done.append(f"killed {killed} leftover processes of expired account {name}")
        if user is None:
            continue
        revoked = revoke_tokens(api, name)
        if revoked:
            done.append(f"revoked {revoked} tokens of expired account {name}")
    return done


def main() -> int:
    state = Path(os.environ["DATALIT_HUB_STATE_DIR"])
    from datalit.config import load_config

    interval = float(load_config(state_dir=state)["hub"]["expiry_check_seconds"])  # the hub passes it
    api_url = os.environ["JUPYTERHUB_API_URL"]  # http://127.0.0.1:8081/hub/api
    api = HubAPI(api_url.rsplit("/hub/api", 1)[0], os.environ["JUPYTERHUB_API_TOKEN"])
    while True:
        try:
            for line in check_once(api, state):
                print(f"[workshop-expiry] {line}", flush=True)
        except Exception as exc:  # keep the service alive through hub restarts
            print(f"[workshop-expiry] check failed: {exc}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
