"""Beginner course (입문, issue #14): lesson 00 comes first, and a diagnosed mistake replaces the generic message
("값이 정답보다 작아요"). The rules for every tier (diagnosed mistakes, conceptual questions, specific
feedback) are in test_literacy.py."""
from __future__ import annotations

import matplotlib
import pytest

from datalit.lessons.courses import exercise_module, lesson_paths
from datalit.lessons.exercises import module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

BEGINNER = [m for m in module_names() if m.startswith("beginner.")]


def test_beginner_course_starts_at_lesson_00():
    first = lesson_paths("beginner")[0]
    assert first.name.startswith("00-") and exercise_module(first) == "beginner.python_first_steps"
    assert len(BEGINNER) >= 8






def test_a_diagnosed_mistake_replaces_the_generic_message():
    """A learner who computes the mean instead of the sum (beginner 00 q1) is told so, by name."""
    from datalit.lessons.exercises.beginner import mean_median as beginner_07, python_first_steps as beginner_00

    total = beginner_00.seoul_total()
    msg = beginner_00.q1.feedback(total / 25, {})
    assert msg == "합계가 아니라 평균(합계 ÷ 25)을 구했어요. 25개 구의 값을 더하기만 하세요."
    mean = beginner_07._gu_mean("마포구")
    assert beginner_07.q2.feedback(mean, {}, gu="마포구") == "중앙값(median)이 아니라 평균(mean)을 구했어요."
    assert beginner_07.q2.feedback(mean * 1.37, {}, gu="마포구").startswith("값이 정답보다")  # unknown: generic
