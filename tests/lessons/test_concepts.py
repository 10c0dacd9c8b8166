"""Conceptual questions (issue #14): every option explains itself, a nonsense answer lists the options,
and feedback-stats counts each wrong option as a specific case. The options here are a fixture."""
from __future__ import annotations

import types

import pytest

from datalit.lessons.concepts import Concept
from datalit.lessons.feedback_stats import Case, generic_says

OPTIONS = {"가": "CCTV가 많아서 범죄가 줄었다", "나": "CCTV가 많은 구에 범죄 신고도 많다", "다": "CCTV는 범죄와 상관없다"}
WHY = {"가": "함께 움직인다는 것(상관)만으로는 원인을 말할 수 없어요.",
       "나": "차트가 보여 주는 건 함께 큰 경향까지예요.",
       "다": "산점도의 점들이 오른쪽 위로 모여 있어요: 관계는 있어요."}


def _q(**kw):
    return Concept("q9", variable="answer_q9", prompt="차트만으로 말할 수 있는 것은?", options=OPTIONS,
                   answer=kw.pop("answer", "나"), why=kw.pop("why", WHY), hints=["상관과 인과를 구별해요."], **kw)


def test_right_option_in_any_spelling_passes(capsys):
    q = _q()
    right = q.shown("나")
    for spelled in [right, f" {right} ", f"({right})", f"{right})"]:
        assert q.check(spelled)
    out = capsys.readouterr().out
    assert "정답이에요" in out and WHY["나"] in out


def test_each_wrong_option_gets_its_own_reason():
    q = _q()
    assert WHY["가"] in q.feedback(q.shown("가"), {}) and OPTIONS["가"] in q.feedback(q.shown("가"), {})
    assert WHY["다"] in q.feedback(q.shown("다"), {})
    assert "보기의 기호" in q.feedback("라", {}) and '"가", "나", "다"' in q.feedback("라", {})
    assert q.feedback(None, {}).startswith("아직 답을")
    assert q.selftest() == []


def test_answer_can_depend_on_the_lessons_data():
    q = _q(answer=lambda gu="마포구": "가" if gu == "강남구" else "나")
    assert q.feedback(q.shown("나"), {}) is None
    assert q.feedback(q.shown("가"), {}, gu="강남구") is None
    assert WHY["나"] in q.feedback(q.shown("나"), {}, gu="강남구")


def test_a_missing_reason_or_answer_is_refused_when_written():
    with pytest.raises(ValueError, match="no reason"):
        _q(why={"나": "맞아요"})
    with pytest.raises(ValueError, match="not one of the options"):
        _q(answer="마")


def test_feedback_stats_counts_every_wrong_option_as_specific(monkeypatch):
    from datalit.lessons import feedback_stats

    module = types.SimpleNamespace(q9=_q())
    monkeypatch.setattr("datalit.lessons.exercises.module_names", lambda: ["fixture_concepts"])
    monkeypatch.setattr("datalit.lessons.exercises.load_module", lambda name: module)
    found = feedback_stats.cases()
    assert [(c.question, c.specific) for c in found] == [("q9", True), ("q9", True)]
    assert all(isinstance(c, Case) and not generic_says(c.says) for c in found)


def test_options_are_shuffled_per_learner_and_stable_for_each(monkeypatch, capsys):
    """A learner answers with the label they see; a neighbour's label (or the authored one) is not a
    free answer: across learners the right option sits under different labels."""
    monkeypatch.setenv("JUPYTERHUB_USER", "kim")
    q = _q()
    first = q.prompt
    assert _q().prompt == first, "the order changed for the same learner"
    right = q.shown("나")
    assert f"({right}) {OPTIONS['나']}" in first
    assert q.check(right)
    wrong = next(label for label in OPTIONS if label != right)
    assert not q.check(wrong)
    out = capsys.readouterr().out
    assert f"({wrong}) '{OPTIONS[q.authored(wrong)]}'" in out and WHY[q.authored(wrong)] in out
    assert q.solution_code().startswith(f'answer_q9 = "{right}"  # {OPTIONS["나"]}')
    labels = {q.shown("나", learner=f"learner{i}") for i in range(40)}
    assert labels == set(OPTIONS), f"the right option is always under {labels}"


def test_outside_a_hub_the_order_is_fixed(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert _q().order() == _q().order() == _q().order(learner="datalit")


def test_o_x_keeps_its_order():
    q = Concept("q5", prompt="O/X", options={"O": "맞다", "X": "틀리다"}, answer="X",
                why={"O": "아니에요.", "X": "맞아요."}, variable="answer_q5")
    assert all(q.order(learner=f"u{i}") == ["O", "X"] for i in range(10))
