"""Exercises for courses/intermediate/06-living-population.ipynb (de-facto population by district, 2018-04 … 2020-07)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

SPRING = [3, 4, 5, 6]  # March–June: compared between 2019 and 2020


def _lp():
    return data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")


def day_night():
    """Mean daytime (09–18 h) population divided by mean night-time (19–08 h) population, highest first."""
    g = _lp().groupby("gu")[["daytime_mean", "nighttime_mean"]].mean()
    out = (g["daytime_mean"] / g["nighttime_mean"]).rename("day_night_ratio").reset_index()
    return out.sort_values("day_night_ratio", ascending=False).reset_index(drop=True)


def _day_night_ascending():
    return day_night().iloc[::-1].reset_index(drop=True)


def _night_day_ratio():
    """The ratio the other way round (night / day), sorted the way the exercise asks."""
    out = day_night().assign(day_night_ratio=lambda t: 1 / t["day_night_ratio"])
    return out.sort_values("day_night_ratio", ascending=False).reset_index(drop=True)


def weekend_change(gu="중구"):
    """Weekend mean total population vs weekday mean, in percent (negative = fewer people at weekends)."""
    d = _lp()
    d = d[d["gu"] == gu]
    weekend = d["date"].dt.day_of_week >= 5
    return float((d.loc[weekend, "total"].mean() / d.loc[~weekend, "total"].mean() - 1) * 100)


def _weekend_change_ratio(gu="중구"):
    return weekend_change(gu) / 100


def _weekend_change_seoul(gu="중구"):
    d = _lp()
    weekend = d["date"].dt.day_of_week >= 5
    return float((d.loc[weekend, "total"].mean() / d.loc[~weekend, "total"].mean() - 1) * 100)


def _weekend_change_daytime(gu="중구"):
    d = _lp()
    d = d[d["gu"] == gu]
    weekend = d["date"].dt.day_of_week >= 5
    return float((d.loc[weekend, "daytime_mean"].mean() / d.loc[~weekend, "daytime_mean"].mean() - 1) * 100)


def covid_change():
    """Change (%) of the mean total population, March–June 2020 against March–June 2019, per district, most negative first."""
    d = _lp()
    d = d[d["date"].dt.month.isin(SPRING)]
    y = d.groupby(["gu", d["date"].dt.year])["total"].mean().unstack()
    change = ((y[2020] / y[2019] - 1) * 100).rename("change_pct")
    return change.sort_values()


def _covid_change_ratio():
    return covid_change() / 100


def _covid_change_all_months():
    d = _lp()
    d = d[d["date"].dt.month.isin([1, 2, 3, 4, 5, 6, 7])]
    y = d.groupby(["gu", d["date"].dt.year])["total"].mean().unstack()
    return ((y[2020] / y[2019] - 1) * 100).rename("change_pct").sort_values()


def _covid_change_desc():
    return covid_change().sort_values(ascending=False)


def foreign_visitors_drop(gu="중구"):
    """Change (%) of short-stay foreigners: April 2020 monthly mean against January 2020."""
    d = _lp()
    s = d[d["gu"] == gu].set_index("date")["short_stay_foreigners"]
    jan, apr = s.loc["2020-01"].mean(), s.loc["2020-04"].mean()
    return float((apr - jan) / jan * 100)


def _foreign_visitors_reversed(gu="중구"):
    d = _lp()
    s = d[d["gu"] == gu].set_index("date")["short_stay_foreigners"]
    jan, apr = s.loc["2020-01"].mean(), s.loc["2020-04"].mean()
    return float((jan - apr) / jan * 100)


def _foreign_visitors_march(gu="중구"):
    d = _lp()
    s = d[d["gu"] == gu].set_index("date")["short_stay_foreigners"]
    jan, mar = s.loc["2020-01"].mean(), s.loc["2020-03"].mean()
    return float((mar - jan) / jan * 100)


q1 = Question(
    "q1", variable="ratio",
    prompt="자치구별 주간(09~18시) 평균 ÷ 야간(19~08시) 평균 생활인구 비율(day_night_ratio)을 큰 순서로 정렬하기",
    reference=day_night,
    checker=ck.frame(columns=["gu", "day_night_ratio"], ordered=True),
    hints=["lp.groupby(\"gu\")[[\"daytime_mean\", \"nighttime_mean\"]].mean()으로 구별 평균을 먼저 구해요.",
           "두 열을 나누고 .rename(\"day_night_ratio\").reset_index()로 표로 만들어요.",
           "sort_values(\"day_night_ratio\", ascending=False)"],
    solution='''g = lp.groupby("gu")[["daytime_mean", "nighttime_mean"]].mean()
ratio = (g["daytime_mean"] / g["nighttime_mean"]).rename("day_night_ratio").reset_index()
ratio = ratio.sort_values("day_night_ratio", ascending=False)''',
    wrong=[Wrong(_day_night_ascending, "반대"),
           Wrong(_night_day_ratio,
                 "야간 ÷ 주간으로 거꾸로 나눴어요. 문제는 주간(daytime_mean) ÷ 야간(nighttime_mean)이에요: 1보다 크면 "
                 "낮에 사람이 몰려드는 구예요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="weekend_pct",
    prompt="우리 구(gu)의 주말 하루 평균 생활인구가 평일보다 몇 % 많은지(적으면 음수)",
    reference=weekend_change,
    checker=ck.number(rel=1e-6),
    hints=["mine = lp[lp[\"gu\"] == gu], 주말은 mine[\"date\"].dt.day_of_week >= 5",
           "(주말 평균 / 평일 평균 - 1) × 100"],
    solution='''mine = lp[lp["gu"] == gu]
is_weekend = mine["date"].dt.day_of_week >= 5
weekend_pct = (mine.loc[is_weekend, "total"].mean() / mine.loc[~is_weekend, "total"].mean() - 1) * 100''',
    wrong=[Wrong(_weekend_change_ratio, "100배 작아요"),
           Wrong(_weekend_change_seoul, "우리 구만 고르지 않았어요(필터 빠짐): 서울 25개 구 전체로 계산했어요. "
                 "lp[lp[\"gu\"] == gu]로 먼저 고르세요.", diagnose=True),
           Wrong(_weekend_change_daytime, "하루 평균(total)이 아니라 주간 평균(daytime_mean) 열로 계산했어요. "
                 "total 열을 쓰세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="change",
    prompt="3~6월 평균 생활인구의 2019년 대비 2020년 변화율(%)을 자치구별로, 가장 많이 줄어든 구부터",
    reference=covid_change,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["3~6월만: lp[lp[\"date\"].dt.month.isin([3, 4, 5, 6])]",
           "groupby([\"gu\", spring[\"date\"].dt.year])[\"total\"].mean().unstack()로 연도를 열로 펼쳐요.",
           "(y[2020] / y[2019] - 1) * 100 을 .sort_values()로 오름차순(가장 많이 준 구가 먼저)"],
    solution='''spring = lp[lp["date"].dt.month.isin([3, 4, 5, 6])]
y = spring.groupby(["gu", spring["date"].dt.year])["total"].mean().unstack()
change = ((y[2020] / y[2019] - 1) * 100).sort_values()''',
    wrong=[Wrong(_covid_change_ratio, "100배 작아요"), Wrong(_covid_change_desc, "반대"),
           Wrong(_covid_change_all_months, "3~6월만 고르지 않고 1~7월 전체를 비교했어요. 코로나19 영향을 보려는 "
                 "기간은 3~6월이에요: lp[\"date\"].dt.month.isin([3, 4, 5, 6])로 고르세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="visitors",
    prompt="우리 구 단기체류 외국인(관광객 등)의 2020년 1월 → 4월 월평균 변화율(%)",
    reference=foreign_visitors_drop,
    checker=ck.number(rel=1e-6),
    hints=["s = lp[lp[\"gu\"] == gu].set_index(\"date\")[\"short_stay_foreigners\"]",
           "날짜 인덱스에서는 s.loc[\"2020-01\"]로 한 달을 골라요.",
           "변화율 = (나중 - 처음) / 처음 × 100"],
    solution='''s = lp[lp["gu"] == gu].set_index("date")["short_stay_foreigners"]
jan, apr = s.loc["2020-01"].mean(), s.loc["2020-04"].mean()
visitors = (apr - jan) / jan * 100''',
    wrong=[Wrong(_foreign_visitors_reversed, "부호가 반대"),
           Wrong(_foreign_visitors_march, "4월이 아니라 3월(\"2020-03\")과 비교했어요. 한 달 어긋났어요: "
                 "s.loc[\"2020-04\"]를 쓰세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="연습 3의 그래프(3~6월 생활인구, 2020년 vs 2019년)로 말할 수 있는 것은?",
    options={"가": "재택근무 때문에 주거지 구의 생활인구가 늘었다.",
             "나": "생활인구가 늘어난 구는 모두 주거지 구(주간 ÷ 야간 비율이 1보다 작은 구)이고, 낮에 사람이 모이는 도심 구는 하나도 늘지 않았다.",
             "다": "2020년 봄에 서울 25개 구 모두 생활인구가 줄었다.",
             "라": "2020년 3~6월 중구·종로구의 하루 평균 생활인구는 1년 전 같은 달보다 크게 줄었다."},
    answer="라",
    why={"가": "그래프는 두 해의 차이만 보여 줘요. 재택근무는 그럴듯한 가설이지만 이사·새 아파트 입주나 추정 방식의 차이도 같은 모양을 만들 수 있어 원인은 이 자료로 확인할 수 없어요.",
         "나": "늘어난 15개 구에는 주간 ÷ 야간 비율이 1보다 큰 강남구·성동구·금천구도 있어요. 두 표를 나란히 놓고 확인해 보세요.",
         "다": "25개 구 가운데 15곳은 오히려 늘었어요(+0.1%~+8.5%).",
         "라": "중구(-24.1%)와 종로구(-14.3%)가 가장 많이 줄었어요. 같은 달끼리 비교했으니 계절 효과도 덜 섞였어요."},
    hints=["그래프에서 0보다 오른쪽(늘어난 구)에 있는 막대를 세어 보세요."],
)
