"""Project 1 (입문, open): 우리 구 어디에 따릉이 대여소를 더 놓을까 — sanity checks of a team's dong table.

Any sound analysis passes: the checks only ask that the team's table is the real data of its district
(every 행정동 of the 2025.1/4 population table, its population, its bike stations counted by the dong
boundaries either by the point's district or by the station list's district column).
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data

PERIODS = ("2025.1/4", "2024.4/4")


@lru_cache(maxsize=1)
def _stations_by_dong():
    import geopandas as gpd
    import pandas as pd

    dongs = data.load("seoul_dong_boundaries", "admdong_2021")
    st = data.load("seoul_bike_stations", "stations")
    pts = gpd.GeoDataFrame(st, geometry=gpd.points_from_xy(st["lon"], st["lat"]), crs="EPSG:4326")
    inside = gpd.sjoin(pts, dongs[["gu", "dong", "geometry"]].rename(columns={"gu": "polygon_gu"}),
                       how="inner", predicate="within")
    return pd.DataFrame(inside[["gu", "polygon_gu", "dong"]])


def district_dongs(gu: str) -> list[str]:
    pop = data.load("seoul_population_by_dong_age_2025q1", "dong_total")
    return sorted(pop.loc[(pop["period"] == PERIODS[0]) & (pop["gu"] == gu), "dong"])


def station_counts(gu: str, by: str = "polygon_gu") -> dict[str, int]:
    """Stations per dong of GU: the point's polygon district (by='polygon_gu') or the list's column (by='gu')."""
    st = _stations_by_dong()
    return st[st[by] == gu].groupby("dong").size().to_dict()


def _column(table, name):
    if name in table.columns:
        return table[name]
    if name == "dong" and table.index.name == "dong":
        return table.index.to_series()
    raise AssertionError(f"표에 '{name}' 열이 없어요.")


def check_table(table, gu):
    import pandas as pd

    gus = sorted(set(data.load("seoul_population_by_dong_age_2025q1", "dong_total")["gu"]))
    assert gu in gus, f"GU는 서울의 자치구 이름이어야 해요 (예: '강서구'). 지금: {gu!r}"
    assert isinstance(table, pd.DataFrame), "table은 DataFrame이어야 해요."
    dong = _column(table, "dong").astype(str).tolist()
    want = district_dongs(gu)
    assert len(dong) == len(set(dong)), "행정동 하나가 두 번 이상 나와요. 행정동마다 한 줄이어야 해요."
    missing, extra = sorted(set(want) - set(dong)), sorted(set(dong) - set(want))
    assert not extra, f"{gu}의 행정동(2025.1/4 인구 표)이 아닌 이름이 있어요: {', '.join(extra[:5])}"
    assert not missing, f"{gu}의 행정동이 빠졌어요: {', '.join(missing[:5])} (대여소가 없는 동도 0으로 넣으세요)"
    population = dict(zip(dong, pd.to_numeric(_column(table, "population"), errors="coerce")))
    pop = data.load("seoul_population_by_dong_age_2025q1", "dong_total")
    ok_period = False
    for period in PERIODS:
        ref = pop[(pop["period"] == period) & (pop["gu"] == gu)].set_index("dong")["population"]
        if all(population[d] == ref[d] for d in want):
            ok_period = True
    assert ok_period, "population이 인구 표의 행정동 인구(계, 2025.1/4)와 달라요. 한국인·외국인을 합친 '계'를 쓰세요."
    stations = dict(zip(dong, pd.to_numeric(_column(table, "stations"), errors="coerce").fillna(-1)))
    for by in ("polygon_gu", "gu"):
        ref = station_counts(gu, by)
        if all(stations[d] == ref.get(d, 0) for d in want):
            return
    assert False, ("stations(행정동별 대여소 수)가 대여소 자료와 맞지 않아요. 설정 셀이 붙여 준 dong으로 "
                   "우리 구 대여소를 행정동별로 세고, 대여소가 없는 동은 0으로 두세요.")


def check_candidates(candidates, gu):
    assert isinstance(candidates, list) and 1 <= len(candidates) <= 3, "candidates는 행정동 이름 1~3개의 리스트예요."
    wrong = [c for c in candidates if c not in district_dongs(gu)]
    assert not wrong, f"{gu}의 행정동이 아닌 후보가 있어요: {', '.join(map(str, wrong))}"
