"""Checkers and Question on small synthetic frames: the feedback names what is wrong."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from datalit.lessons import NOT_ANSWERED, Question, Wrong, checkers as ck
from datalit.lessons.checks import CheckResult, questions_in

pytestmark = pytest.mark.lessons

FRAME = pd.DataFrame({"gu": ["종로구", "중구", "용산구", "마포구"], "n": [10, 40, 30, 20], "rate": [0.1, 0.4, 0.3, 0.2]})


def ordered():
    return FRAME.sort_values("n", ascending=False).reset_index(drop=True)


@pytest.mark.parametrize("answer, says", [
    (5.0, None),
    (500.0, "100배 커요"),
    (0.05, "100배 작아요"),
    (5000.0, "1000배 커요"),
    (-5.0, "부호가 반대"),
    ("5", "문자열"),
    (pd.Series([5.0]), ".iloc[0]"),
    (pd.Series([5.0, 1.0]), "값 2개"),
    (float("nan"), "NaN"),
    (6.0, "커요"),
    (4.0, "작아요"),
])
def test_number(answer, says):
    msg = ck.number()(answer, 5.0)
    assert (msg is None) if says is None else (says in msg), msg


def test_number_integer_and_numpy():
    assert ck.number(integer=True)(np.int64(7), 7) is None
    assert "정수" in ck.number(integer=True)(7.5, 7)
    assert "숫자여야" in ck.number()((25, 6), 25)
    assert "숫자여야" in ck.number()(True, 1)


def test_frame_feedback():
    check = ck.frame(columns=["gu", "n"], ordered=True)
    assert check(ordered(), ordered()) is None
    assert "정렬 순서가 반대" in check(ordered().iloc[::-1], ordered())
    assert "정렬 순서가 달라요" in check(ordered().iloc[[1, 0, 2, 3]], ordered())
    assert "행 수가 정답(4행)보다 적어요" in check(ordered().head(2), ordered())
    assert "행 수가 정답(4행)보다 많아요" in check(pd.concat([ordered(), ordered()]), ordered())
    missing = check(ordered().rename(columns={"n": "nn"}), ordered())
    assert "필요한 열이 없어요: 'n'" in missing and "혹시 'nn'" in missing
    assert "Series" in check(ordered()["n"], ordered())
    assert "DataFrame" in check([1, 2], ordered())
    assert "인덱스" in check(ordered().set_index("gu"), ordered())


def test_frame_values_nan_factor_and_text():
    check = ck.frame(columns=["gu", "rate"])
    want = FRAME
    pct = FRAME.assign(rate=FRAME["rate"] * 100)
    assert "100배 커요" in check(pct, want)
    nan = FRAME.assign(rate=[0.1, np.nan, 0.3, 0.2])
    assert "빈 값(NaN)" in check(nan, want)
    assert "숫자가 아니에요" in check(FRAME.assign(rate=FRAME["rate"].astype(str)), want)
    spaced = FRAME.assign(gu=FRAME["gu"] + " ")
    assert "공백" in ck.frame(columns=["gu", "rate"], keys=["n"])(spaced, want)
    assert check(FRAME.iloc[::-1], want) is None  # unordered: row order does not matter
    assert "필요 없는 열" in ck.frame(columns=["gu"], extra_columns=False)(FRAME, FRAME[["gu"]])


def test_series_feedback():
    s = FRAME.set_index("gu")["n"].sort_values(ascending=False)
    check = ck.series(ordered=True)
    assert check(s, s) is None
    assert check(s.to_frame(), s) is None  # a one-column frame is accepted
    assert "반대" in check(s.iloc[::-1], s)
    assert "정렬 순서가 달라요" in check(s.sort_index(), s)
    assert "개수가 정답" in check(s.head(2), s)
    assert "인덱스" in check(s.reset_index(drop=True), s)
    assert "1000배 작아요" in check(s / 1000, s)
    assert "Series" in check(5, s)


def test_values_text_boolean():
    assert ck.values()(["중구", "종로구"], ["종로구", "중구"]) is None
    assert "순서가 반대" in ck.values(ordered=True)(["중구", "종로구"], ["종로구", "중구"])
    assert "정답에 없는 값" in ck.values()(["중구", "마포구"], ["종로구", "중구"])
    assert "문자열 하나" in ck.values()("중구", ["중구"])
    assert ck.text()(" 강남 구", "강남구") is None
    assert "문자열" in ck.text()(3, "강남구")
    assert ck.boolean()(np.bool_(True), True) is None
    assert "반대" in ck.boolean()(False, True)


def test_axes_checker():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from datalit import hangul

    hangul.use()
    s = FRAME.set_index("gu")["n"].sort_values(ascending=False)
    check = ck.axes(kind="bar", ordered=True)
    fig, ax = plt.subplots()
    s.plot.bar(ax=ax, title="구별 개수")
    assert check(ax, s) is None and check(fig, s) is None
    fig2, ax2 = plt.subplots()
    s.plot.bar(ax=ax2)
    assert "제목" in check(ax2, s)
    fig3, ax3 = plt.subplots()
    s.sort_values().plot.bar(ax=ax3, title="t")
    assert "순서" in check(ax3, s)
    fig4, ax4 = plt.subplots()
    (s * 100).plot.bar(ax=ax4, title="t")
    assert "100배 커요" in check(ax4, s)
    fig5, ax5 = plt.subplots()
    s.plot.bar(ax=ax5)
    ax5.set_title("깨진 제목", fontfamily="DejaVu Sans")
    assert "hangul.use()" in check(ax5, s)
    assert "차트가 아니라" in check(s, s)
    assert "그래프 종류" in ck.axes(kind="line")(ax, s)
    s.plot.bar(ax=ax, title="두 번")
    assert "여러 번" in check(ax, s)
    plt.close("all")


def _ref(gu="중구"):
    return int(FRAME.loc[FRAME["gu"] == gu, "n"].iloc[0])


def make_question():
    return Question("q1", variable="answer", prompt="개수", reference=_ref, checker=ck.number(integer=True),
                    hints=["첫째", "둘째"], solution="answer = 40",
                    wrong=[Wrong(lambda gu: _ref(gu) * 100, "100배")])


def test_question_check_lookup_strict_and_not_answered(capsys):
    q = make_question()
    answer = None  # noqa: F841 - looked up by name in this frame's globals? no: explicit below
    r = q.check(None)
    assert isinstance(r, CheckResult) and not r and r == False  # noqa: E712
    assert NOT_ANSWERED in capsys.readouterr().out
    assert q.check(...) == False  # noqa: E712
    assert q.check(40) and q.check(40) == True  # noqa: E712
    assert "정답" in capsys.readouterr().out
    assert q.check(30, gu="용산구")
    assert not q.check(4000)
    assert "100배 커요" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="100배 커요"):
        q.check(4000, strict=True)
    with pytest.raises(AssertionError, match=NOT_ANSWERED):
        q.assert_ok(None)
    q.assert_ok(40)
    assert repr(q.check(40, quiet=True)) == "True"


def test_question_reads_answer_and_parameters_from_namespace(capsys):
    q = make_question()
    ns = {"answer": 30, "gu": "용산구"}
    assert q.feedback(namespace=ns) is None
    ns["gu"] = "마포구"
    assert "커요" in q.feedback(namespace=ns)
    assert NOT_ANSWERED in q.feedback(namespace={})


def test_bad_parameter_value_gives_korean_feedback():
    q = make_question()
    msg = q.feedback(40, {}, gu="없는구")
    assert "매개변수" in msg and "gu='없는구'" in msg
    with pytest.raises(AssertionError, match="매개변수"):
        q.assert_ok(40, gu="없는구")


def test_hints_progress_and_solution(capsys):
    q = make_question()
    q.hint()
    q.hint()
    q.hint()
    out = capsys.readouterr().out
    assert "힌트 1/2: 첫째" in out and out.count("힌트 2/2: 둘째") == 2 and "q1.solution()" in out
    assert q.solution() is None
    assert "answer = 40" in capsys.readouterr().out


def test_selftest_catches_a_bad_question():
    good = make_question()
    assert good.selftest() == []
    wrong_says = Question("q2", prompt="p", reference=_ref, checker=ck.number(),
                          wrong=[Wrong(lambda: 41, "100배")])
    assert any("should say" in p for p in wrong_says.selftest())
    passes = Question("q3", prompt="p", reference=_ref, checker=lambda a, e: None, wrong=[Wrong(lambda: 0, "x")])
    assert any("passed the check" in p for p in passes.selftest())
    no_wrong = Question("q4", prompt="p", reference=_ref, checker=ck.number())
    assert any("no Wrong" in p for p in no_wrong.selftest())
    broken_checker = Question("q5", prompt="p", reference=_ref, checker=lambda a, e: "틀려요",
                              wrong=[Wrong(lambda: 0, "틀려요")])
    assert any("reference answer fails" in p for p in broken_checker.selftest())


def test_questions_in_orders_by_number():
    import types

    m = types.ModuleType("m")
    for n in (10, 2, 1):
        setattr(m, f"q{n}", Question(f"q{n}", prompt="p", reference=_ref, checker=ck.number()))
    assert [q.name for q in questions_in(m)] == ["q1", "q2", "q10"]
    assert not math.isnan(make_question().expected())


def test_frame_unordered_with_duplicate_keys():
    df = pd.DataFrame({"station": ["a", "a", "b", "b"], "day": [1, 2, 1, 2], "n": [5, 6, 7, 8]})
    check = ck.frame()
    assert check(df.sample(frac=1, random_state=1), df) is None
    assert check(df.iloc[[1, 0, 3, 2]], df) is None
    assert "값이" in check(df.assign(n=[5, 6, 7, 9]), df)


def test_series_wrong_values_in_another_order_are_not_called_an_order_problem():
    s = pd.Series([3.0, 2.0, 1.0], index=["a", "b", "c"])
    other = pd.Series([1.5, 2.5, 3.5], index=["c", "b", "a"])  # reversed labels, different values
    msg = ck.series(ordered=True)(other, s)
    assert "값이" in msg and "순서" not in msg
    assert ck.series()(s.iloc[::-1], s) is None  # unordered: labels matter, not order
    assert ck.series(check_index=False)(s.reset_index(drop=True).iloc[::-1], s) is None


def test_numbers_in_feedback_are_readable():
    from datalit.lessons import checkers as ck

    assert ck.readable(1.054e5) == "105,400" and ck.readable(0.000123) == "0.000123"
    assert ck.readable(12.3456) == "12.35" and ck.readable(25_000_000.0) == "25,000,000"
    msg = ck.number()(105400.0, 120000)
    assert "105,400" in msg and "e+" not in msg and isinstance(msg, ck.Generic)


def test_diagnosed_wrong_names_the_mistake():
    from datalit.lessons import Question, Wrong, checkers as ck

    values = [1, 2, 3, 10]
    q = Question("q9", prompt="중앙값", reference=lambda: 2.5, checker=ck.number(),
                 wrong=[Wrong(lambda: 4.0, "중앙값(median)이 아니라 평균(mean)을 구했어요.", diagnose=True)])
    assert q.feedback(sum(values) / len(values), {}) == "중앙값(median)이 아니라 평균(mean)을 구했어요."
    assert isinstance(q.feedback(7.0, {}), ck.Generic)
    assert q.selftest() == []
