"""Seoul public bike (따릉이): monthly usage per station, station lists, UCI hourly demand.

Datasets: seoul_bike_station_monthly_usage_2023, seoul_bike_stations, seoul_bike_demand_uci.
Station numbers are kept as text (e.g. "301") in every table so they join without casting.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number

# --- seoul_bike_station_monthly_usage_2023 ----------------------------------------------

USAGE_COLUMNS = {
    "기준년월": "month", "자치구": "gu", "대여소명": "station",
    "대여건수": "rentals", "반납건수": "returns",
}


def read_station_monthly_usage(paths) -> pd.DataFrame:
    # CP949, unquoted except ~100 station names containing commas (those are quoted).
    frame = pd.concat(
        [pd.read_csv(p, encoding="cp949", dtype=str, engine="c") for p in paths], ignore_index=True
    )
    frame = rename_strict(frame, USAGE_COLUMNS)
    for col in ("gu", "station"):
        frame[col] = frame[col].str.strip()
    # "2301. 현대고등학교 건너편", sometimes without the space ("2413.도곡역 1번 출구");
    # the six "AS센터" rows have no number.
    parts = frame["station"].str.extract(r"^(?P<no>\d+)\.\s*(?P<name>.*)$")
    frame["station_no"] = parts["no"]
    frame["station_name"] = parts["name"].fillna(frame["station"]).str.strip()
    frame["month"] = pd.to_datetime(frame["month"].str.strip(), format="%Y%m")
    for col in ("rentals", "returns"):
        frame[col] = to_number(frame[col]).astype("int64")
    frame = frame.sort_values(["month", "gu", "station"], kind="stable").reset_index(drop=True)
    return frame[["month", "gu", "station_no", "station_name", "station", "rentals", "returns"]]
