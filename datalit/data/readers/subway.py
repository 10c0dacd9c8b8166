"""Seoul subway: daily and hourly ridership (transit-card taps) and station coordinates.

Datasets: seoul_subway_daily_ridership_2023, seoul_subway_hourly_ridership_202411,
seoul_subway_station_coords.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number

# --- seoul_subway_daily_ridership_2023 --------------------------------------------------

DAILY_COLUMNS = ["date", "line", "station", "boardings", "alightings", "registered_date"]


def _read_daily_month(path) -> pd.DataFrame:
    # Header has 6 names, data rows 7 fields (trailing ,""); the 2023-06-26 rows of the June
    # file have 6 fields, unquoted numbers and CRLF. Reading with 7 positional names and
    # keeping the first 6 handles both; a trailing CR ends up in the dropped 7th field or is
    # stripped from the last kept field below.
    frame = pd.read_csv(
        path, encoding="utf-8-sig", header=None, skiprows=1, names=DAILY_COLUMNS + ["_extra"],
        usecols=range(6), dtype=str, engine="c",
    )
    header = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns[:6].tolist()
    expected = ["사용일자", "노선명", "역명", "승차총승객수", "하차총승객수", "등록일자"]
    if header != expected:
        raise ValueError(f"{path}: unexpected header {header}")
    return frame


def read_daily(paths) -> pd.DataFrame:
    frame = pd.concat([_read_daily_month(p) for p in paths], ignore_index=True)
    for col in ("line", "station"):
        frame[col] = frame[col].str.strip()
    for col in ("date", "registered_date"):
        frame[col] = pd.to_datetime(frame[col].str.strip(), format="%Y%m%d")
    for col in ("boardings", "alightings"):
        frame[col] = to_number(frame[col]).astype("int64")
    frame = frame.sort_values(["date", "line", "station"], kind="stable").reset_index(drop=True)
    return frame[DAILY_COLUMNS]
