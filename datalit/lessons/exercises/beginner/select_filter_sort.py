"""Exercises for courses/beginner/03-select-filter-sort.ipynb (subway daily ridership of one station)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

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


def _month_only(station, month):
    s = _subway()
    return s[s["date"].dt.strftime("%Y-%m") == month][COLUMNS]


def _previous_month(month):
    import pandas as pd

    return (pd.Period(month, "M") - 1).strftime("%Y-%m")


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
    wrong=[Wrong(_station_only,
                 "달(month) 조건이 빠져 우리 역의 모든 달 기록을 골랐어요. 날짜 조건을 & 로 더하세요.", diagnose=True),
           Wrong(_month_only,
                 "역(station) 조건이 빠져 그 달의 모든 역을 골랐어요. 역 이름 조건을 & 로 더하세요.", diagnose=True),
           Wrong(lambda station, month: station_month(station, _previous_month(month)),
                 "month의 바로 전 달을 골랐어요. 달을 나타내는 글자(\"2023-05\" 꼴)를 확인하세요.", diagnose=True),
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
                 "가장 적은 5일을 골랐어요. sort_values의 ascending=False로 큰 값부터 정렬한 뒤 head(5)를 하세요.",
                 diagnose=True),
           Wrong(lambda station, month: station_month(station, month).sort_values("alightings", ascending=False).head(5),
                 "타는 사람(boardings)이 아니라 내리는 사람(alightings)으로 정렬했어요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="two_columns",
    prompt="station_month에서 날짜(date)와 타는 사람(boardings) 두 열만 골라 표로 two_columns에 저장하기",
    reference=two_columns,
    checker=ck.frame(columns=["date", "boardings"], extra_columns=False, keys=["date", "boardings"]),
    hints=["열 하나는 표[\"열\"], 여러 열은 표[[\"열1\", \"열2\"]] — 대괄호가 두 겹이에요."],
    solution='two_columns = station_month[["date", "boardings"]]',
    wrong=[Wrong(lambda station, month: station_month(station, month)["boardings"], "Series"),
           Wrong(lambda station, month: station_month(station, month), "필요 없는 열"),
           Wrong(lambda: _subway()[["date", "boardings"]],
                 "station_month가 아니라 subway 전체에서 두 열을 골랐어요. 연습 1에서 거른 station_month에서 고르세요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="기본값(강남역, 2023년 5월)으로 구한 top5_days의 다섯 날은 모두 평일(목요일, 금요일)이었어요. 이 표만으로 말할 수 있는 것은?",
    options={"가": "이 달 우리 역에서 타는 사람이 가장 많았던 날 다섯 개는 평일이었다",
             "나": "우리 역은 1년 내내 평일에 더 붐빈다",
             "다": "회사가 많아서 평일에 붐빈다"},
    answer="가",
    why={"가": "표가 보여 주는 것 그대로예요: 이 역, 이 달, 타는 사람 수 상위 5일.",
         "나": "우리가 본 것은 한 달의 상위 5일뿐이에요. 다른 달이나 평균은 보지 않았어요. "
               "요일별로 고르게 비교하는 방법은 6강에서 해 봐요.",
         "다": "표에는 '왜'가 없어요. 회사가 많은지는 이 데이터에 없으니 원인은 다른 자료로 확인해야 해요."},
    hints=["표에 어떤 기간, 어떤 역이 들어 있었는지 떠올려 보세요."],
)
