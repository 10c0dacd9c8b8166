"""Exercises for courses/beginner/04-group-summaries.ipynb (fine dust per district and month, one year)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

BAD_PM10 = 80  # 미세먼지 '나쁨' 예보 등급: 81~150 ㎍/㎥


def air_year(year=2019):
    air = data.load("seoul_air_quality_daily")
    return air[air["date"].dt.year == year]


def by_gu(year=2019):
    return air_year(year).groupby("gu")["pm10"].mean().sort_values(ascending=False)


def monthly(year=2019, gu="마포구"):
    a = air_year(year)
    mine = a[a["gu"] == gu]
    return mine.groupby(mine["date"].dt.month)["pm10"].mean()


def bad_days(year=2019, gu="마포구"):
    a = air_year(year)
    return int(((a["gu"] == gu) & (a["pm10"] > BAD_PM10)).sum())


def _monthly_stat(year, gu, how):
    a = air_year(year)
    mine = a[a["gu"] == gu]
    return mine.groupby(mine["date"].dt.month)["pm10"].agg(how)


def _monthly_all(year, gu):
    a = air_year(year)
    return a.groupby(a["date"].dt.month)["pm10"].mean()


q1 = Question(
    "q1", variable="by_gu",
    prompt="그 해(year) 자치구별 미세먼지(pm10) 평균을 높은 순서로 by_gu에 저장하기",
    reference=by_gu,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["air_year.groupby(\"gu\")[\"pm10\"]로 구별로 묶어요.", "평균은 .mean()",
           "높은 순서: .sort_values(ascending=False)"],
    solution='by_gu = air_year.groupby("gu")["pm10"].mean().sort_values(ascending=False)',
    wrong=[Wrong(lambda year: air_year(year).groupby("gu")["pm10"].mean(), "정렬 순서"),
           Wrong(lambda year: air_year(year).groupby("station")["pm10"].mean(),
                 "자치구(gu)가 아니라 측정소(station)로 묶었어요. groupby(\"gu\")로 묶으세요.", diagnose=True),
           Wrong(lambda year: air_year(year).groupby("gu")["pm10"].median().sort_values(ascending=False),
                 "평균(mean)이 아니라 중앙값(median)을 구했어요.", diagnose=True),
           Wrong(lambda year: air_year(year).groupby("gu")["pm10"].sum().sort_values(ascending=False),
                 "평균(mean)이 아니라 합계(sum)를 구했어요. 농도는 더하지 않고 평균을 내요.", diagnose=True),
           Wrong(lambda year: by_gu(year - 1),
                 "year의 바로 전 해를 골랐어요. 연도 조건(date.dt.year == year)을 확인하세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="monthly",
    prompt="우리 구(gu)의 달별(1~12월) 미세먼지 평균을 monthly에 저장하기",
    reference=monthly,
    checker=ck.series(rel=1e-6),
    hints=["먼저 우리 구의 행만 골라요: air_year[air_year[\"gu\"] == gu]",
           "달은 표[\"date\"].dt.month 로 얻어요.",
           "mine.groupby(mine[\"date\"].dt.month)[\"pm10\"].mean()"],
    solution='''mine = air_year[air_year["gu"] == gu]
monthly = mine.groupby(mine["date"].dt.month)["pm10"].mean()''',
    wrong=[Wrong(_monthly_all,
                 "우리 구만 고르지 않고 서울 전체의 달별 평균을 구했어요. 먼저 gu 조건으로 우리 구의 행만 고르세요.",
                 diagnose=True),
           Wrong(lambda year, gu: monthly(year, gu).round(),
                 "평균을 반올림(round)했어요. 반올림하지 말고 그대로 저장하세요.", diagnose=True),
           Wrong(lambda year, gu: _monthly_stat(year, gu, "median"),
                 "평균(mean)이 아니라 중앙값(median)을 구했어요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="bad_days",
    prompt=f"우리 구에서 미세먼지가 '나쁨'({BAD_PM10} ㎍/㎥ 초과)이었던 날이 며칠인지 bad_days에 저장하기",
    reference=bad_days,
    checker=ck.number(integer=True),
    hints=["조건 두 개: 우리 구, 그리고 pm10 > 80.",
           "True/False가 든 Series에 .sum()을 하면 True의 개수가 나와요.",
           "또는 조건으로 고른 표의 len()을 세요."],
    solution='bad_days = ((air_year["gu"] == gu) & (air_year["pm10"] > 80)).sum()',
    wrong=[Wrong(lambda year: int((air_year(year)["pm10"] > BAD_PM10).sum()),
                 "우리 구 조건이 빠져 서울 모든 구의 기록에서 '나쁨'을 셌어요. (air_year[\"gu\"] == gu) & 조건으로 우리 구만 세세요.",
                 diagnose=True),
           Wrong(lambda year, gu: int(((air_year(year)["gu"] == gu) & (air_year(year)["pm10"] >= BAD_PM10)).sum()),
                 "80 초과(>)가 아니라 80 이상(>=)으로 셌어요. 80은 '보통'이에요.", diagnose=True),
           Wrong(lambda year, gu: bad_days(year, gu) / 3.65, "정수")],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="by_gu에서 1위 구와 25위 구의 연평균 미세먼지는 차이가 나요. 이 표로 말할 수 있는 것은?",
    options={"가": "그 해 구마다 한 곳씩 있는 측정소에서 잰 하루 평균의 연평균이 1위 구에서 더 높았다",
             "나": "1위 구의 공장과 자동차가 미세먼지를 더 많이 만든다",
             "다": "1위 구에 사는 주민은 누구나, 하루 내내 어디에 있든 25위 구 주민보다 미세먼지를 더 많이 마신다"},
    answer="가",
    why={"가": "표가 말해 주는 것은 측정값의 요약까지예요: 어디서(구별 측정소), 언제(그 해), 무엇을(하루 평균의 연평균).",
         "나": "표에는 원인이 없어요. 공장, 교통, 바람, 지형 가운데 무엇 때문인지는 다른 자료로 확인해야 해요.",
         "다": "구마다 측정소가 한 곳이라 구 전체 골목마다의 공기, 사람마다 밖에 있는 시간은 알 수 없어요."},
    hints=["이 데이터는 어디서, 어떻게 잰 숫자인지 떠올려 보세요."],
)
