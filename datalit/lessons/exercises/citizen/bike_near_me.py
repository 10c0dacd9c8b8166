"""Exercises for courses/citizen/02-bike-near-me.ipynb (따릉이 stations of June 2023 and rentals in 2023)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept


def _stations():
    return data.load("seoul_bike_stations", "stations")


def _usage():
    return data.load("seoul_bike_station_monthly_usage_2023")


def n_mine(gu="마포구"):
    s = _stations()
    return int((s["gu"] == gu).sum())


def rentals_mine(gu="마포구"):
    u = _usage()
    return int(u.loc[u["gu"] == gu, "rentals"].sum())


def per_station(gu="마포구"):
    return rentals_mine(gu) / n_mine(gu)


q1 = Question(
    "q1", variable="n_mine",
    prompt="우리 구에 있는 따릉이 대여소(2023년 6월 기준)가 몇 곳인지 n_mine에 저장하기",
    reference=n_mine,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제 셀에서 서울 전체 대여소 수는 len(stations)로 셌어요.",
           "우리 구 대여소만 담긴 표는 stations_mine이에요.",
           "n_mine = len(stations_mine)"],
    solution='''n_mine = len(stations_mine)
print(f"{gu} 따릉이 대여소: {n_mine}곳")''',
    wrong=[Wrong(lambda: len(_stations()),
                 "서울 전체 대여소 수예요. 예제의 stations를 우리 구 표 stations_mine으로 바꾸세요.", diagnose=True),
           Wrong(lambda gu: int(_stations().loc[_stations()["gu"] == gu, "docks"].sum()),
                 "대여소 수가 아니라 거치대(docks) 수를 더했어요. 대여소 한 곳에 거치대가 여러 개 있어요. "
                 "대여소 수는 표의 줄 수, len(stations_mine)이에요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="rentals_mine",
    prompt="2023년 한 해 동안 우리 구 대여소에서 따릉이를 빌린 건수(rentals)의 합계를 rentals_mine에 저장하기",
    reference=rentals_mine,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제 셀에서 서울 전체는 usage[\"rentals\"].sum()으로 더했어요.",
           "우리 구 기록만 담긴 표는 usage_mine이에요.",
           "rentals_mine = usage_mine[\"rentals\"].sum()"],
    solution='''rentals_mine = usage_mine["rentals"].sum()
print(f"2023년 {gu} 따릉이 대여: {rentals_mine:,}건")''',
    wrong=[Wrong(lambda: int(_usage()["rentals"].sum()),
                 "서울 전체 대여 건수예요. usage를 우리 구 표 usage_mine으로 바꾸세요.", diagnose=True),
           Wrong(lambda gu: int(_usage().loc[_usage()["gu"] == gu, "returns"].sum()),
                 "빌린 건수(rentals)가 아니라 반납한 건수(returns)를 더했어요. 열 이름을 \"rentals\"로 바꾸세요.",
                 diagnose=True),
           Wrong(lambda gu: float(_usage().loc[_usage()["gu"] == gu, "rentals"].mean()),
                 "합계(sum)가 아니라 평균(mean)을 구했어요: 대여소 한 곳의 한 달 평균이에요. 한 해 전체는 .sum()으로 더해요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="per_station",
    prompt="우리 구 대여소 한 곳당 2023년 대여 건수(rentals_mine ÷ n_mine)를 per_station에 저장하기",
    reference=per_station,
    checker=ck.number(rel=1e-9),
    hints=["예제의 per_station_seoul은 서울 전체 대여 건수를 서울 전체 대여소 수로 나눴어요.",
           "우리 구 값 두 개(연습 1, 2의 답)로 똑같이 나눠요.",
           "per_station = rentals_mine / n_mine"],
    solution='''per_station = rentals_mine / n_mine
print(f"{gu} 대여소 한 곳당 2023년 대여: {per_station:,.0f}건")''',
    wrong=[Wrong(lambda gu: n_mine(gu) / rentals_mine(gu),
                 "나누는 순서가 거꾸로예요: 대여소 수 ÷ 대여 건수가 됐어요. 대여 건수 ÷ 대여소 수로 나누세요.",
                 diagnose=True),
           Wrong(lambda: len(_usage()) and int(_usage()["rentals"].sum()) / len(_stations()),
                 "서울 전체의 대여소 한 곳당 건수예요(예제 값). 우리 구의 rentals_mine과 n_mine으로 나누세요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("25개 구 비교 표에서 송파구는 대여 건수 합계가 2위인데, 대여소 한 곳당 건수는 9위예요. "
            "이 표로 말할 수 있는 것은?"),
    options={"가": "송파구는 대여소가 가장 많아서(218곳) 합계가 커진 면이 있으니, 구끼리 견줄 때는 한 곳당 건수도 봐야 한다",
             "나": "송파구 주민이 서울에서 두 번째로 따릉이를 많이 탄다",
             "다": "대여소 한 곳당 건수가 적은 구는 쓰이지 않고 남는 대여소가 많다는 뜻이니, 예산을 아끼려면 그 구의 대여소부터 줄여야 한다"},
    answer="가",
    why={"가": "합계는 대여소가 많을수록 커져요. 크기가 다른 구를 비교할 때는 '한 곳당'처럼 알맞은 분모로 나눠 봐요.",
         "나": "대여 건수는 그 구의 대여소에서 빌린 횟수예요. 빌린 사람이 어디 사는지는 이 표에 없어요. 다른 구 사람이 출퇴근길에 빌렸을 수도 있어요.",
         "다": "표는 '얼마나'만 보여 줘요. 왜 적은지(언덕, 지하철역과의 거리, 대여소가 촘촘한지)와 줄이면 어떻게 될지는 이 데이터로 알 수 없어요."},
    hints=["합계는 대여소 수에 따라 커져요. 분모(무엇으로 나누는지)를 생각해 보세요."],
)
