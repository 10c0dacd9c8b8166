"""``datalit team form``: teams from a cohort list, at random (seeded) or balanced, as a roster that
``datalit team import`` reads. The cohorts here are made-up user lists (code fixtures, not data)."""
from __future__ import annotations

import csv
import itertools
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from labkit import LAB

pytestmark = pytest.mark.grading

REPO = Path(__file__).resolve().parents[2]
TIERS = ("입문", "중급", "고급")
DEPTS = ("교통정책과", "환경정책과", "복지정책과", "데이터전략과")


def write_cohort(path: Path, n: int, encoding: str = "utf-8-sig", tiers=TIERS, depts=DEPTS) -> Path:
    rows = [("아이디", "이름", "소속", "과정")]
    rows += [(f"user{i:02d}", f"사람{i}", depts[i % len(depts)], tiers[(i * 7) % len(tiers)]) for i in range(n)]
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def teams_of(result) -> list[list[str]]:
    return [[p.user for p in team] for team in result["teams"]]


def test_random_forming_is_reproducible_by_seed(tmp_path):
    from datalit.labs.forming import form_file

    cohort = write_cohort(tmp_path / "cohort.csv", 20)
    a = form_file(cohort, 3, [LAB], seed=7)
    b = form_file(cohort, 3, [LAB], seed=7)
    others = [teams_of(form_file(cohort, 3, [LAB], seed=s)) for s in range(8, 13)]
    assert teams_of(a) == teams_of(b)
    assert any(o != teams_of(a) for o in others)  # another seed, other teams
    assert "seed 7" in a["lines"][0]


@pytest.mark.parametrize("n,size", [(n, s) for n in range(2, 26) for s in (2, 3, 4, 5)])
def test_everyone_in_exactly_one_team_of_even_size(tmp_path, n, size):
    from datalit.labs.forming import form, read_cohort

    cohort = read_cohort(write_cohort(tmp_path / "c.csv", n))
    teams = [[p.user for p in t] for t in form(cohort, size, seed=n * 31 + size)]
    members = [m for t in teams for m in t]
    assert sorted(members) == sorted(p.user for p in cohort.people)
    sizes = [len(t) for t in teams]
    assert max(sizes) - min(sizes) <= 1, sizes
    assert min(sizes) >= 2, sizes  # nobody alone
    if n >= size:  # as close to SIZE as the count allows
        assert max(abs(s - size) for s in sizes) <= max(1, size // 2), (sizes, size)
    else:
        assert sizes == [n]


@pytest.mark.parametrize("seed", range(5))
def test_balanced_forming_spreads_every_tier_and_keeps_departments_apart(tmp_path, seed):
    from datalit.labs.forming import form, read_cohort, same_pairs

    cohort = read_cohort(write_cohort(tmp_path / "c.csv", 24))
    teams = form(cohort, 4, seed, balanced_by="과정", separate_by="소속")
    for tier in TIERS:
        per_team = [sum(1 for p in t if p.get("과정") == tier) for t in teams]
        assert max(per_team) - min(per_team) <= 1, (tier, per_team)
    # 24 people, 4 departments of 6, 6 teams of 4: one of each department per team is possible
    assert same_pairs(teams, "소속") == 0, [[p.get("소속") for p in t] for t in teams]
    # the control: random dealing without separation does put colleagues together
    assert any(same_pairs(form(cohort, 4, s), "소속") > 0 for s in range(5))


def test_roster_chains_into_the_real_import(tmp_path, monkeypatch):
    from datalit.labs.course import open_course
    from datalit.labs.forming import form_file
    from datalit.labs.roster import import_csv, load

    monkeypatch.setenv("DATALIT_LAB_EXCHANGE_DIR", str(tmp_path / "ex"))
    course = open_course(tmp_path / "course")
    cohort = write_cohort(tmp_path / "cohort.csv", 11, encoding="cp949")  # Excel's Korean default
    result = form_file(cohort, 3, [LAB], known_labs=[LAB], seed=3, balanced_by="tier", out=tmp_path / "roster.csv")
    imported = import_csv(course, result["roster"], known_users={f"user{i:02d}" for i in range(11)}, known_labs=[LAB])
    stored = load(course)[LAB]
    assert imported[LAB] == stored
    assert sorted(sorted(m) for m in stored.values()) == sorted(sorted(t) for t in teams_of(result))
    assert Path(str(result["roster"]).replace(".csv", ".forming.json")).is_file()


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datalit", "team", "form", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_cli_forms_teams_and_refuses_bad_input_in_korean(tmp_path):
    good = write_cohort(tmp_path / "cohort.csv", 7)
    ok = _cli(str(good), "--lab", LAB, "--size", "3", "--seed", "5", "--out", str(tmp_path / "r.csv"), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "팀 구성: 무작위, seed 5 — 7명, 2팀 (4·3명)" in ok.stdout or "팀 구성: 무작위, seed 5 — 7명, 2팀 (3·4명)" in ok.stdout
    rows = list(csv.DictReader(open(tmp_path / "r.csv", encoding="utf-8")))
    assert Counter(r["lab"] for r in rows) == {LAB: 7}

    dup = tmp_path / "dup.csv"
    dup.write_text("아이디\nuser01\nuser02\nuser01\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    cases = {
        "두 번 있습니다": [str(dup), "--lab", LAB, "--out", str(tmp_path / "x1.csv")],
        "비어 있습니다": [str(empty), "--lab", LAB, "--out", str(tmp_path / "x2.csv")],
        "팀 크기는 2 이상": [str(good), "--lab", LAB, "--size", "1", "--out", str(tmp_path / "x3.csv")],
        "'직위' 열이 명단에 없습니다": [str(good), "--lab", LAB, "--balanced-by", "직위", "--out", str(tmp_path / "x4.csv")],
        "이미 있습니다": [str(good), "--lab", LAB, "--out", str(tmp_path / "r.csv")],
        "알 수 없는 실습": [str(good), "--lab", "lab9_nothing", "--out", str(tmp_path / "x5.csv")],
    }
    for message, args in cases.items():
        bad = _cli(*args, cwd=tmp_path)
        assert bad.returncode != 0 and message in bad.stderr, (message, bad.stdout, bad.stderr)
        assert "Traceback" not in bad.stderr
    assert not any((tmp_path / f"x{i}.csv").exists() for i in range(1, 6))
    assert len(list(itertools.chain(csv.reader(open(tmp_path / "r.csv", encoding="utf-8"))))) == 8  # not overwritten


def test_row_order_does_not_change_the_teams(tmp_path):
    from datalit.labs.forming import form, read_cohort

    path = write_cohort(tmp_path / "a.csv", 13)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    reversed_path = tmp_path / "b.csv"
    reversed_path.write_text("\n".join([lines[0]] + lines[:0:-1]) + "\n", encoding="utf-8")
    a, b = read_cohort(path), read_cohort(reversed_path)
    assert [p.user for p in b.people] != [p.user for p in a.people]
    assert [[p.user for p in t] for t in form(a, 4, seed=5)] == [[p.user for p in t] for t in form(b, 4, seed=5)]


def test_team_counts_follow_the_requested_size():
    from datalit.labs.forming import team_count, team_sizes

    assert team_sizes(10, team_count(10, 3)) == [4, 3, 3]      # one left over joins a team
    assert team_sizes(11, team_count(11, 3)) == [3, 3, 3, 2]   # two left over make a team of two
    assert team_sizes(5, team_count(5, 2)) == [3, 2]           # never a team of one
    assert team_sizes(7, team_count(7, 4)) == [4, 3]
    assert team_sizes(1, team_count(1, 3)) == [1]


def test_balance_comes_from_balancing(tmp_path):
    """Plain random forming leaves some tier unevenly spread for some seed; balanced forming never does."""
    from datalit.labs.forming import form, read_cohort

    cohort = read_cohort(write_cohort(tmp_path / "c.csv", 17, tiers=("입문",) * 3 + ("중급", "고급")))

    def worst(teams):
        return max(max(c) - min(c) for tier in TIERS
                   for c in [[sum(1 for p in t if p.get("과정") == tier) for t in teams]])

    assert max(worst(form(cohort, 4, s)) for s in range(15)) >= 2
    assert max(worst(form(cohort, 4, s, balanced_by="과정")) for s in range(15)) <= 1


def test_separation_does_its_best_when_it_cannot_be_perfect(tmp_path):
    from datalit.labs.forming import form, read_cohort, same_pairs

    path = tmp_path / "c.csv"
    path.write_text("user,부서\n" + "".join(f"a{i},{'교통과' if i < 4 else f'기타{i}'}\n" for i in range(6)),
                    encoding="utf-8")
    cohort = read_cohort(path)
    for seed in range(5):
        teams = form(cohort, 3, seed, separate_by="department")
        assert sorted(sum(1 for p in t if p.get("부서") == "교통과") for t in teams) == [2, 2]
        assert same_pairs(teams, "부서") == 2  # four colleagues in two teams: two pairs at least
