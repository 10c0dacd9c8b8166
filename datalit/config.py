"""Configuration, layered once: defaults (here, the only place) < config file < environment < CLI.

The config file is YAML: ``DATALIT_CONFIG`` if set, else ``<state_dir>/datalit.yaml`` when it exists,
where the state directory is the ``state_dir`` argument, ``DATALIT_HUB_STATE_DIR`` or the default
(``/var/lib/datalit`` as root, ``~/.local/share/datalit`` otherwise). Every key
must already exist in ``DEFAULTS`` with a value of the same type, so a typo is an error,
not a silently ignored setting. Environment variables ``DATALIT_<SECTION>_<KEY>``
override single keys (secrets belong there, never in the file).
"""
from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

# Each section belongs to one subsystem; keep a section's keys in this dict only.
DEFAULTS: dict[str, dict[str, Any]] = {
    "data": {
        "data_dir": "",          # DATALIT_DATA_DIR also works (documented name)
        "mirror": "",            # base URL replacing the pinned download host: <mirror>/<id>/<file>
        "verify": True,          # check every file's sha256 against the catalog
    },
    "hub": {
        "ip": "127.0.0.1",
        "port": 8000,
        "state_dir": "",         # default: /var/lib/datalit as root, ~/.local/share/datalit otherwise
        "admin_user": "admin",
        "admin_password": "",    # secret: DATALIT_HUB_ADMIN_PASSWORD; random if empty
        "user_port_min": 20000,
        "user_port_max": 29999,
        "cull_idle_seconds": 3600,
        "cull_every_seconds": 60,
        "mem_limit": "2G",
        "cpu_limit": 1.0,
        "home_base": "/home",
        "data_mount": "/srv/datalit/datasets",
        "expiry_check_seconds": 60,     # how often expired workshop servers are stopped
        "prewarm_reserve": "2G",        # memory kept free when pre-warming servers (hub, proxy, services, system)
        "prewarm_parallel": 4,          # servers started at once by a warm-up (2 cores: more only queue)
        "prewarm_check_seconds": 15,    # how often the workshop-prewarm service looks at its plan
        "prewarm_hours": 3,             # a warm-up's workshop lasts this long unless --until says otherwise
        "prewarm_idle_minutes": 60,     # a batch's own idle rule during its workshop (opened servers)
        "allowed_failed_logins": 5,     # then the account waits seconds_before_next_try
        "seconds_before_next_try": 120,
        "user_env": "",                 # venv of the user servers; default: the hub's own (sys.prefix)
        "disk_limit": "5G",             # each person's home (root mode: a loop-mounted image); "" = none
        "shm_size": "256M",             # each server's private /dev/shm (a tmpfs); its /tmp is inside the home
        "pids_limit": 1024,             # processes + threads of one server with its kernels and terminals; 0 = none
        "public_url": "",               # e.g. https://lab.example.org behind an HTTPS proxy: cookies get Secure
        "subdomain_host": "",           # one origin per server (datalit/hub/origins.py): "" = off, "localhost"
                                        # (a laptop: *.localhost), or a wildcard DNS name like lab.example.go.kr
        "content_dir": "",              # built course notebooks learners read; default: /srv/datalit/content
                                        # as root, <state>/content otherwise
        "hub_port": 0,                  # hub API port; 0: picked once from internal_port_min..max, kept in
        "proxy_api_port": 0,            # <state>/ports.json so that running servers find the hub after a restart
        "exchange_port": 0,             # the datalit-exchange service, picked and kept like the two above
        "internal_port_min": 19000,     # below the user servers' ports and the kernel's ephemeral range
        "internal_port_max": 19999,
        "url": "",                      # a hub without a local state directory (Kubernetes) for `datalit hub
        "token": "",                    # status` / `users list`; secret: DATALIT_HUB_TOKEN (datalit-cli's token)
        "db_url": "",                   # "" = <state>/jupyterhub.sqlite; or postgresql://USER@HOST:PORT/DB (required on
                                        # Kubernetes; password: env DATALIT_HUB_DB_PASSWORD only, datalit/databases.py)
    },
    "lab": {
        "course_dir": "",
        "gradebook_url": "",     # "" = <course_dir>/gradebook.db; or postgresql://USER@HOST:PORT/DB (graders on several
                                 # nodes); password: env DATALIT_LAB_GRADEBOOK_PASSWORD only (datalit/databases.py)
        "workers": 0,            # 0 = number of cores
        "timeout": 300,          # wall-clock seconds per notebook (the kernel is killed after)
        "cell_timeout": 60,      # seconds per cell (the cell is interrupted, grading goes on)
        "cpu_seconds": 120,
        "memory_mb": 1024,
        "max_processes": 64,
        "max_output_bytes": 1_000_000,
        "late_penalty_per_day": 0.1,   # fraction of the autograded score lost per started day late
        "pass_ratio": 0.6,             # 이수 of a lab: its graded total >= this share of the maximum (export, course rule)
        "course_id": "seoul-datalit",
        "exchange_dir": "",            # the exchange service's root-only store; default: <hub state dir>/exchange
        "exchange_url": "",            # instructors' commands on another machine: the service's URL (else the local store)
        "teams_dir": "/srv/datalit/teams",
        "team_disk_limit": "2G",       # each team folder (root mode: a loop-mounted image like homes); "" = none
        "team_groups_file": "/var/lib/datalit/team-groups.json",  # root-only record of the team groups datalit made
        "sandbox": True,               # run student kernels sandboxed (needs root)
        "sandbox_dir": "/var/lib/datalit-sandbox",  # not in the hub's 0700 state dir: slot users must enter it
        "sandbox_user_prefix": "dlsbx",
        "max_file_mb": 50,             # larger files in a submission are not collected; also a whole submission's limit
        "max_files": 500,              # files in one submission (the exchange refuses more)
        "team_quota_mb": 500,          # all of a team's stored submissions (every lab; each one is archived)
        "checkout_dir": "",            # the checkout with labs/ and grading/labchecks/ (root-only); default: where ./run installed from
        "prewarm": True,               # autograde workers fork sandboxed kernels from a pre-imported server
    },
    # Zero to JupyterHub (hub_config/k8s/): names of the claims in hub_config/k8s/manifests/, where pods
    # mount them, and the grading Jobs (datalit/labs/k8s_jobs.py). hub_config/k8s/values.yaml repeats the
    # names; tests/hub/test_k8s_*.py keep both equal.
    "k8s": {
        "namespace": "datalit",
        "api_url": "https://kubernetes.default.svc",   # in-cluster API (the hub pod's service account)
        "exchange_claim": "datalit-exchange",          # RWX: the exchange Deployment writes, the hub pod reads (roster)
        "exchange_mount": "/srv/datalit/exchange",
        "exchange_service": "datalit-exchange",        # its own Deployment + Service (datalit/hub/k8s_exchange.py)
        "exchange_port": 8090,
        "progress_service": "datalit-progress",        # a Service onto the hub pod's learning-record service
        "progress_port": 8091,
        "chart_values": "/usr/local/etc/jupyterhub/secret/values.yaml",  # the chart's values, in the hub pod
        "course_claim": "datalit-course",              # RWX: instructors' pods and grading Jobs only
        "course_mount": "/srv/datalit/course",
        "teams_claim": "datalit-teams",                # RWX: one folder (subPath) per team
        "teams_mount": "/srv/datalit/teams",           # in the hub pod (makes the folders)
        "datasets_claim": "datalit-datasets",          # ROX in user pods, RWX for the fill Job
        "archive_claim": "datalit-archive",            # RWO: workshop purge archives of home claims
        "home_claim_template": "claim-{username}",     # KubeSpawner's pvc_name_template (z2jh default)
        "home_mount": "/home/jovyan",
        "proxy_service": "proxy-public",               # user pods reach /services/... through the proxy
        "singleuser_image": "registry.example.seoul.go.kr/datalit-singleuser:0.1.0",  # only where no chart values are
                                                       # mounted: in the hub pod Jobs run the chart's singleuser.image
        "grading_labchecks_secret": "datalit-labchecks",  # hidden reference checks: grading Jobs only
        "gradebook_secret": "datalit-gradebook-db",     # key "password": lab.gradebook_url's (grading Jobs, instructors)
        "grading_cpu": "1",
        "grading_pids": 256,           # kubelet podPidsLimit on the grading nodes (not settable per pod)
        "grading_node_selector": "",   # e.g. "datalit.seoul.go.kr/pool=grading"
        "grading_toleration": "",      # the grading pool's taint, e.g. "datalit.seoul.go.kr/pool=grading:NoSchedule"
        "grading_sandbox_namespace": "datalit-sandbox",  # grading_sandbox Jobs only: PodSecurity "privileged" there
        "team_cpu_limit": 2,           # a team server (several members' kernels), not one learner's singleuser.cpu
        "team_cpu_guarantee": 0.5,
        "team_mem_limit": "4G",
        "team_mem_guarantee": "2G",
        "purge_batch": 8,              # home claims per purge archive pod (attach limits), one zone per pod
        "grading_sandbox": False,      # False: kernels in an unprivileged sidecar container; True: the one-machine sandbox in one root pod (SYS_ADMIN...)
    },
    "report": {
        "workers": 0,            # worker processes for batches; 0 = number of cores
        "out_dir": "reports-out",  # default output folder when --out is not given
        "timeout": 600,          # seconds per notebook cell
    },
    "progress": {
        "certificate_needs_approval": True,  # a learner downloads the 교육 이수증 only once an instructor of the tier approved it
    },
}


class ConfigError(ValueError):
    pass


def _merge(base: dict, override: dict, where: str) -> None:
    for key, value in override.items():
        if key not in base:
            known = ", ".join(sorted(base))
            raise ConfigError(f"{where}: unknown key '{key}' (known: {known})")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}.{key}: expected a mapping")
            _merge(base[key], value, f"{where}.{key}")
            continue
        expected = type(base[key])
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{where}.{key}: expected {expected.__name__}, got {value!r}")
        base[key] = value


def _coerce(text: str, like: Any) -> Any:
    if isinstance(like, bool):
        return text.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        return float(text)
    return text


def default_state_dir() -> Path:
    """The hub's state directory when none is given: /var/lib/datalit as root, else under XDG_DATA_HOME."""
    if os.geteuid() == 0:
        return Path("/var/lib/datalit")
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "datalit"


def config_file(path: str | os.PathLike | None = None, state_dir: str | os.PathLike | None = None) -> Path | None:
    """The YAML file to read: PATH, else DATALIT_CONFIG, else ``<state dir>/datalit.yaml`` if it exists."""
    path = path or os.environ.get("DATALIT_CONFIG")
    if path:
        return Path(path)
    state = Path(state_dir or os.environ.get("DATALIT_HUB_STATE_DIR") or default_state_dir())
    candidate = state / "datalit.yaml"
    try:
        return candidate if candidate.is_file() else None
    except OSError:  # a state directory this user may not enter
        return None


def load_config(path: str | os.PathLike | None = None, overrides: dict | None = None,
                state_dir: str | os.PathLike | None = None) -> dict:
    """Return the effective configuration as a nested dict."""
    config = copy.deepcopy(DEFAULTS)
    path = config_file(path, state_dir or ((overrides or {}).get("hub") or {}).get("state_dir"))
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError(f"config file not found: {p}")
        loaded = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{p}: the top level must be a mapping of sections")
        _merge(config, loaded, str(p))
    for section, values in config.items():
        for key, value in values.items():
            env = os.environ.get(f"DATALIT_{section}_{key}".upper())
            if env is not None:
                try:
                    values[key] = _coerce(env, value)
                except ValueError as exc:
                    raise ConfigError(f"DATALIT_{section}_{key}".upper() + f": {exc}") from exc
    if overrides:
        _merge(config, {s: {k: v for k, v in kv.items() if v is not None} for s, kv in overrides.items()}, "cli")
    return config
