"""seoul_citydata_hotspot_population_log_2026: a third party's hourly log of Seoul's real-time
city-data API (citydata_ppltn) for 121 hotspots, June 2026."""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number

LEVELS = ["여유", "보통", "약간 붐빔", "붐빔"]  # AREA_CONGEST_LVL, least to most crowded

COLUMNS = {
    "수집시간": "collected_at", "업데이트시간": "updated_at", "지역명": "place", "API지역명": "api_place",
    "혼잡도": "congestion_level", "최소인구": "population_min", "최대인구": "population_max",
    "중앙추정인구": "population_mid", "혼잡도메시지": "congestion_message",
}


def read_population_log(paths) -> pd.DataFrame:
    # UTF-8 with BOM, LF; 9 failed look-ups have every API field empty (kept, as missing).
    frame = pd.read_csv(paths[0], encoding="utf-8-sig", dtype=str, engine="c")
    frame = rename_strict(frame, COLUMNS)
    for col in ("place", "api_place", "congestion_level", "congestion_message"):
        frame[col] = frame[col].str.strip()
    frame["collected_at"] = pd.to_datetime(frame["collected_at"].str.strip(), format="%Y-%m-%d %H:%M:%S")
    frame["updated_at"] = pd.to_datetime(frame["updated_at"].str.strip(), format="%Y-%m-%d %H:%M")
    unknown = set(frame["congestion_level"].dropna()) - set(LEVELS)
    if unknown:
        raise ValueError(f"{paths[0]}: unknown congestion levels {sorted(unknown)}")
    frame["congestion_level"] = pd.Categorical(frame["congestion_level"], categories=LEVELS, ordered=True)
    for col in ("population_min", "population_max", "population_mid"):
        frame[col] = to_number(frame[col]).astype("float64")  # '5000.0'; float because of the gaps
    return frame
