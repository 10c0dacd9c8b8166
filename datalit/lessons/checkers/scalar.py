"""One number: the ``ck.number`` checker and what every checker shares with it (the factor-of-100 diagnosis,
the Korean names of types, how a value is shown, :class:`Generic`).

A module of its own so that the checkers in other files (``chartcheck``, ``checkers.tolerance``) build on
it without importing ``datalit.lessons.checkers``, which re-exports them: no import loop.
"""
from __future__ import annotations

import math
from numbers import Number

from datalit.lessons.checkers.korean import josa

FACTORS = (
    (100, "100배 커요. 비율(0~1)이 아니라 퍼센트(%)로 계산했거나, 100을 한 번 더 곱한 건 아닌가요?"),
    (0.01, "100배 작아요. 퍼센트(%)가 필요한데 비율(0~1)로 계산했거나, 100을 곱하는 걸 빠뜨렸나요?"),
    (1000, "1000배 커요. 단위(천 명, 천 원, km 등)를 확인하세요."),
    (0.001, "1000배 작아요. 단위(천 명, 천 원, km 등)를 확인하세요."),
    (10000, "1만 배 커요. 단위(만 원과 억 원 등)를 확인하세요."),
    (0.0001, "1만 배 작아요. 단위(만 원과 억 원 등)를 확인하세요."),
    (10, "10배 커요. 자릿수나 단위를 확인하세요."),
    (0.1, "10배 작아요. 자릿수나 단위를 확인하세요."),
    (-1, "부호가 반대예요. 빼는 순서(A - B 와 B - A)를 확인하세요."),
)


def _type_name(x) -> str:
    import pandas as pd

    if x is None:
        return "None"
    if isinstance(x, pd.DataFrame):
        return "DataFrame(표)"
    if isinstance(x, pd.Series):
        return "Series(열 하나)"
    if isinstance(x, bool):
        return "참/거짓(bool)"
    if isinstance(x, str):
        return "문자열(str)"
    if isinstance(x, Number):
        return "숫자"
    if isinstance(x, (list, tuple, set)):
        return f"{type(x).__name__}(목록)"
    return type(x).__name__


def _is_number(x) -> bool:
    import numpy as np

    return isinstance(x, (Number, np.number)) and not isinstance(x, (bool, np.bool_))


def _close(a: float, b: float, rel: float, abs_: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _factor_message(a: float, b: float, rel: float) -> str | None:
    if b == 0 or a == 0:
        return None
    for factor, msg in FACTORS:
        if _close(a, b * factor, max(rel, 1e-3), 0):
            return msg
    return None


def readable(x) -> str:
    """A number as people read it: 천 단위 쉼표, no scientific notation (105400.0 -> '105,400', 0.000123 -> '0.000123')."""
    import numpy as np

    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (Number, np.number)):
        return repr(x)
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x.is_integer() or abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        text = f"{x:,.2f}"
    else:  # three significant digits, written out (0.0123, 0.000123)
        digits = min(12, 2 - math.floor(math.log10(abs(x))))
        text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Generic(str):
    """A fallback message that only says the answer differs (bigger, smaller, N values differ) without naming
    the mistake. ``Question`` replaces it with a ``Wrong(..., diagnose=True)`` message when the answer is a
    known mistake; ``datalit lesson feedback-stats`` counts how often learners would still see one."""


def number(rel: float = 1e-6, abs: float = 1e-9, integer: bool = False):  # noqa: A002
    """One number; detects a Series/DataFrame instead of a number, text digits, NaN and factor errors."""

    def check(answer, expected):
        import numpy as np
        import pandas as pd

        if isinstance(answer, (pd.Series, pd.DataFrame)):
            if answer.size == 1:
                return (f"답이 숫자 하나가 아니라 {josa(_type_name(answer), '이에요/예요')}. "
                        "값 하나만 꺼내려면 .iloc[0] 이나 .item() 을 쓰세요.")
            return (f"답이 숫자 하나가 아니라 값 {answer.size}개짜리 {josa(_type_name(answer), '이에요/예요')}. "
                    ".sum(), .mean(), .max() 처럼 하나로 요약하거나 원하는 행을 골라 보세요.")
        if isinstance(answer, str):
            return "답이 숫자가 아니라 문자열이에요. 따옴표 없이 숫자로 계산해 보세요 (예: int(\"12\"))."
        if not _is_number(answer):
            return f"답은 숫자여야 하는데 {josa(_type_name(answer), '이/가')} 들어 있어요."
        a, b = float(answer), float(expected)
        if np.isnan(a):
            return "답이 NaN(빈 값)이에요. 빈 값이 있는 열을 계산했거나 필터 결과가 비어 있지 않은지 확인하세요."
        if integer and not float(a).is_integer() and float(b).is_integer():  # b: a known mistake may be a fraction
            return "개수나 인원처럼 정수가 나와야 하는데 소수가 나왔어요. 평균(mean) 대신 합계(sum)나 개수(len)가 아닌지 보세요."
        if _close(a, b, rel, abs):
            return None
        hint = _factor_message(a, b, rel)
        if hint:
            return f"값이 정답과 달라요 — 정답보다 {hint}"
        direction = "커요" if a > b else "작아요"
        return Generic(f"값이 정답보다 {direction} (내 답 {readable(answer)}). 조건(필터)이나 계산 방법을 다시 확인하세요.")

    return check
