"""Subway datasets against their SOURCE.md: row counts, columns, quirks, values read from the raw files."""
import pandas as pd

from datalit import data
from datalit.data.readers.common import GU_NAMES


def test_daily_ridership_rows_columns_and_known_values():
    frame = data.load("seoul_subway_daily_ridership_2023")
    assert len(frame) == 184284
    assert list(frame.columns) == list(data.labels("seoul_subway_daily_ridership_2023"))
    assert frame["date"].dtype.kind == "M" and frame["boardings"].dtype == "int64"
    assert frame["date"].min() == pd.Timestamp("2023-01-01")
    assert frame["date"].max() == pd.Timestamp("2023-10-31")
    assert frame["date"].is_monotonic_increasing
    assert not frame.duplicated(["date", "line", "station"]).any()
    assert frame["line"].nunique() == 27
    # raw: "20230101","2호선","신도림","20210","21037","20230104",""
    row = frame.set_index(["date", "line", "station"]).loc[(pd.Timestamp("2023-01-01"), "2호선", "신도림")]
    assert (row["boardings"], row["alightings"]) == (20210, 21037)
    assert row["registered_date"] == pd.Timestamp("2023-01-04")


def test_daily_ridership_gu_from_station_locations():
    frame = data.load("seoul_subway_daily_ridership_2023")
    stations = frame.drop_duplicates(["line", "station"]).set_index(["line", "station"])["gu"]
    assert set(stations.dropna()) == set(GU_NAMES)
    assert stations.loc[("2호선", "신도림")] == "구로구"
    assert stations.loc[("9호선2~3단계", "석촌고분")] == "송파구"  # line spelled 9호선(연장) in the coords
    assert stations.loc[("공항철도 1호선", "김포공항")] == "강서구"  # 공항철도1호선 in the coords
    assert stations.loc[("5호선", "양평")] == "영등포구"
    assert pd.isna(stations.loc[("중앙선", "양평")])  # the other 양평, in Gyeonggi
    assert pd.isna(stations.loc[("7호선", "부천시청")])
    assert stations.notna().sum() == 390  # of 623 line × station pairs; the rest lie outside Seoul


def test_daily_ridership_june_26_short_rows_parsed():
    frame = data.load("seoul_subway_daily_ridership_2023")
    june26 = frame[frame["date"] == pd.Timestamp("2023-06-26")]
    assert len(june26) == 607
    # raw (6 fields, unquoted numbers, CRLF): "20230626","1호선","서울역",55757,52677,"20230630"
    row = june26.set_index(["line", "station"]).loc[("1호선", "서울역")]
    assert (row["boardings"], row["alightings"]) == (55757, 52677)
    assert row["registered_date"] == pd.Timestamp("2023-06-30")


def test_hourly_ridership_long_form_in_clock_order():
    frame = data.load("seoul_subway_hourly_ridership_202411")
    assert len(frame) == 621 * 24
    assert list(frame.columns) == list(data.labels("seoul_subway_hourly_ridership_202411"))
    assert frame["hour"].dtype == "int64" and sorted(frame["hour"].unique()) == list(range(24))
    assert (frame["month"] == pd.Timestamp("2024-11-01")).all()
    assert frame["boardings"].sum() == 219_599_601  # SOURCE.md: Nov-2024 total boardings
    assert frame["line"].nunique() == 27
    # raw row "202411","1호선","동대문","590","18","11507","1945",... ,"869","2870","2","219",...
    dongdaemun = frame[(frame["line"] == "1호선") & (frame["station"] == "동대문")].set_index("hour")
    assert list(dongdaemun.index[:5]) == [0, 1, 2, 3, 4]
    assert tuple(dongdaemun.loc[4, ["boardings", "alightings"]]) == (590, 18)
    assert tuple(dongdaemun.loc[5, ["boardings", "alightings"]]) == (11507, 1945)
    assert tuple(dongdaemun.loc[0, ["boardings", "alightings"]]) == (869, 2870)


def test_hourly_ridership_wide_table():
    wide = data.load("seoul_subway_hourly_ridership_202411", "wide")
    assert wide.shape == (621, 53)
    assert wide.set_index(["line", "station"]).loc[("1호선", "동대문"), "gu"] == "종로구"
    assert list(wide.columns) == list(data.labels("seoul_subway_hourly_ridership_202411", "wide"))
    assert list(wide.columns[4:8]) == ["boardings_00", "alightings_00", "boardings_01", "alightings_01"]
    assert wide.filter(like="boardings_").to_numpy().sum() == 219_599_601
    assert (wide["work_date"] == pd.Timestamp("2024-12-03")).all()


def test_station_master_drops_three_digit_twins_and_keeps_text_ids():
    frame = data.load("seoul_subway_station_coords")
    assert len(frame) == 786  # 909 rows in the file, 123 3-digit twins dropped
    assert list(frame.columns) == list(data.labels("seoul_subway_station_coords"))
    assert frame["station_id"].str.len().eq(4).all() and frame["station_id"].is_unique
    assert frame["line"].nunique() == 39
    # raw: "0158","청량리(서울시립대입구)","1호선","37.579956","127.044585" (twin "158" dropped)
    row = frame.set_index("station_id").loc["0158"]
    assert (row["station_name"], row["line"], row["gu"]) == ("청량리(서울시립대입구)", "1호선", "동대문구")
    assert frame["gu"].notna().sum() == 406 and frame["gu"].nunique() == 25
    assert abs(row["lat"] - 37.579956) < 1e-9 and abs(row["lon"] - 127.044585) < 1e-9


def test_station_tdata_x_is_longitude():
    frame = data.load("seoul_subway_station_coords", "tdata")
    assert len(frame) == 765
    assert list(frame.columns) == list(data.labels("seoul_subway_station_coords", "tdata"))
    assert frame["lat"].between(36.7, 38.0).all() and frame["lon"].between(126.4, 127.8).all()
    # raw: 4124,사평,9호선,127.015259,37.504206
    row = frame.set_index("station_code").loc["4124"]
    assert (row["station_name"], row["line"], row["lon"], row["lat"]) == ("사평", "9호선", 127.015259, 37.504206)
    assert row["gu"] == "서초구"
