"""Beginner course (입문, issue #14): every exercise names the typical mistakes it recognises, every lesson asks
at least one conceptual question, and the feedback learners would see for the listed wrong answers is
specific (feedback-stats), not "값이 정답보다 작아요"."""
from __future__ import annotations

import matplotlib
import pytest

from datalit.lessons.checks import questions_in
from datalit.lessons.concepts import Concept, concepts_in
from datalit.lessons.exercises import load_module, module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

BEGINNER = [m for m in module_names() if m.startswith("beginner_")]


def test_beginner_course_starts_at_lesson_00():
    assert BEGINNER[0] == "beginner_00" and len(BEGINNER) >= 8


@pytest.mark.parametrize("name", BEGINNER)
def test_every_exercise_diagnoses_a_mistake_and_every_lesson_asks_a_concept(name):
    module = load_module(name)
    computed = [q for q in questions_in(module) if not isinstance(q, Concept)]
    assert concepts_in(module), f"{name}: no conceptual question (Concept)"
    undiagnosed = [q.name for q in computed if not any(w.diagnose for w in q.wrong)]
    assert not undiagnosed, f"{name}: no Wrong(..., diagnose=True) for {undiagnosed}"
    for q in computed:
        for w in q.wrong:
            if w.diagnose:  # the message is the learner's whole feedback: a sentence, not a fragment
                assert len(w.says) >= 15 and w.says.rstrip().endswith(("요.", "요")), f"{name}.{q.name}: {w.says!r}"


def test_beginner_feedback_is_specific():
    from datalit.lessons.feedback_stats import cases, report, specific_share

    found = cases(BEGINNER)
    assert specific_share(found) >= 0.9, report(found)


def test_a_diagnosed_mistake_replaces_the_generic_message():
    """A learner who computes the mean instead of the sum (beginner 00 q1) is told so, by name."""
    from datalit.lessons.exercises import beginner_00, beginner_07

    total = beginner_00.seoul_total()
    msg = beginner_00.q1.feedback(total / 25, {})
    assert msg == "합계가 아니라 평균(합계 ÷ 25)을 구했어요. 25개 구의 값을 더하기만 하세요."
    mean = beginner_07._gu_mean("마포구")
    assert beginner_07.q2.feedback(mean, {}, gu="마포구") == "중앙값(median)이 아니라 평균(mean)을 구했어요."
    assert beginner_07.q2.feedback(mean * 1.37, {}, gu="마포구").startswith("값이 정답보다")  # unknown: generic
