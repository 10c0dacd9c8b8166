"""Boundary datasets (seoul_gu_boundaries, seoul_dong_boundaries) against their SOURCE.md."""
import pytest

from datalit import data
from datalit.data.readers.common import GU_NAMES
from datalit.data.readers.boundaries import topojson_to_geojson

GU_TABLES = ["gu", "gu_kostat_2013", "gu_kostat_2013_simple", "gu_kostat_2013_topo"]


@pytest.mark.parametrize("table", GU_TABLES)
def test_gu_tables_have_the_25_districts(table):
    gdf = data.load("seoul_gu_boundaries", table)
    assert list(gdf.columns) == list(data.labels("seoul_gu_boundaries", table))
    assert len(gdf) == 25 and set(gdf["gu"]) == set(GU_NAMES)
    assert gdf.crs.to_epsg() == 4326 and gdf.geometry.is_valid.all()
    # Seoul is about 605 km²
    assert 590 < gdf.to_crs(5179).area.sum() / 1e6 < 620


def test_gu_codes_are_the_two_systems_from_the_raw_files():
    juso = data.load("seoul_gu_boundaries").set_index("gu")
    kostat = data.load("seoul_gu_boundaries", "gu_kostat_2013").set_index("gu")
    # raw: juso SIG_CD '11320' SIG_KOR_NM '도봉구'; kostat code '11250' name '강동구'
    assert juso.loc["도봉구", "gu_code"] == "11320" and juso.loc["도봉구", "gu_en"] == "Dobong-gu"
    assert kostat.loc["강동구", "kostat_code"] == "11250" and kostat.loc["강동구", "base_year"] == "2013"


def test_topojson_decodes_to_the_same_shapes_as_the_geojson():
    topo = data.load("seoul_gu_boundaries", "gu_kostat_2013_topo").set_index("gu").to_crs(5179)
    geo = data.load("seoul_gu_boundaries", "gu_kostat_2013_simple").set_index("gu").to_crs(5179)
    geo = geo.loc[topo.index]
    sym = topo.geometry.symmetric_difference(geo.geometry, align=False).area
    assert (sym / geo.area < 0.01).all()


def test_topojson_decoder_reverses_negative_arcs():
    topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
            "arcs": [[[0, 0], [1, 0], [0, 1]], [[0, 0], [0, 1], [1, 0]]],
            "objects": {"o": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, ~1]], "properties": {"k": 1}}]}}}
    ring = topojson_to_geojson(topo)["features"][0]["geometry"]["coordinates"][0]
    assert ring == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


DONG_TABLES = {"admdong_2021": 425, "dong_kostat_2013": 423, "legal_dong_2015": 467}


@pytest.mark.parametrize("table", list(DONG_TABLES))
def test_dong_tables_rows_and_columns(table):
    gdf = data.load("seoul_dong_boundaries", table)
    assert list(gdf.columns) == list(data.labels("seoul_dong_boundaries", table))
    assert len(gdf) == DONG_TABLES[table] and gdf.crs.to_epsg() == 4326
    assert 590 < gdf.to_crs(5179).area.sum() / 1e6 < 620


def test_admdong_known_feature_and_codes():
    adm = data.load("seoul_dong_boundaries").set_index("object_id")
    # raw first feature: OBJECTID 1, adm_nm '서울특별시 종로구 사직동', adm_cd '1101053', adm_cd2 '1111053000', sgg '11110'
    first = adm.loc[1]
    assert (first["gu"], first["dong"], first["kostat_code"], first["adm_code10"], first["gu_code"]) == (
        "종로구", "사직동", "1101053", "1111053000", "11110")
    assert set(adm["gu"]) == set(GU_NAMES) and not adm.duplicated(["gu", "dong"]).any()
    assert "종로1·2·3·4가동" in set(adm["dong"])


def test_admdong_matches_population_by_dong_on_gu_and_dong():
    adm = data.load("seoul_dong_boundaries")
    pop = data.load("seoul_population_by_dong_2021q2")
    merged = adm.merge(pop, on=["gu", "dong"], how="outer", indicator=True, validate="one_to_one")
    assert (merged["_merge"] == "both").all() and len(merged) == 425


def test_kostat_and_legal_dong_known_features():
    kostat = data.load("seoul_dong_boundaries", "dong_kostat_2013").set_index("kostat_code")
    assert kostat.loc["1125074", "dong"] == "길동" and kostat.loc["1125074", "kostat_gu_code"] == "11250"
    legal = data.load("seoul_dong_boundaries", "legal_dong_2015").set_index("legal_dong_code")
    assert legal.loc["11590108", "legal_dong"] == "대방동" and legal.loc["11590108", "gu_code"] == "11590"
    assert (~legal.geometry.is_valid).sum() == 2  # as published (see quirks)
