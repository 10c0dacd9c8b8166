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
    wrong=[Wrong(_raw_answer, "달라요"), Wrong(_sample_std_answer, "달라요")],
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
    wrong=[Wrong(_same_cluster_raw, "정답")],
)

q3 = Question(
    "q3", variable="sil",
    prompt="그 묶음의 실루엣 점수 (scaled 기준, -1~1, 클수록 묶음이 잘 나뉨)",
    reference=silhouette,
    checker=ck.number(rel=1e-6),
    hints=["from sklearn.metrics import silhouette_score",
           "sil = silhouette_score(scaled, lab) — 표준화한 표와 묶음 번호를 넣어요."],
    solution='''sil = silhouette_score(scaled, lab)''',
    wrong=[Wrong(_silhouette_raw, "정답보다")],
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
    wrong=[Wrong(_elbow_min_inertia, "커요")],
)
