"""seoul_crime_by_police_station: five major crimes reported/cleared per Seoul police station.

The published file (CP949) has no district column. ``gu`` is the 자치구 whose area the station
polices (STATION_GU below). It equals the book author's geocoded 구별 column
(02. crime_in_Seoul_include_gu_name.csv, kept as ``gu_book``) for 30 of 31 stations; the one
difference is 강서서, which the geocoder put in 양천구 (where its old building stood) although it
polices 강서구 — 양천구 has its own 양천서, and without the fix 강서구 would have no station.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_NAMES, rename_strict

CRIMES = {"살인": "murder", "강도": "robbery", "강간": "rape", "절도": "theft", "폭력": "violence"}
COUNT_COLUMNS = {f"{ko} {kind_ko}": f"{en}_{kind_en}"
                 for ko, en in CRIMES.items()
                 for kind_ko, kind_en in (("발생", "reported"), ("검거", "cleared"))}
RAW_COLUMNS = {"관서명": "station", **COUNT_COLUMNS}

# police station -> 자치구 it serves (31 stations, 25 gu; 7 gu have two stations)
STATION_GU = {
    "중부서": "중구", "남대문서": "중구", "종로서": "종로구", "혜화서": "종로구", "서대문서": "서대문구",
    "용산서": "용산구", "성북서": "성북구", "종암서": "성북구", "동대문서": "동대문구", "마포서": "마포구",
    "영등포서": "영등포구", "성동서": "성동구", "동작서": "동작구", "광진서": "광진구", "서부서": "은평구",
    "은평서": "은평구", "강북서": "강북구", "금천서": "금천구", "중랑서": "중랑구", "강남서": "강남구",
    "수서서": "강남구", "관악서": "관악구", "강서서": "강서구", "강동서": "강동구", "구로서": "구로구",
    "서초서": "서초구", "방배서": "서초구", "양천서": "양천구", "송파서": "송파구", "노원서": "노원구",
    "도봉서": "도봉구",
}
COUNTS = list(COUNT_COLUMNS.values())


def _read_raw(path) -> pd.DataFrame:
    raw = pd.read_csv(path, encoding="cp949", thousands=",", dtype={"관서명": str})
    frame = rename_strict(raw, RAW_COLUMNS)
    frame["station"] = frame["station"].str.strip()
    for col in COUNTS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("int64")
    return frame


def _read_book(path) -> pd.DataFrame:
    book = pd.read_csv(path, encoding="utf-8", index_col=0, dtype={"관서명": str, "구별": str})
    return book.rename(columns={"관서명": "station", "구별": "gu_book"})[["station", "gu_book"]]


def read_stations(paths) -> pd.DataFrame:
    frame = _read_raw(paths[0])
    unknown = set(frame["station"]) - set(STATION_GU)
    if unknown:
        raise ValueError(f"police stations without a district: {sorted(unknown)}")
    frame.insert(1, "gu", frame["station"].map(STATION_GU))
    if len(paths) > 1:
        book = _read_book(paths[1])
        frame = frame.merge(book, on="station", how="left", validate="one_to_one")
        frame["gu_book"] = frame["gu_book"].str.strip()
    cols = ["station", "gu", *COUNTS] + (["gu_book"] if len(paths) > 1 else [])
    for col in ("station", "gu"):
        frame[col] = frame[col].astype(str)
    return frame[cols]


def read_by_gu(paths) -> pd.DataFrame:
    stations = read_stations(paths[:1])
    grouped = stations.groupby("gu", sort=False)
    frame = grouped[COUNTS].sum()
    frame.insert(0, "stations", grouped["station"].agg(lambda s: "+".join(s)))
    frame.insert(1, "station_count", grouped.size().astype("int64"))
    frame = frame.reindex([g for g in GU_NAMES if g in frame.index]).reset_index()
    if len(frame) != len(GU_NAMES):
        raise ValueError("not every 자치구 has a police station")
    return frame[["gu", "stations", "station_count", *COUNTS]]
