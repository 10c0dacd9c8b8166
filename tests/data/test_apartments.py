"""seoul_apartment_sales_2022 against its SOURCE.md: 12,800 sales, 754 cancelled, rebuilt 번지."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_NAMES

DATASET = "seoul_apartment_sales_2022"


def test_sales_rows_columns_and_counts():
    sales = data.load(DATASET)
    assert len(sales) == 12800
    assert list(sales.columns) == list(data.labels(DATASET))
    for col in ("seq_no", "price_manwon", "floor", "build_year", "lot_main", "lot_sub", "month"):
        assert sales[col].dtype == "int64", col
    assert pd.api.types.is_datetime64_any_dtype(sales["contract_date"])
    assert set(sales["gu"]) == set(GU_NAMES)
    gu = sales["gu"].value_counts()
    assert (gu["노원구"], gu["강남구"], gu["구로구"]) == (891, 879, 774)
    months = sales["month"].value_counts()
    assert (months[10], months[5]) == (577, 1844)
    assert sales["is_cancelled"].sum() == 754
    assert sales["deal_type"].value_counts().to_dict() == {"중개거래": 10733, "직거래": 2067}
    assert sales["contract_date"].min() == pd.Timestamp("2022-01-01")
    assert sales["contract_date"].max() == pd.Timestamp("2022-12-31")


def test_known_rows_and_rebuilt_lot_numbers():
    sales = data.load(DATASET).set_index("seq_no")
    first = sales.loc[1]  # raw: 1,서울특별시 동대문구 이문동,225,225,0,대림e-편한세상,84.972,202212,31,"76,500",...
    assert (first["gu"], first["dong"], first["complex_name"]) == ("동대문구", "이문동", "대림e-편한세상")
    assert first["price_manwon"] == 76500 and first["area_m2"] == 84.972 and first["floor"] == 11
    assert first["contract_date"] == pd.Timestamp("2022-12-31") and first["lot_number"] == "225"
    assert sales.loc[2, "broker_location"] == "서울 강동구 서울 송파구"
    assert sales.loc[72, "lot_number"] == "15-1"  # raw 번지 '01월 15일', 본번 15, 부번 1
    assert not sales["lot_number"].str.contains("월|[A-Za-z]", regex=True).any()
    assert sales["floor"].min() == -1
    assert sales.loc[~sales["is_cancelled"], "cancel_date"].isna().all()
