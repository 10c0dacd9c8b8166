"""Exercises for courses/advanced/07-rain-ridership-confounding.ipynb (does rain change subway boardings?).

Weekdays (Mon-Fri) of Jan-Oct 2023 at one station, joined with the KMA Seoul daily precipitation.
Holiday-like weekdays are found in the data itself: Seoul-wide boardings below 80 % of the weekday
median. Month is the confounder (the rainy season is also the holiday season), handled by a regression
with month and weekday dummies and by a permutation test that shuffles the rain labels within months.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.exercises.advanced_01 import probability

SUBWAY = "seoul_subway_daily_ridership_2023"
WEATHER = "seoul_weather_asos108_daily_2014_2024"
HOLIDAY_SHARE = 0.8
SEED = 2024
N_PERM = 2000


def holiday_like():
    """Mon-Fri dates whose Seoul-wide boardings are below 80 % of the weekday median."""
    s = data.load(SUBWAY)
    total = s.groupby("date")["boardings"].sum()
    weekdays = total[total.index.day_of_week < 5]
    return sorted(weekdays[weekdays < HOLIDAY_SHARE * weekdays.median()].index)


@lru_cache(maxsize=16)
def _days(station, rain_mm):
    s = data.load(SUBWAY)
    w = data.load(WEATHER)
    d = s[s["station"] == station].groupby("date", as_index=False)["boardings"].sum()
    d = d.merge(w[["date", "precip_mm"]], on="date")
    d = d[(d["date"].dt.day_of_week < 5) & ~d["date"].isin(holiday_like())]
    return d.assign(rainy=d["precip_mm"] >= rain_mm).reset_index(drop=True)


def days(station="서울역", rain_mm=5.0):
    """One row per ordinary weekday: date, boardings (all lines), precip_mm, rainy (precip_mm >= rain_mm)."""
    return _days(station, float(rain_mm)).copy()


def _days_with_holidays(station="서울역", rain_mm=5.0):
    s = data.load(SUBWAY)
    w = data.load(WEATHER)
    d = s[s["station"] == station].groupby("date", as_index=False)["boardings"].sum()
    d = d.merge(w[["date", "precip_mm"]], on="date")
    d = d[d["date"].dt.day_of_week < 5]
    return d.assign(rainy=d["precip_mm"] >= rain_mm).reset_index(drop=True)


def naive_pct(station="서울역", rain_mm=5.0):
    d = days(station, rain_mm)
    rainy, dry = d.loc[d["rainy"], "boardings"].mean(), d.loc[~d["rainy"], "boardings"].mean()
    return float((rainy / dry - 1) * 100)


def _naive_ratio(station="서울역", rain_mm=5.0):
    return naive_pct(station, rain_mm) / 100


def _design(d):
    import pandas as pd

    X = pd.get_dummies(pd.DataFrame({"month": d["date"].dt.month.astype(str),
                                     "weekday": d["date"].dt.day_of_week.astype(str)}), dtype=float)
    X.insert(0, "rainy", d["rainy"].astype(float))
    return X


def adjusted_pct(station="서울역", rain_mm=5.0):
    """100 × the rainy coefficient of log(boardings) ~ rainy + month dummies + weekday dummies."""
    import numpy as np
    from sklearn.linear_model import LinearRegression

    d = days(station, rain_mm)
    model = LinearRegression().fit(_design(d), np.log(d["boardings"]))
    return float(model.coef_[0] * 100)


def _adjusted_no_month(station="서울역", rain_mm=5.0):
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LinearRegression

    d = days(station, rain_mm)
    X = pd.get_dummies(d["date"].dt.day_of_week.astype(str), dtype=float)
    X.insert(0, "rainy", d["rainy"].astype(float))
    return float(LinearRegression().fit(X, np.log(d["boardings"])).coef_[0] * 100)


def _demeaned(station, rain_mm):
    import numpy as np

    d = days(station, rain_mm)
    logb = np.log(d["boardings"])
    return d.assign(resid=logb - logb.groupby(d["date"].dt.month).transform("mean"))


def stratified_p(station="서울역", rain_mm=5.0):
    """Two-sided p: shuffle the rainy labels within each month, statistic = mean resid (rainy) - mean (dry)."""
    import numpy as np

    d = _demeaned(station, rain_mm)
    resid, rainy = d["resid"].to_numpy(), d["rainy"].to_numpy()
    months = d["date"].dt.month.to_numpy()
    obs = resid[rainy].mean() - resid[~rainy].mean()
    rng = np.random.default_rng(SEED)
    groups = [np.flatnonzero(months == m) for m in np.unique(months)]
    stats = np.empty(N_PERM)
    for i in range(N_PERM):
        shuffled = rainy.copy()
        for g in groups:
            shuffled[g] = rng.permutation(rainy[g])
        stats[i] = resid[shuffled].mean() - resid[~shuffled].mean()
    return float((np.abs(stats) >= abs(obs)).mean())


def _unstratified_p(station="서울역", rain_mm=5.0):
    import numpy as np

    d = days(station, rain_mm)
    logb, rainy = np.log(d["boardings"].to_numpy()), d["rainy"].to_numpy()
    obs = logb[rainy].mean() - logb[~rainy].mean()
    rng = np.random.default_rng(SEED)
    stats = np.empty(N_PERM)
    for i in range(N_PERM):
        s = rng.permutation(rainy)
        stats[i] = logb[s].mean() - logb[~s].mean()
    return float((np.abs(stats) >= abs(obs)).mean())


q1 = Question(
    "q1", variable="d",
    prompt="우리 역(station)의 평일(월~금, 공휴일처럼 보이는 날 제외) 하루 승차 합계와 강수량, 비 온 날 여부(rainy) 표",
    reference=days,
    checker=ck.frame(columns=["date", "boardings", "precip_mm", "rainy"], keys=["date"]),
    hints=["한 역이 여러 호선에 있으면 날짜별로 더해요: groupby(\"date\", as_index=False)[\"boardings\"].sum()",
           "weather[[\"date\", \"precip_mm\"]]와 date로 merge하고, day_of_week < 5 이고 holidays에 없는 날만 남겨요.",
           "rainy = precip_mm >= rain_mm"],
    solution='''d = subway[subway["station"] == station].groupby("date", as_index=False)["boardings"].sum()
d = d.merge(weather[["date", "precip_mm"]], on="date")
d = d[(d["date"].dt.day_of_week < 5) & ~d["date"].isin(holidays)]
d["rainy"] = d["precip_mm"] >= rain_mm''',
    wrong=[Wrong(_days_with_holidays, "행 수가 정답")],
)

q2 = Question(
    "q2", variable="naive",
    prompt="단순 비교: 비 온 날 평균 승차가 안 온 날 평균보다 몇 % 많은지(적으면 음수)",
    reference=naive_pct,
    checker=ck.number(rel=1e-6),
    hints=["rainy_mean = d.loc[d[\"rainy\"], \"boardings\"].mean()",
           "퍼센트 변화 = (비 온 날 평균 / 안 온 날 평균 - 1) × 100"],
    solution='''rainy_mean = d.loc[d["rainy"], "boardings"].mean()
dry_mean = d.loc[~d["rainy"], "boardings"].mean()
naive = (rainy_mean / dry_mean - 1) * 100''',
    wrong=[Wrong(_naive_ratio, "100배 작아요")],
)

q3 = Question(
    "q3", variable="adjusted",
    prompt="달과 요일을 함께 넣은 회귀 log(승차) ~ rainy + 달 + 요일 에서 rainy 계수 × 100 (약 % 변화)",
    reference=adjusted_pct,
    checker=ck.number(rel=1e-4, abs=1e-6),
    hints=["X = pd.get_dummies(pd.DataFrame({\"month\": 달(글자), \"weekday\": 요일(글자)}), dtype=float)",
           "X.insert(0, \"rainy\", d[\"rainy\"].astype(float)); LinearRegression().fit(X, np.log(d[\"boardings\"]))",
           "adjusted = model.coef_[0] * 100  (첫 열이 rainy)"],
    solution='''X = pd.get_dummies(pd.DataFrame({"month": d["date"].dt.month.astype(str),
                                 "weekday": d["date"].dt.day_of_week.astype(str)}), dtype=float)
X.insert(0, "rainy", d["rainy"].astype(float))
model = LinearRegression().fit(X, np.log(d["boardings"]))
adjusted = model.coef_[0] * 100''',
    wrong=[Wrong(_adjusted_no_month, "정답보다")],
)

q4 = Question(
    "q4", variable="p_strat",
    prompt="달 안에서만 rainy 이름표를 섞는 순열검정(2,000번)의 양쪽 p값 (달 평균을 뺀 log 승차로)",
    reference=stratified_p,
    checker=probability(),
    hints=["resid = log(승차) - 그 달의 log(승차) 평균: logb - logb.groupby(달).transform(\"mean\")",
           "섞을 때 달마다 따로: for g in 달별 위치: shuffled[g] = rng.permutation(rainy[g])",
           "p = (|섞은 차이| >= |관측 차이|)의 비율"],
    solution='''logb = np.log(d["boardings"])
resid = (logb - logb.groupby(d["date"].dt.month).transform("mean")).to_numpy()
rainy = d["rainy"].to_numpy()
months = d["date"].dt.month.to_numpy()
obs = resid[rainy].mean() - resid[~rainy].mean()
rng = np.random.default_rng(2024)
groups = [np.flatnonzero(months == m) for m in np.unique(months)]
stats = []
for _ in range(2000):
    shuffled = rainy.copy()
    for g in groups:
        shuffled[g] = rng.permutation(rainy[g])
    stats.append(resid[shuffled].mean() - resid[~shuffled].mean())
p_strat = (np.abs(np.array(stats)) >= abs(obs)).mean()''',
    wrong=[Wrong(_unstratified_p, "정답")],
)
