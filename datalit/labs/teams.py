"""Team folders: one shared folder per team, visible from every member's server and writable only
by its members (a unix group ``<prefix><team>``, folder mode 2770, a link in each member's home).
Needs root (the hub's root mode); without root it only reports what it would do."""
from __future__ import annotations

import grp
import os
import pwd
import subprocess
from pathlib import Path

from datalit.labs.course import Course

GROUP_PREFIX = "dlteam-"


def group_name(team: str) -> str:
    return (GROUP_PREFIX + team)[:32]


def team_folder(course: Course, team: str) -> Path:
    return Path(course.cfg["teams_dir"]) / team


def _ensure_group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        subprocess.run(["groupadd", name], check=True, capture_output=True)
        return grp.getgrnam(name).gr_gid


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
    for team, ms in sorted(members.items()):
        gname = group_name(team)
        gid = _ensure_group(gname)
        folder = base / team
        folder.mkdir(exist_ok=True)
        os.chown(folder, 0, gid)
        os.chmod(folder, 0o2770)
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
            link = Path(pw.pw_dir) / f"팀폴더-{team}"
            if Path(pw.pw_dir).is_dir() and not link.exists() and not link.is_symlink():
                link.symlink_to(folder)
                os.lchown(link, pw.pw_uid, pw.pw_gid)
        done.append(f"{team}: {folder} (group {gname}: {', '.join(sorted(ms))})")
    return done
