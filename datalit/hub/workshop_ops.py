"""Workshop commands that touch both the registry and the running hub / unix accounts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from datalit import kst
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
    result["hub_url"] = hub_url
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
    when = when or kst.to_store(timespec="seconds")
    changed = workshop.set_expiry(state, names, when)
    api = _api(state)
    if api is not None and workshop.parse_expiry(when) <= kst.now_utc():
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


def warm_up(state: Path, key: str, at: str | None = None, until: str | None = None,
            idle_minutes: int | None = None, names: list[str] | None = None, group: str = "",
            log=print) -> dict:
    """``datalit workshop start`` / ``datalit users warm``: check memory, then warm now (here, reporting each
    server) or, with AT, leave it to the workshop-prewarm service. Returns the plan entry."""
    from datalit.config import load_config
    from datalit.hub import prewarm
    from datalit.hub.disk import parse_size
    from datalit.hub.state import content_dir

    config = load_config(state_dir=str(state))
    hub = config["hub"]
    start = prewarm.parse_when(at) if at else kst.now_utc()
    end = prewarm.parse_when(until) if until else start + dt.timedelta(hours=hub["prewarm_hours"])
    idle = hub["prewarm_idle_minutes"] if idle_minutes is None else idle_minutes
    api = _api(state)
    if api is None:
        raise prewarm.PrewarmError("the hub does not answer: start it first ('datalit hub')")
    entry = {"names": names or [], "group": group}
    people = prewarm.members(api, entry)
    if not people:
        raise prewarm.PrewarmError(f"nobody to warm ({'group ' + group if group else key} is empty)")
    running = {n for n in people if (api.user(n) or {}).get("server")}
    mem_limit, reserve = parse_size(hub["mem_limit"]), parse_size(hub["prewarm_reserve"])
    fits = prewarm.check_fits(len(set(people) - running), mem_limit, reserve)
    log(f"memory: {fits} more servers of {hub['mem_limit']} fit (MemAvailable minus {hub['prewarm_reserve']}); "
        f"warming {len(people)} ({len(running)} already running)")
    later = bool(at) and start > kst.now_utc()
    planned = prewarm.plan(state, key, start, end, idle, names=names, group=group, now=not later)
    if later:
        log(f"scheduled: {len(people)} servers at {kst.shown(start)}, workshop until {kst.shown(end)} "
            f"(the workshop-prewarm service starts them, also after a hub restart)")
        return planned
    result = prewarm.warm(api, people, Path(content_dir(config, state)), int(hub["prewarm_parallel"]), log)
    return prewarm.update(state, key, state="warm", **result)
