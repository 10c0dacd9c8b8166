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
