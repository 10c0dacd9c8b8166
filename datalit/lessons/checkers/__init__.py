"""Checkers: compare a learner's answer with the reference answer and say in Korean what is wrong.

A checker is any callable ``checker(answer, expected) -> str | None``: ``None`` means correct, a string is
the Korean feedback naming the problem (wrong type, missing columns, wrong number of rows, off by a
factor of 100, wrong sort order, NaN left in...). Build them with the functions below::

    ck.number(rel=0.001)                       # one number
    ck.frame(columns=["gu", "cctv_total"], ordered=True)
    ck.series(ordered=True)
    ck.values(ordered=False)                   # a list/set of names, e.g. districts
    ck.text()                                  # a string (case/space-insensitive)
    ck.axes(kind="bar")                        # a matplotlib chart: bars/lines match the reference data
    ck.all_of(ck.frame(...), custom)           # several checks, first problem wins
    ck.interval(), ck.probability(), ck.score()  # tolerant: resampling and model answers (tolerance.py)
"""
from __future__ import annotations

import difflib

from datalit.lessons.chartcheck import axes  # noqa: F401 - re-exported: ck.axes
from datalit.lessons.checkers.korean import josa
from datalit.lessons.checkers.scalar import (  # noqa: F401 - re-exported: ck.number, ck.Generic
    FACTORS, Generic, _close, _factor_message, _is_number, _type_name, number, readable)
from datalit.lessons.checkers.tolerance import interval, probability, score  # noqa: F401 - ck.interval ...


def _columns_message(got, want) -> str | None:
    got, want = [str(c) for c in got], [str(c) for c in want]
    missing = [c for c in want if c not in got]
    if not missing:
        return None
    parts = []
    for c in missing:
        close = difflib.get_close_matches(c, got, n=1, cutoff=0.6)
        parts.append(f"'{c}'" + (f" (혹시 '{close[0]}'?)" if close else ""))
    return f"필요한 열이 없어요: {', '.join(parts)}. 지금 있는 열: {', '.join(got[:12])}"


def _compare_values(a, b, rel, abs_, what: str) -> str | None:
    """Compare two aligned Series; None if equal."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
        if not pd.api.types.is_numeric_dtype(a):
            return f"{what} 값이 숫자가 아니에요 ({a.dtype}). 숫자로 바꿔야 해요 (pd.to_numeric, astype)."
        av, bv = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
        an, bn = np.isnan(av), np.isnan(bv)
        if an.sum() > bn.sum():
            return f"{what}에 빈 값(NaN)이 {int(an.sum() - bn.sum())}개 남아 있어요. dropna()나 fillna()로 처리했나요?"
        ok = (an & bn) | np.isclose(av, bv, rtol=rel, atol=abs_)
        if ok.all():
            return None
        valid = ~an & ~bn & (bv != 0) & (av != 0)
        if valid.any():
            ratio = av[valid] / bv[valid]
            if np.allclose(ratio, ratio[0], rtol=1e-3):
                hint = _factor_message(float(ratio[0]), 1.0, rel)
                if hint:
                    return f"{what} 값이 정답보다 {hint}"
        return Generic(f"{what} 값이 {int((~ok).sum())}개 달라요. 계산 방법이나 필터 조건을 확인하세요.")
    a_s, b_s = a.astype("string"), b.astype("string")
    if (a_s.fillna("<NA>") == b_s.fillna("<NA>")).all():
        return None
    if (a_s.str.strip().fillna("<NA>") == b_s.str.strip().fillna("<NA>")).all():
        return f"{what} 글자 앞뒤에 공백이 있어요. .str.strip()으로 지워 보세요."
    return Generic(f"{what} 값이 {int((a_s.fillna('<NA>') != b_s.fillna('<NA>')).sum())}개 달라요.")


def _order_message(answer, expected, keys) -> str | None:
    """Same rows, different order: name the likely cause."""
    import pandas as pd

    def key_tuple(df):
        return list(map(tuple, df[keys].astype("string").fillna("<NA>").to_numpy()))

    ka, kb = key_tuple(answer), key_tuple(expected)
    if ka == kb:
        return None
    if sorted(ka) != sorted(kb):
        return "no-same-rows"
    if ka == kb[::-1]:
        return "행은 맞지만 정렬 순서가 반대예요. ascending=False(내림차순) 또는 True(오름차순)를 확인하세요."
    return "행은 맞지만 정렬 순서가 달라요. sort_values()로 무엇을 기준으로 정렬했는지 확인하세요."


def frame(columns=None, ordered: bool = False, keys=None, rel: float = 1e-6, abs: float = 1e-9,  # noqa: A002
          extra_columns: bool = True, index: bool = False):
    """A DataFrame: type, required columns (close names suggested), rows, order, NaN and values.

    columns: the columns to compare (default: all of the reference's). keys: columns that identify a row
    (default: the first non-numeric compared column). ordered: row order matters. index: compare the
    index too (e.g. after groupby without reset_index).
    """

    def check(answer, expected):
        import pandas as pd

        if isinstance(answer, pd.Series) and not isinstance(expected, pd.Series):
            return ("답이 표(DataFrame)가 아니라 열 하나(Series)예요. df[['열']]처럼 대괄호를 두 번 쓰거나 "
                    ".reset_index()로 표로 바꿔 보세요.")
        if not isinstance(answer, pd.DataFrame):
            return f"답은 표(DataFrame)여야 하는데 {josa(_type_name(answer), '이/가')} 들어 있어요."
        want = list(columns) if columns is not None else list(expected.columns)
        a, e = answer, expected
        if index or (columns is not None and any(c in (e.index.names or []) for c in want)):
            if any(c not in a.columns for c in want):
                a = a.reset_index()
            e = e.reset_index() if any(c not in e.columns for c in want) else e
        msg = _columns_message(a.columns, want)
        if msg:
            if set(want) - set(map(str, a.columns)) <= set(map(str, answer.index.names or [])):
                msg += " (그 열이 인덱스에 들어가 있어요: .reset_index()를 해 보세요.)"
            return msg
        if not extra_columns:
            extra = [c for c in a.columns if c not in want]
            if extra:
                return f"필요 없는 열이 있어요: {', '.join(map(str, extra))}. 필요한 열만 고르세요."
        if len(a) != len(e):
            more = "많아요" if len(a) > len(e) else "적어요"
            tip = ("필터 조건이 빠졌거나 너무 느슨하지 않은지" if len(a) > len(e)
                   else "필터 조건이 너무 엄격하지 않은지, head()의 개수가 맞는지")
            return Generic(f"행 수가 정답({len(e):,}행)보다 {more} (내 답 {len(a):,}행). {tip} 확인하세요.")
        key_cols = list(keys) if keys else [c for c in want if not pd.api.types.is_numeric_dtype(e[c])][:1]
        missing_keys = [k for k in key_cols if k not in a.columns or k not in e.columns]
        if missing_keys:
            return _columns_message(a.columns, missing_keys)
        sel = want + [k for k in key_cols if k not in want]
        a, e = a[sel].reset_index(drop=True), e[sel].reset_index(drop=True)
        if ordered:
            if key_cols:
                msg = _order_message(a, e, key_cols)
                if msg == "no-same-rows":
                    return Generic("들어 있는 행이 정답과 달라요. 필터 조건이나 정렬 기준 열을 확인하세요.")
                if msg:
                    return msg
        else:  # row order does not matter: sort both by the keys, then every other column (ties)
            order = key_cols + [c for c in sel if c not in key_cols]
            try:
                a = a.sort_values(order, kind="mergesort").reset_index(drop=True)
                e = e.sort_values(order, kind="mergesort").reset_index(drop=True)
            except TypeError:
                pass
        for c in want:
            msg = _compare_values(a[c], e[c], rel, abs, f"'{c}' 열의")
            if msg:
                if ordered and not key_cols:
                    try:
                        a_sorted = a.sort_values(c).reset_index(drop=True)
                        e_sorted = e.sort_values(c).reset_index(drop=True)
                        if _compare_values(a_sorted[c], e_sorted[c], rel, abs, "") is None:
                            return "값은 맞지만 정렬 순서가 달라요. sort_values()의 ascending을 확인하세요."
                    except TypeError:
                        pass
                return msg
        return None

    return check


def _strip(msg: str | None) -> str | None:
    """msg without surrounding spaces, still marked Generic if it was."""
    if msg is None:
        return None
    return Generic(msg.strip()) if isinstance(msg, Generic) else msg.strip()


def series(ordered: bool = False, rel: float = 1e-6, abs: float = 1e-9, check_index: bool = True):  # noqa: A002
    """A Series (e.g. a groupby result): type, length, index labels, order, NaN and values."""

    def check(answer, expected):
        import pandas as pd

        if isinstance(answer, pd.DataFrame):
            if answer.shape[1] == 1:
                answer = answer.iloc[:, 0]
            else:
                return ("답이 열 하나(Series)가 아니라 표(DataFrame)예요. "
                        "df['열']처럼 대괄호 하나로 열 하나만 꺼내 보세요.")
        if not isinstance(answer, pd.Series):
            return f"답은 Series(열 하나)여야 하는데 {josa(_type_name(answer), '이/가')} 들어 있어요."
        if len(answer) != len(expected):
            more = "많아요" if len(answer) > len(expected) else "적어요"
            return Generic(f"값의 개수가 정답({len(expected):,}개)보다 {more} (내 답 {len(answer):,}개). "
                           "필터와 묶는 기준을 확인하세요.")
        a, e = answer, expected
        if not check_index:
            if not ordered:
                a, e = a.sort_values(), e.sort_values()
            msg = _compare_values(a.reset_index(drop=True), e.reset_index(drop=True), rel, abs, "")
            return _strip(msg)
        ia, ie = [str(x) for x in a.index], [str(x) for x in e.index]
        if sorted(ia) != sorted(ie):
            missing = [x for x in ie if x not in set(ia)][:3]
            return Generic(f"인덱스(이름표)가 정답과 달라요. 예를 들어 {josa(', '.join(missing), '이/가')} 없어요. "
                           "무엇으로 groupby 했는지 확인하세요.")
        if len(set(ie)) == len(ie):  # align by label, then compare the values
            aligned = pd.Series(a.to_numpy(), index=ia).reindex(ie)
        else:
            aligned = a
        msg = _compare_values(aligned.reset_index(drop=True), e.reset_index(drop=True), rel, abs, "")
        if msg:
            return _strip(msg)
        if ordered and ia != ie:
            if ia == ie[::-1]:
                return "값은 맞지만 정렬 순서가 반대예요. ascending=False(내림차순)/True(오름차순)를 확인하세요."
            return "값은 맞지만 정렬 순서가 달라요. sort_values()나 sort_index()를 했는지 확인하세요."
        return None

    return check


def values(ordered: bool = False, normalize: bool = True):
    """A collection of labels (list, tuple, set, Index, Series values), e.g. district names."""

    def norm(x):
        s = str(x)
        return s.replace(" ", "").strip() if normalize else s

    def check(answer, expected):
        import pandas as pd

        if isinstance(answer, str):
            return "답이 목록이 아니라 문자열 하나예요. 여러 개라면 [\"강남구\", \"서초구\"]처럼 리스트로 만드세요."
        if isinstance(answer, pd.DataFrame):
            return "답이 표(DataFrame)예요. 이름이 든 열 하나만 골라 .tolist()로 목록을 만드세요."
        if isinstance(answer, pd.Series):
            answer = answer.tolist()
        try:
            got = [norm(x) for x in answer]
        except TypeError:
            return f"답은 목록(리스트)이어야 하는데 {josa(_type_name(answer), '이/가')} 들어 있어요."
        want = [norm(x) for x in expected]
        if len(got) != len(want):
            more = "많아요" if len(got) > len(want) else "적어요"
            return Generic(f"개수가 정답({len(want)}개)보다 {more} (내 답 {len(got)}개).")
        if sorted(got) != sorted(want):
            wrong = [x for x in got if x not in set(want)][:3]
            return Generic(f"정답에 없는 값이 있어요: {', '.join(wrong)}.")
        if ordered and got != want:
            if got == want[::-1]:
                return "값은 맞지만 순서가 반대예요. 내림차순/오름차순을 확인하세요."
            return "값은 맞지만 순서가 달라요. 정렬 기준을 확인하세요."
        return None

    return check


def text(case: bool = False):
    """A short string answer (spaces and, unless case=True, letter case ignored)."""

    def check(answer, expected):
        if not isinstance(answer, str):
            return f"답은 문자열이어야 해요 (따옴표로 감싸기: \"강남구\"). 지금은 {josa(_type_name(answer), '이에요/예요')}."
        a, e = answer.replace(" ", ""), str(expected).replace(" ", "")
        if not case:
            a, e = a.lower(), e.lower()
        if a == e:
            return None
        return Generic(f"{josa(repr(answer), '은/는')} 정답이 아니에요. 표에서 다시 찾아보세요.")

    return check


def boolean():
    def check(answer, expected):
        import numpy as np

        if not isinstance(answer, (bool, np.bool_)):
            return f"답은 True 또는 False여야 해요 (따옴표 없이). 지금은 {josa(_type_name(answer), '이에요/예요')}."
        return None if bool(answer) == bool(expected) else Generic("반대예요. 숫자를 다시 비교해 보세요.")

    return check


def all_of(*checks):
    """Run several checkers; the first problem found is reported."""

    def check(answer, expected):
        for c in checks:
            msg = c(answer, expected)
            if msg:
                return msg
        return None

    return check
