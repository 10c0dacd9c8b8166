"""Exercises for courses/beginner/07-mean-median.ipynb (apartment sale prices 2022: mean, median, units)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

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


def _share_over(gu, threshold, strict=False):
    v = valid()
    prices = v.loc[v["gu"] == gu, "price_manwon"]
    return float(((prices > threshold) if strict else (prices >= threshold)).mean() * 100)


def _gu_mean(gu="마포구"):
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
    wrong=[Wrong(_sales, "해제된 거래를 빼지 않았어요. is_cancelled가 True인 행을 걸러내세요.", diagnose=True),
           Wrong(lambda: _sales()[_sales()["is_cancelled"]],
                 "~를 빠뜨려 해제된 거래만 남겼어요. ~sales[\"is_cancelled\"]로 뒤집으세요.", diagnose=True)],
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
           Wrong(lambda: float(valid()["price_manwon"].median()),
                 "우리 구만 고르지 않고 서울 전체의 중앙값을 구했어요. valid[\"gu\"] == gu 조건을 더하세요.",
                 diagnose=True),
           Wrong(_gu_mean, "중앙값(median)이 아니라 평균(mean)을 구했어요.", diagnose=True),
           Wrong(lambda gu: float(_sales().loc[_sales()["gu"] == gu, "price_manwon"].median()),
                 "해제된 거래까지 넣어 계산했어요. sales가 아니라 valid에서 고르세요.", diagnose=True)],
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
           Wrong(lambda: valid().groupby("gu")["price_manwon"].mean().sort_values(ascending=False),
                 "중앙값(median)이 아니라 평균(mean)을 구했어요.", diagnose=True),
           Wrong(lambda: _sales().groupby("gu")["price_manwon"].median().sort_values(ascending=False),
                 "해제된 거래까지 넣어 계산했어요. sales가 아니라 valid를 묶으세요.", diagnose=True)],
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
    wrong=[Wrong(lambda gu: share_over_10eok(gu) / 100, "100배 작아요"),
           Wrong(lambda gu: _share_over(gu, EOK),
                 "기준을 1억 원(10,000만 원)으로 썼어요. price_manwon은 만 원 단위라 10억 원은 100,000이에요.",
                 diagnose=True),
           Wrong(lambda gu: _share_over(gu, 10 * EOK, strict=True),
                 "10억 원 '이상'(>=)이 아니라 '초과'(>)로 셌어요. 딱 10억 원인 거래도 넣어야 해요.", diagnose=True),
           Wrong(lambda: float((valid()["price_manwon"] >= 10 * EOK).mean() * 100),
                 "우리 구만 고르지 않고 서울 전체 거래에서 비율을 구했어요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="서울 전체(해제 제외) 거래가격은 평균 9.60억 원, 중앙값 7.30억 원이에요. "
           "기사에 '서울 아파트는 보통 9.6억 원에 거래됐다'라고 쓴다면?",
    options={"가": "맞는 말이다. 평균이 곧 보통이니 9.6억 원이라고 써도 된다",
             "나": "'보통'을 말하려면 중앙값 7.3억 원이 알맞다",
             "다": "평균과 중앙값 가운데 무엇을 써도 상관없다"},
    answer="나",
    why={"가": "거래의 65.3%가 평균보다 싸요. 평균은 아주 비싼 거래에 끌려 올라가서, 대부분의 거래보다 높아요.",
         "나": "거래의 절반이 7.3억 원 이하, 절반이 이상이에요. 한쪽으로 길게 치우친 가격에서는 중앙값이 '보통'에 더 가까워요.",
         "다": "두 값은 2.3억 원이나 차이 나요. 어느 값을 쓰느냐에 따라 독자가 받아들이는 '보통'이 크게 달라지니, 무엇을 썼는지 밝혀야 해요."},
    hints=["평균보다 싼 거래가 몇 %인지 떠올려 보세요: (seoul < seoul.mean()).mean()"],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt="'한 걸음 더'의 표에서 직거래의 가격 중앙값(3.72억 원)은 중개거래(8.08억 원)의 절반도 안 돼요. 이 표로 말할 수 있는 것은?",
    options={"가": "직거래를 하면 중개 수수료가 들지 않아서 같은 집도 중개거래보다 훨씬 싸게 살 수 있다",
             "나": "직거래 가격은 믿을 수 없는 숫자다",
             "다": "2022년 직거래로 신고된 거래는 가격 중앙값이 낮았고, 면적 중앙값도 작았다"},
    answer="다",
    why={"가": "같은 집을 두 방식으로 판 것을 비교하지 않았어요. 직거래의 면적 중앙값은 32.39㎡로 중개거래(59.99㎡)보다 훨씬 작아, 애초에 다른 집들이에요. 원인을 말하려면 면적과 "
              "지역을 맞춰 비교해야 해요.",
         "나": "신고된 실거래가예요. 낮다는 것만으로 믿을 수 없다고 할 근거는 이 표에 없어요.",
         "다": "표가 보여 주는 것 그대로예요. 왜 그런지는 아직 알 수 없다고 적는 것까지가 정직한 결론이에요."},
    hints=["표의 면적중앙값_m2 열도 함께 보세요."],
)
