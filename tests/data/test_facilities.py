"""seoul_public_facilities against its SOURCE.md: 132 parks, 159 museums, cleaned areas and coordinates."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_NAMES

DATASET = "seoul_public_facilities"


def test_parks_area_dates_and_coordinates():
    parks = data.load(DATASET)  # default table: parks
    assert len(parks) == 132 and parks["park_id"].is_unique
    assert list(parks.columns) == list(data.labels(DATASET))
    assert parks["is_seoul"].sum() == 131 and set(parks["gu"].dropna()) <= set(GU_NAMES)
    by_name = parks.set_index("name")
    namsan = by_name.loc["남산도시자연공원"]  # first raw row
    assert namsan["area_m2"] == 2896887 and namsan["opened"] == pd.Timestamp("1968-09-10")
    assert (namsan["longitude"], namsan["latitude"]) == (126.9903773, 37.5501402)
    assert (namsan["x_tm"], namsan["y_tm"]) == (198364.107, 450395.554) and namsan["gu"] == "중구"
    assert by_name.loc["서울대공원", "region"] == "과천시" and pd.isna(by_name.loc["서울대공원", "gu"])
    assert by_name.loc["서울대공원", "area_m2"] == 9132690  # '9132690m²'
    assert by_name.loc["중마루근린공원", "area_m2"] == 6456  # '6456㎥'
    assert pd.isna(by_name.loc["진관근린공원(구파발폭포)", "area_m2"])  # a facility list
    assert by_name.loc["경춘선숲길", "gu"] == "노원구"
    assert pd.isna(by_name.loc["월천근린공원", "y_tm"]) and pd.isna(by_name.loc["문화비축기지", "x_tm"])
    assert parks["x_tm"].isna().sum() == 13 and parks["latitude"].isna().sum() == 1
    assert parks["y_tm"].dropna().between(420_000, 480_000).all()
    assert parks["opened_year"].dtype == "Int64"
    odd = parks.loc[parks["opened_text"] == "1971.8 6", "opened"]
    assert (odd == pd.Timestamp("1971-08-06")).all() and len(odd) == 1


def test_museums_types_fees_and_coordinates():
    mus = data.load(DATASET, "museums")
    assert len(mus) == 159
    assert list(mus.columns) == list(data.labels(DATASET, "museums"))
    assert mus["museum_type"].value_counts().to_dict() == {"사립": 107, "대학": 30, "공립": 20, "국립": 2}
    assert mus["fee_adult"].dtype == "Int64" and mus["fee_adult"].isna().sum() == 37
    assert mus["latitude"].dropna().between(37.41, 37.72).all()
    assert mus["latitude"].isna().sum() == 35
    assert mus["gu"].value_counts()["종로구"] == 51 and mus["gu"].isna().sum() == 10
    dooly = mus.iloc[0]  # first raw row
    assert (dooly["name"], dooly["museum_type"], dooly["gu"]) == ("둘리뮤지엄", "공립", "도봉구")
    assert dooly["fee_adult"] == 5000 and dooly["reference_date"] == pd.Timestamp("2017-12-31")
    stone = mus.set_index("name").loc["우리옛돌박물관"]  # raw lat/lon swapped
    assert (stone["latitude"], stone["longitude"]) == (37.55943913, 126.9817505)
    assert pd.isna(mus.set_index("name").loc["전쟁기념관", "latitude"])
    assert set(mus["holiday_open"].dropna().str.len()) == {5}
