"""seoul_weather_asos108_daily_2014_2024 against its SOURCE.md (KMA ASOS daily, station 108)."""
import pandas as pd

from datalit import data

DS = "seoul_weather_asos108_daily_2014_2024"


def test_rows_columns_dtypes():
    w = data.load(DS)
    assert list(w.columns) == list(data.labels(DS)) and len(w.columns) == 63
    assert len(w) == 3653 and w["date"].is_unique and w["date"].is_monotonic_increasing
    assert (w["date"].diff().dropna() == pd.Timedelta(days=1)).all()  # no gaps
    assert w["temp_mean_c"].dtype == "float64" and w["temp_max_time"].dtype == "Int64"
    assert w["precip_recorded"].dtype == bool and (w["station_id"] == 108).all()


def test_known_values_from_the_raw_file():
    w = data.load(DS).set_index("date")
    # first data line: 108,서울,2014-01-06,.8,-3.7,707,6.4,1428,,,,,,,5.3,270,...
    first = w.loc[pd.Timestamp("2014-01-06")]
    assert (first["temp_mean_c"], first["temp_min_c"], first["temp_min_time"], first["temp_max_time"]) == (0.8, -3.7, 707, 1428)
    assert first["gust_max_dir_deg"] == 270 and first["precip_mm"] == 0 and not first["precip_recorded"]
    # 2014-01-07: 일강수량 written as 0 (a trace) -> recorded
    assert w.loc[pd.Timestamp("2014-01-07"), "precip_recorded"]
    assert w.loc[pd.Timestamp("2024-01-06"), "precip_mm"] == 2.4 and pd.isna(w.loc[pd.Timestamp("2024-01-06"), "temp_mean_c"])
    assert w.loc[pd.Timestamp("2022-06-30"), "precip_mm"] == 176.2


def test_precipitation_totals_and_extremes_match_source_md():
    w = data.load(DS)
    yearly = w.groupby(w["date"].dt.year)["precip_mm"].sum().round(1)
    assert yearly.loc[2018:2023].tolist() == [1284.1, 891.3, 1651.1, 1186.5, 1775.3, 1598.8]
    assert (~w["precip_recorded"]).sum() == 2226 and ((w["precip_mm"] == 0) & w["precip_recorded"]).sum() == 371
    hottest = w.loc[w["temp_max_c"].idxmax()]
    assert hottest["temp_max_c"] == 39.6 and hottest["date"] == pd.Timestamp("2018-08-01")
    assert w["temp_min_c"].min() == -18.6
