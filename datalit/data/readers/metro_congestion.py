"""seoul_metro_congestion: Seoul Metro in-train congestion (%) by station, direction, day type and
30-minute slot; the 2019-12-31 and 2024-06-30 survey files harmonised into one frame."""
from __future__ import annotations

import re

import pandas as pd

from datalit.data.readers.common import to_number

# 39 half-hour slots of the service day, 05:30 … 00:30 (2019 writes 24시00분/24시30분)
SLOTS = [f"{h:02d}:{m:02d}" for h in range(5, 24) for m in (0, 30)][1:] + ["00:00", "00:30"]
SLOT_COLUMNS = ["t_" + s.replace(":", "") for s in SLOTS]
KEYS = ["survey_date", "day_type", "line", "station_no", "station", "gu", "direction"]

_VINTAGES = {
    # file date: (key columns as published, first slot column)
    "20191231": (["조사일자", "호선", "역번호", "역명", "구분"], 5),
    "20240630": (["요일구분", "호선", "역번호", "출발역", "상하구분"], 6),
}


def _slot_label(label: str) -> str:
    m = re.fullmatch(r"(\d{1,2})시(\d{2})분", label.strip())
    if not m:
        raise ValueError(f"unexpected time column {label!r}")
    return f"{int(m.group(1)) % 24:02d}:{m.group(2)}"


def _read_vintage(path) -> pd.DataFrame:
    stamp = re.search(r"_(\d{8})\.csv$", str(path))
    if not stamp or stamp.group(1) not in _VINTAGES:
        raise ValueError(f"{path}: unknown survey file (expected _20191231.csv or _20240630.csv)")
    keys, first = _VINTAGES[stamp.group(1)]
    # CP949, CRLF, unquoted; 2024 values carry trailing spaces ('9.6 '), 2019 has ' ' cells
    raw = pd.read_csv(path, encoding="cp949", dtype=str, engine="c")
    if list(raw.columns[first - len(keys):first]) != keys:
        raise ValueError(f"{path}: unexpected header {list(raw.columns[:first])}")
    slots = [_slot_label(c) for c in raw.columns[first:]]
    if slots != SLOTS:
        raise ValueError(f"{path}: unexpected time columns {list(raw.columns[first:])}")
    out = pd.DataFrame({"survey_date": pd.Timestamp(stamp.group(1))}, index=raw.index)
    out["day_type"] = raw[keys[0]].str.strip()  # 2019 calls it 조사일자 but holds 평일/토요일/일요일
    line = raw[keys[1]].str.strip()
    # 2024 writes '1', 2019 '1호선'; 2019 lists the line-2 branches 성수지선/신정지선 separately
    line = line.where(~line.str.fullmatch(r"\d+"), line + "호선")
    out["line"] = line.replace({"성수지선": "2호선", "신정지선": "2호선"})
    out["station_no"] = to_number(raw[keys[2]]).astype("int64")
    out["station"] = raw[keys[3]].str.strip()
    out["direction"] = raw[keys[4]].str.strip()
    for col, src in zip(SLOT_COLUMNS, raw.columns[first:]):
        out[col] = to_number(raw[src]).astype("float64")
    return out


def _station_gu(stations: pd.DataFrame) -> pd.Series:
    """gu of each (line, station_no, station): by Seoul Metro station number in the station
    master (same number, zero-padded, same line), which also covers renamed stations (2019
    신천 = 잠실새내, 미아삼거리 = 미아사거리); otherwise by name (branch platforms numbered 9001–9006
    such as 성수E, 응암S lose the letter first)."""
    from datalit import data
    from datalit.data.readers.subway_gu import station_gu

    master = data.load("seoul_subway_station_coords")
    by_id = {(sid, line): gu for sid, line, gu in master[["station_id", "line", "gu"]].itertuples(index=False)}
    ids = stations["station_no"].astype(str).str.zfill(4)
    names = stations.assign(station=stations["station"].str.replace(r"(?<=[가-힣])[A-Z]$", "", regex=True))
    by_name = station_gu(names)
    out = [
        by_id[(sid, line)] if (sid, line) in by_id else fallback
        for sid, line, fallback in zip(ids, stations["line"], by_name)
    ]
    return pd.Series(out, index=stations.index, dtype="str")


def read_congestion_wide(paths) -> pd.DataFrame:
    """One row per survey × day type × station × direction, 39 slot columns t_0530 … t_0030."""
    frame = pd.concat([_read_vintage(p) for p in paths], ignore_index=True)
    stations = frame[["line", "station_no", "station"]].drop_duplicates()
    stations = stations.assign(gu=_station_gu(stations))
    gu = frame[["line", "station_no", "station"]].merge(stations, how="left")["gu"]
    frame.insert(5, "gu", gu.to_numpy())
    return frame


def read_congestion(paths) -> pd.DataFrame:
    """Long form: one row per survey × day type × station × direction × half-hour slot."""
    wide = read_congestion_wide(paths)
    wide["_row"] = range(len(wide))
    long = wide.melt(id_vars=KEYS + ["_row"], value_vars=SLOT_COLUMNS, var_name="time", value_name="congestion")
    long["time"] = pd.Categorical(
        long["time"].map(dict(zip(SLOT_COLUMNS, SLOTS))), categories=SLOTS, ordered=True
    )
    long = long.sort_values(["_row", "time"], kind="stable").drop(columns="_row")
    return long.reset_index(drop=True)
