"""Seoul subway: daily and hourly ridership (transit-card taps) and station coordinates.

Datasets: seoul_subway_daily_ridership_2023, seoul_subway_hourly_ridership_202411,
seoul_subway_station_coords.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number

# --- seoul_subway_daily_ridership_2023 --------------------------------------------------

DAILY_COLUMNS = ["date", "line", "station", "boardings", "alightings", "registered_date"]
DAILY_OUTPUT = ["date", "line", "station", "gu", "boardings", "alightings", "registered_date"]


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
    frame["gu"] = _gu_for(frame)
    return frame[DAILY_OUTPUT]


def _gu_for(frame: pd.DataFrame) -> pd.Series:
    """gu of each row's (line, station), looked up once per distinct station."""
    from datalit.data.readers.subway_gu import station_gu

    stations = frame[["line", "station"]].drop_duplicates()
    stations = stations.assign(gu=station_gu(stations))
    merged = frame[["line", "station"]].merge(stations, on=["line", "station"], how="left")
    return merged["gu"].set_axis(frame.index)


# --- seoul_subway_hourly_ridership_202411 -----------------------------------------------

HOURS = list(range(24))


def _hour_label(hour: int, kind: str) -> str:
    return f"{hour:02d}시-{(hour + 1):02d}시 {kind}인원"


def _read_hourly_raw(path) -> pd.DataFrame:
    # CP949, every field quoted, LF, no newline after the last row; hour columns run 04–05 …
    # 23–24, then wrap to 00–01 … 03–04.
    frame = pd.read_csv(path, encoding="cp949", dtype=str, engine="c")
    expected = ["사용월", "호선명", "지하철역"] + [
        _hour_label(h, k) for h in [*range(4, 24), *range(0, 4)] for k in ("승차", "하차")
    ] + ["작업일자"]
    if list(frame.columns) != expected:
        raise ValueError(f"{path}: unexpected header {list(frame.columns)}")
    frame["month"] = pd.to_datetime(frame["사용월"].str.strip(), format="%Y%m")
    frame["line"] = frame["호선명"].str.strip()
    frame["station"] = frame["지하철역"].str.strip()
    frame["work_date"] = pd.to_datetime(frame["작업일자"].str.strip(), format="%Y%m%d")
    return frame


def read_hourly_wide(paths) -> pd.DataFrame:
    """One row per line × station; hour columns in clock order 00 … 23."""
    raw = _read_hourly_raw(paths[0])
    out = raw[["month", "line", "station"]].copy()
    out["gu"] = _gu_for(out)
    for h in HOURS:
        out[f"boardings_{h:02d}"] = to_number(raw[_hour_label(h, "승차")]).astype("int64")
        out[f"alightings_{h:02d}"] = to_number(raw[_hour_label(h, "하차")]).astype("int64")
    out["work_date"] = raw["work_date"]
    return out


def read_hourly(paths) -> pd.DataFrame:
    """Long form: one row per line × station × hour of day (0–23, clock order)."""
    wide = read_hourly_wide(paths)
    parts = []
    for h in HOURS:
        part = wide[["month", "line", "station", "gu"]].copy()
        part["hour"] = h
        part["boardings"] = wide[f"boardings_{h:02d}"]
        part["alightings"] = wide[f"alightings_{h:02d}"]
        part["_row"] = range(len(wide))
        parts.append(part)
    long = pd.concat(parts, ignore_index=True).sort_values(["_row", "hour"], kind="stable")
    long["hour"] = long["hour"].astype("int64")
    return long.drop(columns="_row").reset_index(drop=True)


# --- seoul_subway_station_coords ---------------------------------------------------------

MASTER_COLUMNS = {"역사_ID": "station_id", "역사명": "station_name", "호선": "line", "위도": "lat", "경도": "lon"}
TDATA_COLUMNS = {
    "외구간_역_수": "station_code", "역한글명칭": "station_name", "호선명칭": "line",
    "환승역Y좌표": "lat", "환승역X좌표": "lon",
}


def _coords(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    frame = rename_strict(frame, mapping)
    for col in frame.columns[:3]:
        frame[col] = frame[col].str.strip()  # IDs stay text: "0150" keeps its leading zero
    for col in ("lat", "lon"):
        frame[col] = to_number(frame[col]).astype("float64")
    frame.insert(3, "gu", gu_of_points(frame["lat"], frame["lon"]))
    return frame


def gu_of_points(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """District containing each point; missing outside Seoul.

    Uses the catalog dataset seoul_gu_boundaries, table gu (JUSO 2015): against the district
    prefix of bus-stop ARS numbers it agrees on 99.0 % of stops, while the KOSTAT 2013
    polygons (gu_kostat_2013) agree on only 91 % (they look shifted by a few hundred metres)."""
    import geopandas as gpd

    from datalit import data

    gu = data.load("seoul_gu_boundaries", "gu")[["gu", "geometry"]]
    points = gpd.GeoDataFrame(
        {"_i": range(len(lat))}, geometry=gpd.points_from_xy(lon.to_numpy(), lat.to_numpy()), crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, gu, how="left", predicate="within").drop_duplicates("_i").set_index("_i")
    return pd.Series(joined["gu"].reindex(range(len(lat))).to_numpy(), index=lat.index, dtype="str")


def read_station_master(paths) -> pd.DataFrame:
    """서울시 역사마스터 정보: CP949, every field quoted, LF.

    123 stations of lines 1–4 appear twice: with a 3-digit ID ("150") and with the same ID
    zero-padded ("0150"), same name and line, coordinates up to ~250 m apart. The 3-digit
    twins are dropped; the 4-digit form is the one the other rows and t-data use.
    """
    frame = _coords(pd.read_csv(paths[0], encoding="cp949", dtype=str, engine="c"), MASTER_COLUMNS)
    short = frame["station_id"].str.len() < 4
    twin = short & frame["station_id"].str.zfill(4).isin(set(frame.loc[~short, "station_id"]))
    return frame[~twin].reset_index(drop=True)


def read_station_tdata(paths) -> pd.DataFrame:
    """지하철_좌표 (t-data): UTF-8 with BOM, CRLF; X = longitude, Y = latitude."""
    return _coords(pd.read_csv(paths[0], encoding="utf-8-sig", dtype=str, engine="c"), TDATA_COLUMNS)
