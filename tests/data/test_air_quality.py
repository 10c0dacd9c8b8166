"""seoul_air_quality_daily against its SOURCE.md: 9 yearly files as one frame, CO from the mislabelled xlsx column."""
import pandas as pd

from datalit import data

PER_YEAR = {2014: 14541, 2015: 14385, 2016: 14269, 2017: 14235, 2018: 14637,
            2019: 17745, 2020: 18300, 2021: 18250, 2022: 18250}


def test_one_frame_rows_columns_dtypes():
    air = data.load("seoul_air_quality_daily")
    assert list(air.columns) == list(data.labels("seoul_air_quality_daily"))
    assert len(air) == sum(PER_YEAR.values()) == 144612
    assert air.groupby(air["date"].dt.year).size().to_dict() == PER_YEAR
    assert pd.api.types.is_datetime64_any_dtype(air["date"])
    for col in ["no2_ppm", "o3_ppm", "co_ppm", "so2_ppm", "pm10", "pm25"]:
        assert air[col].dtype == "float64"
    assert not air.duplicated(["date", "station"]).any()
    assert air["station"].nunique() >= 50 and air["gu"].dropna().nunique() == 25


def test_known_values_from_raw_files():
    air = data.load("seoul_air_quality_daily").set_index(["date", "station"])
    # 2014.xlsx row 2: 20140101 강남구 0.031 0.016 0.5(headed 이산화탄소) 0.010 117 29
    row = air.loc[(pd.Timestamp("2014-01-01"), "강남구")]
    assert (row["no2_ppm"], row["co_ppm"], row["pm10"], row["pm25"]) == (0.031, 0.5, 117.0, 29.0)
    assert row["gu"] == "강남구"
    # 2018.csv line 3: 20180101,강남대로,0.04,0.007,0.9,0.006,,17  (empty PM10 -> NaN, no gu)
    road = air.loc[(pd.Timestamp("2018-01-01"), "강남대로")]
    assert pd.isna(road["pm10"]) and road["pm25"] == 17.0 and road["co_ppm"] == 0.9 and pd.isna(road["gu"])
    # last line of 2022.csv: 20221231,공항대로,0.042,0.007,0.7,0.004,41,31
    last = air.loc[(pd.Timestamp("2022-12-31"), "공항대로")]
    assert (last["so2_ppm"], last["pm10"], last["pm25"]) == (0.004, 41.0, 31.0)


def test_co_is_continuous_across_the_xlsx_csv_switch():
    air = data.load("seoul_air_quality_daily")
    yearly = air.groupby(air["date"].dt.year)["co_ppm"].mean()
    # CO2 would be ~400 ppm; CO is below 1 ppm in every year, xlsx and csv alike
    assert yearly.between(0.2, 1.0).all()
    assert air.loc[air["date"].dt.year <= 2017, "co_ppm"].notna().sum() > 55000


def test_fast_xlsx_engine_reads_the_same_frame_as_openpyxl():
    from datalit.data.readers import air_quality

    path = data.files("seoul_air_quality_daily")[0]  # 2014.xlsx
    fast = pd.read_excel(path, sheet_name=0, engine=air_quality._xlsx_engine(), dtype={"측정소명": str})
    stock = pd.read_excel(path, sheet_name=0, engine="openpyxl", dtype={"측정소명": str})
    assert air_quality._xlsx_engine() == "calamine"
    pd.testing.assert_frame_equal(fast, stock)
