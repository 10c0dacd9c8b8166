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
