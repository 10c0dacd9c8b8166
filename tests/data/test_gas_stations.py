"""seoul_gas_station_prices against its SOURCE.md: 537 stations from 25 district files."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_NAMES

DATASET = "seoul_gas_station_prices"


def test_stations_rows_prices_and_districts():
    st = data.load(DATASET)
    assert len(st) == 537
    assert list(st.columns) == list(data.labels(DATASET))
    assert set(st["gu"]) == set(GU_NAMES)
    counts = st["gu"].value_counts()
    assert (counts["강남구"], counts["서초구"], counts["종로구"]) == (46, 42, 9)
    assert counts["성동구"] == 18 and counts["도봉구"] == 20  # includes the two odd addresses
    assert st["is_self"].dtype == bool and st["is_self"].sum() == 159
    for col, missing in {"premium_gasoline": 341, "kerosene": 272, "gasoline": 4, "diesel": 4}.items():
        assert st[col].dtype == "float64" and st[col].isna().sum() == missing, col
    assert round(st["gasoline"].mean()) == 1640 and round(st["diesel"].mean()) == 1436
    assert isinstance(st["brand"].dtype, pd.CategoricalDtype)


def test_known_rows_from_raw_files():
    st = data.load(DATASET)
    first = st.iloc[0]  # 지역_위치별(주유소).xls, first station
    assert (first["gu"], first["name"], first["brand"]) == ("강남구", "(주)보성 세곡주유소", "SK에너지")
    assert first["is_self"] and (first["gasoline"], first["diesel"]) == (1548, 1345)
    assert pd.isna(first["premium_gasoline"]) and first["address"] == "서울특별시 강남구 헌릉로 731 (세곡동)"
    odd = st[st["name"] == "SK네트웍스(주)효진주유소"].iloc[0]  # address '1 서울특별시 성동구 ...'
    assert odd["gu"] == "성동구" and odd["kerosene"] == 1176
