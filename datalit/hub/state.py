"""The hub's state directory: what only the hub may read (mode 0700, files 0600), and nothing else.

Layout (everything a backup needs is in this one folder, plus the homes)::

    <state>/jupyterhub.sqlite        hub database (users, groups, roles, tokens, NativeAuthenticator approvals)
    <state>/jupyterhub_cookie_secret
    <state>/proxy_token              configurable-http-proxy auth token
    <state>/api_token                token of the ``datalit-cli`` service (admin API for ``datalit`` commands)
    <state>/certificate_secret       signs 교육 이수증 codes; <state>/certificates/ the issued ones
    <state>/ports.json               hub API and proxy API ports, chosen once (servers keep them across restarts)
    <state>/hub.json                 address of the running hub (written by ``datalit hub``)
    <state>/*.pid                    pid files of the hub and the proxy
    <state>/logs/                    hub log (jupyterhub.log) and proxy log (proxy.log)
    <state>/workshop/                workshop accounts, credential sheets, purge archives
    <state>/config.d/*.py            optional admin snippets, loaded last
    <state>/datalit.yaml             optional configuration file (datalit/config.py)

What learners read lives elsewhere: the built course notebooks in ``hub.content_dir``
(``/srv/datalit/content`` as root, root-owned, world-readable) and the datasets in ``hub.data_mount``.
No learner process can enter the state directory (tests/security/test_state_dir.py).

Non-root (laptop) mode: every server runs as the hub's own user, so nothing here is protected from them
anyway; the same 0700 folder also holds ``content/``, ``datasets``, ``homes/<user>/`` and ``run/``.

Running hubs register in ``hub_registry_dir()`` (one ``<launcher pid>.json`` each), so that ``datalit``
commands find the state of the running hub without ``--state-dir``.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from datalit import atomic
from datalit.config import ROOT_PATHS, default_state_dir, load_config

SECRET_FILES = {
    "jupyterhub_cookie_secret": lambda: secrets.token_hex(32),
    "proxy_token": lambda: secrets.token_hex(32),
    "api_token": lambda: secrets.token_hex(32),
    "certificate_secret": lambda: secrets.token_hex(32),  # signs 교육 이수증 codes (datalit/certificate/code.py)
}
DATABASE = "jupyterhub.sqlite"
PRIVATE_DIRS = ("logs", "workshop", "config.d")


class NoHubRunning(FileNotFoundError):
    """No running hub was found (the message says where it was looked for)."""


def is_root() -> bool:
    return os.geteuid() == 0


def resolve_state_dir(state_dir: str | os.PathLike | None = None, config: dict | None = None) -> Path:
    """CLI option > DATALIT_HUB_STATE_DIR / config file > default."""
    if state_dir:
        return Path(state_dir).resolve()
    config = config or load_config()
    if config["hub"]["state_dir"]:
        return Path(config["hub"]["state_dir"]).resolve()
    return default_state_dir()


def content_dir(config: dict, state: Path) -> Path:
    """Where the built course notebooks live (readable by every learner, outside the state directory)."""
    if config["hub"]["content_dir"]:
        return Path(config["hub"]["content_dir"]).resolve()
    return Path(ROOT_PATHS["content_dir"]) if is_root() else state / "content"


def ensure_state_dir(state: Path) -> Path:
    """Create the folder layout and the secrets (only once; existing secrets are never replaced).

    The folder is 0700 and every file the hub keeps in it 0600, also in a state directory made by an
    older version (which was 0711 with a world-readable database)."""
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    for sub in PRIVATE_DIRS:
        (state / sub).mkdir(exist_ok=True)
        os.chmod(state / sub, 0o700)
    for name, make in SECRET_FILES.items():
        write_secret(state / name, make)
    db = state / DATABASE
    if not db.exists():  # an empty file is an empty SQLite database; its journals get the same mode
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    protect_files(state)
    return state


def protect_files(state: Path) -> None:
    """Every regular file directly in the state directory and in logs/: mode 0600."""
    for folder in (state, state / "logs"):
        for path in folder.iterdir():
            if path.is_file() and not path.is_symlink():
                os.chmod(path, 0o600)


def write_private(path: Path, text: str) -> None:
    """Write TEXT to PATH atomically, mode 0600 (never readable by others, not even while written)."""
    atomic.write_text(path, text, mode=0o600)


def write_secret(path: Path, make) -> str:
    if path.exists():
        os.chmod(path, 0o600)
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def read_secret(state: Path, name: str) -> str:
    path = state / name
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: has 'datalit hub --state-dir {state}' ever run?")
    return path.read_text().strip()


def write_hub_info(state: Path, info: dict) -> None:
    write_private(state / "hub.json", json.dumps(info, indent=2) + "\n")


def read_hub_info(state: Path) -> dict:
    path = state / "hub.json"
    if not path.exists():
        raise NoHubRunning(f"no hub is running with the state directory {state} (no {path.name} there): "
                           f"start it with 'datalit hub --state-dir {state}', or pass the --state-dir of the "
                           "running hub")
    return json.loads(path.read_text())


# ---- running hubs ------------------------------------------------------------------------------------
def hub_registry_dir() -> Path:
    if is_root():
        return Path("/run/datalit-hub")
    base = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "datalit-hub"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def register_hub(state: Path, url: str) -> Path:
    folder = hub_registry_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    entry = folder / f"{os.getpid()}.json"
    write_private(entry, json.dumps({"state_dir": str(state), "url": url, "pid": os.getpid()}) + "\n")
    return entry


def running_hubs() -> list[Path]:
    """State directories of the hubs registered by live ``datalit hub`` processes (stale entries removed)."""
    found = []
    try:
        entries = sorted(hub_registry_dir().glob("*.json"))
    except OSError:
        return []
    for entry in entries:
        try:
            info = json.loads(entry.read_text())
            pid = int(info["pid"])
        except (OSError, ValueError, KeyError):
            continue
        if _alive(pid) and (Path(info["state_dir"]) / "hub.json").exists():
            found.append(Path(info["state_dir"]))
        elif not _alive(pid):
            entry.unlink(missing_ok=True)
    return sorted(set(found))


def find_hub_state(state_dir: str | os.PathLike | None = None, require_running: bool = True,
                   optional: bool = False) -> Path | None:
    """The one way every ``datalit`` command finds the hub it serves: its state directory, and with it
    the configuration (``<state>/datalit.yaml``) and the exchange's store (``<state>/exchange``).

    1. what the admin named: ``--state-dir``, else ``DATALIT_HUB_STATE_DIR`` / ``hub.state_dir``;
    2. else the one running hub (registered by ``datalit hub`` in hub_registry_dir());
    3. else NoHubRunning naming the running hubs (several) or saying that none runs. Never a silent
       default: ``datalit lab release`` once published to /var/lib/datalit's store, which no running hub
       served, and learners saw an empty Assignments list (issue #22). OPTIONAL (a command whose store is
       configured elsewhere, or that needs no hub): None instead of the refusal.

    REQUIRE_RUNNING: that hub must be up (its hub.json there, its ``datalit hub`` process alive)."""
    if state_dir or os.environ.get("DATALIT_HUB_STATE_DIR") or load_config()["hub"]["state_dir"]:
        state = resolve_state_dir(state_dir)
        if not require_running and not state.is_dir():
            raise NoHubRunning(f"no hub state directory at {state}: check the path (it is the --state-dir "
                               "'datalit hub' was started with)")
    else:
        running = running_hubs()
        if len(running) == 1:
            state = running[0]
        elif optional:
            return None
        elif running:
            raise NoHubRunning("several hubs are running; pick one with --state-dir: "
                               + ", ".join(str(p) for p in running))
        else:
            raise NoHubRunning(f"no hub is running (none registered in {hub_registry_dir()}) and no "
                               "--state-dir was given: start the hub with 'datalit hub', or pass the "
                               "--state-dir of the hub this command is for")
    if require_running:
        info = read_hub_info(state)  # raises NoHubRunning
        if isinstance(info.get("pid"), int) and not _alive(info["pid"]):
            raise NoHubRunning(f"the hub of {state} is not running any more (its 'datalit hub' process "
                               f"{info['pid']} is gone): start it again with 'datalit hub --state-dir {state}'")
    return state
