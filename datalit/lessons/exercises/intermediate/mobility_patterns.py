"""Exercises for courses/intermediate/05-mobility-patterns.ipynb (subway by day and hour, bus stops by hour, congestion)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

MORNING = [7, 8]  # 07:00–09:00


def _number_or_missing(answer, expected):
    """ck.number, except that a station absent from a survey (reference NaN) accepts NaN too."""
    import math

    try:
        if math.isnan(float(expected)) and math.isnan(float(answer)):
            return None
    except (TypeError, ValueError):
        pass
    return ck.number(rel=1e-6)(answer, expected)


def _station_daily(station="강남"):
    d = data.load("seoul_subway_daily_ridership_2023")
    return d[d["station"] == station].groupby("date")["boardings"].sum()


def by_weekday(station="강남"):
    """Mean daily boardings by day of week (0 = Monday ... 6 = Sunday), all lines of the station added per day."""
    s = _station_daily(station)
    return s.groupby(s.index.day_of_week).mean()


def _by_weekday_sum(station="강남"):
    s = _station_daily(station)
    return s.groupby(s.index.day_of_week).sum()


def _by_weekday_median(station="강남"):
    s = _station_daily(station)
    return s.groupby(s.index.day_of_week).median()


def weekend_pct(station="강남"):
    """Mean weekend-day boardings as a percentage of the mean weekday."""
    s = _station_daily(station)
    weekend = s.index.day_of_week >= 5
    return float(s[weekend].mean() / s[~weekend].mean() * 100)


def _weekend_ratio(station="강남"):
    return weekend_pct(station) / 100


def _weekend_sunday_only(station="강남"):
    s = _station_daily(station)
    return float(s[s.index.day_of_week == 6].mean() / s[s.index.day_of_week < 5].mean() * 100)


def am_ratio(station="강남"):
    """Morning (07–09 h) alightings divided by boardings, November 2024: > 1 means people come here to work."""
    h = data.load("seoul_subway_hourly_ridership_202411", "hourly")
    x = h[(h["station"] == station) & h["hour"].isin(MORNING)]
    return float(x["alightings"].sum() / x["boardings"].sum())


def _am_ratio_inverted(station="강남"):
    return 1 / am_ratio(station)


def _am_ratio_hours(station="강남", hours=(7, 8, 9)):
    h = data.load("seoul_subway_hourly_ridership_202411", "hourly")
    x = h[(h["station"] == station) & h["hour"].isin(list(hours))]
    return float(x["alightings"].sum() / x["boardings"].sum())


def _am_ratio_whole_day(station="강남"):
    return _am_ratio_hours(station, hours=range(24))


def top_bus_stops(gu="강남구"):
    """The district's 5 bus stops with the most morning (07–09 h) boardings, all routes added, May 2022."""
    b = data.load("seoul_bus_stop_hourly_ridership_202205", "hourly")
    x = b[(b["gu"] == gu) & b["hour"].isin(MORNING)]
    top = x.groupby(["ars_id", "stop_name"], observed=True, as_index=False)["boardings"].sum()
    top = top.sort_values("boardings", ascending=False).head(5).reset_index(drop=True)
    return top.astype({"ars_id": str, "stop_name": str})


def _top_rows_not_summed(gu="강남구"):
    b = data.load("seoul_bus_stop_hourly_ridership_202205", "hourly")
    x = b[(b["gu"] == gu) & b["hour"].isin(MORNING)]
    top = x.sort_values("boardings", ascending=False).head(5)[["ars_id", "stop_name", "boardings"]]
    return top.astype({"ars_id": str, "stop_name": str}).reset_index(drop=True)


def _top_stops_all_day(gu="강남구"):
    b = data.load("seoul_bus_stop_hourly_ridership_202205", "hourly")
    x = b[b["gu"] == gu]
    top = x.groupby(["ars_id", "stop_name"], observed=True, as_index=False)["boardings"].sum()
    top = top.sort_values("boardings", ascending=False).head(5).reset_index(drop=True)
    return top.astype({"ars_id": str, "stop_name": str})


def peak_congestion(station="강남"):
    """Highest weekday congestion (%) at the station in the 2024 survey, any direction and half-hour."""
    c = data.load("seoul_metro_congestion", "congestion")
    base = station.split("(")[0]  # 잠실(송파구청) in the ridership files is 잠실 in the congestion survey
    x = c[(c["station"] == base) & (c["day_type"] == "평일") & (c["survey_date"].dt.year == 2024)]
    return float(x["congestion"].max())


def _peak_congestion_both_years(station="강남"):
    c = data.load("seoul_metro_congestion", "congestion")
    x = c[(c["station"] == station.split("(")[0]) & (c["day_type"] == "평일")]
    return float(x["congestion"].mean())


def _mean_congestion_2024(station="강남"):
    c = data.load("seoul_metro_congestion", "congestion")
    x = c[(c["station"] == station.split("(")[0]) & (c["day_type"] == "평일") & (c["survey_date"].dt.year == 2024)]
    return float(x["congestion"].mean())


q1 = Question(
    "q1", variable="weekday_mean",
    prompt="우리 역(station)의 요일별(0=월 … 6=일) 하루 평균 승차 인원 (2023년 1~10월)",
    reference=by_weekday,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["먼저 날짜별로 승차를 더해요(환승역은 호선마다 한 행): daily = sub[sub[\"station\"] == station].groupby(\"date\")[\"boardings\"].sum()",
           "날짜 인덱스의 요일 번호는 daily.index.day_of_week (월요일 = 0)",
           "daily.groupby(daily.index.day_of_week).mean()"],
    solution='weekday_mean = daily.groupby(daily.index.day_of_week).mean()',
    wrong=[Wrong(_by_weekday_sum, "요일별 평균(mean)이 아니라 합계(sum)를 구했어요. 요일마다 들어 있는 날 수가 "
                 "달라(공휴일·기간의 시작과 끝) 합계로는 요일끼리 비교할 수 없어요: .mean()을 쓰세요.", diagnose=True),
           Wrong(_by_weekday_median, "평균(mean)이 아니라 중앙값(median)을 구했어요. "
                 "daily.groupby(daily.index.day_of_week).mean()을 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="weekend",
    prompt="주말 하루 평균 승차가 평일 하루 평균의 몇 %인지 구하기",
    reference=weekend_pct,
    checker=ck.number(rel=1e-6),
    hints=["주말 = 요일 번호 5(토), 6(일): is_weekend = daily.index.day_of_week >= 5",
           "daily[is_weekend].mean() / daily[~is_weekend].mean() × 100"],
    solution='''is_weekend = daily.index.day_of_week >= 5
weekend = daily[is_weekend].mean() / daily[~is_weekend].mean() * 100''',
    wrong=[Wrong(_weekend_ratio, "100배 작아요"),
           Wrong(_weekend_sunday_only, "일요일만 주말로 셌어요. 주말은 토요일(5)과 일요일(6)이에요: "
                 "daily.index.day_of_week >= 5로 고르세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="am",
    prompt="출근 시간(7~9시) 우리 역의 하차 ÷ 승차 (2024년 11월 시간대별 표)",
    reference=am_ratio,
    checker=_number_or_missing,
    hints=["hourly[(hourly[\"station\"] == station) & hourly[\"hour\"].isin([7, 8])]로 7시, 8시 행만 골라요.",
           "하차 합계 / 승차 합계. 1보다 크면 일하러 '오는' 역이에요."],
    solution='''am_rows = hourly[(hourly["station"] == station) & hourly["hour"].isin([7, 8])]
am = am_rows["alightings"].sum() / am_rows["boardings"].sum()''',
    wrong=[Wrong(_am_ratio_inverted, "승차 ÷ 하차로 거꾸로 나눴어요. 문제는 하차 ÷ 승차예요(1보다 크면 일하러 "
                 "'오는' 역)이에요.", diagnose=True),
           Wrong(_am_ratio_hours, "9시대(hour 9, 9~10시)까지 넣었어요. 출근 시간 7~9시는 hour 7(7~8시)과 "
                 "8(8~9시) 두 시간대예요: isin([7, 8])로 고르세요.", diagnose=True),
           Wrong(_am_ratio_whole_day, "출근 시간(7~9시)만 고르지 않고 하루 전체로 나눴어요. "
                 "hourly[\"hour\"].isin([7, 8]) 조건을 더하세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="top_stops",
    prompt="우리 구(gu) 버스정류장 중 출근 시간(7~9시) 승차가 가장 많은 5곳 (열: ars_id, stop_name, boardings)",
    reference=top_bus_stops,
    checker=ck.frame(columns=["ars_id", "stop_name", "boardings"], keys=["ars_id"], ordered=True),
    hints=["한 정류장에 여러 노선이 서요. 노선별 행을 정류장별로 더해야 해요.",
           "bus[(bus[\"gu\"] == gu) & bus[\"hour\"].isin([7, 8])]",
           ".groupby([\"ars_id\", \"stop_name\"], observed=True, as_index=False)[\"boardings\"].sum() 다음 정렬하고 head(5)"],
    solution='''am_bus = bus[(bus["gu"] == gu) & bus["hour"].isin([7, 8])]
top_stops = (am_bus.groupby(["ars_id", "stop_name"], observed=True, as_index=False)["boardings"].sum()
             .sort_values("boardings", ascending=False).head(5))''',
    wrong=[Wrong(_top_rows_not_summed, "노선별 행을 정류장별로 더하지 않았어요(groupby 빠짐): 한 정류장이 노선·시간대마다 "
                 "여러 번 나와요. groupby([\"ars_id\", \"stop_name\"])[\"boardings\"].sum()으로 더한 뒤 "
                 "정렬하세요.", diagnose=True),
           Wrong(_top_stops_all_day, "출근 시간(7~9시)만 고르지 않고 하루 전체 승차를 더했어요. "
                 "bus[\"hour\"].isin([7, 8]) 조건을 더하세요.", diagnose=True)],
)

q5 = Question(
    "q5", variable="crowded",
    prompt="2024년 조사에서 우리 역 평일 혼잡도(%)의 최댓값 (모든 방향·시간대 중)",
    reference=peak_congestion,
    checker=_number_or_missing,
    hints=["혼잡도 조사는 역 이름에 괄호가 없어요: base = station.split(\"(\")[0]",
           "cong[(cong[\"station\"] == base) & (cong[\"day_type\"] == \"평일\")] 로 고르고",
           "조사가 두 번(2019, 2024) 있어요: cong[\"survey_date\"].dt.year == 2024 조건도 더해요.",
           "[\"congestion\"].max()"],
    solution='''base = station.split("(")[0]
rows = cong[(cong["station"] == base) & (cong["day_type"] == "평일") & (cong["survey_date"].dt.year == 2024)]
crowded = rows["congestion"].max()''',
    wrong=[Wrong(_peak_congestion_both_years, "최댓값(max)이 아니라 평균(mean)을 구했고, 2019년 조사까지 섞였어요. "
                 "2024년 조사만 골라 .max()를 쓰세요.", diagnose=True),
           Wrong(_mean_congestion_2024, "최댓값(max)이 아니라 평균(mean)을 구했어요. 가장 붐빌 때를 보려면 .max()를 "
                 "쓰세요.", diagnose=True)],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt="이 수업의 지하철 자료로 말할 수 있는 것은?",
    options={
        "가": "주말 승차가 평일보다 적은 역은 주말에 역 주변에 있는 사람도 그만큼 적다.",
        "나": "출근 시간 하차 ÷ 승차가 1보다 크면, 그 시간에 그 역에서 내린 사람이 탄 사람보다 많았다.",
        "다": "평일 혼잡도 최댓값이 높은 역은 하루 종일 붐빈다.",
        "라": "요일별 평균 승차가 가장 적은 요일에 역 주변 가게의 매출도 가장 적다.",
    },
    answer="나",
    why={
        "가": "승차는 지하철을 타고 '떠나는' 사람만 세요. 걸어서·버스로 와서 머문 사람은 세지 않아요. 주변 인구는 생활인구(중급 06) 같은 다른 자료가 필요해요.",
        "나": "하차 ÷ 승차는 정의 그대로 읽으면 돼요. '일하러 오는 역'이라는 해석은 그럴듯한 설명이지만, 자료가 직접 말하는 건 내린 사람과 탄 사람의 비율이에요.",
        "다": "최댓값은 한 방향·30분 동안의 값이에요. 나머지 시간에는 한산할 수 있으니 시간대별 그래프를 함께 봐야 해요.",
        "라": "매출은 이 자료에 없어요. 승차 인원과 매출이 함께 움직이는지는 카드 매출 같은 다른 자료로 확인해야 해요.",
    },
    hints=["각 보기가 이 자료에 '있는' 숫자만으로 확인되는지 따져 보세요."],
)
