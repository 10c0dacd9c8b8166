"""Lab 2 (중급): 따릉이 대여소가 부족한 동 — stations (seoul_bike_stations) x population x dong boundaries."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, checkers as ck


def stations_with_dong():
    import geopandas as gpd

    st = data.load("seoul_bike_stations", "stations")
    dongs = data.load("seoul_dong_boundaries")
    pts = gpd.GeoDataFrame(st, geometry=gpd.points_from_xy(st["lon"], st["lat"]), crs="EPSG:4326")
    joined = gpd.sjoin(pts.to_crs(dongs.crs), dongs[["gu", "dong", "geometry"]], how="left", predicate="within")
    return joined.rename(columns={"gu_left": "gu", "gu_right": "dong_gu"})


def per_10k():
    st = data.load("seoul_bike_stations", "stations")
    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")["population"]
    counts = st.groupby("gu").size()
    return (counts / pop * 10_000).dropna().round(2).sort_values()


def fewest3():
    return per_10k().head(3).index.tolist()


def no_station_dongs(gu="관악구"):
    joined = stations_with_dong()
    has = set(joined.loc[joined["dong_gu"] == gu, "dong"].dropna())
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    pop = pop[pop["gu"] == gu]
    pop = pop[~pop["dong"].isin(has)].sort_values("population", ascending=False)
    return pop["dong"].tolist()


def top_candidate(gu="관악구"):
    dongs = no_station_dongs(gu)
    return dongs[0] if dongs else "없음"


q1 = Question("q1", variable="per_10k", prompt="자치구별 인구 1만 명당 대여소 수(소수 둘째 자리, 오름차순)",
              reference=per_10k, checker=ck.series(ordered=True, rel=1e-3, abs=0.011),
              hints=["stations.groupby('gu').size()", "인구 표(gu)의 population 으로 나누고 10,000 을 곱하세요."])
q2 = Question("q2", variable="fewest3", prompt="1만 명당 대여소가 가장 적은 자치구 3곳(적은 순)",
              reference=fewest3, checker=ck.values(ordered=True))
q3 = Question("q3", variable="no_station", prompt="우리 구에서 대여소가 하나도 없는 행정동(인구 많은 순)",
              reference=no_station_dongs, checker=ck.values(ordered=True),
              hints=["gpd.sjoin 으로 대여소 점을 행정동 경계에 붙이세요.", "인구 표의 dong 중 대여소가 있는 동을 빼세요."])
q4 = Question("q4", variable="candidate", prompt="새 대여소 1순위 후보 동(대여소 없는 동 중 인구 최대)",
              reference=top_candidate, checker=ck.text())
