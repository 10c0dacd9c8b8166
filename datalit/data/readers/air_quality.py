"""seoul_air_quality_daily: daily mean pollution per station, 2014–2017 xlsx + 2018–2022 CP949 csv.

All nine yearly files come back as ONE frame (date, station, gu, six pollutants), sorted by date
and station. The 2014–2017 header '이산화탄소농도(ppm)' (CO2) is a mislabel: the values are CO
(0.1–4 ppm), so it is mapped to ``co_ppm`` like the csv years' '일산화탄소농도(ppm)'.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from datalit.data.readers.common import GU_NAMES, rename_strict

OUT = ["date", "station", "gu", "no2_ppm", "o3_ppm", "co_ppm", "so2_ppm", "pm10", "pm25"]

CSV_COLUMNS = {
    "측정일시": "date", "측정소명": "station",
    "이산화질소농도(ppm)": "no2_ppm", "오존농도(ppm)": "o3_ppm", "일산화탄소농도(ppm)": "co_ppm",
    "아황산가스농도(ppm)": "so2_ppm", "미세먼지농도(㎍/㎥)": "pm10", "초미세먼지농도(㎍/㎥)": "pm25",
}
XLSX_COLUMNS = {
    "측정일시": "date", "측정소명": "station",
    "이산화질소농도(ppm)": "no2_ppm", "오존농도(ppm)": "o3_ppm",
    "이산화탄소농도(ppm)": "co_ppm",   # mislabelled in the source: the values are CO, not CO2
    "아황산가스(ppm)": "so2_ppm", "미세먼지(㎍/㎥)": "pm10", "초미세먼지(㎍/㎥)": "pm25",
}
NUMERIC = ["no2_ppm", "o3_ppm", "co_ppm", "so2_ppm", "pm10", "pm25"]


def _xlsx_engine() -> str:
    """python-calamine reads these sheets ~7x faster than openpyxl (same frame); openpyxl if absent."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


def _read_one(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        # data on Sheet1; Sheet2/Sheet3 are empty
        raw = pd.read_excel(path, sheet_name=0, engine=_xlsx_engine(), dtype={"측정소명": str})
        return rename_strict(raw, XLSX_COLUMNS)
    raw = pd.read_csv(path, encoding="cp949", dtype={"측정소명": str, "측정일시": str})
    return rename_strict(raw, CSV_COLUMNS)


def read_air_quality(paths) -> pd.DataFrame:
    frames = [_read_one(Path(p)) for p in paths]
    frame = pd.concat(frames, ignore_index=True)
    frame["date"] = pd.to_datetime(frame["date"].astype(str).str.strip(), format="%Y%m%d")
    frame["station"] = frame["station"].astype(str).str.strip()
    # city-air stations are named after their 자치구; roadside/background sites get no gu
    frame["gu"] = frame["station"].where(frame["station"].isin(GU_NAMES))
    for col in NUMERIC:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame = frame.sort_values(["date", "station"], kind="stable").reset_index(drop=True)
    return frame[OUT]
