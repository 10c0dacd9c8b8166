"""Exercises for courses/advanced/01-bootstrap-permutation.ipynb (weekday vs weekend air pollution).

The tolerant checkers (``ck.interval``, ``ck.probability``) are shared with the other advanced lessons and
live in ``datalit.lessons.checkers``.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "seoul_air_quality_daily"
SEED = 2024
N_BOOT = 2000
N_PERM = 2000
POLLUTANTS = ["pm10", "pm25", "no2_ppm", "o3_ppm"]


# ----- the lesson's data and reference answers ----------------------------------------------------------
def gu_year(gu="마포구", year=2019, pollutant="pm10"):
    """One district's daily values in one year, with a weekend flag (Saturday, Sunday)."""
    if pollutant not in POLLUTANTS:
        raise ValueError(f"pollutant must be one of {POLLUTANTS}")
    air = data.load(DATASET)
    d = air[(air["gu"] == gu) & (air["date"].dt.year == year)].dropna(subset=[pollutant])
    return d.assign(weekend=d["date"].dt.day_of_week >= 5)


def _groups(gu, year, pollutant):
    d = gu_year(gu, year, pollutant)
    return d.loc[d["weekend"], pollutant].to_numpy(), d.loc[~d["weekend"], pollutant].to_numpy()


def observed_diff(gu="마포구", year=2019, pollutant="pm10"):
    weekend, weekday = _groups(gu, year, pollutant)
    return float(weekend.mean() - weekday.mean())


@lru_cache(maxsize=8)
def bootstrap_diffs(gu="마포구", year=2019, pollutant="pm10", seed=SEED, n_boot=N_BOOT):
    """Bootstrap differences (weekend mean - weekday mean), drawn exactly as the lesson's loop (cached; read-only)."""
    import numpy as np

    weekend, weekday = _groups(gu, year, pollutant)
    rng = np.random.default_rng(seed)
    return np.array([rng.choice(weekend, len(weekend)).mean() - rng.choice(weekday, len(weekday)).mean()
                     for _ in range(n_boot)])


def bootstrap_ci(gu="마포구", year=2019, pollutant="pm10"):
    import numpy as np

    lo, hi = np.percentile(bootstrap_diffs(gu, year, pollutant), [2.5, 97.5])
    return float(lo), float(hi)


@lru_cache(maxsize=8)
def permutation_diffs(gu="마포구", year=2019, pollutant="pm10", seed=SEED, n_perm=N_PERM):
    """Differences after shuffling the weekend/weekday labels, as the lesson's loop (cached; read-only)."""
    import numpy as np

    weekend, weekday = _groups(gu, year, pollutant)
    values = np.concatenate([weekend, weekday])
    rng = np.random.default_rng(seed)
    n = len(weekend)
    out = np.empty(n_perm)
    for i in range(n_perm):
        p = rng.permutation(values)
        out[i] = p[:n].mean() - p[n:].mean()
    return out


def permutation_p(gu="마포구", year=2019, pollutant="pm10"):
    import numpy as np

    obs = observed_diff(gu, year, pollutant)
    return float((np.abs(permutation_diffs(gu, year, pollutant)) >= abs(obs)).mean())


def welch_p(gu="마포구", year=2019, pollutant="pm10"):
    from scipy import stats

    weekend, weekday = _groups(gu, year, pollutant)
    return float(stats.ttest_ind(weekend, weekday, equal_var=False).pvalue)


def _one_sided_p(gu, year, pollutant):
    import numpy as np

    obs = observed_diff(gu, year, pollutant)
    perm = permutation_diffs(gu, year, pollutant)
    return float((perm <= obs).mean() if obs < 0 else (perm >= obs).mean())


def _ci_90(gu, year, pollutant):
    import numpy as np

    lo, hi = np.percentile(bootstrap_diffs(gu, year, pollutant), [5, 95])
    return float(lo), float(hi)


def _ci_weekend_only(gu, year, pollutant):
    import numpy as np

    weekend, _ = _groups(gu, year, pollutant)
    rng = np.random.default_rng(SEED)
    means = [rng.choice(weekend, len(weekend)).mean() for _ in range(N_BOOT)]
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def _median_diff(gu, year, pollutant):
    import numpy as np

    weekend, weekday = _groups(gu, year, pollutant)
    return float(np.median(weekend) - np.median(weekday))


def _sunday_only_diff(gu, year, pollutant):
    d = gu_year(gu, year, pollutant)
    sunday = d["date"].dt.day_of_week == 6
    return float(d.loc[sunday, pollutant].mean() - d.loc[~sunday, pollutant].mean())


def _perm_count(gu, year, pollutant):
    import numpy as np

    obs = observed_diff(gu, year, pollutant)
    return int((np.abs(permutation_diffs(gu, year, pollutant)) >= abs(obs)).sum())


def _student_p(gu, year, pollutant):
    from scipy import stats

    weekend, weekday = _groups(gu, year, pollutant)
    return float(stats.ttest_ind(weekend, weekday).pvalue)


def _welch_statistic(gu, year, pollutant):
    from scipy import stats

    weekend, weekday = _groups(gu, year, pollutant)
    return float(stats.ttest_ind(weekend, weekday, equal_var=False).statistic)


q1 = Question(
    "q1", variable="diff",
    prompt="우리 구(gu), 그 해(year)의 오염물질(pollutant) 평균 차이: 주말 평균 − 평일 평균",
    reference=observed_diff,
    checker=ck.number(rel=1e-6),
    hints=["d = air[(air[\"gu\"] == gu) & (air[\"date\"].dt.year == year)].dropna(subset=[pollutant])",
           "주말 여부: d[\"date\"].dt.day_of_week >= 5 (토=5, 일=6)",
           "diff = 주말 값의 평균 - 평일 값의 평균 (순서 주의!)"],
    solution='''weekend = d.loc[d["date"].dt.day_of_week >= 5, pollutant]
weekday = d.loc[d["date"].dt.day_of_week < 5, pollutant]
diff = weekend.mean() - weekday.mean()''',
    wrong=[Wrong(lambda gu, year, pollutant: -observed_diff(gu, year, pollutant), "부호가 반대"),
           Wrong(lambda gu, year, pollutant: observed_diff(gu, year - 1, pollutant),
                 "한 해 앞(year - 1)의 자료로 계산했어요. 연도 조건을 air[\"date\"].dt.year == year 로 걸었는지 확인하세요.",
                 diagnose=True),
           Wrong(_median_diff,
                 "평균(mean)이 아니라 중앙값(median)의 차이예요. 이 연습은 주말 평균 − 평일 평균을 구해요.", diagnose=True),
           Wrong(_sunday_only_diff,
                 "일요일만 주말로 셌어요. 토요일(day_of_week 5)과 일요일(6)이 주말이라 조건은 day_of_week >= 5 예요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="ci",
    prompt="부트스트랩(2,000번 복원추출)으로 '주말 − 평일' 평균 차이의 95% 신뢰구간 (아래, 위) 구하기",
    reference=bootstrap_ci,
    checker=ck.interval(),
    hints=["재표본 한 번: rng.choice(weekend, len(weekend))는 주말 값을 같은 개수만큼 복원추출해요. 평일도 따로!",
           "2,000번 반복하며 (주말 재표본 평균 − 평일 재표본 평균)을 리스트에 모으세요.",
           "95% 구간: np.percentile(diffs, [2.5, 97.5])"],
    solution='''rng = np.random.default_rng(2024)
diffs = [rng.choice(weekend.to_numpy(), len(weekend)).mean() - rng.choice(weekday.to_numpy(), len(weekday)).mean()
         for _ in range(2000)]
ci = tuple(np.percentile(diffs, [2.5, 97.5]))''',
    wrong=[Wrong(_ci_90, "5와 95는 90% 구간"),
           Wrong(_ci_weekend_only,
                 "주말 값만 재표본해서 '주말 평균'의 구간을 구했어요. 반복마다 주말과 평일을 따로 복원추출해 두 평균의 "
                 "차이(주말 − 평일)를 모아야 차이의 구간이 돼요.", diagnose=True),
           Wrong(lambda gu, year, pollutant: tuple(-v for v in bootstrap_ci(gu, year, pollutant)[::-1]), "부호")],
)

q3 = Question(
    "q3", variable="p_perm",
    prompt="순열검정(2,000번 섞기)의 양쪽 p값: 섞은 차이의 절댓값이 관측 차이의 절댓값 이상인 비율",
    reference=permutation_p,
    checker=ck.probability(),
    hints=["귀무가설: 주말/평일 이름표는 상관이 없다 → 이름표를 마구 섞어도 된다.",
           "values = np.concatenate([weekend, weekday]); p = rng.permutation(values); 앞 len(weekend)개를 '주말'로",
           "p_perm = (np.abs(perm_diffs) >= abs(diff)).mean()"],
    solution='''values = np.concatenate([weekend.to_numpy(), weekday.to_numpy()])
rng = np.random.default_rng(2024)
perm_diffs = []
for _ in range(2000):
    p = rng.permutation(values)
    perm_diffs.append(p[:len(weekend)].mean() - p[len(weekend):].mean())
p_perm = (np.abs(np.array(perm_diffs)) >= abs(diff)).mean()''',
    wrong=[Wrong(_one_sided_p, "한쪽 검정"),
           Wrong(lambda gu, year, pollutant: permutation_p(gu, year, pollutant) * 100, "100배"),
           Wrong(_perm_count,
                 "비율이 아니라 개수를 셌어요. p값은 2,000번 중 |섞은 차이| ≥ |관측 차이|인 '비율'이라 .sum()이 아니라 "
                 ".mean()으로 구해요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="p_welch",
    prompt="같은 비교를 웰치 t검정(scipy.stats.ttest_ind, equal_var=False)으로 했을 때의 p값",
    reference=welch_p,
    checker=ck.probability(abs_tol=1e-6),
    hints=["from scipy import stats", "res = stats.ttest_ind(weekend, weekday, equal_var=False)",
           "p값은 res.pvalue 예요 (res.statistic은 t값)."],
    solution='''from scipy import stats
p_welch = stats.ttest_ind(weekend, weekday, equal_var=False).pvalue''',
    wrong=[Wrong(_welch_statistic, "0과 1 사이"),
           Wrong(_student_p,
                 "equal_var=False를 빠뜨려 두 집단의 분산이 같다고 가정하는 스튜던트 t검정을 했어요. 주말과 평일은 날 수(기본값 "
                 "93일과 232일)가 다르고 흩어짐이 같다고 볼 근거도 없어서 웰치 t검정(equal_var=False)을 써요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="순열검정 그림과 연습 결과(차이, 95% 신뢰구간, p값)를 보고서에 옮길 때, 이 결과가 말해 주는 것은?",
    options={
        "가": "p값이 0.05보다 크면 주말과 평일의 오염도가 같다는 것이 증명된 것이다.",
        "나": "주말에 차가 적게 다녀서 오염도가 낮아졌다는 것을 보여 준다.",
        "다": "p값은 '주말과 평일이 정말 같을 확률'이다.",
        "라": "날마다 출렁이는 크기에 비해 이 차이가 우연으로도 자주 생기는 크기인지를 말해 줄 뿐, 원인은 말해 주지 않는다.",
    },
    answer="라",
    why={
        "가": "p값이 크다는 것은 '이 자료로는 우연과 구별할 수 없다'는 뜻이지 차이가 없다는 증명이 아니에요. "
              "기본값(마포구 2019년 PM10)에서 신뢰구간은 약 −10.7 ~ 2.7이라, 꽤 큰 차이도 구간 안에 있어요.",
        "나": "이 비교는 관찰 자료예요. 주말과 평일은 교통량만이 아니라 바람·비·계절의 날 구성도 다를 수 있어서, "
              "차이가 있어도 원인(교통량)은 이 자료만으로 말할 수 없어요 (고급 07의 교란 변수).",
        "다": "p값은 '두 집단이 같다고 가정했을 때 관측한 만큼 큰 차이가 우연히 나올 비율'이에요. "
              "가정이 참일 확률이 아니에요.",
        "라": "신뢰구간과 p값은 '다시 뽑으면 얼마나 흔들리는가'를 재요. 날들이 서로 독립이라는 가정 위의 값이고, "
              "왜 차이가 났는지는 다른 근거가 필요해요.",
    },
    hints=["그림의 회색 분포는 '이름표가 상관없다면' 생기는 차이들이에요. 이것이 원인에 대해 무엇을 말해 줄 수 있을까요?"],
)
