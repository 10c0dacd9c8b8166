"""Lab 1 (입문): 우리 구 따릉이 이야기 — questions on seoul_bike_station_monthly_usage_2023."""
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


def _monthly_all_seoul(gu="마포구"):
    u = _usage()
    return u.groupby(u["month"].dt.month)["rentals"].sum().rename("rentals")


def _monthly_row_counts(gu="마포구"):
    u = _usage()
    u = u[u["gu"] == gu]
    return u.groupby(u["month"].dt.month)["rentals"].count().rename("rentals")


def _top5_by_rows(gu="마포구"):
    u = _usage()
    u = u[u["gu"] == gu]
    return u.groupby("station_name")["rentals"].count().sort_values(ascending=False, kind="stable").head(5).index.tolist()


def _top5_least(gu="마포구"):
    u = _usage()
    u = u[u["gu"] == gu]
    return u.groupby("station_name")["rentals"].sum().sort_values().head(5).index.tolist()


def _quietest_month(gu="마포구"):
    return int(monthly_rentals(gu).idxmin())


def _busiest_count(gu="마포구"):
    return int(monthly_rentals(gu).max())


def seoul_share(gu="마포구"):
    u = _usage()
    return round(100 * u.loc[u["gu"] == gu, "rentals"].sum() / u["rentals"].sum(), 2)


q1 = Question(
    "q1", variable="monthly", prompt="우리 구의 월별 대여 건수(1~12월)를 구하세요.",
    reference=monthly_rentals, checker=ck.series(ordered=True),
    hints=["usage['gu'] == GU 로 우리 구만 고르세요.", "usage['month'].dt.month 로 월을 꺼내 groupby 하세요."],
    wrong=[Wrong(_monthly_all_seoul,
                 "서울 전체의 월별 대여 건수예요. usage[usage['gu'] == GU]로 우리 구의 대여소만 고른 뒤 월별로 더하세요.",
                 diagnose=True),
           Wrong(_monthly_row_counts,
                 "대여 건수를 더하지 않고 행(대여소) 수를 셌어요. .count()나 .size()가 아니라 rentals 열의 .sum()을 쓰세요.",
                 diagnose=True),
           Wrong(lambda gu: monthly_rentals(gu).sort_values(ascending=False), "정렬 순서가 달라요")],
)
q2 = Question(
    "q2", variable="top5", prompt="1년 동안 대여가 가장 많은 대여소 5곳의 이름(station_name)을 많은 순서로 구하세요.",
    reference=top5_stations, checker=ck.values(ordered=True),
    hints=["station_name 으로 groupby 해서 rentals 를 더하세요.", "sort_values(ascending=False).head(5)"],
    wrong=[Wrong(_top5_least,
                 "대여가 가장 적은 대여소 5곳이에요. sort_values(ascending=False)로 많은 순서로 정렬한 뒤 head(5)를 고르세요.",
                 diagnose=True),
           Wrong(_top5_by_rows,
                 "대여 건수의 합계가 아니라 대여소가 표에 나온 행(달) 수로 골랐어요. rentals 열을 .sum()으로 더해 비교하세요.",
                 diagnose=True),
           Wrong(lambda gu: top5_stations(gu)[::-1], "순서가 반대")],
)
q3 = Question(
    "q3", variable="busiest", prompt="대여가 가장 많았던 달(1~12의 정수)을 구하세요.",
    reference=busiest_month, checker=ck.number(integer=True),
    hints=["monthly.idxmax()"],
    wrong=[Wrong(_quietest_month,
                 "대여가 가장 적은 달이에요. 가장 많은 달은 monthly.idxmin()이 아니라 monthly.idxmax()예요.", diagnose=True),
           Wrong(_busiest_count,
                 "가장 많은 달의 대여 건수를 답했어요. 건수(monthly.max())가 아니라 그 달의 번호(monthly.idxmax(), 1~12)가 필요해요.",
                 diagnose=True)],
)
q4 = Question(
    "q4", variable="share", prompt="서울 전체 대여 건수 중 우리 구의 비율(%)을 소수 둘째 자리까지 구하세요.",
    reference=seoul_share, checker=ck.number(rel=1e-3, abs=0.011),
    hints=["우리 구 합계 / 서울 합계 * 100", "round(..., 2)"],
    wrong=[Wrong(lambda gu: seoul_share(gu) / 100, "100배 작아요"),
           Wrong(lambda gu: round(100 * _usage().loc[_usage()["gu"] == gu, "rentals"].mean() / _usage()["rentals"].mean(), 2),
                 "합계가 아니라 평균끼리 나눴어요. 비율은 우리 구 대여 건수의 합계 ÷ 서울 전체 합계 × 100 이에요.",
                 diagnose=True)],
)
