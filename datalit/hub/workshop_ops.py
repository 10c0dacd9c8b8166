"""Workshop commands that touch both the registry and the running hub / unix accounts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from datalit.hub import accounts, workshop
from datalit.hub.api import HubAPI, HubUnavailable
from datalit.hub.spawner import ensure_unix_user
from datalit.hub.state import is_root


def _api(state: Path) -> HubAPI | None:
    try:
        api = HubAPI.from_state(state)
        api.get("/")
        return api
    except (FileNotFoundError, HubUnavailable):
        return None


def create(state: Path, count: int, expires: str, tier: str = "citizen", prefix: str = "ws", hub_url: str = "") -> dict:
    api = _api(state)
    if api is not None and not hub_url:
        hub_url = api.url.rsplit("/hub/api", 1)[0] + "/hub/login"
    result = workshop.create_accounts(state, count, expires, tier, prefix, hub_url)
    if is_root():
        from datalit.config import load_config

        home_base = load_config()["hub"]["home_base"]
        for name in result["users"]:
            ensure_unix_user(name, home_base)
    result["registered"] = False
    if api is not None:
        accounts.register_workshop_users(api, result["users"], tier)
        result["registered"] = True
    return result


def expire(state: Path, names: list[str], when: str | None = None) -> list[str]:
    when = when or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    changed = workshop.set_expiry(state, names, when)
    api = _api(state)
    if api is not None and workshop.parse_expiry(when) <= dt.datetime.now(dt.timezone.utc):
        for name in changed:  # do not wait for the expiry service
            user = api.user(name)
            if user and user.get("server"):
                api.stop_server(name)
    return changed


def purge(state: Path) -> dict:
    api = _api(state)
    return workshop.purge(state, lambda n: accounts.home_of(n, state),
                          lambda n: accounts.remove_user(api, n),
                          stop_server=lambda n: accounts.stop_and_wait(api, n))
