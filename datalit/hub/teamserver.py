"""Team servers: one JupyterLab per team, running as the team, shared with exactly its members.

Who is in which team is the roster the instructor imported (``datalit team import``), as the exchange
keeps it (root-only, ``<exchange>/<course>/roster.json``); a team is the same across labs (members are the
union). For each team:

* a **hub user** named :func:`account_name` (``dlteam-<readable>-<hash>``, a reserved prefix: no sign-up,
  no workshop account, no roster member can take it) whose default server is the team server;
* a **unix account** of the same name (root mode): uid in ``uids.FIRST_TEAM_UID..LAST_TEAM_UID`` (never
  a person's or a system uid), primary group the team's group (``datalit.labs.teams.group_name``), home
  the team folder ``lab.teams_dir/<team>`` (root:team 2770, made by ``datalit team import``). Its files
  are the team's; members' personal servers reach the same folder through the group;
* access through JupyterHub 5 **sharing**: a share of the team server (``access:servers!server=<account>/``)
  with each member, and with the hub group ``instructors-<tier>`` of each lab tier the team is in
  (datalit/hub/teamhub.py keeps the shares equal to the roster). Starting it goes through the hub's
  ``/hub/teams/<team>`` page, which checks the same roster; nobody gets the ``servers`` scope on it.

This module has no JupyterHub imports: the spawner, the exchange and the tests use it.
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from datalit.exchange.store import roster_file  # noqa: F401 - re-exported: tests read it here
from datalit.hub import uids
from datalit.hub.uids import READABLE_MAX, account_name  # noqa: F401 - re-exported: the spawner and tests use it here


@dataclass
class Team:
    id: str
    account: str
    members: set[str] = field(default_factory=set)
    labs: set[str] = field(default_factory=set)
    tiers: set[str] = field(default_factory=set)


def lab_config(state_dir: str | Path | None = None) -> dict:
    from datalit.config import load_config

    return load_config(state_dir=state_dir)["lab"] if state_dir else load_config()["lab"]


def _lab_tier(lab: str) -> str | None:
    try:
        from datalit.labs.course import lab_info

        return lab_info(lab).get("tier")
    except Exception:  # noqa: BLE001 - a lab of another checkout: no tier, instructors see it through admins
        return None


class Directory:
    """The teams of the roster, re-read when the roster file changes."""

    def __init__(self, state_dir: str | Path | None = None, cfg: dict | None = None):
        self.state_dir = state_dir
        self.cfg = cfg or lab_config(state_dir)
        self.path = roster_file(self.cfg, state_dir)
        self._cache: tuple[float, dict[str, Team]] = (-1.0, {})

    @property
    def teams_dir(self) -> Path:
        return Path(self.cfg["teams_dir"])

    def teams(self) -> dict[str, Team]:
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            return {}
        if mtime != self._cache[0]:
            try:
                roster = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return self._cache[1]
            teams: dict[str, Team] = {}
            for lab, lab_teams in roster.items():
                tier = _lab_tier(lab)
                for tid, members in lab_teams.items():
                    t = teams.setdefault(tid, Team(tid, account_name(tid)))
                    t.members.update(members)
                    t.labs.add(lab)
                    if tier:
                        t.tiers.add(tier)
            self._cache = (mtime, teams)
        return self._cache[1]

    def team(self, team_id: str) -> Team | None:
        return self.teams().get(team_id)

    def by_account(self, account: str) -> Team | None:
        return next((t for t in self.teams().values() if t.account == account), None)

    def of_member(self, name: str) -> list[Team]:
        return sorted((t for t in self.teams().values() if name in t.members), key=lambda t: t.id)

    def for_instructor(self, groups: set[str], admin: bool) -> list[Team]:
        """Teams an instructor sees: every team for admins, else those of the tiers they teach."""
        taught = {g.removeprefix("instructors-") for g in groups if g.startswith("instructors-")}
        return sorted((t for t in self.teams().values() if admin or t.tiers & taught), key=lambda t: t.id)

    def folder(self, team: Team) -> Path:
        return self.teams_dir / team.id


class TeamAccountError(RuntimeError):
    pass


def ensure_account(team: Team, folder: Path) -> pwd.struct_passwd:
    """The team's unix account (root only): created once, checked every time.

    Refused when the team folder or group is missing (``datalit team import`` makes them), when the folder
    is not a real directory of the team's group, or when an account of that name exists that is not this
    team's (wrong uid range, group or home)."""
    from datalit.labs.teams import group_name

    gname = group_name(team.id)
    try:
        gid = grp.getgrnam(gname).gr_gid
    except KeyError:
        raise TeamAccountError(f"팀 '{team.id}'의 unix 그룹 {gname}이(가) 없습니다: 강사가 'datalit team import'로 "
                               "팀 폴더를 먼저 만들어야 합니다.") from None
    st = os.lstat(folder) if os.path.lexists(folder) else None
    if st is None or not os.path.isdir(folder) or os.path.islink(folder) or st.st_uid != 0 or st.st_gid != gid:
        raise TeamAccountError(f"팀 폴더 {folder}이(가) 없거나 팀 그룹 {gname}의 폴더가 아닙니다 "
                               "('datalit team import'로 다시 만드세요).")
    try:
        entry = pwd.getpwnam(team.account)
    except KeyError:
        entry = None
    if entry is not None:
        if not uids.is_team_uid(entry.pw_uid) or entry.pw_gid != gid or Path(entry.pw_dir) != folder:
            raise TeamAccountError(f"unix account {team.account} exists but is not team {team.id}'s "
                                   f"(uid {entry.pw_uid}, gid {entry.pw_gid}, home {entry.pw_dir})")
        return entry
    used = {p.pw_uid for p in pwd.getpwall()}
    uid = next((u for u in range(uids.FIRST_TEAM_UID, uids.LAST_TEAM_UID + 1) if u not in used), None)
    if uid is None:
        raise TeamAccountError("no free uid left in the team-server range")
    proc = subprocess.run(["useradd", "-u", str(uid), "-g", gname, "-N", "-M", "-d", str(folder), "-s", "/bin/bash",
                           "-c", uids.TEAM_GECOS, team.account], capture_output=True, text=True)
    if proc.returncode != 0:
        raise TeamAccountError(f"useradd {team.account} failed: {proc.stderr.strip()}")
    return pwd.getpwnam(team.account)


def remove_account(account: str) -> None:
    """Delete a team-server unix account (never anything outside the team uid range; the folder stays)."""
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        return
    if uids.is_team_uid(entry.pw_uid) and uids.is_team_name(account):
        subprocess.run(["userdel", account], capture_output=True)
