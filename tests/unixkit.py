"""Real unix accounts and groups for the root-side attack tests (team folders, feedback, groups): made fresh,
never below uid/gid 1000, removed afterwards; and a course environment under a world-traversable /var/tmp
folder (team folders must be reachable by the members' own uids, which tmp_path is not)."""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from labkit import lab_env


def run_as(user: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/usr/sbin/runuser", "-u", user, "--", *cmd], capture_output=True, text=True, cwd="/")


def groupdel(name: str) -> None:
    try:
        gid = grp.getgrnam(name).gr_gid
    except KeyError:
        return
    assert gid >= 1000, f"refusing to delete system group {name} ({gid})"
    subprocess.run(["groupdel", name], check=False, capture_output=True)


def userdel(name: str) -> None:
    try:
        if pwd.getpwnam(name).pw_uid < 1000:
            return
    except KeyError:
        return
    subprocess.run(["userdel", "-r", name], check=False, capture_output=True)


@contextmanager
def team_accounts(tmp_path: Path, monkeypatch, slug: str, users, groups):
    """Fresh USERS, no leftover GROUPS, and the lab settings of a course at tmp_path/course (id datalit-SLUG)
    with a private team-group registry; everything removed afterwards. Yields the /var/tmp base folder."""
    if os.geteuid() != 0:
        pytest.fail("the root-side team tests need root (CI runs as root)")
    base = Path(tempfile.mkdtemp(prefix=f"datalit-{slug}-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    for key, value in lab_env(base).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("DATALIT_LAB_COURSE_ID", f"datalit-{slug}")
    monkeypatch.setenv("DATALIT_LAB_TEAM_GROUPS_FILE", str(tmp_path / "team-groups.json"))
    for name in groups:
        groupdel(name)
    for user in users:
        userdel(user)
        subprocess.run(["useradd", "-m", "-s", "/bin/bash", user], check=True, capture_output=True)
        assert pwd.getpwnam(user).pw_uid >= 1000
    try:
        yield base
    finally:
        for user in users:
            userdel(user)
        for name in groups:
            groupdel(name)
        shutil.rmtree(base, ignore_errors=True)
