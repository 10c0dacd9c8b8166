"""One hub definition for both platforms: groups, roles and scopes, pages, services and spawner options.

Before, the one-machine hub (exec'd ``hub_config/shared`` layers) and the Zero to JupyterHub values
(``hub.loadRoles``, ``hub.config``, ``hub.services``, four ``hub.extraConfig`` snippets) each stated them,
and a test kept the copies equal. Now :func:`configure` states them once, for ``platform`` "local" or
"k8s", and only where the platform really differs does it branch:

* local: ``DatalitSpawner`` (unix users), the hub's own addresses, database and proxy in the state
  directory, every service (the idle culler and the exchange too) a child of the hub;
* k8s: ``KubeSpawner`` (the pod's security contexts, per-tier profiles, volumes per pod in
  datalit/hub/k8s_spawn.py), while the chart brings its proxy, database, culler and the datalit-cli token;
  the exchange runs in its own Deployment (datalit/hub/k8s_exchange.py).

:func:`configure` only sets traits on a traitlets ``Config`` (it reads the state directory's secrets and
registry, writes nothing, starts nothing), so tests check both platforms on a bare ``Config``
(tests/hub/test_definition.py). :func:`load` gathers what it needs (the configuration, and SITE: where this
hub runs) and then does the few things a starting hub does once (:func:`prepare`); both
``hub_config/jupyterhub_config.py`` and the chart's ``hub.extraConfig`` are a call of it.
"""
from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from datalit.certificate import pages as certificate_pages
from datalit.config import load_config
from datalit.databases import hub_db_url  # hub.db_url (PostgreSQL), else <state>/jupyterhub.sqlite
from datalit.hub import (content, disk, hubdb, k8s_spawn, origins, pages as hub_pages, roles, room, services,
                         spawn_options, teamhub, workshop)
from datalit.hub.authenticator import DatalitAuthenticator
from datalit.hub.launch import SETTINGS_ENV
from datalit.paths import repo_path
from datalit.progress import wiring
from datalit.progress.service import kept_port

PLATFORMS = ("local", "k8s")
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{1,30}$"  # valid unix user names (and Kubernetes claim names)
PROGRAMME = {"programme": "서울 데이터 리터러시 랩", "programme_en": "Seoul Data Literacy Lab"}


# ---- where the hub runs --------------------------------------------------------------------------------
def load_settings(environ=os.environ) -> dict:
    """What ``datalit hub`` resolved for this start (datalit/hub/launch.py hub_settings), from its environment."""
    raw = environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start the hub with 'datalit hub', not 'jupyterhub'")
    return json.loads(raw)


def local_site(cfg: dict, settings: dict, environ=os.environ) -> dict:
    """What ``datalit hub`` resolved (SETTINGS: ports, state and content directories, the data mount), the
    learning record's kept port, and the DATALIT_* environment the hub hands its managed services."""
    h = cfg["hub"]
    port = settings.get("progress_port") or kept_port(Path(settings["state_dir"]), h["internal_port_min"],
                                                      h["internal_port_max"])
    service_env = {k: v for k, v in environ.items() if k.startswith("DATALIT_") and k != SETTINGS_ENV}
    return {**settings, "progress_port": port, "service_env": service_env}


def k8s_site(cfg: dict, environ=os.environ) -> dict:
    """The hub pod: its state directory on the hub's claim (``DATALIT_HUB_STATE_DIR`` in hub.extraEnv), the
    content built into the image, the pod's address (the progress service) and the exchange's token."""
    state = cfg["hub"]["state_dir"]
    missing = [name for name, value in (("DATALIT_HUB_STATE_DIR", state), ("POD_IP", environ.get("POD_IP")),
                                        ("DATALIT_EXCHANGE_API_TOKEN", environ.get("DATALIT_EXCHANGE_API_TOKEN")))
               if not value]
    if missing:
        raise RuntimeError(f"the hub pod lacks {', '.join(missing)} (hub.extraEnv in hub_config/k8s/values.yaml)")
    return {"state_dir": state, "content_dir": k8s_spawn.CONTENT, "data_mount": cfg["hub"]["data_mount"],
            "pod_ip": environ["POD_IP"], "exchange_token": environ["DATALIT_EXCHANGE_API_TOKEN"],
            "k8s": k8s_spawn.settings(cfg), "service_env": {}}


def load(c, platform: str) -> dict:
    """The whole hub definition into C, as the platform's JupyterHub starts; returns SITE."""
    if platform == "local":
        settings = load_settings()
        cfg = load_config(state_dir=settings["state_dir"])
        site = local_site(cfg, settings)
    elif platform == "k8s":
        cfg = load_config()
        site = k8s_site(cfg)
    else:
        raise ValueError(f"unknown hub platform {platform!r}: one of {', '.join(PLATFORMS)}")
    configure(c, cfg, platform, site)
    prepare(cfg, platform, site)
    return site


def prepare(cfg: dict, platform: str, site: dict) -> None:
    """What the hub process does once at start, beside its configuration: the team directory (roster in the
    exchange's store) for the team pages; on one machine, the disk images of homes and team folders mounted
    again after a reboot (datalit/hub/disk.py)."""
    teamhub.configure(site["state_dir"])
    if platform == "local" and site.get("isolate"):
        def home_of(name):
            try:
                return pwd.getpwnam(name).pw_dir
            except KeyError:
                return None

        if disk.parse_size(str(site.get("disk_limit") or cfg["hub"]["disk_limit"])):
            disk.mount_all(Path(site["state_dir"]), home_of)
        if disk.parse_size(cfg["lab"]["team_disk_limit"] or 0):
            disk.mount_all_teams(Path(cfg["lab"]["teams_dir"]))


# ---- the definition ------------------------------------------------------------------------------------
def configure(c, cfg: dict, platform: str, site: dict) -> None:
    """Set the hub's groups, roles, pages, services and spawner options on C (see the module docstring)."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown hub platform {platform!r}: one of {', '.join(PLATFORMS)}")
    if platform == "local":
        local_base(c, site)
    authentication(c, cfg, platform, site)
    c.JupyterHub.load_groups = groups(site)
    c.JupyterHub.load_roles = [*_already(c, "load_roles"), *hub_roles(platform)]
    services.configure(c, cfg, platform, site)
    pages(c, cfg, site)
    spawn_options.configure(c, cfg, platform, site)


def _already(c, trait: str) -> list:
    """What the chart put into a list trait of c.JupyterHub before (its culler's role and service)."""
    return list(c.JupyterHub[trait]) if trait in c.JupyterHub else []


def local_base(c, site: dict) -> None:
    """Addresses, database, secrets, proxy: everything in the state directory. The hub API port is the same
    after every restart (kept in <state>/ports.json), so user servers that outlived a crash reconnect; the
    proxy belongs to ``datalit hub`` (datalit/hub/proxy.py)."""
    state = Path(site["state_dir"])
    c.JupyterHub.ip = site["ip"]
    c.JupyterHub.port = site["port"]
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = site["hub_port"]
    c.JupyterHub.db_url = hub_db_url(state)
    c.JupyterHub.db_kwargs = hubdb.db_kwargs(c.JupyterHub.db_url)  # SQLite: WAL, no fsync per commit
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True  # SIGTERM stops every user server; after a crash they are taken over
    c.JupyterHub.cleanup_proxy = False   # `datalit hub` stops the proxy it started
    c.ConfigurableHTTPProxy.should_start = False
    c.ConfigurableHTTPProxy.auth_token = (state / "proxy_token").read_text().strip()
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{site['proxy_api_port']}"
    c.JupyterHub.shutdown_on_logout = False
    c.JupyterHub.active_server_limit = 0
    c.JupyterHub.concurrent_spawn_limit = 100
    # One origin per server (hub.subdomain_host, datalit/hub/origins.py): every server on <name>.<host>, the
    # hub on <host> with its services; the proxy routes by host (datalit/hub/proxy.py --host-routing).
    if site.get("subdomain_host"):
        c.JupyterHub.subdomain_host = site["subdomain_host"]
        c.JupyterHub.subdomain_hook = origins.subdomain_hook


def authentication(c, cfg: dict, platform: str, site: dict) -> None:
    """Staff sign up and are approved by an admin; workshop accounts come from the state directory."""
    h = cfg["hub"]
    c.JupyterHub.authenticator_class = DatalitAuthenticator
    c.DatalitAuthenticator.state_dir = str(site["state_dir"])
    if platform == "local":  # workshop accounts are unix users there
        c.DatalitAuthenticator.home_base = h["home_base"]
    c.Authenticator.admin_users = {h["admin_user"]}
    c.Authenticator.allow_all = True  # only approved (or workshop) accounts can authenticate at all
    c.Authenticator.username_pattern = USERNAME_PATTERN
    c.NativeAuthenticator.enable_signup = True
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 8
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = h["allowed_failed_logins"]
    c.NativeAuthenticator.seconds_before_next_try = h["seconds_before_next_try"]
    # refresh_user (cheap: the workshop registry is cached by mtime) ends the session and tokens of an expired
    # workshop account or an un-approved staff member within this many seconds
    c.Authenticator.auth_refresh_age = 5
    c.Authenticator.refresh_pre_spawn = True
    c.Authenticator.post_auth_hook = room.remember_logins()  # logins show in a workshop's room at once
    # no cookie of the hub (nor of the user servers: JupyterHub passes these options on) is sent with a
    # cross-site request (CSRF). Secure: JupyterHub adds it when a request arrives over HTTPS, which it cannot
    # see behind a TLS proxy plus configurable-http-proxy (X-Forwarded-Proto "https,http"): hub.public_url says so.
    cookie_options = {"samesite": "Lax"}
    if (site.get("public_url") or h["public_url"]).lower().startswith("https://"):
        cookie_options["secure"] = True
    c.JupyterHub.tornado_settings.update({"cookie_options": cookie_options})


def groups(site: dict) -> dict:
    """The groups (datalit/hub/roles.py); workshop accounts made while the hub was down join theirs at start
    (load_groups only adds, so a restart never removes anyone)."""
    out = roles.load_groups()
    for name, entry in workshop.load_registry(Path(site["state_dir"]))["accounts"].items():
        for g in ("citizens", entry["tier"]):
            out[g].setdefault("users", []).append(name)
    return out


def hub_roles(platform: str) -> list[dict]:
    """datalit/hub/roles.py's roles; on k8s without the idle culler's (the chart's culler has its own)."""
    return [r for r in roles.load_roles() if platform == "local" or r["name"] != roles.CULLER_SERVICE]


def page_handlers(state_dir) -> list[tuple]:
    """Every page the hub adds to JupyterHub's own: one list, so a new page is one line here.

    Team servers and their snapshots (/hub/teams/<team>, datalit/hub/teamhub.py, with the roster sync
    ``datalit team import`` calls), the public certificate check (/hub/certificate/verify, datalit/certificate/),
    a workshop batch's room for its instructors (/hub/workshop/<batch>/room, datalit/hub/room.py)."""
    return [*teamhub.handlers(), *certificate_pages.handlers(str(state_dir)), *room.handlers(state_dir)]


def pages(c, cfg: dict, site: dict) -> None:
    """The hub's pages in Korean: templates extend JupyterHub's (and NativeAuthenticator's). Per person
    (datalit/hub/pages.py): the courses of their groups, their teams, a workshop account's expiry, and where
    they land after login (learners: their server, started at once; hub admins: the home page)."""
    c.JupyterHub.template_paths = [str(repo_path("hub_config", "templates"))]
    c.JupyterHub.template_vars = {
        **PROGRAMME,
        "courses": hub_pages.courses_for(content.course_list(Path(site["content_dir"]))),
        "account_expiry": hub_pages.account_expiry,
        "tier_names": roles.TIER_NAMES,
        "data_mount": site["data_mount"],  # where every server reads the datasets (hub.data_mount)
        # instructors open team servers only on their own origins; else a snapshot (datalit/hub/snapshot_pages.py)
        "own_origins": bool(site.get("subdomain_host")),
        "teams": teamhub.team_list,
        "workshop_rooms": room.rooms_for,  # the batches a person may watch (templates/_rooms.html)
    }
    c.JupyterHub.default_url = hub_pages.landing_url
    c.JupyterHub.redirect_to_server = True  # (JupyterHub's default) what landing_url's "" means: /hub/spawn
    c.JupyterHub.extra_handlers = page_handlers(site["state_dir"])  # (deprecated in 3.1 for services; in 5.x)
    # the share is the permission: a member opening the team server is not asked to 'authorize' its OAuth
    # client; nor is anyone before their own learning record (its client joins this list)
    c.JupyterHub.tornado_settings.update({"oauth_no_confirm_list": teamhub.NoConfirmTeamClients()})
    wiring.skip_confirmation(c)
