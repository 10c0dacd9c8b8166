"""Exercises for courses/intermediate/04-maps-folium.ipynb (population of the 25 districts and of one district's dongs)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

KOREA_CRS = 5179  # Korea 2000 / Unified CS, metres: use it for areas


def _gu_geo():
    return data.load("seoul_gu_boundaries", "gu")


def _gu_pop():
    return data.load("seoul_population_by_dong_2021q2", "gu")


def gu_map():
    """District polygons with the 2021 Q2 population (a GeoDataFrame)."""
    return _gu_geo()[["gu", "geometry"]].merge(_gu_pop()[["gu", "population"]], on="gu")


def _plain_table():
    return _gu_pop()[["gu", "population"]].merge(_gu_geo()[["gu", "geometry"]], on="gu")


def _geo_checker(answer, expected):
    import geopandas as gpd

    msg = ck.frame(columns=["gu", "population"])(answer, expected)
    if msg:
        return msg
    if not isinstance(answer, gpd.GeoDataFrame):
        return ("표는 맞지만 지도 정보가 없는 보통 DataFrame이에요. 지도(GeoDataFrame)를 왼쪽에 두고 "
                "geo.merge(pop, ...)처럼 합치면 결과도 GeoDataFrame이 돼요.")
    return None


def _assigned_not_merged():
    geo = _gu_geo()[["gu", "geometry"]].copy()
    geo["population"] = _gu_pop()["population"].to_numpy()
    return geo


def density():
    """Residents per km² by district (areas from the unsimplified KOSTAT polygons in metres), highest first."""
    geo = data.load("seoul_gu_boundaries", "gu_kostat_2013").to_crs(KOREA_CRS)
    geo["area_km2"] = geo.geometry.area / 1_000_000
    d = geo[["gu", "area_km2"]].merge(_gu_pop()[["gu", "population"]], on="gu")
    d["density"] = d["population"] / d["area_km2"]
    return d.sort_values("density", ascending=False).reset_index(drop=True)


def _density_simplified():
    geo = _gu_geo().to_crs(KOREA_CRS)
    geo["area_km2"] = geo.geometry.area / 1_000_000
    d = geo[["gu", "area_km2"]].merge(_gu_pop()[["gu", "population"]], on="gu")
    d["density"] = d["population"] / d["area_km2"]
    return d.sort_values("density", ascending=False).reset_index(drop=True)


def _density_m2():
    d = density()
    d["area_km2"] = d["area_km2"] * 1_000_000
    d["density"] = d["density"] / 1_000_000
    return d


def _density_degrees():
    import warnings

    geo = data.load("seoul_gu_boundaries", "gu_kostat_2013")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        geo["area_km2"] = geo.geometry.area
    d = geo[["gu", "area_km2"]].merge(_gu_pop()[["gu", "population"]], on="gu")
    d["density"] = d["population"] / d["area_km2"]
    return d.sort_values("density", ascending=False).reset_index(drop=True)


def _density_checker(answer, expected):
    import numpy as np
    import pandas as pd

    msg = ck.frame(columns=["gu", "area_km2", "density"], ordered=True, rel=1e-3)(answer, expected)
    if msg and isinstance(answer, pd.DataFrame) and "area_km2" in answer.columns and len(answer) == len(expected):
        got = answer.set_index("gu")["area_km2"].reindex(expected["gu"]).to_numpy(dtype=float)
        ratio = np.nanmedian(got / expected["area_km2"].to_numpy(dtype=float))
        if np.isclose(ratio, 1_000_000, rtol=0.01):
            return "면적이 ㎡ 단위예요. ㎢로 바꾸려면 1,000,000으로 나누세요 (1㎢ = 1,000m × 1,000m)."
        if ratio < 0.001:
            return ("면적이 너무 작아요. 위도·경도(도 단위, EPSG:4326) 그대로 넓이를 쟀나요? "
                    ".to_crs(5179)로 미터 좌표계로 바꾼 뒤 .area를 쓰세요.")
    return msg


def dong_map(gu="관악구"):
    """The district's administrative dongs with their population (GeoDataFrame), joined on gu + dong."""
    geo = data.load("seoul_dong_boundaries", "admdong_2021")
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    geo = geo[geo["gu"] == gu][["gu", "dong", "geometry"]]
    return geo.merge(pop[["gu", "dong", "population", "aged_65_plus"]], on=["gu", "dong"])


def _dong_map_name_only(gu="관악구"):
    geo = data.load("seoul_dong_boundaries", "admdong_2021")
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    geo = geo[geo["gu"] == gu][["gu", "dong", "geometry"]]
    return geo.merge(pop[["dong", "population", "aged_65_plus"]], on="dong")


def _dong_map_all_gu(gu="관악구"):
    geo = data.load("seoul_dong_boundaries", "admdong_2021")[["gu", "dong", "geometry"]]
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    return geo.merge(pop[["gu", "dong", "population", "aged_65_plus"]], on=["gu", "dong"])


def oldest_dong(gu="관악구"):
    d = dong_map(gu)
    share = d["aged_65_plus"] / d["population"]
    return str(d.loc[share.idxmax(), "dong"])


def _most_elderly(gu="관악구"):
    d = dong_map(gu)
    return str(d.loc[d["aged_65_plus"].idxmax(), "dong"])


def _youngest_dong(gu="관악구"):
    d = dong_map(gu)
    return str(d.loc[(d["aged_65_plus"] / d["population"]).idxmin(), "dong"])


q1 = Question(
    "q1", variable="gu_pop",
    prompt="자치구 경계(geo)에 자치구 인구(population)를 합쳐 지도용 표(GeoDataFrame) 만들기",
    reference=gu_map,
    checker=_geo_checker,
    hints=["geo.merge(pop_gu[[\"gu\", \"population\"]], on=\"gu\")",
           "GeoDataFrame을 merge의 왼쪽에 두어야 결과도 지도(GeoDataFrame)예요."],
    solution='gu_pop = geo.merge(pop_gu[["gu", "population"]], on="gu")',
    wrong=[Wrong(_plain_table, "GeoDataFrame"),
           Wrong(lambda: gu_map().drop(columns="population"), "필요한 열이 없어요"),
           Wrong(_assigned_not_merged, "merge 대신 인구 열을 그대로 붙였어요(geo[\"population\"] = pop_gu[\"population\"]). "
                 "두 표의 구 순서가 달라 인구가 엉뚱한 구에 붙었어요: merge(on=\"gu\")로 구 이름을 맞춰 합치세요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="density",
    prompt="자치구 면적(area_km2, ㎢)과 인구밀도(density, 명/㎢)를 구해 밀도가 높은 순서로 정렬하기",
    reference=density,
    checker=_density_checker,
    hints=["위도·경도는 '도' 단위라 넓이를 잴 수 없어요. geo_area.to_crs(5179)로 미터 좌표계로 바꿔요.",
           ".geometry.area는 ㎡ 단위예요. 1,000,000으로 나누면 ㎢",
           "density = population / area_km2, 그리고 sort_values(\"density\", ascending=False)"],
    solution='''geo_m = geo_area.to_crs(5179)
geo_m["area_km2"] = geo_m.geometry.area / 1_000_000
density = geo_m[["gu", "area_km2"]].merge(pop_gu[["gu", "population"]], on="gu")
density["density"] = density["population"] / density["area_km2"]
density = density.sort_values("density", ascending=False)''',
    wrong=[Wrong(_density_m2, "㎡ 단위"), Wrong(_density_degrees, "EPSG:4326"),
           Wrong(_density_simplified, "단순화한 경계(geo)로 면적을 쟀어요. 모양이 거칠어 면적이 달라져요: "
                 "단순화하지 않은 통계청 경계 geo_area(gu_kostat_2013)로 재세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="dongs",
    prompt="우리 구(gu)의 행정동 경계에 동별 인구(population, aged_65_plus)를 gu와 dong 두 열로 합치기",
    reference=dong_map,
    checker=ck.frame(columns=["gu", "dong", "population", "aged_65_plus"], keys=["dong"]),
    hints=["먼저 dong_geo[dong_geo[\"gu\"] == gu]로 우리 구의 동만 골라요.",
           "동 이름은 서울 전체에서 겹칠 수 있어요(신사동은 강남구에도, 관악구에도 있어요). on=[\"gu\", \"dong\"]으로 합치세요."],
    solution='''mine = dong_geo[dong_geo["gu"] == gu]
dongs = mine.merge(pop_dong[["gu", "dong", "population", "aged_65_plus"]], on=["gu", "dong"])''',
    wrong=[Wrong(_dong_map_name_only, "동 이름(dong) 하나로만 합쳤어요. 다른 구에 같은 이름의 동이 있으면 그 동의 "
                 "인구까지 잘못 붙어요: on=[\"gu\", \"dong\"] 두 열로 합치세요.", diagnose=True),
           Wrong(_dong_map_all_gu, "우리 구의 동만 고르지 않았어요(필터 빠짐): 서울 전체 행정동이 들어 있어요. "
                 "dong_geo[dong_geo[\"gu\"] == gu]로 먼저 고르세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="oldest",
    prompt="우리 구에서 65세 이상 인구의 '비율'이 가장 높은 동의 이름",
    reference=oldest_dong,
    checker=ck.text(),
    hints=["비율 = aged_65_plus / population", "가장 큰 값의 위치는 .idxmax(), 그 행의 dong을 꺼내요: dongs.loc[위치, \"dong\"]"],
    solution='''share = dongs["aged_65_plus"] / dongs["population"]
oldest = dongs.loc[share.idxmax(), "dong"]''',
    wrong=[Wrong(_most_elderly, "65세 이상 '인구 수'가 가장 많은 동을 골랐어요. 인구가 많은 동일수록 어르신 수도 "
                 "많아요: 비율(aged_65_plus / population)이 가장 높은 동을 찾으세요.", diagnose=True),
           Wrong(_youngest_dong, "65세 이상 비율이 가장 '낮은' 동을 골랐어요(.idxmin()). 가장 높은 동은 .idxmax()로 "
                 "찾아요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="단계구분도(색칠 지도)를 읽을 때 맞는 말은?",
    options={"가": "인구 지도(총량)에서 색이 가장 진한 구가 사람이 가장 빽빽하게 사는 구다.",
             "나": "색을 나누는 구간(경계값)을 바꾸면 같은 자료도 다르게 보일 수 있다.",
             "다": "65세 이상 인구 '수'가 가장 많은 동은 65세 이상 '비율'도 가장 높은 동이다.",
             "라": "이웃한 두 구의 색이 같으면 두 구의 값이 같다."},
    answer="나",
    why={"가": "총량 지도는 넓은 구일수록 값이 커지기 쉬워요. 빽빽한 정도는 면적으로 나눈 인구밀도(연습 2)로 봐야 해요.",
         "나": "단계구분도는 값을 몇 개 구간으로 나눠 색을 칠해요. 구간을 어떻게 나누느냐에 따라 차이가 커 보이기도, 작아 보이기도 해요.",
         "다": "인구가 많은 동은 어르신 수도 많아요. 수와 비율은 서로 다른 동을 가리킬 수 있어서 연습 4에서 비율로 찾았어요.",
         "라": "같은 색은 같은 '구간'에 들었다는 뜻일 뿐이에요. 구간 안에서 값은 꽤 다를 수 있으니 툴팁이나 표로 값을 확인하세요."},
    hints=["지도의 색이 값 그대로가 아니라 '구간'이라는 점을 떠올려 보세요."],
)
