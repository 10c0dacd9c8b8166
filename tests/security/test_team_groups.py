"""Finding 5 of issue #10, as the attack: team groups collide.

Unix group names were the team id cut at 32 characters, so two teams whose ids share the first 25
characters got one group: a member of one team could write the other's folder. Now each team's
group carries a hash of the whole id, and a group of that name that datalit did not make for that
team is refused, never reused. Real unix users and groups (as root), removed afterwards.
"""
from __future__ import annotations

import grp
import os
import subprocess
from pathlib import Path

import pytest

from labkit import LAB, write_roster
from unixkit import run_as, team_accounts

pytestmark = pytest.mark.grading
TEAM_A = "seoul-bike-analysis-team-alpha-1"  # 32 characters; the first 31 are the same
TEAM_B = "seoul-bike-analysis-team-alpha-2"
USERS = ("dltg-amy", "dltg-ben")


@pytest.fixture
def team_course(tmp_path, monkeypatch):
    """A course whose teams dir is world-traversable, a private group registry, two fresh users."""
    from datalit.labs.course import open_course
    from datalit.labs.teams import group_name

    groups = [group_name(t) for t in (TEAM_A, TEAM_B, "intruders")]
    with team_accounts(tmp_path, monkeypatch, "teams", USERS, groups):
        yield open_course(tmp_path / "course")


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
    assert run_as(amy, "touch", str(folder_a / "amy.txt")).returncode == 0
    assert run_as(ben, "touch", str(folder_b / "ben.txt")).returncode == 0
    # ... and cannot write (or read) the other team's
    assert run_as(amy, "touch", str(folder_b / "from-amy.txt")).returncode != 0
    assert run_as(ben, "touch", str(folder_a / "from-ben.txt")).returncode != 0
    assert run_as(amy, "ls", str(folder_b)).returncode != 0
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
