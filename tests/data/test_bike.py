"""Bike datasets against their SOURCE.md: row counts, columns, quirks, values read from the raw files."""
import pandas as pd

from datalit import data


def test_station_monthly_usage_rows_columns_and_known_values():
    frame = data.load("seoul_bike_station_monthly_usage_2023")
    assert len(frame) == 32687
    assert list(frame.columns) == list(data.labels("seoul_bike_station_monthly_usage_2023"))
    assert frame["month"].dtype.kind == "M" and frame["rentals"].dtype == "int64"
    assert frame["month"].nunique() == 12 and frame["gu"].nunique() == 25
    assert not frame.duplicated(["station", "month"]).any()
    by_key = frame.set_index(["station_no", "month"])
    # raw: 강남구,2301. 현대고등학교 건너편,202301,383,439
    row = by_key.loc[("2301", pd.Timestamp("2023-01-01"))]
    assert (row["gu"], row["station_name"], row["rentals"], row["returns"]) == ("강남구", "현대고등학교 건너편", 383, 439)
    # raw (quoted, comma in the name): 강서구,"1153. 발산역 1번, 9번 인근 대여소",202307,11381,11262
    row = by_key.loc[("1153", pd.Timestamp("2023-07-01"))]
    assert (row["station_name"], row["rentals"], row["returns"]) == ("발산역 1번, 9번 인근 대여소", 11381, 11262)
    # no space after the number: 2413.도곡역 1번 출구
    assert "도곡역 1번 출구" in set(frame.loc[frame["station_no"] == "2413", "station_name"])
    assert frame["station_no"].isna().sum() == 6  # AS센터 rows


def test_stations_list_strips_spaces_and_reads_multiline_addresses():
    frame = data.load("seoul_bike_stations")
    assert len(frame) == 2749
    assert list(frame.columns) == list(data.labels("seoul_bike_stations"))
    assert frame["gu"].nunique() == 25 and frame["station_no"].is_unique
    assert frame["docks"].dtype == "int64" and (frame["docks_qr"] + frame["docks_lcd"] == frame["docks"]).all()
    # raw: "301 , 경복궁역 7번출구 앞,종로구,...,37.57579422,126.9714508,20,20,40"
    row = frame.set_index("station_no").loc["301"]
    assert (row["station_name"], row["gu"], row["docks"]) == ("경복궁역 7번출구 앞", "종로구", 40)
    assert abs(row["lat"] - 37.57579422) < 1e-9 and abs(row["lon"] - 126.9714508) < 1e-9
    # raw: "2301 , 현대고등학교 건너편,강남구,...,10,,10" (blank LCD)
    assert frame.set_index("station_no").loc["2301", "docks_lcd"] == 0
    assert not frame["address"].str.contains("\n").any()
    assert frame["address"].str.contains("응암로 278 맞은편 (응암동 767-1 공원 앞)", regex=False).any()


def test_station_master_zero_coordinates_are_missing():
    frame = data.load("seoul_bike_stations", "master")
    assert len(frame) == 3275
    assert list(frame.columns) == list(data.labels("seoul_bike_stations", "master"))
    assert frame["lat"].isna().sum() == 77 and frame["lon"].isna().sum() == 77
    assert frame["lat"].min() > 37
    # raw: "ST-100","서울특별시 광진구 아차산로 262","더샵스타시티 C동 앞","37.536667","127.073593"
    row = frame.set_index("station_id").loc["ST-100"]
    assert (row["gu"], row["address_detail"]) == ("광진구", "더샵스타시티 C동 앞")
    assert abs(row["lat"] - 37.536667) < 1e-9


def test_demand_uci_latin1_header_day_first_dates_and_gaps():
    frame = data.load("seoul_bike_demand_uci")
    assert len(frame) == 8760
    assert list(frame.columns) == list(data.labels("seoul_bike_demand_uci"))
    assert frame["timestamp"].is_unique
    assert frame["timestamp"].min() == pd.Timestamp("2017-12-01 00:00")
    assert frame["timestamp"].max() == pd.Timestamp("2018-11-30 23:00")
    assert frame["holiday"].dtype == bool and frame["holiday"].sum() == 432
    assert (~frame["functioning_day"]).sum() == 295
    assert frame.loc[~frame["functioning_day"], "rented_bikes"].max() == 0
    assert frame["humidity"].isna().sum() == 17 and frame["humidity"].min() > 0
    # raw line 4724: 15/06/2018,2891,18,25.9,44,1.5,2000,12.7,1.36,0,0,Summer,No Holiday,Yes
    row = frame.set_index("timestamp").loc[pd.Timestamp("2018-06-15 18:00")]
    assert (row["rented_bikes"], row["temperature"], row["humidity"], row["visibility"]) == (2891, 25.9, 44.0, 2000)
    assert (row["solar_radiation"], row["season"], row["holiday"]) == (1.36, "Summer", False)
