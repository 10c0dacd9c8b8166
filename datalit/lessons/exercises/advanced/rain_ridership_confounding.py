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
from datalit.lessons.concepts import Concept

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


def _naive_vs_all(station="서울역", rain_mm=5.0):
    d = days(station, rain_mm)
    return float((d.loc[d["rainy"], "boardings"].mean() / d["boardings"].mean() - 1) * 100)


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
    wrong=[Wrong(_days_with_holidays,
                 "공휴일처럼 보이는 날(holidays)을 빼지 않았어요. 평일 조건(day_of_week < 5)과 함께 "
                 "~d[\"date\"].isin(holidays)로 설날·추석 같은 날을 빼세요.", diagnose=True)],
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
    wrong=[Wrong(_naive_ratio,
                 "비율(−0.01처럼)로 답했어요. 몇 %인지 물었으니 (비 온 날 평균 / 안 온 날 평균 − 1)에 100을 곱하세요.",
                 diagnose=True),
           Wrong(_naive_vs_all,
                 "비 온 날을 '안 온 날'이 아니라 전체 평일 평균과 비교했어요. 비교 대상은 비가 안 온 날(~d[\"rainy\"])의 평균이에요.",
                 diagnose=True)],
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
    wrong=[Wrong(_adjusted_no_month,
                 "요일만 넣고 달(month) 더미를 빠뜨렸어요. 비 온 날이 여름에 몰려 있어서 달을 빼면 계절 효과가 rainy 계수에 섞여요: "
                 "month와 weekday 더미를 모두 넣으세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="p_strat",
    prompt="달 안에서만 rainy 이름표를 섞는 순열검정(2,000번)의 양쪽 p값 (달 평균을 뺀 log 승차로)",
    reference=stratified_p,
    checker=ck.probability(),
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
    wrong=[Wrong(_unstratified_p,
                 "rainy 이름표를 달 구분 없이 전체에서 섞었어요(그리고 달 평균을 빼지 않았어요). 이 연습은 같은 달 안에서만 섞는 "
                 "층화 순열검정이에요: 달 평균을 뺀 resid로, 달마다 따로 rng.permutation 하세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("기본값(서울역, 비 5mm 이상)에서 평일 202일 중 비 온 날은 26일, 단순 비교는 −1.30%, 달·요일을 통제한 회귀는 약 0.00%, "
            "층화 순열검정 p값은 0.13이에요. 보고서에 쓸 문장으로 알맞은 것은?"),
    options={"가": "달과 요일이 같은 날끼리 견주면 비 온 날의 승차 차이는 거의 없고, 이 자료로는 우연과 구별하기 어렵다. 통제하지 않은 요인(기온, 행사)과 뺀 폭우일은 한계로 적는다.",
             "나": "비가 오면 서울역 승차가 1.3% 줄어든다.",
             "다": "달과 요일을 통제한 차이가 0에 가깝고 층화 순열검정의 p값도 0.05보다 크니, 비는 지하철 승객에 아무 영향이 없다는 것이 증명됐다. 보고서에는 '비와 승차는 "
                  "관계없음'으로 적는다.",
             "라": "회귀에 달과 요일을 넣어 계절과 요일의 차이를 모두 걷어 냈으니, 이제 rainy 계수는 다른 무엇도 섞이지 않은 비의 인과 효과다."},
    answer="가",
    why={"가": "통제한 비교를 중심으로, 불확실성(p값)과 통제하지 않은 것까지 함께 적는 문장이에요.",
         "나": "단순 비교는 비의 효과와 요일·계절의 효과를 섞어요. 기본값에서는 비 온 평일이 승객이 가장 많은 금요일을 거의 비껴가서 "
              "(26일 가운데 3일), 같은 요일끼리만 비교해도 차이가 −1.3%에서 +0.4%로 바뀌어요.",
         "다": "p값이 크면 '이 자료(비 온 날 26일)로는 우연과 구별하기 어렵다'는 뜻이지 효과가 없다는 증명이 아니에요. 비 때문에 승객이 크게 준 날(8월 10일 같은 폭우일)은 "
              "'공휴일처럼 보이는 날' 규칙으로 빠지기도 했어요.",
         "라": "통제한 변수(달, 요일)만큼만 공정해진 비교예요. 기온, 행사, 파업처럼 넣지 않은 요인이 비와 함께 움직이면 여전히 섞여요."},
    hints=["단순 비교와 통제한 비교가 왜 달랐나요? 그리고 p값 0.13은 무엇을 말해 주나요?"],
)
