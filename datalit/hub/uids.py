"""Which unix accounts are people's: the one rule the spawner, sign-up, workshop purge and rosters share.

Debian gives people uids 1000-59999; below are root and daemons, above are nobody (65534) and other
system ranges. A learner's server never runs as a system account, and nothing ever deletes one.
"""
from __future__ import annotations

import hashlib
import pwd
import re

from datalit.config import DEFAULTS

FIRST_PERSON_UID = 1000
FIRST_SYSTEM_HIGH_UID = 60000


def is_person_uid(uid: int) -> bool:
    return FIRST_PERSON_UID <= uid < FIRST_SYSTEM_HIGH_UID


def is_system_account(name: str) -> bool:
    """True for an existing account that must never run a learner's server or be deleted."""
    try:
        return not is_person_uid(pwd.getpwnam(name).pw_uid)
    except KeyError:
        return False


def is_person_account(name: str) -> bool:
    """True for an existing account in the people's uid range (safe to ``userdel``)."""
    try:
        return is_person_uid(pwd.getpwnam(name).pw_uid)
    except KeyError:
        return False


def people() -> set[str]:
    """The names of all existing accounts in the people's uid range."""
    return {p.pw_name for p in pwd.getpwall() if is_person_uid(p.pw_uid)}


# --- the grader's sandbox accounts (datalit.labs.sandbox) ------------------------------------------
# System accounts in a range no person gets (above the people's range, below Debian's 65000+), one
# per grading slot and prefix (uid: new_sandbox_uid), all in one group (gid FIRST_SANDBOX_UID) that
# alone may read the reference checks copied into the sandbox folder. Their names are reserved.
FIRST_SANDBOX_UID = 64800
LAST_SANDBOX_UID = 64899
SANDBOX_GECOS = "datalit grading sandbox (created by the grader)"
DEFAULT_SANDBOX_PREFIX = DEFAULTS["lab"]["sandbox_user_prefix"]
SANDBOX_GROUP = DEFAULT_SANDBOX_PREFIX  # one group whatever the prefix (its name is reserved too)


def is_sandbox_uid(uid: int) -> bool:
    return FIRST_SANDBOX_UID <= uid <= LAST_SANDBOX_UID


def new_sandbox_uid(slot: int) -> int | None:
    """The uid for a new slot account (``<prefix><slot>``, whatever the prefix): FIRST_SANDBOX_UID + SLOT
    when no account has it (the numbering of the default prefix's existing accounts), else the lowest free
    uid of the range. The account, once made, is the record; a second prefix on the same machine takes
    other uids instead of failing with "uid 64800 ... already belongs to 'dlsbx0'". None: the range is full."""
    taken = {p.pw_uid for p in pwd.getpwall()}
    preferred = FIRST_SANDBOX_UID + slot
    if is_sandbox_uid(preferred) and preferred not in taken:
        return preferred
    return next((uid for uid in range(FIRST_SANDBOX_UID, LAST_SANDBOX_UID + 1) if uid not in taken), None)


def sandbox_prefixes() -> set[str]:
    """Name prefixes of the sandbox accounts: the configured one and the default."""
    prefixes = {DEFAULT_SANDBOX_PREFIX}
    try:
        from datalit.config import load_config

        prefixes.add(load_config()["lab"]["sandbox_user_prefix"])
    except Exception:  # noqa: BLE001 - a broken config still reserves the default names
        pass
    return {p for p in prefixes if p}


def is_reserved_name(name: str) -> bool:
    """True for names only the grader's sandbox accounts (and their group) or team servers may have."""
    name = (name or "").strip().lower()
    return is_team_name(name) or any(name.startswith(p.lower()) for p in sandbox_prefixes())


# --- team servers (datalit.hub.teamserver) ---------------------------------------------------------
# One unix account per team runs the team's shared JupyterLab: uids in their own range (above the
# people's, below the sandbox's), primary group the team's group, home the team folder. Their names
# (``dlteam-…``) are reserved: no sign-up, workshop prefix or roster member may take one.
FIRST_TEAM_UID = 64000
LAST_TEAM_UID = 64799
TEAM_PREFIX = "dlteam-"
TEAM_GECOS = "datalit team server (created by the hub)"


def is_team_uid(uid: int) -> bool:
    return FIRST_TEAM_UID <= uid <= LAST_TEAM_UID


def is_team_name(name: str) -> bool:
    """True for names only team-server accounts may have."""
    return (name or "").strip().lower().startswith(TEAM_PREFIX)


READABLE_MAX = 13  # dlteam- (7) + 13 + - (1) + 8 hex = 29 <= the hub's 31-character user names


def account_name(team: str) -> str:
    """The team server's account and hub user (``dlteam-<readable>-<hash>``). Here, with the other names,
    because the exchange service (below the hub) tells a team server's hub user by it."""
    readable = re.sub(r"[^a-z0-9_-]", "", team.lower())[:READABLE_MAX].rstrip("-_") or "team"
    digest = hashlib.sha256(team.encode("utf-8")).hexdigest()[:8]
    return f"{TEAM_PREFIX}{readable}-{digest}"
