"""District (gu) of a subway station named in the ridership files, via seoul_subway_station_coords.

The ridership files name stations and lines differently from the coordinate files
('9호선2~3단계' vs '9호선(연장)', '공항철도 1호선' vs '공항철도1호선', '경의선'/'중앙선' vs
'경의중앙선', '자양(뚝섬한강공원)' vs '자양'). Matching goes from strict to loose:
(line, name) → (line, name without the parenthesised part) → name alone → base name alone,
first in the station master, then in the t-data table. A name-only match is used only when every
candidate station with that name lies in the same gu (so '양평' on 중앙선, outside Seoul, never
borrows 영등포구 from 5호선 양평). Stations outside Seoul get no gu. ``station_places`` gives the
matched coordinates too (for distances from an event).
"""
from __future__ import annotations

import re

import pandas as pd


def line_key(line: str) -> str:
    key = re.sub(r"\(.*\)$", "", line.replace(" ", "")).replace("2~3단계", "")
    return "경의중앙선" if key in ("경의선", "중앙선") else key


def name_base(name: str) -> str:
    return re.sub(r"\(.*\)$", "", name).strip()


def _index(frame: pd.DataFrame) -> list[dict]:
    """Four lookups (line+name, line+base, name, base) → {gu: [(lat, lon), ...]} (gu None = outside Seoul)."""
    tables: list[dict] = [{}, {}, {}, {}]
    for line, name, gu, lat, lon in frame[["line", "station_name", "gu", "lat", "lon"]].itertuples(index=False):
        gu = None if pd.isna(gu) else gu
        lk, base = line_key(line), name_base(name)
        for table, key in zip(tables, ((lk, name), (lk, base), name, base)):
            table.setdefault(key, {}).setdefault(gu, []).append((lat, lon))
    return tables


def station_places(stations: pd.DataFrame) -> pd.DataFrame:
    """gu, lat, lon for each (line, station) row of a ridership frame; missing when unknown.

    gu is missing outside Seoul. lat/lon is the mean of the matched coordinate rows in that gu (a
    name-only match of a transfer station averages its lines, a few hundred metres apart at most).
    """
    from datalit import data

    sources = [_index(data.load("seoul_subway_station_coords", t)) for t in ("stations", "tdata")]
    cache: dict[tuple[str, str], tuple] = {}
    none = (None, float("nan"), float("nan"))

    def place(gu, points):
        return gu, sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    def lookup(line: str, name: str) -> tuple:
        lk, base = line_key(line), name_base(name)
        for level, key in enumerate(((lk, name), (lk, base), name, base)):
            for tables in sources:
                found = tables[level].get(key)
                if not found:
                    continue
                if len(found) == 1:
                    return place(*next(iter(found.items())))
                if level < 2:  # same line and name, twin rows across a border: take one in Seoul
                    seoul = sorted(g for g in found if g)
                    return place(seoul[0], found[seoul[0]]) if seoul else place(None, found[None])
                return none  # ambiguous name: do not guess
        return none

    out = []
    for line, name in stations[["line", "station"]].itertuples(index=False):
        if (line, name) not in cache:
            cache[(line, name)] = lookup(line, name)
        out.append(cache[(line, name)])
    frame = pd.DataFrame(out, index=stations.index, columns=["gu", "lat", "lon"])
    frame["gu"] = frame["gu"].astype("str").where(frame["gu"].notna(), None)
    frame[["lat", "lon"]] = frame[["lat", "lon"]].astype("float64")
    return frame


def station_gu(stations: pd.DataFrame) -> pd.Series:
    """gu for each (line, station) row of a ridership frame; missing when outside Seoul or unknown."""
    gu = station_places(stations)["gu"]
    return pd.Series(gu.to_numpy(), index=stations.index, dtype="str")
