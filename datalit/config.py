"""Configuration, layered once: defaults < config file < environment < CLI, declared once in SCHEMA.

SCHEMA holds every key's default (its type is the key's type), meaning and environment name; ENVIRONMENT
names the other DATALIT_* variables (secrets, and what one process hands another). No other module
restates a default or reads a DATALIT_* name that is not declared here (tests/hub/test_config_schema.py).

The config file is YAML: ``DATALIT_CONFIG`` if set, else ``<state_dir>/datalit.yaml`` when it exists,
where the state directory is the ``state_dir`` argument, ``DATALIT_HUB_STATE_DIR`` or the default
(``/var/lib/datalit`` as root, ``~/.local/share/datalit`` otherwise). Every key must exist in SCHEMA
with a value of its type, so a typo or a wrong type is an error naming the key and the file, never a
silently ignored setting. Environment variables (``DATALIT_<SECTION>_<KEY>`` unless SCHEMA names another)
override single keys (secrets belong there, never in the file). ``datalit config show`` prints every
key, its value and where the value came from.
"""
from __future__ import annotations

import copy
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

@dataclass(frozen=True)
class Setting:
    """One key: its default (whose type is the key's type), what it means, and how the environment names it."""

    default: Any
    meaning: str
    env: str = ""               # "" = DATALIT_<SECTION>_<KEY>
    old_env: tuple = ()         # names deployments may still use: read, with a warning
    secret: bool = False        # never printed by `datalit config show`


S = Setting

# Each section belongs to one subsystem; every default lives here and nowhere else.
SCHEMA: dict[str, dict[str, Setting]] = {
    "data": {
        "data_dir": S("", "datasets folder searched first (before ../shared/datasets and the download cache)",
                      env="DATALIT_DATA_DIR"),
        "mirror": S("", "base URL replacing the pinned download host: <mirror>/<id>/<file>"),
        "verify": S(True, "check every file's sha256 against the catalog"),
    },
    "hub": {
        "ip": S("127.0.0.1", "address the proxy listens on (learners' browsers)"),
        "port": S(8000, "port the proxy listens on"),
        "state_dir": S("", "the hub's 0700 state folder; default /var/lib/datalit as root, "
                           "~/.local/share/datalit otherwise (also where datalit.yaml is looked for)"),
        "admin_user": S("admin", "the first admin's account name"),
        "admin_password": S("", "the first admin's password; random (printed once) if empty", secret=True),
        "user_port_min": S(20000, "lowest port of a user server (kept out of the kernels' ephemeral range)"),
        "user_port_max": S(29999, "highest port of a user server"),
        "cull_idle_seconds": S(3600, "a server idle this long is stopped"),
        "cull_every_seconds": S(60, "how often the idle culler looks"),
        "mem_limit": S("2G", "memory of one user server with its kernels"),
        "cpu_limit": S(1.0, "CPUs of one user server"),
        "home_base": S("/home", "folder of the learners' homes (useradd -b)"),
        "data_mount": S("/srv/datalit/datasets", "where user servers and grading Jobs find the datasets "
                                                 "(their DATALIT_DATA_DIR)"),
        "expiry_check_seconds": S(60, "how often expired workshop servers are stopped"),
        "prewarm_reserve": S("2G", "memory kept free when pre-warming servers (hub, proxy, services, system)"),
        "prewarm_parallel": S(4, "servers started at once by a warm-up (2 cores: more only queue)"),
        "prewarm_check_seconds": S(15, "how often the workshop-prewarm service looks at its plan"),
        "prewarm_hours": S(3, "a warm-up's workshop lasts this long unless --until says otherwise"),
        "prewarm_idle_minutes": S(60, "a batch's own idle rule during its workshop (opened servers)"),
        "allowed_failed_logins": S(5, "failed logins before the account waits seconds_before_next_try"),
        "seconds_before_next_try": S(120, "wait after too many failed logins"),
        "user_env": S("", "venv of the user servers; default: the hub's own (sys.prefix)"),
        "disk_limit": S("5G", "each person's home (root mode: a loop-mounted image); \"\" = none"),
        "shm_size": S("256M", "each server's private /dev/shm (a tmpfs); its /tmp is inside the home"),
        "pids_limit": S(1024, "processes + threads of one server with its kernels and terminals; 0 = none"),
        "public_url": S("", "e.g. https://lab.example.org behind an HTTPS proxy: cookies get Secure"),
        "subdomain_host": S("", "one origin per server (datalit/hub/origins.py): \"\" = off, \"localhost\" "
                                "(a laptop: *.localhost), or a wildcard DNS name like lab.example.go.kr"),
        "content_dir": S("", "built course notebooks learners read; default: ROOT_PATHS['content_dir'] as root, "
                             "<state>/content otherwise"),
        "hub_port": S(0, "hub API port; 0: picked once from internal_port_min..max, kept in <state>/ports.json "
                         "so that running servers find the hub after a restart"),
        "proxy_api_port": S(0, "the proxy's API port, picked and kept like hub_port"),
        "exchange_port": S(0, "the datalit-exchange service's port, picked and kept like hub_port"),
        "internal_port_min": S(19000, "lowest internal port (below the user servers' and the ephemeral range)"),
        "internal_port_max": S(19999, "highest internal port"),
        "url": S("", "a hub without a local state directory (Kubernetes) for `datalit hub status` / `users list`"),
        "token": S("", "the datalit-cli service's API token for hub.url", secret=True),
        "db_url": S("", "\"\" = <state>/jupyterhub.sqlite; or postgresql://USER@HOST:PORT/DB (required on "
                        "Kubernetes; password: env DATALIT_HUB_DB_PASSWORD only, datalit/databases.py)"),
    },
    "lab": {
        "course_dir": S("", "the nbgrader course folder (sources, gradebook, feedback)"),
        "gradebook_url": S("", "\"\" = <course_dir>/gradebook.db; or postgresql://USER@HOST:PORT/DB (graders on "
                               "several nodes); password: env DATALIT_LAB_GRADEBOOK_PASSWORD only"),
        "workers": S(0, "autograde worker processes; 0 = number of cores"),
        "timeout": S(300, "wall-clock seconds per notebook (the kernel is killed after)"),
        "cell_timeout": S(60, "seconds per cell (the cell is interrupted, grading goes on)"),
        "cpu_seconds": S(120, "CPU seconds of one graded kernel"),
        "memory_mb": S(1024, "memory of one graded kernel (MB)"),
        "max_processes": S(64, "processes of one graded kernel"),
        "max_output_bytes": S(1_000_000, "output kept per graded notebook"),
        "late_penalty_per_day": S(0.1, "fraction of the autograded score lost per started day late"),
        "pass_ratio": S(0.6, "이수 of a lab: its graded total >= this share of the maximum (export, course rule)"),
        "course_id": S("seoul-datalit", "the nbgrader course id"),
        "exchange_dir": S("", "the exchange service's root-only store; default: <hub state dir>/exchange"),
        "exchange_url": S("", "the exchange service's URL: user servers' clients, and instructors' commands on "
                              "another machine (else the local store)",
                          env="DATALIT_EXCHANGE_URL", old_env=("DATALIT_LAB_EXCHANGE_URL",)),
        "teams_dir": S("/srv/datalit/teams", "the team folders"),
        "team_disk_limit": S("2G", "each team folder (root mode: a loop-mounted image like homes); \"\" = none"),
        "team_groups_file": S("", "root-only record of the team groups datalit made; "
                                  "default: <hub state dir>/team-groups.json"),
        "sandbox": S(True, "run student kernels sandboxed (needs root)"),
        "sandbox_dir": S("/var/lib/datalit-sandbox", "not in the hub's 0700 state dir: slot users must enter it"),
        "sandbox_user_prefix": S("dlsbx", "name prefix of the grader's slot accounts (their names are reserved)"),
        "max_file_mb": S(50, "larger files in a submission are not collected; also a whole submission's limit"),
        "max_files": S(500, "files in one submission (the exchange refuses more)"),
        "team_quota_mb": S(500, "all of a team's stored submissions (every lab; each one is archived)"),
        "checkout_dir": S("", "the checkout with labs/ and grading/labchecks/ (root-only); "
                              "default: where ./run installed from"),
        "prewarm": S(True, "autograde workers fork sandboxed kernels from a pre-imported server"),
    },
    # Zero to JupyterHub (hub_config/k8s/): names of the claims in hub_config/k8s/manifests/, where pods
    # mount them, and the grading Jobs (datalit/labs/k8s_jobs.py). hub_config/k8s/values.yaml repeats the
    # names; tests/hub/test_k8s_*.py keep both equal.
    "k8s": {
        "namespace": S("datalit", "the namespace of the hub, its Jobs and Services"),
        "api_url": S("https://kubernetes.default.svc", "in-cluster API (the hub pod's service account)"),
        "exchange_claim": S("datalit-exchange", "RWX: the exchange Deployment writes, the hub pod reads (roster)"),
        "exchange_mount": S("/srv/datalit/exchange", "where the exchange claim is mounted"),
        "exchange_service": S("datalit-exchange", "its own Deployment + Service (datalit/hub/k8s_exchange.py)"),
        "exchange_port": S(8090, "the exchange Service's port"),
        "progress_service": S("datalit-progress", "a Service onto the hub pod's learning-record service"),
        "progress_port": S(8091, "the progress Service's port"),
        "chart_values": S("/usr/local/etc/jupyterhub/secret/values.yaml", "the chart's values, in the hub pod"),
        "course_claim": S("datalit-course", "RWX: instructors' pods and grading Jobs only"),
        "course_mount": S("/srv/datalit/course", "where the course claim is mounted"),
        "teams_claim": S("datalit-teams", "RWX: one folder (subPath) per team"),
        "teams_mount": S("/srv/datalit/teams", "in the hub pod (makes the folders)"),
        "datasets_claim": S("datalit-datasets", "ROX in user pods (at hub.data_mount), RWX for the fill Job"),
        "archive_claim": S("datalit-archive", "RWO: workshop purge archives of home claims"),
        "home_claim_template": S("claim-{username}", "KubeSpawner's pvc_name_template (z2jh default)"),
        "home_mount": S("/home/jovyan", "the home in user pods"),
        "proxy_service": S("proxy-public", "user pods reach /services/... through the proxy"),
        "singleuser_image": S("registry.example.seoul.go.kr/datalit-singleuser:0.1.0",
                              "only where no chart values are mounted: in the hub pod Jobs run the chart's "
                              "singleuser.image"),
        "grading_labchecks_secret": S("datalit-labchecks", "hidden reference checks: grading Jobs only"),
        "gradebook_secret": S("datalit-gradebook-db", "key \"password\": lab.gradebook_url's (grading Jobs, "
                                                      "instructors)"),
        "grading_cpu": S("1", "CPU of one grading Job"),
        "grading_pids": S(256, "kubelet podPidsLimit on the grading nodes (not settable per pod)"),
        "grading_node_selector": S("", "e.g. \"datalit.seoul.go.kr/pool=grading\""),
        "grading_toleration": S("", "the grading pool's taint, e.g. \"datalit.seoul.go.kr/pool=grading:NoSchedule\""),
        "grading_sandbox_namespace": S("datalit-sandbox", "grading_sandbox Jobs only: PodSecurity \"privileged\""),
        "team_cpu_limit": S(2, "a team server (several members' kernels), not one learner's singleuser.cpu"),
        "team_cpu_guarantee": S(0.5, "CPU guaranteed to a team server"),
        "team_mem_limit": S("4G", "memory of a team server"),
        "team_mem_guarantee": S("2G", "memory guaranteed to a team server"),
        "purge_batch": S(8, "home claims per purge archive pod (attach limits), one zone per pod"),
        "grading_sandbox": S(False, "False: kernels in an unprivileged sidecar container; True: the one-machine "
                                    "sandbox in one root pod (SYS_ADMIN...)"),
    },
    "report": {
        "workers": S(0, "worker processes for batches; 0 = number of cores"),
        "out_dir": S("reports-out", "default output folder when --out is not given"),
        "timeout": S(600, "seconds per notebook cell"),
    },
    "progress": {
        "certificate_needs_approval": S(True, "a learner downloads the 교육 이수증 only once an instructor of the "
                                              "tier approved it"),
    },
}

# Defaults that depend on who runs (root or not), named here so that no other module restates them.
ROOT_PATHS = {"state_dir": "/var/lib/datalit", "content_dir": "/srv/datalit/content"}

# Environment names that are no key: secrets, and what one process hands another (internal).
ENVIRONMENT: dict[str, str] = {
    "DATALIT_CONFIG": "the config file to read instead of <state dir>/datalit.yaml",
    "DATALIT_HUB_DB_PASSWORD": "secret: the password of hub.db_url (never in the file)",
    "DATALIT_LAB_GRADEBOOK_PASSWORD": "secret: the password of lab.gradebook_url (never in the file)",
    "DATALIT_FIRST_ADMIN_PASSWORD": "secret: the first admin's password, from `datalit hub` (or a Kubernetes "
                                    "Secret) to the hub's authenticator",
    "DATALIT_EXCHANGE_TOKEN": "the exchange client's API token (else JUPYTERHUB_API_TOKEN)",
    "DATALIT_EXCHANGE_API_TOKEN": "Kubernetes: the exchange service's API token, hub pod and exchange pod",
    "DATALIT_CACHE_DIR": "the download and build cache (default ~/.cache/datalit)",
    "DATALIT_CATALOG_DIR": "the dataset catalog (default the checkout's datasets/)",
    "DATALIT_COURSES_DIR": "the lesson sources (default the checkout's courses/)",
    "DATALIT_CHROMIUM": "the Chromium that renders report PDFs (default /usr/bin/chromium)",
    "DATALIT_CONFIRM": "`nbgrader submit` confirms replacing an earlier submission",
    "DATALIT_TIERS": "Kubernetes: the tiers whose lessons a user pod's init container copies",
    "DATALIT_HUB_SETTINGS": "internal: the hub's settings (JSON) from `datalit hub` to the hub definition "
                            "(datalit/hub/definition.py) and the config.d snippets",
    "DATALIT_PROGRESS_URL": "internal: the learning-record service's URL, from the hub to user servers",
    "DATALIT_TEAM": "internal: the team id of a team server's pod",
    "DATALIT_KERNEL_FORKSERVER": "internal: the socket of the pre-warmed kernel fork server",
    "DATALIT_KERNEL_FORKED": "internal: set in a kernel forked from the pre-warmed server",
    "DATALIT_KERNEL_SIDECAR_DIR": "internal: the folder the grader shares with its kernel sidecar",
    "DATALIT_SANDBOX_SLOT": "internal: an autograde worker's sandbox slot",
    "DATALIT_SANDBOX_CACHE": "internal: the data cache of sandboxed kernels",
    "DATALIT_PREFIX": "./run: where the install goes (default /opt/datalit as root)",
    "DATALIT_TEST_WORKERS": "./run test: pytest-xdist workers",
}


def env_name(section: str, key: str) -> str:
    """The environment variable that sets SECTION.KEY."""
    return SCHEMA[section][key].env or f"DATALIT_{section}_{key}".upper()


def env_names() -> dict[str, str]:
    """Every DATALIT_* name: key names, their old names and ENVIRONMENT, each with its meaning."""
    names = dict(ENVIRONMENT)
    for section, keys in SCHEMA.items():
        for key, s in keys.items():
            names[env_name(section, key)] = f"{section}.{key}: {s.meaning}"
            names.update({old: f"old name of {env_name(section, key)}" for old in s.old_env})
    return names


DEFAULTS: dict[str, dict[str, Any]] = {section: {key: s.default for key, s in keys.items()}
                                       for section, keys in SCHEMA.items()}


class ConfigError(ValueError):
    pass


TYPE_WORDS = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _check(value: Any, like: Any, where: str) -> Any:
    """VALUE as the type of LIKE (an int where a float is expected is fine), else a ConfigError naming WHERE."""
    expected = type(like)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"{where}: expected {TYPE_WORDS.get(expected, expected.__name__)}, got {value!r}")
    return value


def _merge(config: dict, sources: dict, override: dict, origin: str, label: str) -> None:
    """Set ORIGIN's keys (file path or "cli") into CONFIG: only known keys, only values of the key's type."""
    for section, values in override.items():
        if section not in SCHEMA:
            raise ConfigError(f"{label}: unknown section '{section}' (known: {', '.join(sorted(SCHEMA))})")
        if not isinstance(values, dict):
            raise ConfigError(f"{label}: {section}: expected a mapping of keys")
        for key, value in values.items():
            if key not in SCHEMA[section]:
                known = ", ".join(sorted(SCHEMA[section]))
                raise ConfigError(f"{label}: unknown key '{section}.{key}' (known: {known})")
            config[section][key] = _check(value, SCHEMA[section][key].default, f"{label}: {section}.{key}")
            sources[(section, key)] = origin


def _coerce(text: str, like: Any, name: str) -> Any:
    """An environment value as the key's type; a word that is no boolean is an error, never False."""
    if isinstance(like, bool):
        word = text.strip().lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ConfigError(f"{name}: expected true or false (also yes/no, on/off, 1/0), got {text!r}")
    try:
        return type(like)(text) if isinstance(like, (int, float)) else text
    except ValueError:
        raise ConfigError(f"{name}: expected {TYPE_WORDS[type(like)]}, got {text!r}") from None


def default_state_dir() -> Path:
    """The hub's state directory when none is given: /var/lib/datalit as root, else under XDG_DATA_HOME."""
    if os.geteuid() == 0:
        return Path(ROOT_PATHS["state_dir"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "datalit"


def config_file(path: str | os.PathLike | None = None, state_dir: str | os.PathLike | None = None) -> Path | None:
    """The YAML file to read: PATH, else DATALIT_CONFIG, else ``<state dir>/datalit.yaml`` if it exists."""
    path = path or os.environ.get("DATALIT_CONFIG")
    if path:
        return Path(path)
    state = Path(state_dir or os.environ.get(env_name("hub", "state_dir")) or default_state_dir())
    candidate = state / "datalit.yaml"
    try:
        return candidate if candidate.is_file() else None
    except OSError:  # a state directory this user may not enter
        return None


def _environment(section: str, key: str) -> tuple[str, str] | None:
    """(name, value) of the variable setting SECTION.KEY: its name, else an old name (with a warning)."""
    name = env_name(section, key)
    if name in os.environ:
        return name, os.environ[name]
    for old in SCHEMA[section][key].old_env:
        if old in os.environ:
            warnings.warn(f"{old} is an old name: set {name} instead", FutureWarning, stacklevel=4)
            return old, os.environ[old]
    return None


def load_config_sources(path: str | os.PathLike | None = None, overrides: dict | None = None,
                        state_dir: str | os.PathLike | None = None) -> tuple[dict, dict]:
    """The effective configuration and, per (section, key), where its value came from:
    "default", the config file's path, "env NAME" or "cli"."""
    config = copy.deepcopy(DEFAULTS)
    sources = {(section, key): "default" for section, keys in SCHEMA.items() for key in keys}
    path = config_file(path, state_dir or ((overrides or {}).get("hub") or {}).get("state_dir"))
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError(f"config file not found: {p}")
        try:
            loaded = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: not valid YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{p}: the top level must be a mapping of sections")
        _merge(config, sources, loaded, str(p), str(p))
    for section, keys in SCHEMA.items():
        for key, setting in keys.items():
            found = _environment(section, key)
            if found:
                config[section][key] = _coerce(found[1], setting.default, found[0])
                sources[(section, key)] = f"env {found[0]}"
    if overrides:
        cli = {s: {k: v for k, v in kv.items() if v is not None} for s, kv in overrides.items()}
        _merge(config, sources, cli, "cli", "command line")
    return config, sources


def load_config(path: str | os.PathLike | None = None, overrides: dict | None = None,
                state_dir: str | os.PathLike | None = None) -> dict:
    """Return the effective configuration as a nested dict."""
    return load_config_sources(path, overrides, state_dir)[0]
