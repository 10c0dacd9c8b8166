"""The checks test themselves: for every exercise module (all tiers), every question's reference answer
passes, every listed typical wrong answer fails with its intended feedback, and an empty answer gets the
polite not-answered message."""
from __future__ import annotations

import matplotlib
import pytest

from datalit.lessons.checks import questions_in
from datalit.lessons.exercises import load_module, module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

MODULES = module_names()


@pytest.mark.parametrize("name", MODULES)
def test_exercise_module_selftest(name):
    module = load_module(name)
    questions = questions_in(module)
    assert len(questions) >= 3, f"{name}: fewer than 3 questions"
    problems = []
    for q in questions:
        problems += q.selftest()
        assert q.hints, f"{name}.{q.name} has no hints"
        assert q.solution_code().strip()
    assert not problems, "\n".join(problems)


def test_prompts_and_hints_are_plain_text():
    """check() and hint() print prompts and hints as plain text (never rendered as markdown), so markdown
    markup there would reach the learner as raw asterisks and backticks."""
    import re

    markup = re.compile(r"`|\*\*\S|\S\*\*(?!\s*\d)|^\s{4}", re.M)
    found = []
    for name in MODULES:
        for q in questions_in(load_module(name)):
            for text in [q.prompt, *q.hints]:
                if markup.search(text):
                    found.append(f"{name}.{q.name}: {text}")
    assert not found, "\n".join(found)
