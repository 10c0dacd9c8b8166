"""End-of-course reviews (issue #23 item 4): each runs in both forms and self-checks, draws its questions from
the course's earlier lessons, quotes only numbers recomputed here, and adding it to course.yaml changes no
learner's completion, hours or certificate (the review is practice, outside the completion rule)."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import nbformat
import pytest

from datalit.lessons.checks import BAD_MARK, NOT_ANSWERED, OK_MARK
from datalit.lessons.courses import lesson_paths, read_manifest
from datalit.lessons.exercises import load_module

pytestmark = pytest.mark.lessons
REVIEW_TIERS = [t for t in ("beginner", "intermediate", "advanced", "citizen")
                if any(p.name.startswith("99-") for p in lesson_paths(t))]
CHECK = re.compile(r"^\s*q\d+\.check\(\)\s*$")


def _review(tier):
    return next(p for p in lesson_paths(tier) if p.name.startswith("99-"))


def test_intermediate_and_advanced_end_with_a_review():
    assert {"intermediate", "advanced"} <= set(REVIEW_TIERS)
    for tier in REVIEW_TIERS:
        assert lesson_paths(tier)[-1] == _review(tier)


@pytest.mark.parametrize("tier", REVIEW_TIERS)
def test_the_review_draws_on_earlier_lessons_and_mixes_values_and_concepts(tier):
    from datalit.lessons.checks import questions_in
    from datalit.lessons.concepts import Concept

    nb = nbformat.read(str(_review(tier)), as_version=4)
    earlier = {int(p.name[:2]) for p in lesson_paths(tier)} - {99}
    heads = re.findall(r"^### 복습 \d+ \(([^)]*)\)", "\n".join(c.source for c in nb.cells), re.M)
    cited = {int(n) for h in heads for n in re.findall(r"\b(\d{2})\b", h)}
    assert len(cited) >= 3 and cited <= earlier, cited
    qs = questions_in(load_module(f"{tier}.review"))
    assert sum(isinstance(q, Concept) for q in qs) >= 2 and sum(not isinstance(q, Concept) for q in qs) >= 3
    for q in qs:
        if not isinstance(q, Concept):
            assert any(w.diagnose for w in q.wrong), f"{q.name}: no mistake named"


@pytest.mark.slow
@pytest.mark.parametrize("tier", REVIEW_TIERS)
def test_the_review_runs_in_both_forms_and_checks_itself(tier):
    from datalit.lessons.run import cell_text, run_many

    path = str(_review(tier))
    solution, learner = run_many([(path, "solution"), (path, "learner")], workers=2)
    assert solution.ok and learner.ok, (solution.error, learner.error)
    for form, r in (("solution", solution), ("learner", learner)):
        cells = [c for c in nbformat.from_dict(r.nb).cells if c.cell_type == "code" and CHECK.match(c.source)]
        assert len(cells) >= 5
        for c in cells:
            text = cell_text(c)
            if form == "solution":
                assert OK_MARK in text and BAD_MARK not in text, text
            else:
                assert NOT_ANSWERED in text and "Traceback" not in text, text


def test_numbers_quoted_by_the_review_questions_match_the_data():
    from datalit.lessons.exercises.advanced import bike_demand_forecast as a2, bootstrap_permutation as a1
    from datalit.lessons.exercises.advanced import review as adv
    from datalit.lessons.exercises.intermediate import living_population as i6, review as mid, self_gas_stations as i9

    assert f"약 {round(i9.overall_gap())}원" in mid.q4.question and f"약 {round(i9.within_gu_gap())}원" in mid.q4.question
    ratio = i6.day_night().set_index("gu").loc["중구", "day_night_ratio"]
    assert f"약 {ratio:.2f}배" in mid.q5.question
    lo, hi = a1.bootstrap_ci()
    assert f"약 −{abs(a1.observed_diff()):.1f}㎍/㎥" in adv.q4.question
    assert f"약 −{abs(lo):.1f} ~ {hi:.1f}㎍/㎥" in adv.q4.question
    assert mid.q1.expected(gu="용산구") == pytest.approx(66.50205, rel=1e-6)  # the glossary's 1만 명당 example
    from datalit import data
    from datalit.lessons.exercises.beginner import review as beg

    sales = data.load("seoul_apartment_sales_2022")
    price = sales.loc[~sales["is_cancelled"], "price_manwon"]
    assert f"평균 {price.mean() / 10_000:.2f}억 원, 중앙값 {price.median() / 10_000:.2f}억 원" in beg.q4.question
    assert f"{price.max() / 10_000:.0f}억 원" in beg.q4.why["다"] and 20_000 < price.mean() - price.median() < 30_000
    air = data.load("seoul_air_quality_daily")
    pm = air[air["date"].dt.year == 2019].groupby("gu")["pm10"].mean().sort_values(ascending=False)
    (g1, v1), (g2, v2) = pm.iloc[:2].items()
    assert f"1위 {g1}({v1:.1f}㎍/㎥)와 2위 {g2}({v2:.1f}㎍/㎥)의 차이는 {v1 - v2:.1f}㎍/㎥" in beg.q5.question
    del a2  # R² 0.91 / 0.64 / 0.97 in adv.q5: recomputed by test_glossary (slow)


@pytest.mark.slow
def test_model_numbers_quoted_by_the_advanced_review_match_the_data():
    from datalit.lessons.exercises.advanced import bike_demand_forecast as a2, review as adv

    text = "\n".join([adv.q5.question, *adv.q5.options.values()])
    assert f"R²가 {a2._random_split_r2():.2f}" in text and f"{a2.model_r2():.2f}예요" in text
    assert f"R²({a2._train_r2():.2f})" in text


@pytest.mark.parametrize("tier", REVIEW_TIERS)
def test_adding_the_review_changes_no_completion_and_no_hours(tier):
    """A learner who passed every exercise of the lessons before the review stays complete; the certificate's
    hours are the same sum of minutes; and every later lesson (not 99) must join the rule."""
    from datalit.progress import record

    manifest = read_manifest(tier)
    rule = manifest["completion"]["lessons"]
    numbers = [e["number"] for e in manifest["lessons"]]
    assert rule == [n for n in numbers if n != 99], "every lesson but the review is in the completion rule"
    course = record.course(tier)
    assert course.hours == round(sum(e["minutes"] for e in manifest["lessons"] if e["number"] != 99) / 60, 2)
    at = datetime(2026, 12, 1, tzinfo=timezone.utc).isoformat()
    before = [{"kind": "check", "ok": True, "lesson": e.lesson, "question": q, "at": at}
              for e in course.lessons if e.number != 99 for q in e.questions]
    rows = record.lesson_rows(course, before)
    required = [r for r in rows if r["number"] in course.rule_lessons]
    assert required and all(r["completed_at"] for r in required)
    review = next(r for r in rows if r["number"] == 99)
    assert review["completed_at"] is None and review["total"] >= 5  # shown as practice still to do
