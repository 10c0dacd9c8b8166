"""Exercises for courses/intermediate/01-reshape-subway-hourly.ipynb (wide hourly subway table -> long)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "seoul_subway_hourly_ridership_202411"


def _wide():
    return data.load(DATASET, "wide")


def long_boardings():
    """Wide (one column per hour) -> long: one row per line x station x hour, hour as an int."""
    wide = _wide()
    cols = [c for c in wide.columns if c.startswith("boardings_")]
    long = wide.melt(id_vars=["line", "station"], value_vars=cols, var_name="hour", value_name="boardings")
    long["hour"] = long["hour"].str.replace("boardings_", "").astype(int)
    return long


def _long_all_48_columns():
    wide = _wide()
    cols = [c for c in wide.columns if c.startswith(("boardings_", "alightings_"))]
    long = wide.melt(id_vars=["line", "station"], value_vars=cols, var_name="hour", value_name="boardings")
    long["hour"] = long["hour"].str.replace("boardings_", "").str.replace("alightings_", "").astype(int)
    return long


def _long_hour_text():
    long = long_boardings()
    long["hour"] = "boardings_" + long["hour"].astype(str).str.zfill(2)
    return long


def station_hourly(station="강남"):
    """Boardings at one station by hour (all its lines added up), hours 0..23 in order."""
    long = long_boardings()
    return long[long["station"] == station].groupby("hour")["boardings"].sum()


def _station_hourly_alightings(station="강남"):
    long = _wide().melt(id_vars=["line", "station"],
                        value_vars=[c for c in _wide().columns if c.startswith("alightings_")],
                        var_name="hour", value_name="alightings")
    long["hour"] = long["hour"].str.replace("alightings_", "").astype(int)
    return long[long["station"] == station].groupby("hour")["alightings"].sum()


def peak_hour(station="강남"):
    return int(station_hourly(station).idxmax())


def _peak_alighting_hour(station="강남"):
    return int(_station_hourly_alightings(station).idxmax())


def _all_stations_hourly(station="강남"):
    return long_boardings().groupby("hour")["boardings"].sum()


def n_stations():
    """Distinct stations once the sub-name in parentheses is removed: 청량리(서울시립대입구) -> 청량리."""
    names = _wide()["station"].str.replace(r"\(.*\)", "", regex=True).str.strip()
    return int(names.nunique())


def _n_rows():
    return int(len(_wide()))


def _n_lines():
    return int(_wide()["line"].nunique())


q1 = Question(
    "q1", variable="long",
    prompt="넓은 표(wide)의 승차 열 24개를 긴 표(long)로 바꾸기: 열 line, station, hour(정수), boardings",
    reference=long_boardings,
    checker=ck.frame(columns=["line", "station", "hour", "boardings"], keys=["line", "station", "hour"]),
    hints=["wide.melt(id_vars=[...], value_vars=[...], var_name=\"hour\", value_name=\"boardings\")",
           "value_vars는 이름이 \"boardings_\"로 시작하는 열만: [c for c in wide.columns if c.startswith(\"boardings_\")]",
           "hour 열은 \"boardings_07\" 같은 글자예요. .str.replace(\"boardings_\", \"\").astype(int)로 숫자로 바꾸세요."],
    solution='''cols = [c for c in wide.columns if c.startswith("boardings_")]
long = wide.melt(id_vars=["line", "station"], value_vars=cols, var_name="hour", value_name="boardings")
long["hour"] = long["hour"].str.replace("boardings_", "").astype(int)''',
    wrong=[Wrong(_long_hour_text, "숫자가 아니에요"),
           Wrong(lambda: long_boardings().rename(columns={"boardings": "value"}), "필요한 열이 없어요"),
           Wrong(_long_all_48_columns, "승차 열 24개만이 아니라 하차 열까지 48개를 모두 접었어요: 승차와 하차가 한 열에 "
                 "섞여 행이 두 배가 됐어요. value_vars에는 이름이 \"boardings_\"로 시작하는 열만 넣으세요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="hourly",
    prompt="우리 역(station)의 시간대별 승차 인원 합계(여러 호선은 더하기)를 hour 순서의 Series로 만들기",
    reference=station_hourly,
    checker=ck.series(ordered=True),
    hints=["먼저 long[long[\"station\"] == station]으로 역을 골라요.",
           "한 역이 여러 호선에 있으면 행이 여러 개예요. groupby(\"hour\")[\"boardings\"].sum()으로 더하세요."],
    solution='hourly = long[long["station"] == station].groupby("hour")["boardings"].sum()',
    wrong=[Wrong(_station_hourly_alightings, "승차(boardings)가 아니라 하차(alightings) 인원을 더했어요. "
                 "승차 열로 만든 긴 표 long에서 boardings를 더하세요.", diagnose=True),
           Wrong(_all_stations_hourly, "우리 역만 고르지 않았어요(필터 빠짐): 서울 전체 역의 시간대별 합계가 나왔어요. "
                 "long[long[\"station\"] == station]으로 먼저 고르세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="peak",
    prompt="우리 역에서 승차 인원이 가장 많은 시간대(0~23의 정수) 구하기",
    reference=peak_hour,
    checker=ck.number(integer=True),
    hints=["Series에서 가장 큰 값의 '인덱스'는 .idxmax()로 구해요.", "peak = int(hourly.idxmax())"],
    solution="peak = int(hourly.idxmax())",
    wrong=[Wrong(lambda station: station_hourly(station).max(), "가장 많은 승차 '인원'(.max())을 넣었어요. 필요한 건 "
                 "그 인원이 나온 '시간대'예요: .idxmax()로 인덱스(hour)를 꺼내세요.", diagnose=True),
           Wrong(_peak_alighting_hour, "하차(alightings)가 가장 많은 시간대를 구했어요. 문제는 '승차'가 가장 많은 "
                 "시간대예요: 연습 2의 hourly(승차)에서 .idxmax()를 쓰세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="n_unique",
    prompt="괄호 속 부역명을 지운 뒤(청량리(서울시립대입구) → 청량리) 서로 다른 역 이름의 개수 구하기",
    reference=n_stations,
    checker=ck.number(integer=True),
    hints=["wide[\"station\"].str.replace(r\"\\(.*\\)\", \"\", regex=True)로 괄호 부분을 지워요.",
           "지운 뒤 .str.strip()으로 공백을 없애고 .nunique()로 개수를 세요.",
           "len(wide)는 '행'의 수예요. 환승역은 호선마다 한 행이라 역 수보다 많아요."],
    solution='''names = wide["station"].str.replace(r"\\(.*\\)", "", regex=True).str.strip()
n_unique = names.nunique()''',
    wrong=[Wrong(_n_rows, "표의 행 수(len(wide))를 셌어요. 환승역은 호선마다 한 행이라 행 수는 역 수보다 많아요: "
                 "이름 열에 .nunique()를 써서 서로 다른 이름을 세세요.", diagnose=True),
           Wrong(_n_lines, "호선(line)의 개수를 셌어요. 문제는 서로 다른 '역 이름'의 개수예요: "
                 "wide[\"station\"]을 정리한 뒤 .nunique()를 쓰세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="연습 2의 그래프(우리 역 시간대별 승차, 2024년 11월 한 달 합계)로 말할 수 있는 것은?",
    options={"가": "우리 역은 그 시간대에 서울에서 가장 붐비는 역 가운데 하나다. 한 달 합계가 이만큼 크니 다른 역보다 많은 것이 틀림없다.",
             "나": "그 시간대에 타는 사람은 대부분 출근하는 사람이다.",
             "다": "11월의 날마다 그 시간대에 거의 같은 인원이 탔다.",
             "라": "2024년 11월 한 달 동안 우리 역에서 승차가 가장 많았던 시간대가 언제인지 알 수 있다."},
    answer="라",
    why={"가": "그래프에는 우리 역 하나만 있어요. 다른 역과 비교하지 않았으니 서울에서 몇 번째인지는 말할 수 없어요.",
         "나": "교통카드 기록은 몇 명이 탔는지만 세고 왜 탔는지(출근, 통학, 쇼핑)는 담지 않아요. 출근은 그럴듯한 설명일 뿐이에요.",
         "다": "막대는 한 달 합계라서 날마다의 차이(평일과 주말, 공휴일)가 보이지 않아요. 날마다의 값은 일별 자료가 있어야 알 수 있어요.",
         "라": "그래프는 한 달 동안 시간대마다 탄 사람을 모두 더한 값이에요. 가장 높은 막대가 승차가 가장 많았던 시간대예요."},
    hints=["그래프의 값이 무엇을 더한 것인지(한 역, 한 달, 시간대별)부터 떠올려 보세요."],
)
