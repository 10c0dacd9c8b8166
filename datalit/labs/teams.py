"""Team folders: one shared folder per team, visible from every member's server and writable only
by its members (a unix group per team, folder mode 2770, a link in each member's home).
Needs root (the hub's root mode); without root it only reports what it would do.

Group names: ``dlteam-<readable part>-<hash>``, at most 32 characters (the unix limit). The readable
part is the start of the team id (lower case); the hash is 8 hex digits of SHA-256 of the whole team
id, so two teams that share a long prefix (or differ only in case) get different groups. The groups
datalit created are recorded (team and gid) in ``lab.team_groups_file`` (root-only, default in the hub's state directory;
the groups themselves are machine-wide): an existing group of that name not recorded as this team's is refused, never reused.
"""
from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import re
import subprocess
from pathlib import Path

from datalit import atomic
from datalit.hub.disk import apply_team_limit
from datalit.labs.course import Course, LabError

GROUP_PREFIX = "dlteam-"


def group_name(team: str) -> str:
    readable = re.sub(r"[^a-z0-9_-]", "", team.lower())[:16].rstrip("-_") or "team"
    digest = hashlib.sha256(team.encode("utf-8")).hexdigest()[:8]
    return f"{GROUP_PREFIX}{readable}-{digest}"


def team_folder(course: Course, team: str) -> Path:
    return Path(course.cfg["teams_dir"]) / team


def _registry_path() -> Path:
    """``lab.team_groups_file``, else ``<hub state dir>/team-groups.json`` (beside the exchange's store)."""
    from datalit.config import default_state_dir, load_config

    cfg = load_config()
    if cfg["lab"]["team_groups_file"]:
        return Path(cfg["lab"]["team_groups_file"])
    return Path(cfg["hub"]["state_dir"] or default_state_dir()).resolve() / "team-groups.json"


def _registry() -> dict:
    p = _registry_path()
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def _save_registry(data: dict) -> None:
    """Written whole (mode 0600), by the holder of the registry's lock (:func:`ensure_folders`)."""
    p = _registry_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_json(p, data, mode=0o600, ensure_ascii=False, indent=1, sort_keys=True)


def _foreign_group(registry: dict, team: str) -> str | None:
    """Why the group named for TEAM cannot be used (None: ours, or not there yet)."""
    name = group_name(team)
    entry = registry.get(name)
    try:
        gid = grp.getgrnam(name).gr_gid
    except KeyError:
        if entry and entry["team"] != team:
            return f"group {name} is recorded for team '{entry['team']}'"
        return None
    if entry and entry["team"] == team and entry["gid"] == gid:
        return None
    owner = f"recorded for team '{entry['team']}' (gid {entry['gid']})" if entry else "not created by datalit"
    return (f"unix group {name} (gid {gid}) already exists and is {owner}; refusing to reuse it for team "
            f"'{team}' (remove or rename that group if it is stale)")


def _ensure_group(registry: dict, team: str) -> int:
    name = group_name(team)
    problem = _foreign_group(registry, team)
    if problem:
        raise LabError(problem)
    if name in registry:
        return registry[name]["gid"]
    subprocess.run(["groupadd", name], check=True, capture_output=True)
    gid = grp.getgrnam(name).gr_gid
    registry[name] = {"team": team, "gid": gid}
    _save_registry(registry)
    return gid


def _make_team_folder(base: Path, team: str, gid: int) -> None:
    """``base/<team>``, root:team 2770, set through its descriptor (a link there is refused, not followed)."""
    from datalit import nofollow

    try:
        with nofollow.folder(base, [team], create_mode=0o700) as fd:
            nofollow.set_owner(fd, 0, gid, 0o2770)
    except nofollow.UnsafePath as exc:
        raise LabError(f"team folder of {team}: {exc}") from None


def _link_in_home(pw: pwd.struct_passwd, team: str, folder: Path) -> None:
    """``~/팀폴더-<team>`` -> the team folder, made *by the member* (``ln`` as their uid): the home is theirs,
    so root writes nothing there (a name they swapped meanwhile could be a hard link to someone's file)."""
    link = Path(pw.pw_dir) / f"팀폴더-{team}"
    if not Path(pw.pw_dir).is_dir() or os.path.lexists(link):
        return
    subprocess.run(["ln", "-sT", "--", str(folder), str(link)], user=pw.pw_uid, group=pw.pw_gid,
                   extra_groups=[], capture_output=True, cwd="/", env={"PATH": "/usr/bin:/bin"})


def ensure_folders(course: Course, roster: dict) -> list[str]:
    """Create/refresh every team's group and folder; returns a log of what was done."""
    done = []
    if os.geteuid() != 0:
        return ["not root: team folders and groups were not created"]
    base = Path(course.cfg["teams_dir"])
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o711)  # members reach their own folder, nobody lists the others
    members: dict[str, set[str]] = {}
    for teams in roster.values():
        for team, ms in teams.items():
            members.setdefault(team, set()).update(ms)
    # one team import at a time: the registry is read, groups made, and written back by one process
    registry_path = _registry_path()
    registry_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.locked(registry_path):
        registry = _registry()
        problems = [p for p in (_foreign_group(registry, t) for t in sorted(members)) if p]
        if problems:  # checked for every team before anything changes
            raise LabError("team groups: " + "; ".join(problems))
        for team, ms in sorted(members.items()):
            gname = group_name(team)
            gid = _ensure_group(registry, team)
            folder = base / team
            _make_team_folder(base, team, gid)
            done += apply_team_limit(folder, gid)  # its own image, lab.team_disk_limit (datalit/hub/disk.py)
            current = set(grp.getgrnam(gname).gr_mem)
            for m in sorted(ms - current):
                try:
                    pwd.getpwnam(m)
                except KeyError:
                    done.append(f"{team}: no account '{m}' yet (not added to {gname})")
                    continue
                subprocess.run(["gpasswd", "-a", m, gname], check=True, capture_output=True)
            for m in sorted(current - ms):
                subprocess.run(["gpasswd", "-d", m, gname], check=False, capture_output=True)
            for m in sorted(ms):
                try:
                    pw = pwd.getpwnam(m)
                except KeyError:
                    continue
                _link_in_home(pw, team, folder)
            done.append(f"{team}: {folder} (group {gname}: {', '.join(sorted(ms))})")
    return done
