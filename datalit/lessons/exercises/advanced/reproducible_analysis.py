"""Exercises for courses/advanced/06-reproducible-analysis.ipynb (PM10 against wind, rerunnable by parameters).

The analysis: one district's daily PM10 in one year joined with the KMA Seoul station's daily weather;
Spearman correlation of PM10 with mean wind speed and a seeded bootstrap interval for it. The seed is a
lesson parameter: the same seed and the same procedure give the same interval to the last digit.
"""
from __future__ import annotations

import math
from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

AIR = "seoul_air_quality_daily"
WEATHER = "seoul_weather_asos108_daily_2014_2024"
COLUMNS = ["date", "pm10", "wind_mean_ms", "precip_mm"]
N_BOOT = 1000


def daily(gu="마포구", year=2019):
    """The district's daily PM10 joined (inner) with the weather of the same day; rows with a gap dropped."""
    air = data.load(AIR)
    weather = data.load(WEATHER)
    mine = air[(air["gu"] == gu) & (air["date"].dt.year == year)][["date", "pm10"]]
    out = mine.merge(weather[["date", "wind_mean_ms", "precip_mm"]], on="date", how="inner")
    return out.dropna().reset_index(drop=True)


def _daily_with_gaps(gu="마포구", year=2019):
    air = data.load(AIR)
    weather = data.load(WEATHER)
    mine = air[(air["gu"] == gu) & (air["date"].dt.year == year)][["date", "pm10"]]
    return mine.merge(weather[["date", "wind_mean_ms", "precip_mm"]], on="date", how="left").reset_index(drop=True)


def spearman_wind(gu="마포구", year=2019):
    d = daily(gu, year)
    return float(d["pm10"].corr(d["wind_mean_ms"], method="spearman"))


def _pearson_wind(gu="마포구", year=2019):
    d = daily(gu, year)
    return float(d["pm10"].corr(d["wind_mean_ms"]))


@lru_cache(maxsize=32)
def bootstrap_ci(gu="마포구", year=2019, seed=2024):
    """Resample days (rows) with replacement N_BOOT times: rng.integers(0, n, n) each time.

    Same draws as the lesson's loop with pandas ``corr(method="spearman")``; the ranks are computed for
    all resamples at once (scipy ``rankdata``, average ties like pandas) so that the reference is quick."""
    import numpy as np
    from scipy.stats import rankdata

    d = daily(gu, year)
    rng = np.random.default_rng(seed)
    n = len(d)
    idx = np.stack([rng.integers(0, n, n) for _ in range(N_BOOT)])
    x = rankdata(d["pm10"].to_numpy()[idx], axis=1)
    y = rankdata(d["wind_mean_ms"].to_numpy()[idx], axis=1)
    x -= x.mean(axis=1, keepdims=True)
    y -= y.mean(axis=1, keepdims=True)
    rs = (x * y).sum(axis=1) / np.sqrt((x * x).sum(axis=1) * (y * y).sum(axis=1))
    lo, hi = np.percentile(rs, [2.5, 97.5])
    return float(lo), float(hi)


def _rng_in_loop(gu="마포구", year=2019, seed=2024):
    import numpy as np

    d = daily(gu, year)
    n = len(d)
    s = d.iloc[np.random.default_rng(seed).integers(0, n, n)]
    r = float(s["pm10"].corr(s["wind_mean_ms"], method="spearman"))
    return r, r


def exact_interval():
    """Same seed, same procedure -> the same numbers; a near miss is named as a reproducibility problem."""
    loose = ck.interval()

    def check(answer, expected):
        msg = loose(answer, expected)
        if msg:
            return msg
        import numpy as np

        got = [float(v) for v in np.asarray(answer, dtype=float).ravel()]
        if all(math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-12) for a, e in zip(got, expected)):
            return None
        return ("거의 맞지만 숫자가 똑같지는 않아요. 재현 가능한 분석이라면 마지막 자리까지 같아야 해요: "
                "np.random.default_rng(seed)로 시작했는지, 1,000번 rng.integers(0, n, n)으로 뽑았는지 확인하세요.")

    return check


def files_used():
    """The data files (dataset/file) behind this analysis, as recorded in datalit.data.READ_LOG."""
    data.load(AIR)
    data.load(WEATHER)
    return sorted(k for k in data.READ_LOG if k.split("/")[0] in (AIR, WEATHER))


def _air_files_only():
    return [k for k in files_used() if k.startswith(AIR + "/")]


q1 = Question(
    "q1", variable="daily",
    prompt="우리 구(gu), 그 해(year)의 일별 pm10과 같은 날 날씨(wind_mean_ms, precip_mm)를 합친 표 (빈 값이 있는 날 제외)",
    reference=daily,
    checker=ck.frame(columns=COLUMNS, keys=["date"]),
    hints=["mine = air[(air[\"gu\"] == gu) & (air[\"date\"].dt.year == year)][[\"date\", \"pm10\"]]",
           "mine.merge(weather[[\"date\", \"wind_mean_ms\", \"precip_mm\"]], on=\"date\")",
           "측정이 빠진 날(NaN)은 .dropna()로 빼요."],
    solution='''mine = air[(air["gu"] == gu) & (air["date"].dt.year == year)][["date", "pm10"]]
daily = mine.merge(weather[["date", "wind_mean_ms", "precip_mm"]], on="date").dropna()''',
    wrong=[Wrong(_daily_with_gaps,
                 "측정이 빠진 날(NaN)이 남아 있어요. merge 뒤에 .dropna()로 pm10이나 날씨가 빈 날을 빼세요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="r_wind",
    prompt="pm10과 평균 풍속(wind_mean_ms)의 스피어만 순위상관계수",
    reference=spearman_wind,
    checker=ck.number(rel=1e-6),
    hints=["두 열의 상관계수: daily[\"pm10\"].corr(daily[\"wind_mean_ms\"], method=...)",
           "순위상관: method=\"spearman\" (기본값 pearson은 직선 관계만 봐요)"],
    solution='''r_wind = daily["pm10"].corr(daily["wind_mean_ms"], method="spearman")''',
    wrong=[Wrong(_pearson_wind,
                 "피어슨 상관계수(.corr()의 기본값)예요. 황사 같은 큰 값에 덜 휘둘리는 순위상관을 써야 해요: "
                 ".corr(..., method=\"spearman\")", diagnose=True),
           Wrong(lambda gu, year: -spearman_wind(gu, year), "부호")],
)

q3 = Question(
    "q3", variable="ci_r",
    prompt="시드(seed)로 시작해 날짜를 1,000번 복원추출한 스피어만 상관계수의 95% 부트스트랩 구간 (마지막 자리까지 재현)",
    reference=bootstrap_ci,
    checker=exact_interval(),
    hints=["rng = np.random.default_rng(seed); n = len(daily)",
           "1,000번: s = daily.iloc[rng.integers(0, n, n)]; s[\"pm10\"].corr(s[\"wind_mean_ms\"], method=\"spearman\")",
           "ci_r = tuple(np.percentile(rs, [2.5, 97.5]))"],
    solution='''rng = np.random.default_rng(seed)
n = len(daily)
rs = []
for _ in range(1000):
    s = daily.iloc[rng.integers(0, n, n)]
    rs.append(s["pm10"].corr(s["wind_mean_ms"], method="spearman"))
ci_r = tuple(np.percentile(rs, [2.5, 97.5]))''',
    wrong=[Wrong(lambda gu, year, seed: bootstrap_ci(gu, year, seed + 1), "똑같지는 않아요"),
           Wrong(_rng_in_loop,
                 "반복할 때마다 np.random.default_rng(seed)를 새로 만들어서 1,000번 모두 같은 표본을 뽑았어요. 그래서 구간의 "
                 "폭이 0이에요. rng는 반복문 밖에서 한 번만 만들고 그 rng로 계속 뽑으세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="files",
    prompt="이 분석이 읽은 데이터 파일 목록: datalit.data.READ_LOG에서 두 데이터셋의 키('데이터셋/파일')만 골라 정렬",
    reference=files_used,
    checker=ck.values(ordered=True, normalize=False),
    hints=["data.READ_LOG는 {\"데이터셋/파일\": sha256} 사전이에요.",
           "키의 앞부분(k.split(\"/\")[0])이 두 데이터셋 id 중 하나인 것만 고르세요.",
           "sorted([...])로 정렬하세요."],
    solution='''files = sorted(k for k in data.READ_LOG
               if k.split("/")[0] in ("seoul_air_quality_daily", "seoul_weather_asos108_daily_2014_2024"))''',
    wrong=[Wrong(_air_files_only,
                 "대기오염 파일만 골랐어요. 날씨(seoul_weather_asos108_daily_2014_2024) 파일도 이 분석이 읽은 파일이에요: "
                 "두 데이터셋의 키를 모두 남기세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("기본값(마포구 2019년)에서 PM10과 풍속의 스피어만 상관은 −0.09, 시드 2024로 재현한 95% 부트스트랩 구간은 약 −0.19 ~ 0.03이에요. "
            "누가 다시 돌려도 마지막 자리까지 같은 숫자가 나와요. 이 결과에 대해 맞는 것은?"),
    options={"가": "마지막 자리까지 재현되니 이 결과는 옳다: 누가 몇 번을 돌려도 같은 음의 상관이 나오므로, 바람이 세지면 미세먼지가 줄어든다고 보고할 수 있다.",
             "나": "상관이 0에 가까우니 바람과 미세먼지는 아무 관계가 없다.",
             "다": "재현된다는 것은 같은 자료와 같은 절차면 같은 숫자가 나온다는 것까지다. 관계는 약하고 구간이 0을 포함하며, 원인은 다른 근거로 따져야 한다.",
             "라": "시드를 바꿔 구간이 조금 달라지면 분석이 틀린 것이다."},
    answer="다",
    why={"가": "재현 가능성은 '같은 계산을 다시 하면 같다'는 것이지 '맞다'는 보증이 아니에요. 게다가 상관은 인과가 아니에요: 계절, 황사, 강수가 바람·미세먼지와 함께 움직여요.",
         "나": "순위상관은 한 방향으로 함께 움직이는 관계만 재요. 바람이 먼지를 흩어 놓는 날과 황사를 실어 오는 날이 섞이면 관계가 있어도 상관이 0 가까이 나올 수 있어요.",
         "다": "재현 가능한 분석은 검증의 출발점이에요. 숫자가 무엇을 말하는지(약한 관계, 불확실한 방향)와 한계를 함께 적어요.",
         "라": "다른 시드는 다른 재표본이라 구간이 조금 달라지는 것이 정상이에요. 그래서 어떤 시드를 썼는지 함께 적어요. 시드를 바꿨을 때 결론이 뒤집힐 만큼 흔들린다면 그것 자체가 불확실성이 "
              "크다는 신호예요."},
    hints=["'다시 돌려도 같은 숫자'와 '그 숫자가 세상에 대해 맞는 말'은 같은 것일까요?"],
)
