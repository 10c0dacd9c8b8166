"""People and groups through the hub's REST API: listing, moving between groups, removing."""
from __future__ import annotations

import pwd
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from datalit.hub.api import HubAPI
from datalit.hub.roles import GROUPS, TIERS
from datalit.hub.state import DATABASE, is_root


class AccountError(ValueError):
    pass


def list_users(api: HubAPI) -> list[dict]:
    """``[{"name", "admin", "groups", "server", "last_activity"}]`` sorted by name."""
    rows = []
    for u in api.users():
        rows.append({
            "name": u["name"],
            "admin": u.get("admin", False),
            "groups": sorted(u.get("groups", [])),
            "server": bool(u.get("server")),
            "last_activity": u.get("last_activity") or "",
        })
    return sorted(rows, key=lambda r: r["name"])


def approved_signup(state: Path, name: str) -> bool:
    """Whether an admin approved NAME's sign-up (NativeAuthenticator's ``users_info`` in the hub database).

    Approval does not make a JupyterHub user; the first login does. Reading the database needs the
    hub's own rights (the state directory is 0700): the admin's ``datalit`` commands run as root; a hub database
    on PostgreSQL (``hub.db_url``) needs its password in this process's environment."""
    from datalit.databases import hub_db_url, is_sqlite

    url = hub_db_url(state)
    if not is_sqlite(url):
        return _approved_on_server(url, name)
    db = state / DATABASE
    if not db.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
            row = conn.execute("SELECT is_authorized FROM users_info WHERE username = ?", (name,)).fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def _approved_on_server(url: str, name: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT is_authorized FROM users_info WHERE username = :name"),
                               {"name": name}).fetchone()
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return bool(row and row[0])


def move(api: HubAPI, name: str, to_groups: list[str], from_groups: list[str] | None = None,
         exclusive_tier: bool = True, state: Path | None = None) -> dict:
    """Add ``name`` to ``to_groups``; remove it from ``from_groups`` (and, when a tier is given and
    ``exclusive_tier``, from the other tiers). Returns the user's groups afterwards.

    With ``state``, a person whose sign-up is approved but who never logged in is made a hub user first."""
    for g in [*to_groups, *(from_groups or [])]:
        if g not in GROUPS:
            raise AccountError(f"unknown group {g!r} (known: {', '.join(GROUPS)})")
    if api.user(name) is None:
        if state is None or not approved_signup(state, name):
            raise AccountError(f"no hub user named {name!r} (and no approved sign-up of that name)")
        api.ensure_user(name)  # approved but never logged in: the hub user is made now
    remove = set(from_groups or [])
    if exclusive_tier and any(g in TIERS for g in to_groups):
        remove |= {t for t in TIERS if t not in to_groups}
    current = set(api.user(name).get("groups", []))
    for g in sorted(remove & current):
        api.remove_from_group(g, [name])
    for g in to_groups:
        if g not in current:
            api.add_to_group(g, [name])
    return {"name": name, "groups": sorted(api.user(name).get("groups", []))}


def register_workshop_users(api: HubAPI, names: list[str], tier: str) -> None:
    for name in names:
        api.ensure_user(name)
    api.add_to_group("citizens", names)
    api.add_to_group(tier, names)


def home_of(name: str, state: Path) -> Path | None:
    if is_root():
        try:
            return Path(pwd.getpwnam(name).pw_dir)
        except KeyError:
            return None
    return state / "homes" / name


def stop_and_wait(api: HubAPI | None, name: str, timeout: float = 120) -> None:
    """Stop NAME's server (if any) and return once the hub reports it stopped."""
    if api is None:
        return
    deadline = time.time() + timeout
    while time.time() < deadline:
        user = api.user(name)
        if user is None or (not user.get("server") and not user.get("pending")):
            return
        if user.get("server") and user.get("pending") != "stop":
            try:
                api.stop_server(name)
            except RuntimeError as exc:
                if "HTTP 400" not in str(exc):
                    raise
        time.sleep(0.5)
    raise RuntimeError(f"the server of {name} did not stop in {timeout}s")


def remove_user(api: HubAPI | None, name: str) -> None:
    """Stop the server, delete the hub user (and its NativeAuthenticator entry), delete the unix user."""
    from datalit.hub.workshop import remove_unix_user

    stop_and_wait(api, name)
    if api is not None and api.user(name) is not None:
        api.delete_user(name)
    remove_unix_user(name)
