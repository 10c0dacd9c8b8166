"""Feedback measured by mutants (issue #23): the AST mutants of a solution, the wrong reading a learner's answer
is named by, and the CI floor: over every tier, at least 90 % of the counted mutants of every exercise's own
solution get feedback that names the mistake. The measurement runs every lesson on disk, so exercise modules
added later are covered without touching this file.

The small tables here are synthetic fixtures of the code under test; the lesson runs use the real data.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from datalit.lessons import Question, checkers as ck
from datalit.lessons.checkers import Generic
from datalit.lessons.mutants import OPERATORS, conditions, mutants

MINIMUM = 90.0


def _table():
    rows = []
    for gu, base in (("마포구", 10), ("강남구", 30)):
        for year in (2021, 2022, 2023):
            for day in range(10):  # 마포구 2022: 60, 70, ... 150 (7 days > 80, 8 days >= 80); 2021: 5 days > 80
                rows.append({"gu": gu, "year": year, "pm10": base + (year - 2020) * 25 + day * 10})
    return pd.DataFrame(rows)


def _question(solution: str, variable: str, reference, checker=None):
    return Question("q1", variable=variable, prompt="fixture", reference=reference,
                    checker=checker or ck.number(), hints=["h"], solution=solution)


def test_each_operator_rewrites_the_solution():
    ns = {"air": _table(), "gu": "마포구", "year": 2022, "train": _table(), "test": _table(),
          "pop": {"마포구": 10, "강남구": 20}}
    code = ('mine = air[(air["gu"] == gu) & (air["year"] == year)]\n'
            'bad = (mine["pm10"] > 80).sum() / pop[gu]\n'
            'top = mine.sort_values("pm10").head(3)\n'
            'base = train.groupby("gu")["pm10"].mean()\n'
            'rank = int(mine.index[0]) + 1\n'
            'share = mine["pm10"].sum() / mine["year"].sum()\n'
            'months = [3, 4, 5]\n')
    found = mutants(code, ns, {"gu": "마포구", "year": 2022})
    ops = {m.operator for m in found}
    assert ops == set(OPERATORS), set(OPERATORS) - ops
    texts = {m.code for m in found}
    assert any("air['year'] == year + -1" in t for t in texts)
    assert any("mine['pm10'] >= 80" in t for t in texts)
    assert any("test.groupby" in t for t in texts)
    assert any("sum(pop.values())" in t for t in texts)
    assert any(".head(3 + -1)" in t for t in texts)
    assert any("rank = int(mine.index[0])\n" in t + "\n" for t in texts)
    assert any("months = [3, 4]" in t for t in texts) and any("months = [3, 4, 5, 6]" in t for t in texts)
    assert any("share = mine['pm10'].sum() / mine['pm10'].sum()" in t or "/ mine['gu']" not in t for t in texts)


def _check(q, answer, ns):
    return q.feedback(answer, ns)


def test_a_hand_typed_wrong_answer_gets_the_wrong_reading_it_equals():
    air = _table()
    ns = {"air": air, "gu": "마포구", "year": 2022}

    def ref(gu="마포구", year=2022):
        return int(((air["gu"] == gu) & (air["year"] == year) & (air["pm10"] > 80)).sum())

    q = _question('bad = ((air["gu"] == gu) & (air["year"] == year) & (air["pm10"] > 80)).sum()', "bad", ref)
    assert _check(q, ref(), ns) is None
    # the learner's own code, not the mutant's: a query string for the previous year
    prev = len(air.query("gu == '마포구' and year == 2021 and pm10 > 80"))
    assert prev != ref()
    msg = _check(q, prev, ns)
    assert "2022년이 아니라 2021년 값이에요" in msg and not isinstance(msg, Generic)
    # the district filter forgotten
    everyone = int(((air["year"] == 2022) & (air["pm10"] > 80)).sum())
    assert "조건 하나가 빠졌어요" in _check(q, everyone, ns) and "gu='마포구'" in _check(q, everyone, ns)
    # >= instead of >
    at_least = int(((air["gu"] == "마포구") & (air["year"] == 2022) & (air["pm10"] >= 80)).sum())
    if at_least != ref():
        assert "'>' 대신 '>='를 써서" in _check(q, at_least, ns)
    # a number no reading gives: still generic, but it names this exercise's own conditions
    msg = _check(q, 999, ns)
    assert isinstance(msg, Generic) and "확인할 것: 조건" in msg and "gu='마포구'" in msg


def test_denominator_rank_and_leakage_readings_are_named():
    pop = {"마포구": 372745, "강남구": 539231}
    cctv = {"마포구": 1320, "강남구": 2780}
    ns = {"pop": pop, "cctv": cctv, "gu": "마포구"}
    q = _question("per_1000 = cctv[gu] / pop[gu] * 1000", "per_1000", lambda gu="마포구": cctv[gu] / pop[gu] * 1000,
                  ck.number(rel=1e-6))
    msg = _check(q, cctv["마포구"] / sum(pop.values()) * 1000, ns)
    assert msg.startswith("분모가 전체(서울 전체) 값이에요") and "마포구 하나의 값으로 나누세요" in msg

    table = pd.DataFrame({"gu": ["강남구", "종로구", "마포구"], "rate": [3.0, 2.0, 1.0]})
    ns = {"ordered": table, "gu": "마포구"}
    q = _question('rank = int(ordered.index[ordered["gu"] == gu][0]) + 1', "rank", lambda gu="마포구": 3,
                  ck.number(integer=True))
    assert _check(q, 2, ns).startswith("순위가 0부터 시작했어요")

    train = pd.DataFrame({"hour": [7, 8, 7, 8], "n": [10.0, 20.0, 14.0, 22.0]})
    test = pd.DataFrame({"hour": [7, 8], "n": [30.0, 50.0]})
    ns = {"train": train, "test": test}
    q = _question('base = test["hour"].map(train.groupby("hour")["n"].mean())\nerr = (test["n"] - base).abs().mean()',
                  "err", lambda: (test["n"] - test["hour"].map(train.groupby("hour")["n"].mean())).abs().mean())
    leaked = (test["n"] - test["hour"].map(test.groupby("hour")["n"].mean())).abs().mean()
    assert "시험 데이터(test)로 구했어요 (정보 누설)" in _check(q, leaked, ns)


def test_conditions_name_the_solution_own_filters_and_calculation():
    text = conditions('x = s[(s["station"] == station) & (s["year"] == 2022)]["n"].sum()', {"station": "강남"})
    assert "s['station'] == station (station='강남')" in text and "s['year'] == 2022" in text and "합계(sum)" in text


@pytest.mark.lessons
@pytest.mark.slow
def test_one_real_lesson_measured_in_its_own_process():
    from datalit.lessons.courses import courses_dir
    from datalit.lessons.mutant_stats import measure, report

    rows = measure([courses_dir() / "citizen" / "01-neighbourhood-air.ipynb"], workers=1, use_cache=False)
    text = report(rows)
    assert not [r for r in rows if r["status"] in ("lesson-fails", "solution-fails")], text
    counted = [r for r in rows if r["status"] == "counted"]
    assert len(counted) >= 4 and "aggregate" in {r["operator"] for r in counted}, text
    assert any(r["status"] == "equivalent" for r in rows), text  # '>= 80': no day of 2022 at exactly 80
    assert "per tier:" in text and "per operator:" in text


@pytest.mark.lessons
@pytest.mark.slow
def test_a_wrong_answer_typed_in_a_real_kernel_is_named(tmp_path):
    """The learner's path: the lesson runs in a real kernel, q1/q2 answers are typed wrong (in the learner's
    own code, not the mutants'), and the check cells print the wrong reading."""
    import nbformat

    from datalit.lessons.courses import courses_dir, read_notebook
    from datalit.lessons.run import cell_text, run_lesson

    nb = read_notebook(courses_dir() / "citizen" / "01-neighbourhood-air.ipynb")
    typed = {"avg_2022 =": 'avg_2022 = float(np.median(mine_2022["pm10"].dropna()))',
             "bad_2022 =": "bad_2022 = mine_2022.shape[0]"}  # every day counted: len() where sum() was meant
    for cell in nb.cells:
        for start, code in typed.items():
            if cell.cell_type == "code" and cell.source.startswith(start):
                cell.source = code
    path = tmp_path / "01-neighbourhood-air.ipynb"
    nbformat.write(nb, str(path))
    r = run_lesson(path, "solution", timeout=300)
    assert r.ok, r.error
    out = {c.source.strip(): cell_text(c) for c in r.nb.cells if c.cell_type == "code"}
    assert "평균(mean)을 구해야 하는데 중앙값(median)을 구했어요" in out["q1.check()"], out["q1.check()"]
    assert "합계(sum)를 구해야 하는데 행 수(len)를 구했어요" in out["q2.check()"], out["q2.check()"]


@pytest.mark.lessons
@pytest.mark.slow
def test_every_tier_names_at_least_90_percent_of_its_mutants(tmp_path, monkeypatch):
    """The CI floor over every lesson on disk (new exercise modules included as soon as their lesson exists)."""
    from datalit.lessons.mutant_stats import measure, report, share, tier_shares

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rows = measure(workers=2)
    text = report(rows)
    (tmp_path / "mutants.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert not [r for r in rows if r["status"] in ("lesson-fails", "solution-fails")], text
    shares = tier_shares(rows)
    assert set(shares) >= {"beginner", "citizen", "intermediate", "advanced"}, text
    assert all(s * 100 >= MINIMUM for s in shares.values()) and share(rows) * 100 >= MINIMUM, text
    assert sum(r["status"] == "counted" for r in rows) >= 200, text


@pytest.mark.lessons
@pytest.mark.slow
def test_cli_minimum_sets_the_exit_status_and_the_second_run_is_cached(tmp_path, monkeypatch):
    import time

    from click.testing import CliRunner

    from datalit.lessons.cli import lesson

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    args = ["feedback-stats", "--mutants", "citizen.bike_near_me", "--workers", "1"]
    first = CliRunner().invoke(lesson, args + ["--minimum", "90"])
    assert first.exit_code == 0, first.output
    assert "per operator:" in first.output and "citizen/02-bike-near-me.ipynb" in first.output
    assert list((tmp_path / "datalit" / "mutants").glob("citizen-02-bike-near-me-*.json"))
    start = time.perf_counter()
    again = CliRunner().invoke(lesson, args + ["--minimum", "100.1"])
    assert again.exit_code == 1 and "below the minimum: citizen" in again.output, again.output
    assert time.perf_counter() - start < 5  # from the cache: no lesson ran
    bad = CliRunner().invoke(lesson, ["feedback-stats", "--mutants", "beginner.no_such_lesson"])
    assert bad.exit_code != 0 and "no lesson for 'beginner.no_such_lesson'" in bad.output

