"""Exercises for courses/beginner/99-review.ipynb: mixed retrieval questions from lessons 04, 05, 07 and 08.

Each answer is computed again here from the raw data, the way the earlier lesson asks for it (exercise
modules do not import one another), for the learner's district; the wrong answers are the mistakes those
lessons already name."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.checkers.korean import josa
from datalit.lessons.concepts import Concept

YEAR = 2019
BAD_PM10 = 80  # 미세먼지 '나쁨' 예보 등급: 81~150 ㎍/㎥ (lesson 04)


def _air(year=YEAR):
    air = data.load("seoul_air_quality_daily")
    return air[air["date"].dt.year == year]


def bad_days(gu="마포구"):
    """Lesson 04: days of 2019 with the district's PM10 above 80 (나쁨)."""
    a = _air()
    return int(((a["gu"] == gu) & (a["pm10"] > BAD_PM10)).sum())


def _bad_days_ge(gu="마포구"):
    a = _air()
    return int(((a["gu"] == gu) & (a["pm10"] >= BAD_PM10)).sum())


def _bad_days_seoul(gu="마포구"):
    return int((_air()["pm10"] > BAD_PM10).sum())


def _bad_days_2018(gu="마포구"):
    a = _air(YEAR - 1)
    return int(((a["gu"] == gu) & (a["pm10"] > BAD_PM10)).sum())


def _monthly(gu, year=YEAR):
    a = _air(year)
    mine = a[a["gu"] == gu]
    return mine.groupby(mine["date"].dt.month)["pm10"].mean()


def worst_month(gu="마포구"):
    """Lesson 04: the month (1-12) of 2019 with the district's highest mean PM10."""
    return int(_monthly(gu).idxmax())


def _best_month(gu="마포구"):
    return int(_monthly(gu).idxmin())


def _sales():
    return data.load("seoul_apartment_sales_2022")


def my_median(gu="마포구"):
    """Lesson 07: the median price (만 원) of the district's 2022 apartment sales, cancelled contracts left out."""
    s = _sales()
    return float(s.loc[(s["gu"] == gu) & ~s["is_cancelled"], "price_manwon"].median())


def _my_mean(gu="마포구"):
    s = _sales()
    return float(s.loc[(s["gu"] == gu) & ~s["is_cancelled"], "price_manwon"].mean())


def _median_with_cancelled(gu="마포구"):
    s = _sales()
    return float(s.loc[s["gu"] == gu, "price_manwon"].median())


q1 = Question(
    "q1", variable="bad_days",
    prompt=f"(입문 04) 2019년 우리 구(gu)의 미세먼지(pm10)가 '나쁨'({BAD_PM10} ㎍/㎥ 초과)이었던 날은 며칠인가요?",
    reference=bad_days,
    checker=ck.number(rel=0),
    hints=["air = data.load(\"seoul_air_quality_daily\")에서 2019년과 우리 구를 골라요.",
           f"초과는 > 예요 (>= 는 {BAD_PM10}인 날도 세요).",
           "조건에 맞는 줄의 수: (조건).sum()"],
    solution='''air = data.load("seoul_air_quality_daily")
mine = air[(air["date"].dt.year == 2019) & (air["gu"] == gu)]
bad_days = int((mine["pm10"] > 80).sum())''',
    wrong=[Wrong(_bad_days_ge, f"{josa(BAD_PM10, '과/와')} 같은 날까지 셌어요. '초과'는 >, '이상'이 >= 예요.", diagnose=True),
           Wrong(_bad_days_seoul, "우리 구만 고르지 않아 25개 구의 날을 모두 셌어요. air[\"gu\"] == gu 조건을 더하세요.",
                 diagnose=True),
           Wrong(_bad_days_2018, "2019년이 아니라 2018년을 골랐어요. 한 해 어긋났어요: dt.year == 2019.", diagnose=True)],
)

q2 = Question(
    "q2", variable="worst_month",
    prompt="(입문 04) 2019년 우리 구의 달별 미세먼지 평균이 가장 높았던 달(1~12의 숫자)",
    reference=worst_month,
    checker=ck.number(rel=0),
    hints=["mine = 2019년 우리 구의 줄들",
           "mine.groupby(mine[\"date\"].dt.month)[\"pm10\"].mean()로 달별 평균을 구해요.",
           "가장 큰 값의 인덱스(달): .idxmax()"],
    solution='''mine = air[(air["date"].dt.year == 2019) & (air["gu"] == gu)]
monthly = mine.groupby(mine["date"].dt.month)["pm10"].mean()
worst_month = int(monthly.idxmax())''',
    wrong=[Wrong(_best_month, "가장 낮은 달을 골랐어요. 가장 높은 달은 .idxmax()예요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="my_median",
    prompt="(입문 07) 2022년 우리 구 아파트 거래가격(만 원)의 중앙값 (나중에 해제된 거래는 빼요)",
    reference=my_median,
    checker=ck.number(rel=1e-9),
    hints=["s = data.load(\"seoul_apartment_sales_2022\")",
           "해제된 거래 빼기: s[~s[\"is_cancelled\"]]",
           "우리 구의 price_manwon 열에 .median()"],
    solution='''s = data.load("seoul_apartment_sales_2022")
valid = s[~s["is_cancelled"]]
my_median = valid.loc[valid["gu"] == gu, "price_manwon"].median()''',
    wrong=[Wrong(_my_mean, "중앙값(median)이 아니라 평균(mean)을 구했어요. .median()으로 바꾸세요.", diagnose=True),
           Wrong(_median_with_cancelled, "나중에 해제(취소)된 거래까지 넣었어요. ~s[\"is_cancelled\"]로 먼저 빼세요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("(입문 07) 2022년 서울 아파트 거래(해제 제외)의 가격은 평균 9.60억 원, 중앙값 7.30억 원이에요. "
            "두 값이 이렇게 다른 까닭으로 알맞은 것은?"),
    options={"가": "계산 실수다: 같은 자료의 평균과 중앙값은 언제나 거의 같아야 한다.",
             "나": "중앙값은 가장 흔한 가격이라, 거래가 가장 많이 몰린 가격대를 보여 준다.",
             "다": "아주 비싼 거래 몇 건이 평균을 끌어올렸고, 중앙값은 그런 값에 거의 움직이지 않는다.",
             "라": "평균은 해제된 거래를 포함하고 중앙값은 포함하지 않아서, 서로 다른 거래로 계산한 값이다."},
    answer="다",
    why={"가": "값이 한쪽으로 길게 퍼진 자료에서는 평균과 중앙값이 크게 다를 수 있어요. 실수가 아니에요.",
         "나": "가장 흔한 값은 최빈값이에요. 중앙값은 크기 순서로 한가운데에 오는 값이에요.",
         "다": "가장 비싼 거래는 145억 원이에요. 이런 값 몇 건이 평균을 중앙값보다 2억 원 넘게 높였어요.",
         "라": "두 값 모두 해제를 뺀 같은 거래로 계산했어요."},
    hints=["아주 비싼 거래 한 건이 평균과 중앙값을 각각 얼마나 움직일지 생각해 보세요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("(입문 04·08) 2019년 미세먼지 연평균 1위 관악구(49.0㎍/㎥)와 2위 양천구(47.7㎍/㎥)의 차이는 1.3㎍/㎥예요. "
            "'관악구가 공기가 가장 나쁜 곳'이라고 말하기 전에 무엇을 해야 할까요?"),
    options={"가": "소수점 아래 자리를 더 늘려 두 구의 연평균을 더 정확하게 계산한 뒤, 그 순서대로 순위를 다시 매긴다.",
             "나": "연평균은 1년 치 날을 모두 모은 값이라 흔들리지 않으니, 관악구를 그대로 1위라고 쓴다.",
             "다": "차이가 1.3㎍/㎥뿐이니, 두 구의 공기는 같다고 쓴다.",
             "라": "두 구가 같은 날들을 쟀는지 보고, 날을 다시 뽑아 이 차이가 얼마나 흔들리는지 잰다."},
    answer="라",
    why={"가": "자리를 늘려도 흔들림은 그대로예요. 차이가 흔들림보다 작으면 순위는 우연에 따라 바뀔 수 있어요.",
         "나": "연평균도 어떤 날들이 기록되었느냐에 따라 흔들려요. 관악구는 2019년에 값이 빠진 날이 53일이나 되고, "
              "대부분 연평균보다 공기가 깨끗한 9~10월이었어요.",
         "다": "작은 차이가 곧 '같다'는 뜻은 아니에요. 흔들림과 견주어 본 뒤에야 '알 수 없다'인지 '차이가 있다'인지 "
              "말할 수 있어요.",
         "라": "입문 04처럼 같은 날끼리 비교하고(관악구는 연평균보다 깨끗한 9~10월의 날이 많이 빠져 있었어요), 입문 08처럼 날을 "
              "다시 뽑아 흔들림을 재면 1.3㎍/㎥가 우연을 넘는지 알 수 있어요."},
    hints=["두 연평균을 공정하게 비교하려면 무엇이 같아야 할까요? 그리고 연평균은 정말 흔들리지 않을까요?"],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt=("(입문 05) 자치구별 인구 막대그래프에서 우리 구 막대만 빨간색으로, 나머지는 회색으로 칠했어요. "
            "이 차트를 구청 보고서에 넣기 전에 무엇을 더 하면 좋을까요?"),
    options={"가": "빨간색을 더 진하고 밝게 바꿔, 회색 막대 사이에서 우리 구가 더 잘 띄게 한다.",
             "나": "다른 구 막대를 모두 지우고 우리 구 막대 하나만 남겨, 보는 사람이 헷갈리지 않게 한다.",
             "다": "범례에 '빨간 막대 = 우리 구'라고 적어, 무엇을 강조했는지 알려 준다.",
             "라": "우리 구 막대에 빗금을 더하고 이름을 굵게 쓴 뒤, 차트를 한국어 문장으로 설명해 둔다."},
    answer="라",
    why={"가": "색을 구별하기 어려운 사람에게는 진한 빨강도 회색과 비슷해 보일 수 있어요. 색이 아닌 표시(빗금, 굵은 "
              "글씨)를 함께 써요.",
         "나": "다른 구가 사라지면 우리 구가 몇 위인지, 얼마나 많은지 견줄 대상이 없어요. 강조는 비교를 남긴 채로 해요.",
         "다": "범례도 빨간색과 회색을 구별해야 읽을 수 있어요. 색만으로 강조하는 문제는 그대로 남아요.",
         "라": "빗금과 굵은 이름은 색을 보지 않아도 찾을 수 있고, 그림 설명(alttext.describe)은 화면 낭독기로도 "
              "읽혀요(입문 05)."},
    hints=["색을 구별하기 어려운 사람, 화면을 볼 수 없는 사람이 이 차트를 읽는다고 생각해 보세요."],
)
