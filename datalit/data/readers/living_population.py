"""seoul_living_population_gu_daily_2018_2020: daily 생활인구 summary per 자치구 (OA-15379).

The uploaded csv lost every Korean character (each became '?'), so the header is unreadable:
columns are taken by position (the OA-15379 spec order) and the district name is rebuilt from
the 5-digit 행정안전부 code. Code 11000 is the Seoul total: it goes to its own table so the
district table cannot be double-counted.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_CODES

# position -> English name (SOURCE.md column table); 시군구명 (position 2) is all '?' and dropped
POSITIONAL = [
    "date", "gu_code", "gu_name_lost", "total", "korean", "long_stay_foreigners", "short_stay_foreigners",
    "daily_max", "daily_min", "daytime_mean", "nighttime_mean", "max_hourly_movers",
    "inflow_from_outside_seoul", "moves_within_gu", "moves_between_gu",
]
COUNTS = POSITIONAL[3:]
SEOUL_CODE = "11000"


def _read(path) -> pd.DataFrame:
    raw = pd.read_csv(
        path, encoding="utf-8-sig", header=0, names=POSITIONAL, usecols=[c for c in POSITIONAL if c != "gu_name_lost"],
        dtype={"date": str, "gu_code": str, **{c: "float64" for c in COUNTS}}, engine="c",
    )
    if raw.shape[1] != len(POSITIONAL) - 1:
        raise ValueError(f"expected {len(POSITIONAL)} columns, got {raw.shape[1] + 1}")
    raw["date"] = pd.to_datetime(raw["date"].str.strip(), format="%Y%m%d")
    raw["gu_code"] = raw["gu_code"].str.strip()
    unknown = set(raw["gu_code"]) - set(GU_CODES) - {SEOUL_CODE}
    if unknown:
        raise ValueError(f"unknown district codes: {sorted(unknown)}")
    return raw


def read_gu_daily(paths) -> pd.DataFrame:
    raw = _read(paths[0])
    frame = raw[raw["gu_code"] != SEOUL_CODE].copy()
    frame.insert(2, "gu", frame["gu_code"].map(GU_CODES))
    frame = frame.sort_values(["date", "gu_code"]).reset_index(drop=True)  # file is newest first
    return frame[["date", "gu_code", "gu", *COUNTS]]


def read_seoul_daily(paths) -> pd.DataFrame:
    raw = _read(paths[0])
    frame = raw[raw["gu_code"] == SEOUL_CODE].sort_values("date").reset_index(drop=True)
    return frame[["date", *COUNTS]]
