"""facility_location on real data: the share of residents within the distance and the first greedy pick
match an independent computation with exact areas (shapely buffers intersected with the dong polygons,
residents uniform over each dong) instead of the notebook's 50 m grid; bad parameters are refused
before a kernel starts, with the allowed values listed."""
from __future__ import annotations

import re

import geopandas as gpd
import pytest
from reportkit import assert_refused_before_kernel, cli, html_text

from datalit import data

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "facility_location"
CRS = "EPSG:5179"


def _run(repo, tmp_path_factory, **params):
    out = tmp_path_factory.mktemp("fl")
    args = [a for k, v in params.items() for a in ("-p", k, str(v))]
    result = cli("run", str(repo / "reports" / f"{NB}.ipynb"), *args, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return html_text(out / f"{NB}.html"), (out / f"{NB}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mapo_libraries(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, gu="마포구", facility="도서관", distance=500, k=3)


@pytest.fixture(scope="module")
def gangdong_bikes(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, gu="강동구", facility="따릉이 대여소", distance=300, k=2)


def _dongs(gu, elderly):
    ages = data.load("seoul_population_by_dong_age_2025q1", "by_age")
    ages = ages[(ages["period"] == ages["period"].max()) & (ages["gu"] == gu)]
    if elderly:
        ages = ages[ages["age_from"] >= 65]
    pop = ages.groupby("dong")["population"].sum()
    geo = data.load("seoul_dong_boundaries", "admdong_2021")
    geo = geo[geo["gu"] == gu].to_crs(CRS)
    geo = geo[geo["dong"].isin(pop.index)].copy()
    geo["population"] = geo["dong"].map(pop)
    geo["density"] = geo["population"] / geo.area
    return geo, sorted(set(pop.index) - set(geo["dong"]))


def _points(frame, lon, lat):
    frame = frame.dropna(subset=[lon, lat])
    return gpd.GeoSeries(gpd.points_from_xy(frame[lon], frame[lat]), crs="EPSG:4326").to_crs(CRS)


def _covered(geo, sites, distance):
    area = geo.union_all()
    near = sites[sites.distance(area) <= distance]
    return near.buffer(distance, quad_segs=32).union_all()


def _share(geo, cover):
    reached = sum(r.density * r.geometry.intersection(cover).area for r in geo.itertuples())
    return reached, reached / geo["population"].sum() * 100


def _numbers(text):
    m = re.search(r"직선 ([\d,]+) m 안에 사는 (?:65세 이상 )?주민: ([\d,]+)명 , ([\d.]+)%", text)
    pick = re.search(r"로 오릅니다\. (.+?) \((\S+)\): \+([\d,]+)명", text)
    assert m and pick, text[:3000]
    return float(m.group(3)), pick.group(1), int(pick.group(3).replace(",", ""))


def test_share_within_500m_of_a_library_for_over_65s(mapo_libraries):
    text, page = mapo_libraries
    geo, missing = _dongs("마포구", elderly=True)
    assert not missing
    lib = data.load("korea_libraries_standard")
    lib = lib[lib["is_seoul"] & lib["library_type"].isin(["공공도서관", "작은도서관", "어린이도서관"])]
    cover = _covered(geo, _points(lib, "longitude", "latitude"), 500)
    _, share = _share(geo, cover)
    printed, first, gain = _numbers(text)
    assert abs(printed - share) < 1.5, (printed, share)               # 50 m grid vs exact areas
    assert f"65세 이상 주민(2025.1/4 주민등록, 경계 자료와 맞춘 행정동 {len(geo)}곳): {geo['population'].sum():,}명" in text
    # the first pick adds the most: every candidate bus stop's gain by exact areas
    stops = data.load("seoul_bus_stops")
    stops = stops[stops["gu"] == "마포구"]
    pts = _points(stops, "lon", "lat")
    inside = pts.within(geo.union_all()).to_numpy()
    names = stops["stop_name"].to_numpy()[inside]
    gains = []
    for p in pts[inside]:
        new = p.buffer(500, quad_segs=32).difference(cover)
        gains.append(sum(r.density * r.geometry.intersection(new).area for r in geo.itertuples()))
    best = max(gains)
    assert first in names
    exact_first = max(g for g, n in zip(gains, names) if n == first)
    assert exact_first >= 0.95 * best and abs(gain - exact_first) <= 0.1 * exact_first, (first, gain, exact_first, best)
    assert "folium" in page or "leaflet" in page.lower()                # the map is in the report
    assert "고르게 산다" in text and "EPSG:5179" in text                # the placement assumption is stated


def test_bike_stations_for_all_residents_and_missing_dongs_listed(gangdong_bikes):
    text, _ = gangdong_bikes
    geo, missing = _dongs("강동구", elderly=False)
    assert missing                                                     # 2025 dongs not in the 2021 boundaries
    for dong in missing:
        assert dong in text[text.index("계산에서 빠졌습니다"):][:200]
    cover = _covered(geo, _points(data.load("seoul_bike_stations", "stations"), "lon", "lat"), 300)
    _, share = _share(geo, cover)
    printed, _, _ = _numbers(text)
    assert abs(printed - share) < 1.5, (printed, share)
    assert "강동구 따릉이 대여소 입지분석 — 걸어서 300 m" in text


@pytest.mark.parametrize("pairs, words", [
    (["facility", "학교"], ["허용되지 않습니다", "도서관", "공원", "따릉이 대여소", "버스정류소"]),
    (["distance", "5000"], ["허용 범위 밖", "100 .. 2000"]),
    (["gu", "서울"], ["허용되지 않습니다", "마포구", "강동구"]),
])
def test_bad_parameters_refused_before_a_kernel(repo, tmp_path, pairs, words):
    assert_refused_before_kernel(repo / "reports" / f"{NB}.ipynb", pairs, words, tmp_path / "out")
