"""Finding 5 of issue #10, as the attack: team groups collide.

Unix group names were the team id cut at 32 characters, so two teams whose ids share the first 25
characters got one group: a member of one team could write the other's folder. Now each team's
group carries a hash of the whole id, and a group of that name that datalit did not make for that
team is refused, never reused. Real unix users and groups (as root), removed afterwards.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from labkit import LAB, lab_env, write_roster

pytestmark = pytest.mark.grading
TEAM_A = "seoul-bike-analysis-team-alpha-1"  # 32 characters; the first 31 are the same
TEAM_B = "seoul-bike-analysis-team-alpha-2"
USERS = ("dltg-amy", "dltg-ben")


def _as(user: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/usr/sbin/runuser", "-u", user, "--", *cmd], capture_output=True, text=True, cwd="/")


def _groupdel(name: str) -> None:
    try:
        gid = grp.getgrnam(name).gr_gid
    except KeyError:
        return
    assert gid >= 1000, f"refusing to delete system group {name} ({gid})"
    subprocess.run(["groupdel", name], check=False, capture_output=True)


@pytest.fixture
def team_course(tmp_path, monkeypatch):
    """A course whose teams dir is world-traversable, a private group registry, two fresh users."""
    from datalit.labs.course import open_course
    from datalit.labs.teams import group_name

    if os.geteuid() != 0:
        pytest.fail("the team-group tests need root (CI runs as root)")
    base = Path(tempfile.mkdtemp(prefix="datalit-teams-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    for key, value in lab_env(base).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("DATALIT_LAB_COURSE_ID", "datalit-teams")
    monkeypatch.setenv("DATALIT_LAB_TEAM_GROUPS_FILE", str(tmp_path / "team-groups.json"))
    groups = [group_name(t) for t in (TEAM_A, TEAM_B, "intruders")]
    for name in groups:
        _groupdel(name)
    for user in USERS:
        subprocess.run(["userdel", "-r", user], check=False, capture_output=True)
        subprocess.run(["useradd", "-m", "-s", "/bin/bash", user], check=True, capture_output=True)
        assert pwd.getpwnam(user).pw_uid >= 1000
    yield open_course(tmp_path / "course")
    for user in USERS:
        if pwd.getpwnam(user).pw_uid >= 1000:
            subprocess.run(["userdel", "-r", user], check=False, capture_output=True)
    for name in groups:
        _groupdel(name)
    shutil.rmtree(base, ignore_errors=True)


def test_two_long_team_names_get_their_own_groups(team_course, tmp_path):
    from datalit.labs import roster, teams

    course = team_course
    amy, ben = USERS
    assert ("dlteam-" + TEAM_A)[:32] == ("dlteam-" + TEAM_B)[:32]  # the old names collided
    r = roster.import_csv(course, write_roster(tmp_path / "r.csv", {TEAM_A: [amy], TEAM_B: [ben]}),
                          known_users=None, known_labs=[LAB])
    teams.ensure_folders(course, r)

    ga, gb = teams.group_name(TEAM_A), teams.group_name(TEAM_B)
    assert ga != gb and len(ga) <= 32 and len(gb) <= 32
    assert ga.startswith("dlteam-seoul-bike") and teams.group_name(TEAM_A) == ga  # readable, deterministic
    assert grp.getgrnam(ga).gr_mem == [amy] and grp.getgrnam(gb).gr_mem == [ben]
    folder_a, folder_b = teams.team_folder(course, TEAM_A), teams.team_folder(course, TEAM_B)
    assert folder_a.stat().st_gid == grp.getgrnam(ga).gr_gid and folder_b.stat().st_gid == grp.getgrnam(gb).gr_gid

    # each keeps access to their own folder ...
    assert _as(amy, "touch", str(folder_a / "amy.txt")).returncode == 0
    assert _as(ben, "touch", str(folder_b / "ben.txt")).returncode == 0
    # ... and cannot write (or read) the other team's
    assert _as(amy, "touch", str(folder_b / "from-amy.txt")).returncode != 0
    assert _as(ben, "touch", str(folder_a / "from-ben.txt")).returncode != 0
    assert _as(amy, "ls", str(folder_b)).returncode != 0
    assert not (folder_b / "from-amy.txt").exists() and not (folder_a / "from-ben.txt").exists()

    # running it again reuses our own groups (recorded with their gid), changes nothing
    before = (grp.getgrnam(ga).gr_gid, grp.getgrnam(gb).gr_gid)
    teams.ensure_folders(course, r)
    assert (grp.getgrnam(ga).gr_gid, grp.getgrnam(gb).gr_gid) == before
    assert oct(Path(os.environ["DATALIT_LAB_TEAM_GROUPS_FILE"]).stat().st_mode & 0o777) == "0o600"


def test_a_group_that_is_not_ours_is_refused_not_reused(team_course, tmp_path):
    from datalit.labs import roster, teams
    from datalit.labs.course import LabError

    course = team_course
    amy, ben = USERS
    planted = teams.group_name("intruders")
    subprocess.run(["groupadd", planted], check=True, capture_output=True)  # someone else's group, same name
    subprocess.run(["gpasswd", "-a", ben, planted], check=True, capture_output=True)
    r = roster.import_csv(course, write_roster(tmp_path / "r.csv", {"intruders": [amy], TEAM_A: [ben]}),
                          known_users=None, known_labs=[LAB])
    with pytest.raises(LabError, match="refusing to reuse"):
        teams.ensure_folders(course, r)
    # checked before anything changed: no folder, no group for the other team, nobody added
    assert not teams.team_folder(course, "intruders").exists() and not teams.team_folder(course, TEAM_A).exists()
    with pytest.raises(KeyError):
        grp.getgrnam(teams.group_name(TEAM_A))
    assert grp.getgrnam(planted).gr_mem == [ben]
