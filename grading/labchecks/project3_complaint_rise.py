"""Project 3 (고급, open): 어떤 민원이 왜 늘었나 — sanity checks of a team's counts and keywords.

Any threshold, period and keyword method passes: the checks only ask that ``growth`` counts the
petitions of the titles table (agreements >= MIN_AGREE, by closing month) in PERIOD and in the same
months a year earlier, for every category, and that every keyword occurs in a title of the chosen
category in PERIOD.
"""
from __future__ import annotations

from datalit import data


def _titles():
    t = data.load("korea_petitions_categorized", "titles")
    return t.assign(category=t["category"].astype(str), month=t["expiry_date"].dt.to_period("M"))


def _period(period):
    import pandas as pd

    assert isinstance(period, (tuple, list)) and len(period) == 2, 'PERIOD는 ("2020-07", "2020-09") 같은 (시작 월, 끝 월)이에요.'
    try:
        start, end = pd.Period(period[0], "M"), pd.Period(period[1], "M")
    except (ValueError, TypeError) as exc:
        raise AssertionError(f"PERIOD의 월을 읽을 수 없어요: {period!r} (예: '2020-07')") from exc
    assert start <= end, "PERIOD의 시작 월이 끝 월보다 늦어요."
    return start, end


def reference_counts(min_agree, period):
    import pandas as pd

    start, end = _period(period)
    t = _titles()
    t = t[t["num_agree"] >= min_agree]
    now = t[t["month"].between(start, end)].groupby("category").size()
    before = t[t["month"].between(start - 12, end - 12)].groupby("category").size()
    cats = sorted(set(_titles()["category"]))
    return pd.DataFrame({"now": now, "before": before}).reindex(cats).fillna(0).astype(int)


def check_growth(growth, min_agree, period):
    import pandas as pd

    assert isinstance(min_agree, int) and min_agree >= 0, "MIN_AGREE는 0 이상의 정수예요 (예: 100)."
    assert isinstance(growth, pd.DataFrame), "growth는 DataFrame이어야 해요 (인덱스: 분야)."
    ref = reference_counts(min_agree, period)
    missing = sorted(set(ref.index) - set(map(str, growth.index)))
    assert not missing, f"growth에 빠진 분야가 있어요: {', '.join(missing)} (17개 분야 모두, 없으면 0)"
    for col in ("now", "before"):
        got = pd.to_numeric(growth[col], errors="coerce")
        got.index = growth.index.map(str)
        wrong = [c for c in ref.index if got.get(c) != ref.loc[c, col]]
        assert not wrong, (f"growth['{col}']의 청원 수가 자료와 달라요 (예: {wrong[0]}). 동의 수 MIN_AGREE 이상인 청원을 "
                           f"마감 월(expiry_date) 기준으로 {'PERIOD' if col == 'now' else 'PERIOD의 1년 전 같은 달들'}에서 세세요.")


def check_keywords(keywords, category, period):
    assert isinstance(keywords, list) and len(keywords) >= 5, "keywords에는 낱말을 5개 이상 넣으세요 (리스트)."
    t = _titles()
    cats = set(t["category"])
    assert category in cats, f"CATEGORY는 청원 분야 이름이어야 해요: {', '.join(sorted(cats))}"
    start, end = _period(period)
    text = " ".join(t.loc[(t["category"] == category) & t["month"].between(start, end), "title"]).lower()
    absent = [k for k in keywords if str(k).lower() not in text]
    assert not absent, f"{category} 분야의 이 기간 청원 제목에 나오지 않는 낱말이에요: {', '.join(map(str, absent))}"
