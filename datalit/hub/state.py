"""The hub's state directory: database, secrets (created once, mode 0600), logs, content, homes.

Layout (everything a backup needs is in this one folder)::

    <state>/jupyterhub.sqlite        hub database (users, groups, roles, NativeAuthenticator approvals)
    <state>/jupyterhub_cookie_secret
    <state>/proxy_token              configurable-http-proxy auth token
    <state>/api_token                token of the ``datalit-cli`` service (admin API for ``datalit`` commands)
    <state>/hub.json                 address of the running hub (written by ``datalit hub``)
    <state>/logs/                    hub and proxy logs
    <state>/content/<tier>/*.ipynb   course notebooks built at hub start
    <state>/workshop/                workshop accounts, credential sheets, purge archives
    <state>/config.d/*.py            optional admin snippets, loaded last
    <state>/homes/<user>/            homes in non-root (laptop) mode only
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from datalit.config import load_config

SECRET_FILES = {
    "jupyterhub_cookie_secret": lambda: secrets.token_hex(32),
    "proxy_token": lambda: secrets.token_hex(32),
    "api_token": lambda: secrets.token_hex(32),
}


def is_root() -> bool:
    return os.geteuid() == 0


def default_state_dir() -> Path:
    if is_root():
        return Path("/var/lib/datalit")
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "datalit"


def resolve_state_dir(state_dir: str | os.PathLike | None = None, config: dict | None = None) -> Path:
    """CLI option > DATALIT_HUB_STATE_DIR / config file > default."""
    if state_dir:
        return Path(state_dir).resolve()
    config = config or load_config()
    if config["hub"]["state_dir"]:
        return Path(config["hub"]["state_dir"]).resolve()
    return default_state_dir()


def ensure_state_dir(state: Path) -> Path:
    """Create the folder layout and the secrets (only once; existing secrets are never replaced)."""
    state.mkdir(parents=True, exist_ok=True)
    # users must traverse it in non-root mode (homes live inside); secrets stay 0600
    os.chmod(state, 0o711)
    for sub in ("logs", "content", "workshop", "config.d"):
        (state / sub).mkdir(exist_ok=True)
    os.chmod(state / "workshop", 0o700)
    os.chmod(state / "logs", 0o700)
    for name, make in SECRET_FILES.items():
        write_secret(state / name, make)
    return state


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
    (state / "hub.json").write_text(json.dumps(info, indent=2) + "\n")


def read_hub_info(state: Path) -> dict:
    path = state / "hub.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: start the hub with 'datalit hub --state-dir {state}'")
    return json.loads(path.read_text())
