"""Exercises for courses/beginner/04-group-summaries.ipynb (fine dust per district and month, one year)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

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
           Wrong(lambda year: air_year(year).groupby("station")["pm10"].mean(), "개수가 정답")],
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
    wrong=[Wrong(_monthly_all, "값이"), Wrong(lambda year, gu: monthly(year, gu).round(), "값이")],
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
    wrong=[Wrong(lambda year: int((air_year(year)["pm10"] > BAD_PM10).sum()), "커요"),
           Wrong(lambda year, gu: bad_days(year, gu) / 3.65, "정수")],
)
