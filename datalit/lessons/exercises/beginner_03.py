"""Exercises for courses/beginner/03-select-filter-sort.ipynb (subway daily ridership of one station)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

COLUMNS = ["date", "line", "station", "boardings", "alightings"]


def _subway():
    return data.load("seoul_subway_daily_ridership_2023")


def station_month(station="강남", month="2023-05"):
    s = _subway()
    at_station = s[s["station"] == station]  # the station first: strftime on a few hundred rows only
    rows = at_station[at_station["date"].dt.strftime("%Y-%m") == month]
    return rows[COLUMNS]


def top5_days(station="강남", month="2023-05"):
    return station_month(station, month).sort_values("boardings", ascending=False).head(5)


def two_columns(station="강남", month="2023-05"):
    return station_month(station, month)[["date", "boardings"]]


def _station_only(station, month):
    s = _subway()
    return s[s["station"] == station][COLUMNS]


q1 = Question(
    "q1", variable="station_month",
    prompt="우리 역(station)의 해당 달(month) 기록만 골라 station_month에 저장하기",
    reference=station_month,
    checker=ck.frame(columns=COLUMNS, keys=["date", "line"]),
    hints=["조건 두 개가 필요해요: 역 이름, 그리고 달.",
           "달은 subway[\"date\"].dt.strftime(\"%Y-%m\") == month 로 비교해요.",
           "두 조건은 (조건1) & (조건2) 처럼 괄호로 묶어 & 로 이어요."],
    solution='''station_month = subway[(subway["station"] == station)
                       & (subway["date"].dt.strftime("%Y-%m") == month)]''',
    wrong=[Wrong(_station_only, "행 수가 정답"),
           Wrong(lambda station, month: station_month(station, month).drop(columns="boardings"), "필요한 열이 없어요")],
)

q2 = Question(
    "q2", variable="top5_days",
    prompt="station_month에서 타는 사람(boardings)이 가장 많았던 5일을 많은 순서로 top5_days에 저장하기",
    reference=top5_days,
    checker=ck.frame(columns=COLUMNS, keys=["date", "line"], ordered=True),
    hints=["sort_values(\"boardings\")는 작은 값부터 정렬해요.", "ascending=False 를 주면 큰 값부터!",
           "맨 위 5줄은 .head(5)"],
    solution='top5_days = station_month.sort_values("boardings", ascending=False).head(5)',
    wrong=[Wrong(lambda station, month: station_month(station, month).sort_values("boardings").tail(5),
                 "정렬 순서가 반대"),
           Wrong(lambda station, month: station_month(station, month).sort_values("boardings").head(5),
                 "들어 있는 행이 정답과 달라요")],
)

q3 = Question(
    "q3", variable="two_columns",
    prompt="station_month에서 날짜(date)와 타는 사람(boardings) 두 열만 골라 표로 two_columns에 저장하기",
    reference=two_columns,
    checker=ck.frame(columns=["date", "boardings"], extra_columns=False, keys=["date", "boardings"]),
    hints=["열 하나는 표[\"열\"], 여러 열은 표[[\"열1\", \"열2\"]] — 대괄호가 두 겹이에요."],
    solution='two_columns = station_month[["date", "boardings"]]',
    wrong=[Wrong(lambda station, month: station_month(station, month)["boardings"], "Series"),
           Wrong(lambda station, month: station_month(station, month), "필요 없는 열")],
)
