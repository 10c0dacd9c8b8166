"""Lab 1 (초급): 우리 구 따릉이 이야기 — questions on seoul_bike_station_monthly_usage_2023."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

DATASET = "seoul_bike_station_monthly_usage_2023"


def _usage():
    return data.load(DATASET, "usage")


def monthly_rentals(gu="마포구"):
    u = _usage()
    u = u[u["gu"] == gu]
    return u.groupby(u["month"].dt.month)["rentals"].sum().rename("rentals")


def top5_stations(gu="마포구"):
    u = _usage()
    u = u[u["gu"] == gu]
    return u.groupby("station_name")["rentals"].sum().sort_values(ascending=False).head(5).index.tolist()


def busiest_month(gu="마포구"):
    return int(monthly_rentals(gu).idxmax())


def seoul_share(gu="마포구"):
    u = _usage()
    return round(100 * u.loc[u["gu"] == gu, "rentals"].sum() / u["rentals"].sum(), 2)


q1 = Question(
    "q1", variable="monthly", prompt="우리 구의 월별 대여 건수(1~12월)를 구하세요.",
    reference=monthly_rentals, checker=ck.series(ordered=True),
    hints=["usage['gu'] == GU 로 우리 구만 고르세요.", "usage['month'].dt.month 로 월을 꺼내 groupby 하세요."],
    wrong=[Wrong(lambda gu: monthly_rentals(gu) * 2, "")],
)
q2 = Question(
    "q2", variable="top5", prompt="1년 동안 대여가 가장 많은 대여소 5곳의 이름(station_name)을 많은 순서로 구하세요.",
    reference=top5_stations, checker=ck.values(ordered=True),
    hints=["station_name 으로 groupby 해서 rentals 를 더하세요.", "sort_values(ascending=False).head(5)"],
)
q3 = Question(
    "q3", variable="busiest", prompt="대여가 가장 많았던 달(1~12의 정수)을 구하세요.",
    reference=busiest_month, checker=ck.number(integer=True),
    hints=["monthly.idxmax()"],
)
q4 = Question(
    "q4", variable="share", prompt="서울 전체 대여 건수 중 우리 구의 비율(%)을 소수 둘째 자리까지 구하세요.",
    reference=seoul_share, checker=ck.number(rel=1e-3, abs=0.011),
    hints=["우리 구 합계 / 서울 합계 * 100", "round(..., 2)"],
)
