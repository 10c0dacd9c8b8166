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


# --- seoul_bike_stations -----------------------------------------------------------------

STATION_COLUMNS = {
    "대여소 번호": "station_no", "대여소명": "station_name", "구명": "gu", "상세주소": "address",
    "위도": "lat", "경도": "lon", "QR": "docks_qr", "LCD": "docks_lcd", "거치대수": "docks",
}


def read_stations(paths) -> pd.DataFrame:
    # CP949, CRLF, unquoted except 10 addresses with an embedded line break (quoted).
    frame = pd.read_csv(paths[0], encoding="cp949", dtype=str, engine="c")
    frame = rename_strict(frame, STATION_COLUMNS)
    for col in ("station_no", "station_name", "gu"):
        frame[col] = frame[col].str.strip()  # "301 ", " 경복궁역 7번출구 앞"
    frame["address"] = frame["address"].str.replace(r"\s*[\r\n]+\s*", " ", regex=True).str.strip()
    for col in ("lat", "lon"):
        frame[col] = to_number(frame[col]).astype("float64")
    for col in ("docks_qr", "docks_lcd", "docks"):
        # blank QR / LCD = no dock of that type (QR + LCD == 거치대수 on every row)
        frame[col] = to_number(frame[col]).fillna(0).astype("int64")
    return frame


MASTER_COLUMNS = {"대여소_ID": "station_id", "주소1": "address", "주소2": "address_detail", "위도": "lat", "경도": "lon"}


def _gu_from_address(address: pd.Series) -> pd.Series:
    from datalit.data.readers.common import GU_NAMES

    pattern = r"(?:^|\s)(" + "|".join(GU_NAMES) + r")(?:\s|$)"
    return address.str.extract(pattern, expand=False)


def read_station_master(paths) -> pd.DataFrame:
    # CP949, LF, every field quoted; 77 stations have 0.000000 coordinates (unknown).
    frame = pd.read_csv(paths[0], encoding="cp949", dtype=str, engine="c", keep_default_na=False)
    frame = rename_strict(frame, MASTER_COLUMNS)
    for col in ("station_id", "address", "address_detail"):
        frame[col] = frame[col].str.strip().replace({"": pd.NA, "주소없음": pd.NA})
    for col in ("lat", "lon"):
        values = to_number(frame[col]).astype("float64")
        frame[col] = values.where(values != 0)
    frame["gu"] = _gu_from_address(frame["address"])
    return frame[["station_id", "gu", "address", "address_detail", "lat", "lon"]]


# --- seoul_bike_demand_uci -----------------------------------------------------------------

UCI_COLUMNS = {
    "Date": "date", "Hour": "hour", "Rented Bike Count": "rented_bikes",
    "Temperature(°C)": "temperature", "Humidity(%)": "humidity", "Wind speed (m/s)": "wind_speed",
    "Visibility (10m)": "visibility", "Dew point temperature(°C)": "dew_point",
    "Solar Radiation (MJ/m2)": "solar_radiation", "Rainfall(mm)": "rainfall",
    "Snowfall (cm)": "snowfall", "Seasons": "season", "Holiday": "holiday",
    "Functioning Day": "functioning_day",
}


def read_demand_uci(paths) -> pd.DataFrame:
    # The UCI file is Latin-1: the two '°' in the header are the single byte 0xB0.
    frame = pd.read_csv(paths[0], encoding="latin-1", engine="c")
    frame = rename_strict(frame, UCI_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], format="%d/%m/%Y")  # DD/MM/YYYY
    frame.insert(2, "timestamp", frame["date"] + pd.to_timedelta(frame["hour"], unit="h"))
    for col in ("hour", "rented_bikes", "visibility"):
        frame[col] = frame[col].astype("int64")
    for col in ("temperature", "humidity", "wind_speed", "dew_point", "solar_radiation", "rainfall", "snowfall"):
        frame[col] = frame[col].astype("float64")
    # 0 % humidity (17 hours, 19–28 May 2018) is a sensor gap, not a measurement
    frame["humidity"] = frame["humidity"].where(frame["humidity"] > 0)
    frame["season"] = frame["season"].str.strip()
    for col, yes, no in (("holiday", "Holiday", "No Holiday"), ("functioning_day", "Yes", "No")):
        values = frame[col].str.strip()
        unknown = set(values) - {yes, no}
        if unknown:
            raise ValueError(f"{paths[0]}: unexpected {col} values {sorted(unknown)}")
        frame[col] = values == yes
    return frame
