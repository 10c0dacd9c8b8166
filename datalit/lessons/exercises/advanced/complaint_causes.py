"""Exercises for courses/advanced/08-complaint-causes.ipynb (which petition topics grew, and what they are about).

The same steps as reports/complaint_causes.ipynb: petitions of the 청와대 국민청원 board (titles, category,
closing date, agreements), counted by closing month with 100+ agreements (the board's publication rule
from 2019-05, applied to every month), a period against the same months a year earlier, TF-IDF keywords
with one document per month, agreements as weight, and the limits of self-selected petitions.
"""
from __future__ import annotations

import re
from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "korea_petitions_categorized"
MIN_AGREE = 100
N_TERMS = 10
JOSA = sorted(("은 는 이 가 을 를 의 에 에서 에게 께 께서 로 으로 와 과 만 부터 까지 에도 에는 "
               "으로의 로의 에서의 이라는 라는 들 들의 들을 들이 들은 한테 보다 처럼").split(), key=len, reverse=True)


def words(text):
    """Words of a title: Hangul/Latin/digit runs, one trailing particle removed, two characters or more."""
    out = []
    for w in re.findall(r"[가-힣A-Za-z0-9]+", str(text)):
        for j in JOSA:
            if w.endswith(j) and len(w) - len(j) >= 2:
                w = w[: -len(j)]
                break
        if len(w) >= 2:
            out.append(w.lower())
    return out


@lru_cache(maxsize=2)
def _titles(min_agree=MIN_AGREE):
    import pandas as pd

    t = data.load(DATASET, "titles")
    first_day, last_day = t["expiry_date"].min(), t["expiry_date"].max()
    # the first and last months of the data hold only some days (by closing date): left out
    first = first_day.to_period("M") + (0 if first_day.day == 1 else 1)
    last = last_day.to_period("M") - (0 if last_day.is_month_end else 1)
    t = t[t["num_agree"] >= min_agree].copy()
    t["month"] = t["expiry_date"].dt.to_period("M")
    t = t[(t["month"] >= first) & (t["month"] <= last)]
    t["category"] = t["category"].astype(str)
    return t.reset_index(drop=True), pd.period_range(first, last, freq="M")


def petitions():
    """Petitions with 100+ agreements in the full months of the data, with a `month` column (Period)."""
    return _titles()[0].copy()


def full_months():
    """The full months of the data (PeriodIndex)."""
    return _titles()[1]


def in_category(pet, category="보건복지"):
    return pet if category == "전체" else pet[pet["category"] == category]


def _span(month_from, month_to, back=12):
    import pandas as pd

    return pd.Period(month_from, "M") - back, pd.Period(month_to, "M") - back


def monthly_counts(category="보건복지"):
    scope = in_category(petitions(), category)
    return scope.groupby("month").size().reindex(full_months(), fill_value=0)


def _monthly_all_agreements(category="보건복지"):
    t, months = _titles(0)
    return in_category(t, category).groupby("month").size().reindex(months, fill_value=0)


def _monthly_all_categories(category="보건복지"):
    return monthly_counts("전체")


def _count(category, start, end):
    scope = in_category(petitions(), category)
    return int(scope["month"].between(start, end).sum())


def growth(category="보건복지", month_from="2020-03", month_to="2020-05"):
    """Petitions in the period / petitions in the same months a year earlier - 1."""
    now = _count(category, *_span(month_from, month_to, 0))
    before = _count(category, *_span(month_from, month_to, 12))
    return now / before - 1


def _growth_vs_previous_months(category="보건복지", month_from="2020-03", month_to="2020-05"):
    import pandas as pd

    n = len(pd.period_range(month_from, month_to, freq="M"))
    now = _count(category, *_span(month_from, month_to, 0))
    return now / _count(category, *_span(month_from, month_to, n)) - 1


def _growth_reversed(category="보건복지", month_from="2020-03", month_to="2020-05"):
    now = _count(category, *_span(month_from, month_to, 0))
    return _count(category, *_span(month_from, month_to, 12)) / now - 1


def month_docs(category="보건복지"):
    """One document per month: the titles of that month joined (Series indexed by month)."""
    return in_category(petitions(), category).groupby("month")["title"].apply(" ".join)


def keyword_scores(category="보건복지", month_from="2020-03", month_to="2020-05"):
    """Mean TF-IDF score of each word over the period's months (one document per month), best first."""
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = month_docs(category)
    vec = TfidfVectorizer(analyzer=words, sublinear_tf=True)
    X = vec.fit_transform(docs.to_numpy())
    start, end = _span(month_from, month_to, 0)
    rows = [i for i, m in enumerate(docs.index) if start <= m <= end]
    score = np.asarray(X[rows].mean(axis=0)).ravel()
    return pd.Series(score, index=vec.get_feature_names_out()).sort_values(ascending=False, kind="stable")


def top_terms(category="보건복지", month_from="2020-03", month_to="2020-05"):
    return keyword_scores(category, month_from, month_to).index[:N_TERMS].tolist()


def _most_frequent_terms(category="보건복지", month_from="2020-03", month_to="2020-05"):
    from collections import Counter

    scope = in_category(petitions(), category)
    now = scope[scope["month"].between(*_span(month_from, month_to, 0))]
    counts = Counter(w for t in now["title"] for w in words(t))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:N_TERMS]]


def period_petitions(category="보건복지", month_from="2020-03", month_to="2020-05"):
    scope = in_category(petitions(), category)
    return scope[scope["month"].between(*_span(month_from, month_to, 0))]


def keyword_weights(category="보건복지", month_from="2020-03", month_to="2020-05"):
    """For each top keyword: petitions in the period containing it, and the sum of their agreements."""
    import pandas as pd

    now = period_petitions(category, month_from, month_to)
    now_words = now["title"].map(lambda t: set(words(t)))
    rows = []
    for term in top_terms(category, month_from, month_to):
        has = now_words.map(lambda s, term=term: term in s)
        rows.append({"keyword": term, "petitions": int(has.sum()), "agreements": int(now.loc[has, "num_agree"].sum())})
    return pd.DataFrame(rows).set_index("keyword")


def top_by_agreements(category="보건복지", month_from="2020-03", month_to="2020-05"):
    w = keyword_weights(category, month_from, month_to)
    return w["agreements"].idxmax()


def _top_by_petitions(category="보건복지", month_from="2020-03", month_to="2020-05"):
    w = keyword_weights(category, month_from, month_to)
    return w["petitions"].idxmax()


q1 = Question(
    "q1", variable="monthly",
    prompt="우리 분야(category)의 달별 청원 수: 동의 100명 이상 청원을 마감 월별로 센 Series (자료의 모든 온전한 달, 없는 달은 0)",
    reference=monthly_counts,
    checker=ck.series(ordered=True),
    hints=["scope는 pet(동의 100명 이상, 온전한 달)에서 우리 분야만 고른 표예요 (category가 '전체'면 pet 그대로).",
           "달별 개수: scope.groupby(\"month\").size()",
           "청원이 없는 달도 0으로 보이게: .reindex(months, fill_value=0)"],
    solution='''monthly = scope.groupby("month").size().reindex(months, fill_value=0)''',
    wrong=[Wrong(_monthly_all_agreements,
                 "동의 100명 미만 청원까지 셌어요. 게시판은 2019년 5월부터 동의 100명을 넘은 청원만 공개해서, 그 전 달에는 "
                 "모든 청원이, 그 뒤에는 100명 넘은 청원만 있어요. 모든 달에 같은 기준(num_agree >= 100)을 써야 달끼리 비교할 수 있어요.",
                 diagnose=True),
           Wrong(_monthly_all_categories,
                 "모든 분야의 청원을 셌어요. category에 정한 분야의 청원만 골라 세세요 (category가 '전체'일 때만 모두 셉니다).",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="growth",
    prompt="기간(month_from~month_to)의 청원 수가 1년 전 같은 달들보다 얼마나 늘었는지(증감률): 기간 ÷ 1년 전 − 1 (예: 0.25는 25% 증가)",
    reference=growth,
    checker=ck.number(rel=1e-9),
    hints=["기간의 달: monthly.loc[start:end], 1년 전 같은 달: monthly.loc[start - 12:end - 12] (Period에서 12를 빼면 12개월 전)",
           "두 구간의 합계를 각각 구해 n_now, n_before에 담아요.",
           "growth = n_now / n_before - 1"],
    solution='''n_now = monthly.loc[start:end].sum()
n_before = monthly.loc[start - 12:end - 12].sum()
growth = n_now / n_before - 1''',
    wrong=[Wrong(_growth_vs_previous_months,
                 "기간 바로 앞 달들과 비교했어요. 청원 수는 계절과 연중 일정(방학, 예산, 연말)에 따라 달라서, 앞 달과 비교하면 "
                 "계절 차이까지 '증가'로 읽게 돼요. 1년 전 같은 달(start - 12 ~ end - 12)과 비교하세요.", diagnose=True),
           Wrong(_growth_reversed,
                 "나누는 순서가 반대예요: 1년 전 ÷ 기간이 아니라 기간 ÷ 1년 전 − 1 이에요 (기준이 되는 1년 전이 분모).",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="terms",
    prompt=f"기간 달들의 평균 TF-IDF 점수가 가장 높은 낱말 {N_TERMS}개를 점수 순서대로 리스트로 (달마다 한 문서)",
    reference=top_terms,
    checker=ck.values(ordered=True, normalize=False),
    hints=["vec = TfidfVectorizer(analyzer=words, sublinear_tf=True); X = vec.fit_transform(docs.to_numpy()) — docs는 달마다 한 문서예요.",
           "기간 달의 행 번호: rows = [i for i, m in enumerate(docs.index) if start <= m <= end]",
           "score = np.asarray(X[rows].mean(axis=0)).ravel(); 큰 순서: np.argsort(-score, kind=\"stable\")[:10]",
           "낱말 이름은 vec.get_feature_names_out()[순서] 로 꺼내 .tolist()"],
    solution='''vec = TfidfVectorizer(analyzer=words, sublinear_tf=True)
X = vec.fit_transform(docs.to_numpy())
rows = [i for i, m in enumerate(docs.index) if start <= m <= end]
score = np.asarray(X[rows].mean(axis=0)).ravel()
terms = vec.get_feature_names_out()[np.argsort(-score, kind="stable")[:10]].tolist()''',
    wrong=[Wrong(_most_frequent_terms,
                 "기간 제목에서 많이 나온 낱말을 센 결과예요. 이렇게 하면 '청원', '요청'처럼 어느 달에나 나오는 말이 위로 와서 "
                 "무엇이 새로 늘었는지 보이지 않아요. 달마다 한 문서로 TF-IDF를 계산하면 다른 달에는 드문 낱말이 올라와요.",
                 diagnose=True),
           Wrong(lambda category, month_from, month_to: top_terms(category, month_from, month_to)[::-1], "순서")],
)

q4 = Question(
    "q4", variable="heaviest",
    prompt="핵심어(terms) 가운데, 그 낱말이 제목에 든 기간 청원의 동의 수 합계가 가장 큰 낱말",
    reference=top_by_agreements,
    checker=ck.text(),
    hints=["now_words = now[\"title\"].map(lambda t: set(words(t))) — 청원마다 낱말 집합",
           "낱말 term이 든 청원: has = now_words.map(lambda s: term in s); 동의 수 합계: now.loc[has, \"num_agree\"].sum()",
           "핵심어마다 합계를 구해 pd.Series로 모은 뒤 .idxmax()"],
    solution='''now_words = now["title"].map(lambda t: set(words(t)))
agree = pd.Series({term: now.loc[now_words.map(lambda s: term in s), "num_agree"].sum() for term in terms})
heaviest = agree.idxmax()''',
    wrong=[Wrong(_top_by_petitions,
                 "청원 '건수'가 가장 많은 낱말을 골랐어요. 청원 한 건이 수십만 명의 동의를 받기도 해서, 건수와 동의 수는 다른 "
                 "이야기를 해요. 이 문제는 동의 수(num_agree)의 합계를 가중치로 쓰는 것이에요.", diagnose=True)],
)

CONCEPT_OPTIONS = {
    "A": "기간에 이 분야의 문제가 1년 전보다 그만큼 더 나빠졌다. 시민은 문제를 겪을수록 청원을 더 많이 올리니, "
         "청원 수는 문제의 크기를 그대로 보여 준다.",
    "B": "기간에 이 분야 청원을 올려 동의 100명을 넘긴 사람이 늘었다. 왜 늘었는지는 청원을 읽고 다른 자료와 맞춰 봐야 안다.",
    "C": "서울시 120 민원도 같은 비율로 늘었을 것이다.",
    "D": "동의 수 합계만큼 많은 시민이 이 분야에 불만을 가졌다.",
}

q5 = Concept(
    "q5", variable="answer",
    prompt="청원 수가 1년 전보다 늘었을 때 이 자료로 말할 수 있는 것은? A, B, C, D 중 하나를 문자열로 (예: \"A\")",
    options=CONCEPT_OPTIONS,
    answer="B",
    why={
        "A": "청원은 스스로 글을 올린 사람들의 자료(자기 선택 표본)예요. 청원 수는 문제의 크기만이 아니라 언론 보도, 한 사건, "
             "같은 요구의 반복 게시에 따라서도 늘어요. '더 나빠졌다'는 실제 피해·사고 같은 다른 자료로 확인해야 해요.",
        "B": "청원 수는 '올려서 동의 100명을 넘긴 청원'의 수예요. 늘어난 까닭은 핵심어로 짐작하고, 청원을 읽고 다른 자료와 맞춰 봐야 해요.",
        "C": "국민청원은 전국 게시판이고 서울시의 민원 대장(120, 응답소)이 아니에요. 서울에 관한 청원만 고른 것도 아니라서 "
             "서울시 민원의 증감은 시의 접수 자료로 따로 봐야 해요.",
        "D": "동의 수 합계는 사람 수가 아니에요: 한 사람이 여러 청원에 동의할 수 있고, 동의했다고 모두 불만이 있는 것도 아니에요. "
             "동의 수는 관심의 크기를 보는 가중치로만 읽어요.",
    },
    hints=["청원은 누가 올리나요? 문제가 있는 사람 모두가 올리나요, 아니면 스스로 올리기로 한 사람만 올리나요?",
           "이 자료는 어느 게시판의 자료인가요? 서울시가 민원을 접수한 기록인가요?",
           "한 사람이 청원 여러 건에 동의할 수 있을까요?"],
)
