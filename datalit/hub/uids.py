"""Which unix accounts are people's: the one rule the spawner, sign-up, workshop purge and rosters share.

Debian gives people uids 1000-59999; below are root and daemons, above are nobody (65534) and other
system ranges. A learner's server never runs as a system account, and nothing ever deletes one.
"""
from __future__ import annotations

import pwd

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
