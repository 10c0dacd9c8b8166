"""korea_libraries_standard against its SOURCE.md: 3,555 libraries, 541 in Seoul, clean district names."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_NAMES

DATASET = "korea_libraries_standard"


def test_libraries_rows_columns_dtypes():
    lib = data.load(DATASET)
    assert len(lib) == 3555
    assert list(lib.columns) == list(data.labels(DATASET))
    for col in ("seats", "books", "serials", "non_book_items", "loan_limit", "loan_days"):
        assert lib[col].dtype == "int64", col
    assert lib["latitude"].dtype == "float64" and lib["latitude"].isna().sum() == 149
    assert pd.api.types.is_datetime64_any_dtype(lib["reference_date"])
    assert lib["is_seoul"].dtype == bool
    assert lib["library_type"].value_counts()["작은도서관"] == 2091
    assert "전라북도" not in set(lib["sido"])


def test_seoul_rows_and_district_cleaning():
    lib = data.load(DATASET)
    seoul = lib[lib["is_seoul"]]
    assert len(seoul) == 541 and seoul["latitude"].isna().sum() == 2
    assert seoul["library_type"].value_counts()[["작은도서관", "공공도서관", "어린이도서관", "학교도서관"]].tolist() == [330, 205, 4, 2]
    assert set(seoul["gu"]) <= set(GU_NAMES) and (seoul["gu"] == seoul["sigungu"]).all()
    counts = seoul["gu"].value_counts()
    # raw: '노원구\u3000' x34 and '서울특별시 도봉구' x31
    assert counts["노원구"] == 34 and counts["도봉구"] == 31 and "동대문구" not in counts
    assert lib.loc[~lib["is_seoul"], "gu"].isna().all()
    songpa = lib.set_index("name").loc["서울특별시교육청송파도서관"]  # read by hand from the raw csv
    assert (songpa["seats"], songpa["books"], songpa["non_book_items"]) == (894, 254870, 10148)
    assert songpa["site_area"] == 6469.68 and songpa["weekday_close"] == "22:00"
    assert songpa["reference_date"] == pd.Timestamp("2026-06-01")
