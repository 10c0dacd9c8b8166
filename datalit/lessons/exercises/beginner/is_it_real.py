"""Exercises for courses/beginner/08-is-it-real.ipynb (is a difference of two yearly means real? resampling days).

The lesson's ``simulate`` draws exactly as ``resampled_diffs`` below (same seed, same order of draws), so the
learner who calls it gets the reference interval; the interval checker still allows resampling noise."""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

SEED = 2023
N_SIMS = 1000
BEFORE, AFTER = 2020, 2021  # the exercises' pair of years (the lesson's example is 2014 vs 2022)


def days(gu="마포구", year=AFTER):
    """One district station's daily PM10 in one year, missing days dropped (a plain float array)."""
    air = data.load("seoul_air_quality_daily")
    mine = air[(air["gu"] == gu) & (air["date"].dt.year == year)]
    return mine["pm10"].dropna().to_numpy()


def diff(gu="마포구"):
    return float(days(gu, AFTER).mean() - days(gu, BEFORE).mean())


@lru_cache(maxsize=16)
def resampled_diffs(gu="마포구", before=BEFORE, after=AFTER, seed=SEED, n=N_SIMS):
    """The lesson's simulate(before_days, after_days): N_SIMS differences of resampled means (cached, read-only)."""
    import numpy as np

    b, a = days(gu, before), days(gu, after)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        out.append(rng.choice(a, size=len(a), replace=True).mean() - rng.choice(b, size=len(b), replace=True).mean())
    return np.array(out)


def diff_interval(gu="마포구"):
    import numpy as np

    low, high = np.percentile(resampled_diffs(gu), [2.5, 97.5])
    return float(low), float(high)


def zero_inside(gu="마포구"):
    low, high = diff_interval(gu)
    return bool(low <= 0 <= high)


def _percentiles(gu, lo, hi):
    import numpy as np

    return tuple(float(v) for v in np.percentile(resampled_diffs(gu), [lo, hi]))


def _example_interval(gu="마포구"):
    """The lesson example's interval (2022 - 2014): what a learner gets who reuses the example's ``sims``."""
    import numpy as np

    return tuple(float(v) for v in np.percentile(resampled_diffs(gu, 2014, 2022), [2.5, 97.5]))


q1 = Question(
    "q1", variable="diff_2021",
    prompt="우리 구 측정소의 미세먼지 평균 차이(2021년 평균 − 2020년 평균)를 diff_2021에 저장하기",
    reference=diff,
    checker=ck.number(rel=1e-9),
    hints=["위 예제의 diff는 days_2022.mean() - days_2014.mean()이었어요.",
           "이번에는 나중 해(2021년)에서 앞의 해(2020년)를 빼요.",
           "모양은 diff_2021 = (2021년의 날들).mean() - (2020년의 날들).mean()이에요. 괄호 자리에 위 셀에서 만든 "
           "days_로 시작하는 이름을 넣어 보세요."],
    solution="diff_2021 = days_2021.mean() - days_2020.mean()",
    wrong=[Wrong(lambda gu: -diff(gu),
                 "빼는 순서가 반대예요. 나중 해(2021년) 평균에서 앞의 해(2020년) 평균을 빼세요.", diagnose=True),
           Wrong(lambda gu: float(days(gu, 2022).mean() - days(gu, 2021).mean()),
                 "2022년과 2021년을 비교했어요. 이 문제는 2021년 − 2020년이에요.", diagnose=True),
           Wrong(lambda gu: float(days(gu, 2022).mean() - days(gu, 2014).mean()),
                 "예제의 2022년 − 2014년이 그대로예요. 이 문제는 2021년 − 2020년이에요: days_2021.mean()에서 days_2020.mean()을 빼세요.",
                 diagnose=True),
           Wrong(lambda gu: float(days(gu, AFTER).mean()),
                 "2021년 평균 하나만 구했어요. 2020년 평균을 빼서 '차이'를 만드세요.", diagnose=True),
           Wrong(lambda gu: float(days(gu, AFTER).sum() - days(gu, BEFORE).sum()),
                 "평균(mean)이 아니라 합계(sum)의 차이예요. 두 해의 측정한 날 수가 달라 합계는 비교할 수 없어요. "
                 ".mean()을 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="interval_2021",
    prompt="simulate(days_2020, days_2021)로 만든 차이 1,000개의 가운데 95% 구간(2.5와 97.5 백분위수)을 "
           "(아래 끝, 위 끝)으로 interval_2021에 저장하기",
    reference=diff_interval,
    checker=ck.interval(pos_tol=0.1, width_tol=0.1),
    hints=["예제에서는 sims = simulate(days_2014, days_2022)로 차이 1,000개를 만들었어요.",
           "가운데 95%는 아래에서 2.5%, 위에서 97.5% 지점이에요: np.percentile(sims, [2.5, 97.5])",
           "두 줄이에요: 먼저 sims_2021 = simulate(앞 해의 날들, 나중 해의 날들), 다음 줄에서 "
           "np.percentile(sims_2021, [2.5, 97.5])를 tuple(...)로 묶어 interval_2021에 저장해요."],
    solution="""sims_2021 = simulate(days_2020, days_2021)
interval_2021 = tuple(np.percentile(sims_2021, [2.5, 97.5]))""",
    wrong=[Wrong(lambda gu: tuple(-v for v in reversed(diff_interval(gu))),
                 "구간의 부호가 반대예요. simulate(days_2020, days_2021)처럼 앞의 해를 먼저 넣으세요 "
                 "(차이 = 2021년 − 2020년).", diagnose=True),
           Wrong(_example_interval,
                 "예제의 sims(2022년 − 2014년)로 구한 구간이 그대로예요. simulate(days_2020, days_2021)로 차이를 새로 "
                 "만들어 sims_2021에 저장하고, 그 sims_2021로 구간을 구하세요.", diagnose=True),
           Wrong(lambda gu: _percentiles(gu, 5, 95),
                 "5와 95 백분위수는 가운데 90% 구간이에요. 95% 구간은 2.5와 97.5 백분위수예요.", diagnose=True),
           Wrong(lambda gu: _percentiles(gu, 0, 100),
                 "가장 작은 값과 가장 큰 값(0과 100 백분위수)이에요. 가운데 95%만 남기려면 2.5와 97.5를 쓰세요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="zero_inside",
    prompt="interval_2021이 0을 품고 있는지(아래 끝 ≤ 0 ≤ 위 끝) True/False로 zero_inside에 저장하기",
    reference=zero_inside,
    checker=ck.boolean(),
    hints=["low, high = interval_2021로 두 끝을 꺼낼 수 있어요.",
           "파이썬은 low <= 0 <= high처럼 비교를 이어 쓸 수 있어요.",
           "아래 끝이 0 이하이고 위 끝이 0 이상이면 True예요. 두 끝을 꺼낸 이름으로 (아래 끝) <= 0 <= (위 끝)을 "
           "zero_inside에 저장해요."],
    solution="""low, high = interval_2021
zero_inside = low <= 0 <= high""",
    wrong=[Wrong(lambda gu: not zero_inside(gu),
                 "반대예요. 아래 끝이 0보다 작고 위 끝이 0보다 크면 0을 품은 거예요(True). low와 high를 print로 "
                 "확인해 보세요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="마포구 측정소의 2021년 평균은 2020년보다 2.8 ㎍/㎥ 높았지만, 날을 다시 뽑은 차이의 95% 구간은 "
           "-0.8에서 6.8까지로 0을 품어요. 이 결과로 말할 수 있는 것은?",
    options={"가": "2021년 공기가 2020년보다 나빠졌을 확률이 95%다. 95% 구간을 구했고 그 대부분이 0보다 크기 때문이다",
             "나": "두 해의 차이는 날을 다시 뽑을 때 생기는 흔들림 안에 있어서, 나빠졌다고 말하기 어렵다",
             "다": "두 해의 공기는 같았다고 보면 된다. 구간이 0을 품으니 차이가 없다는 뜻이기 때문이다"},
    answer="나",
    why={"가": "95% 구간은 '나빠졌을 확률이 95%'라는 뜻이 아니에요. 날을 다시 뽑은 차이 1,000개의 가운데 95%가 든 "
              "범위일 뿐이고, 그 안에는 0도, -0.8까지 내려가는 차이도 들어 있어요. 대부분이 0보다 커도 0을 품으면 "
              "나빠졌다고 말하기 어려워요.",
         "나": "구간이 0을 품으면 '차이가 없다'와 '조금 나빠졌다'가 모두 데이터와 어긋나지 않아요. "
              "그래서 나빠졌다고 말하기 어렵다고 적는 것이 정직해요.",
         "다": "0을 품는다고 차이가 0이라는 뜻은 아니에요. 구간 안에는 6.8처럼 꽤 큰 차이도 들어 있어요. "
              "'알 수 없다'와 '같다'는 달라요."},
    hints=["구간 안에 0도 있고 6.8도 있어요. 둘 다 데이터와 어긋나지 않는다는 뜻이에요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="2014년과 2022년 차이의 95% 구간은 0에서 멀리 떨어져 있어요(두 끝 모두 0보다 작아요). "
           "이 구간이 알려 주지 않는 것은?",
    options={"가": "2022년 평균이 2014년보다 낮은 것이 며칠의 우연한 날씨만으로 생긴 차이는 아니라는 것",
             "나": "어떤 날들이 뽑혔느냐에 따라 평균 차이가 얼마나 흔들릴 수 있는지",
             "다": "미세먼지가 왜 줄었는지: 정책 덕분인지, 날씨나 중국발 먼지가 달라서인지"},
    answer="다",
    why={"가": "이건 구간이 알려 주는 것이에요. 날을 1,000번 다시 뽑아도 차이가 늘 0보다 작았어요.",
         "나": "이건 구간이 알려 주는 것이에요. 구간의 폭이 바로 그 흔들림의 크기예요.",
         "다": "구간은 우연한 흔들림만 다뤄요. 차이가 진짜라도 그 까닭은 다른 자료(기상, 정책, 측정소 이전 기록)로 "
              "확인해야 해요."},
    hints=["구간은 '날을 다시 뽑으면 차이가 얼마나 달라지나'만 계산해요. 원인에 대한 정보가 들어 있나요?"],
)
