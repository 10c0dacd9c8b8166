"""Roster validation: every problem is reported at once, in Korean, and nothing is stored."""
from __future__ import annotations

import pytest

from labkit import LAB, write_roster

pytestmark = pytest.mark.grading


@pytest.fixture
def bare_course(tmp_path, monkeypatch):
    from datalit.labs.course import open_course
    monkeypatch.setenv("DATALIT_LAB_EXCHANGE_DIR", str(tmp_path / "ex"))
    return open_course(tmp_path / "course")


def _import(course, path, known=None):
    from datalit.labs.roster import import_csv
    return import_csv(course, path, known_users=known, known_labs=[LAB])


def test_member_in_two_teams_is_rejected(bare_course, tmp_path):
    from datalit.labs.roster import RosterError, load
    p = write_roster(tmp_path / "r.csv", {"t1": ["alice", "bob"], "t2": ["bob", "carol"]})
    with pytest.raises(RosterError) as err:
        _import(bare_course, p)
    assert "'bob'이(가) 두 팀에 있습니다: 't1', 't2'" in str(err.value)
    assert load(bare_course) == {}


def test_unknown_user_is_rejected(bare_course, tmp_path):
    from datalit.labs.roster import RosterError
    p = write_roster(tmp_path / "r.csv", {"t1": ["alice", "mallory"]})
    with pytest.raises(RosterError) as err:
        _import(bare_course, p, known={"alice", "bob"})
    assert "알 수 없는 사용자 'mallory'" in str(err.value)
    assert "alice" not in str(err.value).split("mallory")[0].split("\n")[-1]


def test_empty_team_is_rejected(bare_course, tmp_path):
    from datalit.labs.roster import RosterError
    p = tmp_path / "r.csv"
    p.write_text(f"lab,team,members\n{LAB},t1,alice;bob\n{LAB},t2,\n", encoding="utf-8")
    with pytest.raises(RosterError) as err:
        _import(bare_course, p)
    assert "팀 't2'에 팀원이 없습니다" in str(err.value)


def test_all_problems_reported_together(bare_course, tmp_path):
    from datalit.labs.roster import RosterError
    p = tmp_path / "r.csv"
    p.write_text("lab,team,member\nnolab,t1,alice\n" + f"{LAB},bad+id,bob\n{LAB},t2,eve\n{LAB},t3,eve\n",
                 encoding="utf-8")
    with pytest.raises(RosterError) as err:
        _import(bare_course, p, known={"alice", "bob", "eve"})
    text = str(err.value)
    assert "알 수 없는 실습 'nolab'" in text and "bad+id" in text and "'eve'이(가) 두 팀에" in text
    assert len(err.value.problems) == 3


def test_bad_header_and_encoding(bare_course, tmp_path):
    from datalit.labs.roster import RosterError
    p = tmp_path / "r.csv"
    p.write_text("팀,이름\nA,alice\n", encoding="utf-8")
    with pytest.raises(RosterError, match="머리줄"):
        _import(bare_course, p)
    p.write_bytes("lab,team,member\nlab1,팀,홍길동\n".encode("cp949"))
    with pytest.raises(RosterError, match="UTF-8"):
        _import(bare_course, p)


def test_cli_reports_roster_errors_in_korean(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    p = write_roster(tmp_path / "r.csv", {"t1": ["alice"], "t2": ["alice"]})
    exe = Path(sys.executable).parent / "datalit"
    proc = subprocess.run([str(exe), "team", "import", str(p), "--course-dir", str(tmp_path / "c"), "--any-user"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "두 팀에 있습니다" in proc.stderr and "Traceback" not in proc.stderr
