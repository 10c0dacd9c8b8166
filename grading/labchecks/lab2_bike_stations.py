"""Lab 2 (중급): 따릉이 대여소가 부족한 동 — stations (seoul_bike_stations) x population x dong boundaries."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck


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


def _per_10k_docks():
    st = data.load("seoul_bike_stations", "stations")
    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")["population"]
    return (st.groupby("gu")["docks"].sum() / pop * 10_000).dropna().round(2).sort_values()


def _per_1k():
    st = data.load("seoul_bike_stations", "stations")
    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")["population"]
    return (st.groupby("gu").size() / pop * 1_000).dropna().round(2).sort_values()


def _most3():
    return per_10k().tail(3).index[::-1].tolist()


def _no_station_dongs_ascending(gu="관악구"):
    return no_station_dongs(gu)[::-1]


def _all_dongs(gu="관악구"):
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    return pop[pop["gu"] == gu].sort_values("population", ascending=False)["dong"].tolist()


def _smallest_candidate(gu="관악구"):
    dongs = no_station_dongs(gu)
    return dongs[-1] if dongs else "없음"


q1 = Question("q1", variable="per_10k", prompt="자치구별 인구 1만 명당 대여소 수(소수 둘째 자리, 오름차순)",
              reference=per_10k, checker=ck.series(ordered=True, rel=1e-3, abs=0.011),
              hints=["stations.groupby('gu').size()", "인구 표(gu)의 population 으로 나누고 10,000 을 곱하세요."],
              wrong=[Wrong(_per_1k, "1만 명당이 아니라 1천 명당으로 계산했어요. 인구로 나눈 뒤 1,000이 아니라 10,000을 곱하세요.", diagnose=True),
                     Wrong(_per_10k_docks,
                           "대여소 수가 아니라 거치대(docks) 수를 더했어요. 대여소 수는 stations.groupby('gu').size()로 세요.",
                           diagnose=True),
                     Wrong(lambda: per_10k().sort_values(ascending=False), "정렬 순서가")])
q2 = Question("q2", variable="fewest3", prompt="1만 명당 대여소가 가장 적은 자치구 3곳(적은 순)",
              reference=fewest3, checker=ck.values(ordered=True),
              wrong=[Wrong(_most3, "1만 명당 대여소가 가장 많은 자치구 3곳이에요. 오름차순으로 정렬한 per_10k 의 head(3)을 고르세요.",
                           diagnose=True),
                     Wrong(lambda: fewest3()[::-1], "순서가 반대")])
q3 = Question("q3", variable="no_station", prompt="우리 구에서 대여소가 하나도 없는 행정동(인구 많은 순)",
              reference=no_station_dongs, checker=ck.values(ordered=True),
              hints=["gpd.sjoin 으로 대여소 점을 행정동 경계에 붙이세요.", "인구 표의 dong 중 대여소가 있는 동을 빼세요."],
              wrong=[Wrong(_no_station_dongs_ascending,
                           "인구가 적은 순서로 정렬했어요. 인구가 많은 순서(sort_values(\"population\", ascending=False))로 정렬하세요.",
                           diagnose=True),
                     Wrong(_all_dongs,
                           "대여소가 있는 동까지 모두 들어 있어요. sjoin 결과에서 대여소가 있는 동(has)을 모아 인구 표에서 빼세요 "
                           "(~pop[\"dong\"].isin(has)).", diagnose=True)])
q4 = Question("q4", variable="candidate", prompt="새 대여소 1순위 후보 동(대여소 없는 동 중 인구 최대)",
              reference=top_candidate, checker=ck.text(),
              wrong=[Wrong(_smallest_candidate,
                           "대여소 없는 동 중 인구가 가장 적은 동이에요. 인구가 많은 순서로 정렬한 목록의 첫 번째 동이 1순위예요.",
                           diagnose=True)])
