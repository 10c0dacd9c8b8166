"""seoul_living_population_gu_daily_2018_2020 against its SOURCE.md (Korean lost in the file, gu rebuilt from codes)."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_CODES

DS = "seoul_living_population_gu_daily_2018_2020"


def test_gu_daily_rows_columns_and_order():
    gu = data.load(DS)
    assert list(gu.columns) == list(data.labels(DS))
    assert len(gu) == 20450 and gu["date"].nunique() == 818
    assert set(gu["gu"]) == set(GU_CODES.values()) and not gu["gu"].str.contains("?", regex=False).any()
    assert pd.api.types.is_datetime64_any_dtype(gu["date"]) and gu["total"].dtype == "float64"
    assert gu["date"].is_monotonic_increasing
    assert gu["date"].min() == pd.Timestamp("2018-04-05") and gu["date"].max() == pd.Timestamp("2020-07-20")
    assert pd.Timestamp("2019-10-20") not in set(gu["date"])  # one of the 20 missing dates


def test_known_values_from_the_raw_file():
    gu = data.load(DS).set_index(["date", "gu"])
    # line 3 of the file: 20200720,11110,??????,318704.253,300128.3819,16650.6739,1925.1971,...,186928.6061
    row = gu.loc[(pd.Timestamp("2020-07-20"), "종로구")]
    assert row["gu_code"] == "11110"
    assert (row["total"], row["korean"], row["short_stay_foreigners"], row["moves_between_gu"]) == (
        318704.253, 300128.3819, 1925.1971, 186928.6061)
    seoul = data.load(DS, "seoul_daily").set_index("date")
    assert len(seoul) == 818 and seoul.loc[pd.Timestamp("2020-07-20"), "total"] == 11217005.64
    assert seoul["total"].idxmin() == pd.Timestamp("2019-09-13")  # Chuseok dip (SOURCE.md)


def test_districts_sum_to_the_seoul_row_and_components_to_total():
    gu = data.load(DS)
    seoul = data.load(DS, "seoul_daily").set_index("date")
    summed = gu.groupby("date")["total"].sum()
    assert (summed - seoul["total"]).abs().max() < 0.01
    parts = gu["korean"] + gu["long_stay_foreigners"] + gu["short_stay_foreigners"]
    assert (parts - gu["total"]).abs().max() < 0.001


def test_gu_codes_match_the_juso_boundaries():
    juso = data.load("seoul_gu_boundaries")
    assert dict(zip(juso["gu_code"], juso["gu"])) == GU_CODES
