"""Workshop commands that touch both the registry and the running hub / unix accounts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from datalit.hub import accounts, workshop
from datalit.hub.api import HubAPI, HubUnavailable
from datalit.hub.spawner import ensure_unix_user
from datalit.hub.state import is_root


def _api(state: Path) -> HubAPI | None:
    """The running hub: hub.url + hub.token when configured (Kubernetes: the hub pod's environment,
    hub_config/k8s/values.yaml), else the local hub's hub.json; None when no hub answers."""
    from datalit.config import load_config

    hub = load_config()["hub"]
    try:
        api = HubAPI(hub["url"], hub["token"]) if hub["url"] and hub["token"] else HubAPI.from_state(state)
        api.get("/")
        return api
    except (FileNotFoundError, HubUnavailable):
        return None


def in_cluster() -> bool:
    """Running in a Kubernetes pod with a service account (the hub pod): homes are claims, not folders."""
    import os

    from datalit.hub.k8s_api import SERVICE_ACCOUNT

    return bool(os.environ.get("KUBERNETES_SERVICE_HOST")) and (SERVICE_ACCOUNT / "token").is_file()


def create(state: Path, count: int, expires: str, tier: str = "citizen", prefix: str = "ws", hub_url: str = "") -> dict:
    api = _api(state)
    if not hub_url:
        from datalit.config import load_config

        public = load_config()["hub"]["public_url"].rstrip("/")
        if public:
            hub_url = public + "/hub/login"
        elif api is not None:
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
    if in_cluster():  # Kubernetes: homes are claim-<user> volumes (datalit/hub/k8s_purge.py)
        from datalit.config import load_config
        from datalit.hub import k8s_purge
        from datalit.hub.k8s_api import Cluster

        if api is None:
            raise RuntimeError("the hub API does not answer (DATALIT_HUB_URL / DATALIT_HUB_TOKEN in the hub pod)")
        cfg = load_config()["k8s"]
        return k8s_purge.purge(state, api, Cluster(cfg["api_url"]), cfg)
    if is_root():  # a stopped hub has unmounted the home images (datalit/hub/disk.py): archive the real homes
        from datalit.hub import disk

        disk.mount_all(state, lambda n: accounts.home_of(n, state))
    return workshop.purge(state, lambda n: accounts.home_of(n, state),
                          lambda n: accounts.remove_user(api, n),
                          stop_server=lambda n: accounts.stop_and_wait(api, n))
