"""Course lessons: self-checking exercises, notebook schema, learner-form build, hygiene, error explainer.

How a lesson uses it (exercise module ``datalit/lessons/exercises/beginner/select_filter_sort.py``)::

    from datalit import data
    from datalit.lessons import Question, Wrong, checkers as ck

    def top5(gu="마포구"):                       # reference: computed from the real data, never typed-in numbers
        cctv = data.load("seoul_cctv_by_gu", "cctv")
        return cctv.sort_values("cctv_total", ascending=False).head(5)

    q1 = Question(
        "q1", variable="top5",                   # the learner stores the answer in `top5`
        prompt="CCTV가 가장 많은 자치구 5곳을 구하세요.",
        reference=top5,
        checker=ck.frame(columns=["gu", "cctv_total"], ordered=True),
        hints=["sort_values()로 정렬해요.", "ascending=False 면 큰 값이 먼저 와요.", "head(5)로 5개만!"],
        solution='top5 = cctv.sort_values("cctv_total", ascending=False).head(5)',
        wrong=[Wrong(lambda gu: top5(gu).iloc[::-1], "정렬 순서")],   # self-test: must fail with this text
    )

In the notebook (solution form; the cell tagged ``solution`` is replaced by a stub in the learner form)::

    from datalit.lessons.exercises.beginner.select_filter_sort import q1
    top5 = cctv.sort_values("cctv_total", ascending=False).head(5)   # cell tag: solution
    q1.check()          # or q1.check(top5); looks up `top5` and parameters like `gu` in the notebook
    q1.hint(); q1.solution()

In nbgrader test cells (team labs): ``q1.assert_ok()`` / ``q1.check(answer, strict=True)`` raise
AssertionError with the same Korean message.

For a chart exercise the reference returns the plotted values (a Series) and ``checker=ck.axes(kind="bar")``;
give ``make_answer=lambda gu: <draw the right chart, return ax>`` so the self-test has a correct chart.

Reference functions take the lesson parameters (``gu``, ``month``...) as keyword arguments; ``check()``
fills them from explicit keywords, else from the notebook's variables, else the function defaults.
"""
from __future__ import annotations

from datalit.lessons.checks import Question, Wrong, NOT_ANSWERED  # noqa: F401
from datalit.lessons import checkers  # noqa: F401

__all__ = ["Question", "Wrong", "checkers", "NOT_ANSWERED"]
