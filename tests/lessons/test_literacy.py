"""Every tier (issue #14): every exercise names its typical mistakes (a diagnosed Wrong whose message is a full
Korean sentence), every lesson asks at least one conceptual question and checks it, and the feedback learners
would see for the listed wrong answers is specific: ``datalit lesson feedback-stats`` over every module, at
least 90 %."""
from __future__ import annotations

import re

import matplotlib
import nbformat
import pytest

from datalit.lessons.checks import questions_in
from datalit.lessons.concepts import Concept, concepts_in
from datalit.lessons.courses import exercise_module, lesson_paths
from datalit.lessons.exercises import load_module, module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

MODULES = module_names()
LESSONS = lesson_paths()


@pytest.mark.parametrize("name", MODULES)
def test_every_exercise_diagnoses_a_mistake_and_every_module_asks_a_concept(name):
    module = load_module(name)
    assert concepts_in(module), f"{name}: no conceptual question (Concept)"
    computed = [q for q in questions_in(module) if not isinstance(q, Concept)]
    undiagnosed = [q.name for q in computed if not any(w.diagnose for w in q.wrong)]
    assert not undiagnosed, f"{name}: no Wrong(..., diagnose=True) for {undiagnosed}"
    for q in computed:
        for w in q.wrong:
            if w.diagnose:  # the learner's whole feedback: a Korean sentence, not a fragment
                assert len(w.says) >= 15 and re.search(r"(요|니다)[.:!]?", w.says), f"{name}.{q.name}: {w.says!r}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_lesson_checks_its_conceptual_questions(path):
    nb = nbformat.read(str(path), as_version=4)
    module = load_module(exercise_module(path))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for concept in concepts_in(module):
        assert re.search(rf"^{concept.name}\.check\(\)\s*$", code, re.M), f"{path.name}: {concept.name}.check() missing"
        assert re.search(rf"^{concept.variable}\s*=", code, re.M), f"{path.name}: no answer cell for {concept.variable}"


def test_feedback_is_specific_in_every_tier():
    from datalit.lessons.feedback_stats import cases, report, specific_share

    found = cases()
    assert {c.module.split(".")[0] for c in found} >= {"beginner", "intermediate", "advanced", "citizen"}
    assert specific_share(found) >= 0.9, report(found)
