"""Subway datasets against their SOURCE.md: row counts, columns, quirks, values read from the raw files."""
import pandas as pd

from datalit import data


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


def test_daily_ridership_june_26_short_rows_parsed():
    frame = data.load("seoul_subway_daily_ridership_2023")
    june26 = frame[frame["date"] == pd.Timestamp("2023-06-26")]
    assert len(june26) == 607
    # raw (6 fields, unquoted numbers, CRLF): "20230626","1호선","서울역",55757,52677,"20230630"
    row = june26.set_index(["line", "station"]).loc[("1호선", "서울역")]
    assert (row["boardings"], row["alightings"]) == (55757, 52677)
    assert row["registered_date"] == pd.Timestamp("2023-06-30")
