"""Exercises for courses/citizen/01-neighbourhood-air.ipynb (our district's air-quality station, 2014 vs 2022)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

BAD = 80  # 미세먼지(PM10) 예보 '나쁨': 하루 평균 81 ㎍/㎥ 이상


def _air():
    return data.load("seoul_air_quality_daily")


def _mine(gu, year):
    air = _air()
    return air[(air["gu"] == gu) & (air["date"].dt.year == year)]


def avg_2022(gu="마포구"):
    return float(_mine(gu, 2022)["pm10"].mean())


def bad_2022(gu="마포구"):
    return int((_mine(gu, 2022)["pm10"] > BAD).sum())


def monthly_2022(gu="마포구"):
    mine = _mine(gu, 2022)
    return mine.groupby(mine["date"].dt.month)["pm10"].mean()


def best_month(gu="마포구"):
    return int(monthly_2022(gu).idxmin())


def _all_gu_stations(year):
    air = _air()
    return air[air["gu"].notna() & (air["date"].dt.year == year)]


q1 = Question(
    "q1", variable="avg_2022",
    prompt="우리 구 측정소의 2022년 미세먼지(pm10) 평균을 avg_2022에 저장하기",
    reference=avg_2022,
    checker=ck.number(rel=1e-9),
    hints=["바로 위 예제 셀에서 avg_2014를 어떻게 구했는지 보세요.",
           "mine_2014 대신 mine_2022를 쓰면 돼요.",
           "avg_2022 = mine_2022[\"pm10\"].mean()"],
    solution='''avg_2022 = mine_2022["pm10"].mean()
print(f"{gu} 2022년 미세먼지 평균: {avg_2022:.1f} ㎍/㎥")''',
    wrong=[Wrong(lambda gu: float(_mine(gu, 2014)["pm10"].mean()),
                 "2014년 평균이 그대로예요. 예제 셀을 복사했다면 mine_2014를 mine_2022로 바꿨는지 확인하세요.",
                 diagnose=True),
           Wrong(lambda gu: float(_mine(gu, 2022)["pm10"].sum()),
                 "평균(mean)이 아니라 합계(sum)를 구했어요. 하루하루 값을 모두 더한 값이라 아주 커요. "
                 ".sum() 대신 .mean()을 쓰세요.", diagnose=True),
           Wrong(lambda: float(_all_gu_stations(2022)["pm10"].mean()),
                 "서울 25개 구 측정소 전체의 평균이에요. 우리 구 기록만 담긴 mine_2022로 계산하세요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="bad_2022",
    prompt="우리 구 측정소에서 2022년에 미세먼지가 '나쁨'(80 ㎍/㎥ 초과)이었던 날 수를 bad_2022에 저장하기",
    reference=bad_2022,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제 셀의 bad_2014를 보세요: (조건).sum()은 조건이 맞는 날의 수예요.",
           "mine_2014를 mine_2022로 바꾸면 돼요.",
           "bad_2022 = (mine_2022[\"pm10\"] > 80).sum()"],
    solution='''bad_2022 = (mine_2022["pm10"] > 80).sum()
print(f"{gu} 2022년 '나쁨'인 날: {bad_2022}일")''',
    wrong=[Wrong(lambda gu: int((_mine(gu, 2014)["pm10"] > BAD).sum()),
                 "2014년 '나쁨' 날 수가 그대로예요. mine_2014를 mine_2022로 바꿨는지 확인하세요.", diagnose=True),
           Wrong(lambda gu: int((_mine(gu, 2022)["pm25"] > BAD).sum()),
                 "초미세먼지(pm25) 열로 셌어요. 이 문제의 기준(80 ㎍/㎥)은 미세먼지(pm10)의 '나쁨' 기준이에요.",
                 diagnose=True),
           Wrong(lambda: int((_all_gu_stations(2022)["pm10"] > BAD).sum()),
                 "서울 25개 측정소의 '나쁨' 날을 모두 더했어요. 우리 구 측정소(mine_2022)만 세세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="best_month",
    prompt="2022년에 우리 구 미세먼지 달 평균이 가장 낮았던(가장 깨끗했던) 달(1~12)을 best_month에 저장하기",
    reference=best_month,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제의 worst_month는 .idxmax()로 '가장 큰 값이 있는 달'을 찾았어요.",
           "가장 작은 값이 있는 달은 .idxmin()이에요.",
           "best_month = monthly_2022.idxmin()"],
    solution='''best_month = monthly_2022.idxmin()
print(f"2022년 가장 깨끗했던 달: {best_month}월")''',
    wrong=[Wrong(lambda gu: int(monthly_2022(gu).idxmax()),
                 "가장 나빴던 달(idxmax)이에요. 가장 깨끗한 달은 .idxmin()으로 찾아요.", diagnose=True),
           Wrong(lambda gu: float(monthly_2022(gu).min()),
                 "달(월 번호)이 아니라 그 달의 평균 농도 값이에요. .min()은 값, .idxmin()은 그 값이 있는 달을 줘요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="위 차트에서 우리 구 측정소의 2022년 연평균은 2014년보다 낮아요. 이 차트만으로 말할 수 있는 것은?",
    options={"가": "그동안 우리 구청이 펼친 대기 정책 덕분에 우리 구의 공기가 깨끗해졌다",
             "나": "우리 구 어디든, 우리 집 앞 공기도 2014년보다 반드시 깨끗해졌다",
             "다": "2022년에는 미세먼지 '나쁨'인 날이 하루도 없었다",
             "라": "우리 구 측정소에서 잰 미세먼지 연평균이 2014년보다 낮아졌다"},
    answer="라",
    why={"가": "차트는 '언제 얼마였는지'만 보여 줘요. 서울 25개 구 측정소가 모두 낮아졌으니 날씨, 중국발 먼지, 전국 정책 같은 다른 까닭일 수도 있어요. 원인은 이 차트로 알 수 없어요.",
         "나": "측정소는 구마다 한 곳이에요. 큰길 옆이나 공사장 근처처럼 우리 집 앞은 다를 수 있어요.",
         "다": "연평균이 낮아도 나쁜 날은 있을 수 있어요. 평균은 여러 날을 하나로 줄인 값이에요. 연습 2에서 센 2022년 '나쁨' 날을 보세요.",
         "라": "차트가 보여 주는 건 우리 구 측정소 한 곳의 연평균이 줄었다는 사실까지예요."},
    hints=["차트에 있는 것(측정소 한 곳, 해마다 평균)과 없는 것(원인, 우리 집 앞, 하루하루)을 나눠 보세요."],
)
