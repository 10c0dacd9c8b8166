"""Exercises for courses/advanced/05-cluster-districts.ipynb (k-means on scaled per-district features).

Features per 자치구 (25 rows), each from a real dataset:
aged_share, foreign_share, persons_per_household (resident registration, 2021 Q2),
day_night_ratio (living population 2019: mean daytime / mean night-time population),
bike_docks_per_10k (따릉이 docks, June 2023, per 10,000 residents of 2021 Q2).
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

FEATURES = ["aged_share", "foreign_share", "persons_per_household", "day_night_ratio", "bike_docks_per_10k"]
K_RANGE = range(2, 9)


def district_features():
    """One row per district (index gu), the five features above (a fresh copy each call)."""
    return _district_features().copy()


@lru_cache(maxsize=1)
def _district_features():
    import pandas as pd

    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")
    living = data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")
    living = living[living["date"].dt.year == 2019].groupby("gu")[["daytime_mean", "nighttime_mean"]].mean()
    docks = data.load("seoul_bike_stations", "stations").groupby("gu")["docks"].sum()
    f = pd.DataFrame({
        "aged_share": pop["aged_65_plus"] / pop["population"] * 100,
        "foreign_share": pop["foreigners"] / pop["population"] * 100,
        "persons_per_household": pop["persons_per_household"],
        "day_night_ratio": living["daytime_mean"] / living["nighttime_mean"],
        "bike_docks_per_10k": docks / pop["population"] * 10_000,
    })
    f.index.name = "gu"
    return f.sort_index()


def scaled_features():
    """z-scores: (x - mean) / standard deviation (population std, as StandardScaler)."""
    import pandas as pd
    from sklearn.preprocessing import StandardScaler

    f = district_features()
    return pd.DataFrame(StandardScaler().fit_transform(f), index=f.index, columns=f.columns)


def _scaled_answer():
    return scaled_features().reset_index()


def _raw_answer():
    return district_features().reset_index()


def _sample_std_answer():
    f = district_features()
    return ((f - f.mean()) / f.std()).reset_index()


def make_kmeans(k=4):
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=0)


@lru_cache(maxsize=32)
def _fit(k, scaled):
    X = scaled_features() if scaled else district_features()
    km = make_kmeans(k).fit(X)
    return tuple(int(v) for v in km.labels_), float(km.inertia_)


def labels(k=4, scaled=True):
    import pandas as pd

    index = district_features().index
    return pd.Series(list(_fit(int(k), bool(scaled))[0]), index=index, name="cluster")


def same_cluster(gu="마포구", k=4):
    lab = labels(k)
    return sorted(lab[lab == lab[gu]].index)


def _same_cluster_raw(gu="마포구", k=4):
    lab = labels(k, scaled=False)
    return sorted(lab[lab == lab[gu]].index)


def silhouette(k=4):
    from sklearn.metrics import silhouette_score

    return float(silhouette_score(scaled_features(), labels(k)))


def _silhouette_raw(k=4):
    from sklearn.metrics import silhouette_score

    return float(silhouette_score(district_features(), labels(k, scaled=False)))


def best_k():
    import numpy as np

    scores = [silhouette(k) for k in K_RANGE]
    return int(list(K_RANGE)[int(np.argmax(scores))])


def _elbow_min_inertia():
    inertias = {k: _fit(k, True)[1] for k in K_RANGE}
    return int(min(inertias, key=inertias.get))


q1 = Question(
    "q1", variable="scaled",
    prompt="다섯 특성을 표준화(평균 0, 표준편차 1)한 표 scaled 만들기 (열: gu + 다섯 특성)",
    reference=_scaled_answer,
    checker=ck.frame(columns=["gu"] + FEATURES, keys=["gu"], index=True, rel=1e-6),
    hints=["단위가 다른 특성(%, 명, 비율)을 그대로 쓰면 숫자가 큰 특성이 거리를 독차지해요.",
           "from sklearn.preprocessing import StandardScaler; StandardScaler().fit_transform(features)",
           "pd.DataFrame(..., index=features.index, columns=features.columns)로 표로 되돌리세요."],
    solution='''scaled = pd.DataFrame(StandardScaler().fit_transform(features), index=features.index, columns=features.columns)''',
    wrong=[Wrong(_raw_answer,
                 "표준화하지 않은 원래 값이에요. StandardScaler().fit_transform(features)로 평균 0, 표준편차 1로 바꾸세요.",
                 diagnose=True),
           Wrong(_sample_std_answer,
                 "표본 표준편차(pandas .std(), n − 1로 나눔)로 나눴어요. StandardScaler는 n으로 나누는 표준편차(ddof=0)를 써요: "
                 "StandardScaler().fit_transform(features)를 쓰거나 .std(ddof=0)로 나누세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="same",
    prompt="make_kmeans(k)로 scaled를 묶었을 때 우리 구(gu)와 같은 묶음에 든 자치구 목록 (우리 구 포함)",
    reference=same_cluster,
    checker=ck.values(ordered=False),
    hints=["lab = pd.Series(make_kmeans(k).fit_predict(scaled), index=scaled.index)",
           "우리 구의 묶음 번호: lab[gu]",
           "same = list(lab[lab == lab[gu]].index)"],
    solution='''lab = pd.Series(make_kmeans(k).fit_predict(scaled), index=scaled.index)
same = list(lab[lab == lab[gu]].index)''',
    wrong=[Wrong(_same_cluster_raw,
                 "표준화하지 않은 features로 묶었어요. 그러면 숫자가 큰 거치대 수(1만 명당 19~100)가 거리를 거의 다 정해요. "
                 "make_kmeans(k).fit_predict(scaled)로 표준화한 표를 묶으세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="sil",
    prompt="그 묶음의 실루엣 점수 (scaled 기준, -1~1, 클수록 묶음이 잘 나뉨)",
    reference=silhouette,
    checker=ck.number(rel=1e-6),
    hints=["from sklearn.metrics import silhouette_score",
           "sil = silhouette_score(scaled, lab) — 표준화한 표와 묶음 번호를 넣어요."],
    solution='''sil = silhouette_score(scaled, lab)''',
    wrong=[Wrong(_silhouette_raw,
                 "표준화하지 않은 표(features)와 그 표로 묶은 결과로 점수를 냈어요. silhouette_score(scaled, lab)처럼 "
                 "표준화한 표와 그 표로 묶은 번호를 넣으세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="best",
    prompt="k = 2~8 중 실루엣 점수가 가장 큰 k",
    reference=best_k,
    checker=ck.number(integer=True),
    hints=["for k in range(2, 9): 각 k로 묶고 silhouette_score를 계산해 사전에 모아요.",
           "가장 큰 값의 k: max(scores, key=scores.get)",
           "관성(inertia)은 k가 클수록 항상 작아져서 '가장 작은 관성'으로 고르면 늘 8이 돼요."],
    solution='''scores = {kk: silhouette_score(scaled, make_kmeans(kk).fit_predict(scaled)) for kk in range(2, 9)}
best = max(scores, key=scores.get)''',
    wrong=[Wrong(_elbow_min_inertia,
                 "관성(inertia)이 가장 작은 k를 골랐어요. 관성은 k가 클수록 늘 작아져서 항상 가장 큰 k(8)가 나와요. "
                 "실루엣 점수가 가장 큰 k를 고르세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="k-평균 묶음표(묶음별 평균)와 실루엣 점수를 보고, 우리 구와 같은 묶음에 든 구들에 대해 말할 수 있는 것은?",
    options={
        "가": "같은 묶음의 구들은 같은 정책을 쓰면 같은 효과가 난다.",
        "나": "실루엣 점수가 가장 큰 k가 서울 자치구가 실제로 나뉘는 '진짜' 묶음 수다.",
        "다": "넣은 다섯 특성(세 자료, 2019~2023년의 서로 다른 시점)을 표준화해 잰 거리로 서로 가까운 구들이다. 특성이나 연도를 바꾸면 묶음도 달라질 수 있다.",
        "라": "묶음 번호가 작은(0번) 묶음의 구들이 더 살기 좋은 구다.",
    },
    answer="다",
    why={
        "가": "묶음은 다섯 숫자가 비슷하다는 것만 말해요. 정책의 효과는 이 자료에 없고, 비슷한 구에서도 효과는 다를 수 있어요.",
        "나": "실루엣은 '이 특성들로 재면 얼마나 또렷하게 나뉘는가'예요. 기본 특성에서 가장 큰 점수도 0.37 정도라 묶음이 뚜렷하게 떨어져 있지 않아요. "
              "업무에 쓸모 있는 나눔인지가 더 중요해요.",
        "다": "군집은 넣은 특성이 정한 '비슷함'이에요. 그래서 어떤 특성을 어느 해 자료로 넣었는지 결과와 함께 적어요.",
        "라": "묶음 번호(0, 1, 2…)는 이름표일 뿐 순서나 좋고 나쁨이 없어요. 묶음별 평균을 원래 단위로 보고 이름을 붙여야 해요.",
    },
    hints=["묶음을 만든 재료는 무엇이었나요? 재료를 바꾸면 어떻게 될까요?"],
)
