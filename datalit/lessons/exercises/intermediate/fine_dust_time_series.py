"""Exercises for courses/intermediate/03-fine-dust-time-series.ipynb (daily PM2.5 of one district, 2014–2022)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

PM25_STANDARD = 35  # ㎍/㎥, 24-hour national environmental standard for PM2.5 (since 2018-03-27)


def _air():
    return data.load("seoul_air_quality_daily")


def daily_pm25(gu="마포구"):
    """Daily PM2.5 of the district's city-air station, indexed by date (sorted), missing days kept as NaN."""
    air = _air()
    return air[air["gu"] == gu].set_index("date")["pm25"].sort_index()


def _all_stations(gu="마포구"):
    return _air().set_index("date")["pm25"]


def monthly_mean(gu="마포구"):
    return daily_pm25(gu).resample("MS").mean()


def _monthly_sum(gu="마포구"):
    return daily_pm25(gu).resample("MS").sum()


def _monthly_month_end(gu="마포구"):
    return daily_pm25(gu).resample("ME").mean()


def _monthly_median(gu="마포구"):
    return daily_pm25(gu).resample("MS").median()


def _pm10_daily(gu="마포구"):
    air = _air()
    return air[air["gu"] == gu].set_index("date")["pm10"].sort_index()


def rolling30(gu="마포구"):
    """30-day rolling mean that still gives a value when at least 20 of the 30 days were measured."""
    return daily_pm25(gu).rolling(30, min_periods=20).mean()


def _rolling7(gu="마포구"):
    return daily_pm25(gu).rolling(7, min_periods=5).mean()


def bad_days_by_year(gu="마포구"):
    """Days per year with daily PM2.5 above the standard (> 35 ㎍/㎥)."""
    s = daily_pm25(gu)
    return (s > PM25_STANDARD).groupby(s.index.year).sum()


def _bad_days_ge(gu="마포구"):
    s = daily_pm25(gu)
    return (s >= PM25_STANDARD).groupby(s.index.year).sum()


def _bad_share_by_year(gu="마포구"):
    s = daily_pm25(gu)
    return (s > PM25_STANDARD).groupby(s.index.year).mean()


def _bad_days_old_standard(gu="마포구"):
    s = daily_pm25(gu)
    return (s > 50).groupby(s.index.year).sum()


def bad_share(gu="마포구", year=2019):
    """Share (%) of the measured days of `year` above the standard."""
    s = daily_pm25(gu)
    s = s[s.index.year == year].dropna()
    return float((s > PM25_STANDARD).mean() * 100)


def _bad_share_ratio(gu="마포구", year=2019):
    return bad_share(gu, year) / 100


def _bad_share_with_missing(gu="마포구", year=2019):
    s = daily_pm25(gu)
    s = s[s.index.year == year]
    return float((s > PM25_STANDARD).mean() * 100)


def _bad_share_all_years(gu="마포구", year=2019):
    s = daily_pm25(gu).dropna()
    return float((s > PM25_STANDARD).mean() * 100)


q1 = Question(
    "q1", variable="pm",
    prompt="우리 구(gu) 측정소의 일별 초미세먼지(pm25)를 날짜 인덱스의 Series로 만들기 (날짜순)",
    reference=daily_pm25,
    checker=ck.series(ordered=True),
    hints=["air[air[\"gu\"] == gu]로 우리 구 측정소만 골라요.",
           ".set_index(\"date\")[\"pm25\"]로 날짜가 인덱스인 Series를 만들어요.",
           "마지막에 .sort_index()로 날짜순 정렬!"],
    solution='pm = air[air["gu"] == gu].set_index("date")["pm25"].sort_index()',
    wrong=[Wrong(_all_stations, "우리 구 측정소만 고르지 않았어요(필터 빠짐): 모든 측정소의 값이 다 들어 있어요. "
                 "air[air[\"gu\"] == gu]로 먼저 고르세요.", diagnose=True),
           Wrong(_pm10_daily, "초미세먼지(pm25)가 아니라 미세먼지(pm10) 열을 골랐어요. "
                 ".set_index(\"date\")[\"pm25\"]를 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="monthly",
    prompt="pm을 달마다 평균 내기 (resample, 달의 첫날이 인덱스)",
    reference=monthly_mean,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["날짜 인덱스가 있으면 pm.resample(\"MS\")로 달마다 묶을 수 있어요 (MS = Month Start).",
           "묶은 뒤 .mean()으로 평균! 합계(sum)는 달마다 날 수가 달라 비교가 안 돼요."],
    solution='monthly = pm.resample("MS").mean()',
    wrong=[Wrong(_monthly_sum, "달마다 평균(mean)이 아니라 합계(sum)를 구했어요. 달마다 날 수와 측정된 날 수가 "
                 "달라 합계로는 달끼리 비교할 수 없어요: .mean()을 쓰세요.", diagnose=True),
           Wrong(_monthly_month_end, "달의 마지막 날(\"ME\")이 인덱스가 됐어요. 문제는 달의 첫날(Month Start)을 "
                 "인덱스로 쓰는 resample(\"MS\")예요.", diagnose=True),
           Wrong(_monthly_median, "평균(mean)이 아니라 중앙값(median)을 구했어요. resample(\"MS\").mean()을 쓰세요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="smooth",
    prompt="30일 이동평균 구하기 (30일 중 20일 이상 측정된 경우만 값, min_periods=20)",
    reference=rolling30,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["pm.rolling(30, min_periods=20).mean()",
           "min_periods를 주지 않으면 빈 날이 하나만 있어도 30일 동안 NaN이 돼요."],
    solution="smooth = pm.rolling(30, min_periods=20).mean()",
    wrong=[Wrong(_rolling7, "7일 이동평균을 구했어요. 문제는 30일 이동평균이에요: rolling(30, min_periods=20)을 쓰세요.",
                 diagnose=True),
           Wrong(lambda gu: daily_pm25(gu).rolling(30).mean(), "빈 값(NaN)")],
)

q4 = Question(
    "q4", variable="bad_days",
    prompt="해마다 일평균 초미세먼지가 환경기준(35㎍/㎥)을 '초과'한 날의 수 (연도가 인덱스인 Series)",
    reference=bad_days_by_year,
    checker=ck.series(ordered=True),
    hints=["(pm > 35)는 True/False Series예요. True는 1로 더해져요.",
           "연도별로 묶기: .groupby(pm.index.year).sum()",
           "'초과'는 > 예요. >= 는 '이상'이에요."],
    solution="bad_days = (pm > 35).groupby(pm.index.year).sum()",
    wrong=[Wrong(_bad_days_ge, "'초과'(>)가 아니라 '이상'(>=)으로 셌어요: 딱 35인 날까지 들어갔어요. "
                 "pm > 35로 세세요.", diagnose=True),
           Wrong(_bad_share_by_year, "날의 수(sum)가 아니라 비율(mean)을 구했어요. True/False를 .sum()으로 더하면 "
                 "기준을 넘은 날의 수가 돼요.", diagnose=True),
           Wrong(_bad_days_old_standard, "옛 기준 50㎍/㎥로 셌어요. 이 연습은 지금의 환경기준 35㎍/㎥를 모든 해에 "
                 "똑같이 적용해요: pm > 35로 세세요.", diagnose=True)],
)

q5 = Question(
    "q5", variable="share",
    prompt="고른 해(year)에 측정된 날 가운데 기준을 초과한 날의 비율(%) 구하기",
    reference=bad_share,
    checker=ck.number(rel=1e-6),
    hints=["그 해만 고르기: pm[pm.index.year == year]",
           "측정이 없는 날(NaN)은 dropna()로 빼고 계산해요.",
           "True/False의 평균(mean)은 True의 비율이에요. 퍼센트로 만들려면 × 100"],
    solution='''y = pm[pm.index.year == year].dropna()
share = (y > 35).mean() * 100''',
    wrong=[Wrong(_bad_share_ratio, "100배 작아요"),
           Wrong(_bad_share_with_missing, "측정하지 않은 날(NaN)까지 분모에 넣었어요. NaN > 35는 False라서 비율이 "
                 "작아져요: 그 해의 값에 .dropna()를 먼저 하세요.", diagnose=True),
           Wrong(_bad_share_all_years, "고른 해(year)만 고르지 않고 9년 전체로 계산했어요. "
                 "pm[pm.index.year == year]로 먼저 고르세요.", diagnose=True)],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt="연습 4의 막대그래프(해마다 35㎍/㎥를 넘은 날의 수)로 말할 수 있는 것은?",
    options={
        "가": "2018년에 기준을 35로 강화했기 때문에 공기가 좋아졌다.",
        "나": "2020년 이후 초과 일수가 줄어든 것은 코로나19 때문이다.",
        "다": "같은 기준(35)으로 센 초과 일수가 해마다 어떻게 달라졌는지 비교할 수 있다. 다만 측정이 빠진 날이 많은 해는 적게 나올 수 있다.",
        "라": "2014~2017년의 공식 '초과 일수'도 이 그래프와 같다.",
    },
    answer="다",
    why={
        "가": "기준은 '몇 날을 나쁜 날로 셀지' 정하는 선일 뿐 공기를 바꾸지 않아요. 게다가 그래프는 모든 해를 35로 셌으니 기준 변화가 보이지도 않아요.",
        "나": "그래프는 해마다의 차이만 보여 줘요. 날씨, 국외 영향, 계절관리제 같은 다른 설명도 같은 모양을 만들 수 있어서 원인은 이 자료로 가릴 수 없어요.",
        "다": "모든 해에 같은 선(35)을 적용했으니 해끼리 비교할 수 있어요. 측정이 빠진 날은 세지 않으니, 결측이 많은 해는 연습 5처럼 '측정된 날 대비 비율'로도 보아야 해요.",
        "라": "2018년 3월 27일 전에는 기준이 50이었어요. 당시 공식 초과 일수는 50을 넘은 날이라 이 그래프보다 적어요.",
    },
    hints=["그래프가 세는 선(35)이 모든 해에 똑같이 쓰였는지, 원인에 대한 정보가 그래프에 있는지 보세요."],
)
