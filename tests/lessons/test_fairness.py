"""Fair concept questions (issue #20): across every tier, neither "always (나)" nor "pick the longest" scores
more than 40 % on the authored questions, and `datalit lesson check` names the offenders when they would;
a lesson never lists a concept's options in markdown (issue #23: four citizen cells printed them twice)."""
from __future__ import annotations

import types

import nbformat

from datalit.lessons import fairness
from datalit.lessons.concepts import Concept
from datalit.lessons.fairness import MAX_SHARE, Asked


def test_the_lessons_cannot_be_answered_blind():
    found = fairness.asked()
    assert len(found) >= 30
    keys = {a.key for a in found}
    for key in keys:
        share = sum(a.key == key for a in found) / len(found)
        assert share <= MAX_SHARE, f"({key}) is right in {share:.0%}"
    longest = sum(a.longest for a in found) / len(found)
    assert longest <= MAX_SHARE, f"the longest option is right in {longest:.0%}"
    assert fairness.problems(found) == []


def test_check_names_the_offenders_of_an_unfair_set():
    """The issue's numbers: (나) right in 24 of 32, the longest in 28 of 32."""
    found = [Asked(f"m{i}.q{i}", "나" if i < 24 else "가", i < 28) for i in range(32)]
    problems = fairness.problems(found)
    assert len(problems) == 2
    assert "option (나) is the right one in 24 of 32" in problems[0] and "m0.q0" in problems[0]
    assert "m30.q30" not in problems[0]
    assert "the longest in 28 of 32" in problems[1] and "m27.q27" in problems[1] and "m28.q28" not in problems[1]


def _lesson(*markdown: str, code: str = "answer_q4 = None\nq4.check()"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown] + [nbformat.v4.new_code_cell(code)]
    return nb


Q4 = Concept("q4", variable="answer_q4", prompt="가장 알맞은 해석은?",
             options={"가": "주민이 낮에 늘어난다", "나": "다른 곳에서 온 사람들이 머문다"}, answer="나",
             why={"가": "주소를 둔 주민 수는 낮과 밤에 같아요."})
MODULE = types.SimpleNamespace(q4=Q4)


def test_options_printed_twice_in_markdown_are_caught():
    twice = ("### 연습 4\n가장 알맞은 해석은?\n  (가) 주민이 낮에 늘어난다\n  (나) 다른 곳에서 온 사람들이 머문다\n\n"
             "- (가) 주민이 낮에 늘어난다\n- (나) 다른 곳에서 온 사람들이 머문다")
    problems = fairness.notebook_problems(_lesson(twice), MODULE)
    assert any("cell 0: lists the options of q4 in markdown" in p for p in problems)
    assert any("q4: its options are never shown" in p for p in problems)
    # stale texts (options reworded in the module, the old list left in the lesson) are caught by their labels
    stale = "### 연습 4\n- (가) 옛 보기\n- (나) 또 다른 옛 보기"
    assert fairness.notebook_problems(_lesson(stale, code="q4.show()"), MODULE) == [
        "cell 0: lists the options of q4 in markdown (shown twice, and not in the learner's shuffled order): "
        "show them with q4.show()"]


def test_options_run_on_in_a_paragraph_are_caught():
    """The issue's first half of the pattern: the options written into the question's paragraph, reworded so
    that no option text matches, then shown again by code."""
    run_on = "### 연습 4\n가장 알맞은 해석은? (가) 낮에 주민이 늘어난다 (나) 다른 구에서 온 사람들이 머문다"
    assert fairness.notebook_problems(_lesson(run_on, code="q4.show()"), MODULE) == [
        "cell 0: lists the options of q4 in markdown (shown twice, and not in the learner's shuffled order): "
        "show them with q4.show()"]
    # naming one option in prose, or two options in different paragraphs, is not a list
    prose = "### 연습 4\n보기 (가)를 고른 사람이 많았어요.\n\n(나)는 왜 틀렸을까요?"
    assert fairness.notebook_problems(_lesson(prose, code="q4.show()"), MODULE) == []


def test_a_lesson_that_shows_the_options_from_code_is_clean():
    asked = "### 연습 4\n가장 알맞은 해석은? 아래 셀을 실행하면 보기가 나와요."
    assert fairness.notebook_problems(_lesson(asked, code="q4.show()"), MODULE) == []
    assert fairness.notebook_problems(_lesson(asked, code="print(q4.prompt)"), MODULE) == []
