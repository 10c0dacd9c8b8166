"""Exercises for courses/citizen/05-is-it-real.ipynb (is one district's per-station bike use really higher than
another's? resampling stations).

The lesson's ``simulate`` draws exactly as ``resampled_diffs`` below (same seed, same order of draws); the
interval checker still allows resampling noise, so a learner's own loop with another seed passes too."""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

SEED = 2023
N_SIMS = 1000


def stations(gu="마포구"):
    """2023 rentals of each bike station of one district (one number per station, a plain array)."""
    usage = data.load("seoul_bike_station_monthly_usage_2023")
    per_station = usage.groupby(["gu", "station_no"])["rentals"].sum().reset_index()
    return per_station.loc[per_station["gu"] == gu, "rentals"].to_numpy()


def diff_other(gu="마포구", other="송파구"):
    return float(stations(gu).mean() - stations(other).mean())


@lru_cache(maxsize=16)
def resampled_diffs(gu="마포구", other="송파구", seed=SEED, n=N_SIMS):
    """The lesson's simulate(mine, theirs): N_SIMS differences of resampled means (cached, read-only)."""
    import numpy as np

    a, b = stations(gu), stations(other)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        out.append(rng.choice(a, size=len(a), replace=True).mean() - rng.choice(b, size=len(b), replace=True).mean())
    return np.array(out)


def interval_other(gu="마포구", other="송파구"):
    import numpy as np

    low, high = np.percentile(resampled_diffs(gu, other), [2.5, 97.5])
    return float(low), float(high)


def _percentiles(gu, other, lo, hi):
    import numpy as np

    return tuple(float(v) for v in np.percentile(resampled_diffs(gu, other), [lo, hi]))


q1 = Question(
    "q1", variable="diff_other",
    prompt="우리 구 대여소 한 곳의 평균 대여 건수에서 비교할 구(other)의 평균을 뺀 값을 diff_other에 저장하기",
    reference=diff_other,
    checker=ck.number(rel=1e-9),
    hints=["예제의 diff_gangseo = mine.mean() - gangseo.mean()를 보세요.",
           "gangseo 대신 theirs를 쓰면 돼요.",
           "모양은 diff_other = (우리 구 건수).mean() - (비교할 구 건수).mean()이에요. 위 셀에서 만든 이름을 넣어 보세요."],
    solution="diff_other = mine.mean() - theirs.mean()",
    wrong=[Wrong(lambda gu, other: -diff_other(gu, other),
                 "빼는 순서가 반대예요. 우리 구(mine)에서 비교할 구(theirs)를 빼세요.", diagnose=True),
           Wrong(lambda gu: diff_other(gu, "강서구"),
                 "예제의 강서구와 비교한 값이 그대로예요. gangseo를 theirs로 바꿨는지 확인하세요.", diagnose=True),
           Wrong(lambda gu, other: float(stations(gu).sum() - stations(other).sum()),
                 "평균(mean)이 아니라 합계(sum)의 차이예요. 두 구의 대여소 수가 달라 합계는 공정한 비교가 아니에요. "
                 ".mean()을 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="interval_other",
    prompt="simulate(mine, theirs)로 만든 차이 1,000개의 가운데 95% 구간을 (아래 끝, 위 끝)으로 interval_other에 저장하기",
    reference=interval_other,
    checker=ck.interval(pos_tol=0.1, width_tol=0.1),
    hints=["예제에서는 sims = simulate(mine, gangseo)로 차이 1,000개를 만들었어요.",
           "gangseo를 theirs로 바꾸고, 구간은 예제처럼 np.percentile(…, [2.5, 97.5])로 구해요.",
           "simulate(우리 구, 비교할 구)의 결과를 np.percentile(…, [2.5, 97.5])에 넣고, tuple(...)로 묶어 "
           "interval_other에 저장해요."],
    solution="interval_other = tuple(np.percentile(simulate(mine, theirs), [2.5, 97.5]))",
    wrong=[Wrong(lambda gu: _percentiles(gu, "강서구", 2.5, 97.5),
                 "예제의 강서구와 비교한 구간이 그대로예요. simulate(mine, theirs)로 바꾸세요.", diagnose=True),
           Wrong(lambda gu, other: tuple(-v for v in reversed(interval_other(gu, other))),
                 "구간의 부호가 반대예요. simulate(mine, theirs)처럼 우리 구를 먼저 넣으세요.", diagnose=True),
           Wrong(lambda gu, other: _percentiles(gu, other, 5, 95),
                 "5와 95 백분위수는 가운데 90% 구간이에요. 95% 구간은 2.5와 97.5 백분위수예요.", diagnose=True)],
)

q3 = Concept(
    "q3", variable="answer_q3",
    prompt="마포구 대여소 한 곳의 2023년 평균 대여는 송파구보다 574건 적었지만, 대여소를 다시 뽑은 차이의 95% 구간은 "
           "-3,892건에서 2,902건까지로 0을 품어요. 구청 소식지에 쓸 문장으로 알맞은 것은?",
    options={"가": "마포구 따릉이 대여소는 송파구 대여소보다 덜 쓰인다. 2023년 대여소 한 곳당 평균 대여가 송파구보다 574건 "
                   "적었고, 이 숫자는 대여 기록 전체로 계산한 것이기 때문이다",
             "나": "마포구와 송파구 대여소는 한 곳당 같게 쓰인다고 보면 된다. 구간이 0을 품으니 차이가 없다는 뜻이다",
             "다": "두 구의 차이(574건)는 대여소를 다시 뽑을 때 생기는 흔들림 안에 있어, 어느 쪽이 더 쓰인다고 말하기 어렵다"},
    answer="다",
    why={"가": "평균 두 개만 보면 그렇지만, 대여소를 다시 뽑으면 마포구가 2,902건 많아지기도 해요. 몇몇 아주 "
              "붐비는 대여소가 뽑히느냐에 따라 차이의 방향까지 바뀌니 단정할 수 없어요.",
         "나": "0을 품는다고 차이가 0이라는 뜻은 아니에요. 구간 안에는 -3,892건처럼 꽤 큰 차이도 들어 있어요. "
              "'알 수 없다'와 '같다'는 달라요.",
         "다": "구간이 0을 품으면 차이가 있다고도, 없다고도 말할 수 없어요. 그렇게 적는 것이 정직해요."},
    hints=["구간 안에 0도 있고, 마포구가 더 많은 쪽(+)과 더 적은 쪽(-)도 모두 있어요."],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="마포구와 강서구를 비교한 구간은 0을 품지 않아요(두 끝 모두 0보다 작아요). 이 구간이 알려 주지 않는 것은?",
    options={"가": "강서구 대여소가 한 곳당 더 많이 빌려진다는 것이 몇몇 대여소가 우연히 붐빈 탓만은 아니라는 것",
             "나": "강서구 주민이 마포구 주민보다 따릉이를 더 좋아한다는 것",
             "다": "대여소를 다시 뽑을 때 두 구의 한 곳당 평균 차이가 얼마나 흔들리는지"},
    answer="나",
    why={"가": "이건 구간이 알려 주는 것이에요. 대여소를 1,000번 다시 뽑아도 강서구 쪽이 늘 많았어요.",
         "나": "대여 기록은 어느 대여소에서 빌렸는지만 알려 줘요(2강). 누가 탔는지, 왜 많이 빌리는지(평지, "
              "한강 자전거길, 지하철역과의 거리)는 구간에 들어 있지 않아요.",
         "다": "이건 구간이 알려 주는 것이에요. 구간의 폭이 바로 그 흔들림의 크기예요."},
    hints=["구간은 '대여소를 다시 뽑으면 차이가 얼마나 달라지나'만 계산해요. 누가 탔는지가 데이터에 있나요?"],
)
