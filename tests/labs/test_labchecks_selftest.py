"""The labs' reference checks test themselves, like the lessons' exercises (issue #14): for every lab's
``grading/labchecks`` module, every question's reference answer passes, every listed typical wrong answer
fails with its own named message (never an empty or generic expected text), and an empty answer gets the
not-answered message. Lab 3's model question is included: a model trained on the test items, the majority
rule, word-level features, a non-scikit-learn lookup table and an unfitted pipeline each get their reason."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from datalit.lessons.checks import questions_in
from datalit.lessons.feedback_stats import generic_says

pytestmark = pytest.mark.grading
matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[2]
LABS = sorted(p.parent.name for p in (REPO / "labs").glob("*/lab.yaml")
              if (REPO / "grading" / "labchecks" / f"{p.parent.name}.py").is_file())



def test_every_lab_with_reference_checks_is_covered():
    assert {"lab1_bike_story", "lab2_bike_stations", "lab3_civic_router"} <= set(LABS)


@pytest.mark.parametrize("lab", LABS)
def test_lab_checks_selftest(lab, labchecks):
    module = labchecks(lab)
    questions = questions_in(module)
    if not questions:  # an open project's checks that are no Question (not self-checking questions)
        pytest.skip(f"{lab}: its labchecks define no Question")
    problems = []
    for q in questions:
        assert q.wrong, f"{lab}.{q.name}: no typical wrong answer to test its feedback"
        for w in q.wrong:
            if generic_says(w.says):
                problems.append(f"{lab}.{q.name}: expected text {w.says!r} does not name the mistake")
        problems += q.selftest()
    assert not problems, "\n".join(problems)


def test_lab1_wrong_answers_are_named(labchecks):
    """lab1's only wrong example used to expect "" (every message contains it: always passed)."""
    m = labchecks("lab1_bike_story")
    assert all(w.says.strip() for q in questions_in(m) for w in q.wrong)
    said = m.q1.feedback(m._monthly_all_seoul("마포구"), {}, gu="마포구")
    assert said.startswith("서울 전체의 월별 대여 건수예요")


def test_lab3_model_trained_on_test_items_is_named(labchecks):
    m = labchecks("lab3_civic_router")
    std = m.standard()
    assert round(std["baseline"], 3) == 0.416 and std["pass_mark"] == 0.616
    cheat = m.trained_on_everything()
    assert round(m.accuracy_of(cheat), 3) == 0.766 and round(m.refit_accuracy(cheat), 3) == 0.645
    said = m.q3.feedback(cheat, {})
    assert said.startswith("시험 자료로 학습한 모델이에요") and "0.766" in said and "0.645" in said
    assert m.q3.feedback(m.reference_model(), {}) is None
