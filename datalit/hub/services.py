"""The hub's services, for both platforms (datalit/hub/definition.py): the datalit CLI's token, the idle
culler, the workshop-expiry watcher, the grading exchange, the learning record, the workshop warm-ups.

Managed services start through datalit.hub.tether: they die with the hub (also after kill -9) and stop at
once on SIGINT. Each gets the DATALIT_* environment the hub hands its services (``site["service_env"]``:
on one machine the launcher's, on Kubernetes none, the pod's environment being the chart's) minus the
secrets it must not hold, plus what it needs to find the state directory.

Where the platform differs: on Kubernetes the chart defines the datalit-cli service (it generates its
token, ``hub.services`` in values.yaml) and its own idle culler (``cull``); the exchange runs in its own
Deployment (datalit/hub/k8s_exchange.py) and is only registered here, with the token of its Secret; the
learning record listens on the pod's address for its Service; warm-ups are a one-machine feature (they
start DatalitSpawner servers ahead of a workshop with the state directory's CLI token).
"""
from __future__ import annotations

import sys
from pathlib import Path

from datalit.databases import HUB_PASSWORD_ENV, SECRET_ENV
from datalit.hub import k8s_spawn, roles

PREWARM_SERVICE = "workshop-prewarm"


def tethered(*module_args: str) -> list[str]:
    """A service's command: ``python -m MODULE ...`` under datalit.hub.tether."""
    return [sys.executable, "-m", "datalit.hub.tether", sys.executable, "-m", *module_args]


# no service signs in the first admin: the launcher's one-time password never reaches a service process
NEVER_TO_SERVICES = ("DATALIT_FIRST_ADMIN_PASSWORD",)


def _env(site: dict, drop=(), **extra) -> dict:
    drop = (*drop, *NEVER_TO_SERVICES)
    return {**{k: v for k, v in site["service_env"].items() if k not in drop}, **extra}


def definitions(cfg: dict, platform: str, site: dict) -> list[dict]:
    """``c.JupyterHub.services`` as this definition states them (the chart may add its own, see above)."""
    h = cfg["hub"]
    state = Path(site["state_dir"])
    out = []
    if platform == "local":
        out.append({"name": roles.CLI_SERVICE, "api_token": (state / "api_token").read_text().strip()})
        out.append({"name": roles.CULLER_SERVICE,
                    "command": tethered("jupyterhub_idle_culler", f"--timeout={h['cull_idle_seconds']}",
                                        f"--cull-every={h['cull_every_seconds']}")})
    out.append({"name": roles.EXPIRY_SERVICE, "command": tethered("datalit.hub.expiry"),
                "environment": {"DATALIT_HUB_STATE_DIR": str(state),
                                "DATALIT_HUB_EXPIRY_CHECK_SECONDS": str(h["expiry_check_seconds"])}})
    if platform == "local":
        # the proxy routes /services/datalit-exchange/ to it: a port of hub.internal_port_min..max, picked once
        # and kept in <state>/ports.json like the hub's (datalit/hub/launch.py internal_ports)
        # (not the database passwords: it parses learners' uploads and never opens a database)
        out.append({"name": roles.EXCHANGE_SERVICE, "url": f"http://127.0.0.1:{site['exchange_port']}",
                    "command": tethered("datalit.exchange.service"), "environment": _env(site, SECRET_ENV)})
    else:  # its own Deployment (no service-account token, only its own Secret); the proxy routes to its Service
        out.append({"name": roles.EXCHANGE_SERVICE, "url": k8s_spawn.exchange_service_url(site["k8s"]),
                    "api_token": site["exchange_token"]})
    # the learning record (datalit/progress/service.py): its event log root-only in the state directory; the
    # learner taken from the server's token. On one machine a kept port (<state>/progress/port.json), on
    # Kubernetes the pod's address, which its Service (manifests/services.yaml) targets.
    # (the gradebook's password for the labs part on PostgreSQL, never the hub database's)
    address = f"127.0.0.1:{site['progress_port']}" if platform == "local" \
        else f"{site['pod_ip']}:{site['k8s']['progress_port']}"
    out.append({"name": roles.PROGRESS_SERVICE, "url": f"http://{address}",
                "command": tethered("datalit.progress.service"),
                "environment": _env(site, (HUB_PASSWORD_ENV,), DATALIT_HUB_STATE_DIR=str(state)),
                "oauth_no_confirm": True})  # the learner's own record: no 'authorize' page in between
    if platform == "local":
        # pre-warmed workshop servers (datalit/hub/prewarm.py): `datalit workshop start BATCH --at ...` and
        # `datalit users warm --group G` record a warm-up in <state>/workshop/prewarm.json; this service starts
        # the scheduled ones at their time (also after a restart), applies each batch's idle rule until the
        # workshop ends, then stops the servers nobody opened
        out.append({"name": PREWARM_SERVICE, "command": tethered("datalit.hub.prewarm"),
                    "environment": _env(site, (), DATALIT_HUB_STATE_DIR=str(state),
                                        DATALIT_HUB_CONTENT_DIR=str(site["content_dir"]))})
    return out


def configure(c, cfg: dict, platform: str, site: dict) -> None:
    """Append this definition's services to those the chart made (none on one machine)."""
    already = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
    ours = definitions(cfg, platform, site)
    clash = {s["name"] for s in already} & {s["name"] for s in ours}
    if clash:
        raise RuntimeError(f"services defined twice: {', '.join(sorted(clash))} (datalit/hub/services.py "
                           "states them; hub.services in hub_config/k8s/values.yaml must not)")
    c.JupyterHub.services = [*already, *ours]
