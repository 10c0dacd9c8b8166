"""seoul_cctv_by_gu: CCTV cameras per district (UTF-8 BOM csv) and 2017 Q1 population (legacy .xls)."""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number

CCTV_COLUMNS = {
    "기관명": "gu", "소계": "cctv_total", "2013년도 이전": "cctv_until_2013",
    "2014년": "cctv_2014", "2015년": "cctv_2015", "2016년": "cctv_2016",
}


def read_cctv(paths) -> pd.DataFrame:
    frame = pd.read_csv(paths[0], encoding="utf-8-sig", dtype=str)
    frame = rename_strict(frame, CCTV_COLUMNS)
    frame["gu"] = frame["gu"].str.replace(" ", "", regex=False)
    for col in list(CCTV_COLUMNS.values())[1:]:
        frame[col] = to_number(frame[col]).astype("int64")
    return frame


POP_COLUMNS = [
    "period", "gu", "households", "population", "population_male", "population_female",
    "korean", "korean_male", "korean_female", "foreigners", "foreigners_male", "foreigners_female",
    "persons_per_household", "aged_65_plus",
]


def read_population(paths) -> pd.DataFrame:
    # three merged header rows, a 합계 (Seoul total) row, then 25 districts and a blank row
    raw = pd.read_excel(paths[0], header=None, skiprows=3, engine="calamine")
    raw = raw.dropna(how="all")
    raw.columns = POP_COLUMNS
    raw = raw[raw["gu"] != "합계"].reset_index(drop=True)
    for col in POP_COLUMNS[2:]:
        raw[col] = to_number(raw[col])
        if col != "persons_per_household":
            raw[col] = raw[col].astype("int64")
    raw["period"] = raw["period"].astype(str)
    raw["gu"] = raw["gu"].astype(str)
    return raw
