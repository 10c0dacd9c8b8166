"""Exercises for courses/beginner/07-mean-median.ipynb (apartment sale prices 2022: mean, median, units)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

EOK = 10_000  # 1억 원 = 10,000만 원


def _sales():
    return data.load("seoul_apartment_sales_2022")


def valid():
    """Contracts that were not cancelled later."""
    s = _sales()
    return s[~s["is_cancelled"]]


def gu_median(gu="마포구"):
    v = valid()
    return float(v.loc[v["gu"] == gu, "price_manwon"].median())


def median_by_gu():
    return valid().groupby("gu")["price_manwon"].median().sort_values(ascending=False)


def share_over_10eok(gu="마포구"):
    v = valid()
    prices = v.loc[v["gu"] == gu, "price_manwon"]
    return (prices >= 10 * EOK).mean() * 100


def _gu_mean(gu):
    v = valid()
    return float(v.loc[v["gu"] == gu, "price_manwon"].mean())


q1 = Question(
    "q1", variable="valid",
    prompt="나중에 해제(취소)된 거래를 뺀 표를 valid에 저장하기",
    reference=valid,
    checker=ck.frame(columns=["seq_no", "gu", "price_manwon", "is_cancelled"], keys=["seq_no"]),
    hints=["is_cancelled 열은 해제된 거래에서 True예요.",
           "~ 는 True와 False를 뒤집어요: ~sales[\"is_cancelled\"]",
           "valid = sales[~sales[\"is_cancelled\"]]"],
    solution='valid = sales[~sales["is_cancelled"]]',
    wrong=[Wrong(_sales, "행 수가 정답"),
           Wrong(lambda: _sales()[_sales()["is_cancelled"]], "행 수가 정답")],
)

q2 = Question(
    "q2", variable="my_median",
    prompt="우리 구(gu) 거래가격(만 원)의 중앙값을 my_median에 저장하기",
    reference=gu_median,
    checker=ck.number(rel=1e-9),
    hints=["먼저 valid에서 우리 구의 price_manwon 열을 골라요.",
           "중앙값은 .median(), 평균은 .mean()이에요.",
           "my_median = valid.loc[valid[\"gu\"] == gu, \"price_manwon\"].median()"],
    solution='my_median = valid.loc[valid["gu"] == gu, "price_manwon"].median()',
    wrong=[Wrong(lambda gu: gu_median(gu) / EOK, "1만 배 작아요"),
           Wrong(lambda gu: valid()["price_manwon"].median(), "정답보다")],
)

q3 = Question(
    "q3", variable="median_by_gu",
    prompt="자치구별 거래가격 중앙값을 높은 순서로 median_by_gu에 저장하기",
    reference=median_by_gu,
    checker=ck.series(ordered=True),
    hints=["valid.groupby(\"gu\")[\"price_manwon\"]로 구별로 묶어요.",
           "평균이 아니라 중앙값: .median()",
           "높은 순서: .sort_values(ascending=False)"],
    solution='median_by_gu = valid.groupby("gu")["price_manwon"].median().sort_values(ascending=False)',
    wrong=[Wrong(lambda: valid().groupby("gu")["price_manwon"].median(), "정렬 순서"),
           Wrong(lambda: valid().groupby("gu")["price_manwon"].mean().sort_values(ascending=False), "값이")],
)

q4 = Question(
    "q4", variable="share_over",
    prompt="우리 구 거래 가운데 10억 원 이상인 거래의 비율을 퍼센트(%)로 share_over에 저장하기",
    reference=share_over_10eok,
    checker=ck.number(rel=1e-6),
    hints=["10억 원은 100,000만 원이에요 (price_manwon은 만 원 단위).",
           "(조건).mean()은 조건이 True인 비율(0~1)이에요.",
           "퍼센트로 바꾸려면 100을 곱해요."],
    solution='''mine = valid.loc[valid["gu"] == gu, "price_manwon"]
share_over = (mine >= 100_000).mean() * 100''',
    wrong=[Wrong(lambda gu: share_over_10eok(gu) / 100, "100배 작아요")],
)
