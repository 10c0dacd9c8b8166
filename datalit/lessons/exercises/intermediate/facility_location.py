"""Exercises for courses/intermediate/08-facility-location.ipynb (bike stations and libraries against population)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept


def _dongs():
    return data.load("seoul_dong_boundaries", "admdong_2021")


def _stations_in_dongs():
    import geopandas as gpd

    b = data.load("seoul_bike_stations", "stations")
    pts = gpd.GeoDataFrame(b[["station_no", "station_name"]], geometry=gpd.points_from_xy(b["lon"], b["lat"]),
                           crs="EPSG:4326")
    return gpd.sjoin(pts, _dongs()[["gu", "dong", "geometry"]], predicate="within", how="inner")


def stations_per_dong():
    """Bike stations counted per administrative dong (point in polygon), every dong kept (0 where none)."""
    counts = _stations_in_dongs().groupby(["gu", "dong"]).size().rename("n_stations").reset_index()
    out = _dongs()[["gu", "dong"]].merge(counts, on=["gu", "dong"], how="left")
    out["n_stations"] = out["n_stations"].fillna(0).astype(int)
    return out


def _only_dongs_with_stations():
    return _stations_in_dongs().groupby(["gu", "dong"]).size().rename("n_stations").reset_index()


def per_10k():
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    out = stations_per_dong().merge(pop[["gu", "dong", "population"]], on=["gu", "dong"])
    out["per_10k"] = out["n_stations"] / out["population"] * 10_000
    return out


def _per_10k_dong_only():
    pop = data.load("seoul_population_by_dong_2021q2", "dong")
    out = stations_per_dong().merge(pop[["dong", "population"]], on="dong")
    out["per_10k"] = out["n_stations"] / out["population"] * 10_000
    return out


def _per_1k():
    out = per_10k()
    out["per_10k"] = out["per_10k"] / 10
    return out


def least_served(gu="송파구"):
    """The district's 3 dongs with the fewest stations per 10,000 residents (fewest first)."""
    p = per_10k()
    p = p[p["gu"] == gu].sort_values(["per_10k", "dong"])
    return p["dong"].head(3).tolist()


def _most_served(gu="송파구"):
    p = per_10k()
    return p[p["gu"] == gu].sort_values("per_10k", ascending=False)["dong"].head(3).tolist()


def _fewest_stations(gu="송파구"):
    p = per_10k()
    return p[p["gu"] == gu].sort_values(["n_stations", "dong"])["dong"].head(3).tolist()


def libraries_per_100k():
    """Public libraries (공공도서관) per 100,000 residents, only districts present in the list, highest first."""
    lib = data.load("korea_libraries_standard")
    lib = lib[lib["is_seoul"] & (lib["library_type"] == "공공도서관")]
    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")["population"]
    counts = lib.groupby("gu").size()
    return (counts / pop.reindex(counts.index) * 100_000).sort_values(ascending=False)


def _libraries_zero_filled():
    from datalit.seoul import GU_NAMES

    s = libraries_per_100k().reindex(list(GU_NAMES)).fillna(0)
    return s.sort_values(ascending=False)


def _all_library_types():
    lib = data.load("korea_libraries_standard")
    lib = lib[lib["is_seoul"]]
    pop = data.load("seoul_population_by_dong_2021q2", "gu").set_index("gu")["population"]
    counts = lib.groupby("gu").size()
    return (counts / pop.reindex(counts.index) * 100_000).sort_values(ascending=False)


q1 = Question(
    "q1", variable="counts",
    prompt="행정동마다 따릉이 대여소 수(n_stations)를 세기 — 대여소가 없는 동도 0으로 포함 (425행)",
    reference=stations_per_dong,
    checker=ck.frame(columns=["gu", "dong", "n_stations"], keys=["gu", "dong"]),
    hints=["gpd.sjoin(points[[\"station_no\", \"geometry\"]], dong_geo[[\"gu\", \"dong\", \"geometry\"]], predicate=\"within\")로 점마다 동을 붙여요.",
           "groupby([\"gu\", \"dong\"]).size()로 동별 개수를 세요.",
           "대여소가 하나도 없는 동은 groupby 결과에 없어요. 동 목록에 how=\"left\"로 합치고 fillna(0)"],
    solution='''joined = gpd.sjoin(points[["station_no", "geometry"]], dong_geo[["gu", "dong", "geometry"]], predicate="within")
n = joined.groupby(["gu", "dong"]).size().rename("n_stations").reset_index()
counts = dong_geo[["gu", "dong"]].merge(n, on=["gu", "dong"], how="left")
counts["n_stations"] = counts["n_stations"].fillna(0).astype(int)''',
    wrong=[Wrong(_only_dongs_with_stations, "대여소가 없는 동이 빠졌어요. groupby 결과에는 대여소가 있는 동만 나와요: "
                 "동 목록(dong_geo)에 how=\"left\"로 합치고 fillna(0)으로 0을 채우세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="served",
    prompt="counts에 동별 인구를 합쳐 인구 1만 명당 대여소 수(per_10k) 구하기",
    reference=per_10k,
    checker=ck.frame(columns=["gu", "dong", "n_stations", "population", "per_10k"], keys=["gu", "dong"]),
    hints=["counts.merge(pop_dong[[\"gu\", \"dong\", \"population\"]], on=[\"gu\", \"dong\"])",
           "per_10k = n_stations / population × 10,000"],
    solution='''served = counts.merge(pop_dong[["gu", "dong", "population"]], on=["gu", "dong"])
served["per_10k"] = served["n_stations"] / served["population"] * 10_000''',
    wrong=[Wrong(_per_1k, "10배 작아요"),
           Wrong(_per_10k_dong_only, "동 이름(dong) 하나로만 합쳤어요. 다른 구에 같은 이름의 동이 있으면 인구가 잘못 "
                 "붙고 행이 늘어나요: on=[\"gu\", \"dong\"] 두 열로 합치세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="least",
    prompt="우리 구(gu)에서 인구 1만 명당 대여소가 가장 적은 동 3곳의 이름 (적은 순서)",
    reference=least_served,
    checker=ck.values(ordered=True),
    hints=["served[served[\"gu\"] == gu]로 우리 구만 골라요.",
           "sort_values([\"per_10k\", \"dong\"])로 적은 순서(같으면 이름순) 정렬",
           "[\"dong\"].head(3).tolist()"],
    solution='''least = served[served["gu"] == gu].sort_values(["per_10k", "dong"])["dong"].head(3).tolist()''',
    wrong=[Wrong(_most_served, "1만 명당 대여소가 가장 '많은' 동을 골랐어요(내림차순). 가장 적은 동부터 보려면 "
                 "오름차순으로 정렬하세요: sort_values([\"per_10k\", \"dong\"])를 쓰세요.", diagnose=True),
           Wrong(_fewest_stations, "인구로 나누지 않은 대여소 수(n_stations)로 골랐어요. 인구가 적은 동은 대여소가 "
                 "적어도 부족한 게 아닐 수 있어요: 인구 1만 명당(per_10k)으로 정렬하세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="libs",
    prompt="자치구별 공공도서관 수를 인구 10만 명당으로 — 목록에 있는 구만, 많은 순서",
    reference=libraries_per_100k,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["lib[lib[\"is_seoul\"] & (lib[\"library_type\"] == \"공공도서관\")]",
           "구별 개수: .groupby(\"gu\").size(), 인구: pop_gu.set_index(\"gu\")[\"population\"]",
           "목록에 없는 구를 0으로 채우면 '도서관이 없다'는 뜻이 돼요. 자료가 없는 것과 0은 달라요!"],
    solution='''pub = lib[lib["is_seoul"] & (lib["library_type"] == "공공도서관")]
counts_gu = pub.groupby("gu").size()
people = pop_gu.set_index("gu")["population"]
libs = (counts_gu / people.reindex(counts_gu.index) * 100_000).sort_values(ascending=False)''',
    wrong=[Wrong(_libraries_zero_filled, "목록에 없는 구를 0으로 채웠어요. 목록에 없다는 건 '자료가 없다'는 뜻이지 "
                 "'도서관이 0곳'이라는 뜻이 아니에요: 목록에 있는 구만 남기세요.", diagnose=True),
           Wrong(_all_library_types, "공공도서관만 고르지 않았어요: 작은도서관 등 모든 종류를 셌어요. "
                 "library_type == \"공공도서관\" 조건을 더하세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="이 수업의 표와 지도로 말할 수 있는 것은?",
    options={"가": "인구 1만 명당 대여소가 가장 적은 동의 주민은 집 가까이에 빌릴 곳이 모자라니, 다른 동 주민보다 따릉이를 덜 탄다. 대여소가 적으면 탈 기회도 적기 때문이다.",
             "나": "공공도서관이 목록에 하나도 없는 구에는 공공도서관이 없다.",
             "다": "인구 1만 명당 대여소가 가장 적은 동은 동 안의 대여소가 주민 수에 비해 적다. 다만 경계 바로 밖 대여소를 쓸 수도 있어 '가까이에 없다'와는 다르다.",
             "라": "인구 1만 명당 대여소가 가장 많은 동이 가장 잘 갖춰진 동이다."},
    answer="다",
    why={"가": "이 표에는 대여소 위치와 주민 수만 있고 이용 기록이 없어요. 이용은 대여 이력 같은 다른 자료로 봐야 해요.",
         "나": "표준데이터는 기관이 '등록한' 도서관만 담아요. 목록에 없다는 건 0이 아니라 '알 수 없음'이에요.",
         "다": "sjoin은 동 '안'의 대여소만 세요. 지도에서 경계 근처의 점들을 보면 이웃 동 주민도 쓸 수 있다는 걸 알 수 있어요.",
         "라": "인구가 적은 동(업무지구, 공원)은 대여소 몇 곳만 있어도 1만 명당 값이 커져요. 분모(주민)가 실제 이용할 사람을 다 세지 않을 수 있어요."},
    hints=["분모(주민등록인구)와 세는 방법(동 안의 점)이 무엇을 빠뜨리는지 생각해 보세요."],
)
