"""seoul_admin_dong_codes: KOSTAT <-> 행정안전부 dong-code crosswalk (+ inflow-region codes).

Sheet 행정동코드 has two header rows (Korean labels, then English field names); codes come as a
mix of numbers and text, so every code is read as zero-padded text.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_CODES, GU_NAMES, normalize_dong

DONG_FIELDS = {"H_SDNG_CD": "kostat_code", "H_DNG_CD": "adm_code8", "DO_NM": "sido", "CT_NM": "gu", "H_DNG_NM": "dong"}
DONG_LABELS = ["통계청행정동코드", "행자부행정동코드", "시도명", "시군구명", "행정동명"]
INFLOW_FIELDS = {"RESD_CD": "region_code", "RESD_DO_NM": "province", "RESC_CT_NM": "city"}


def _code(series: pd.Series, width: int) -> pd.Series:
    text = series.map(lambda v: None if pd.isna(v) else str(int(v)) if isinstance(v, (int, float)) else str(v).strip())
    if text.isna().any() or (text.str.len() > width).any() or not text.str.isdigit().all():
        raise ValueError(f"bad codes: {sorted(text[text.isna() | ~text.fillna('x').str.isdigit()].astype(str))[:5]}")
    return text.str.zfill(width).astype(str)


def read_dong_codes(paths) -> pd.DataFrame:
    raw = pd.read_excel(paths[0], sheet_name="행정동코드", header=None, dtype=object, engine="openpyxl")
    if list(raw.iloc[0, :5]) != DONG_LABELS or list(raw.iloc[1, :5]) != list(DONG_FIELDS):
        raise ValueError(f"unexpected header rows: {list(raw.iloc[0])} / {list(raw.iloc[1])}")
    frame = raw.iloc[2:, :5].dropna(how="all").copy()
    frame.columns = list(DONG_FIELDS.values())
    frame["kostat_code"] = _code(frame["kostat_code"], 7)
    frame["adm_code8"] = _code(frame["adm_code8"], 8)
    for col in ("sido", "gu"):
        frame[col] = frame[col].astype(str).str.strip()
    frame["dong"] = normalize_dong(frame["dong"]).astype(str)
    frame["gu_code"] = frame["adm_code8"].str[:5]
    bad = frame[frame["gu_code"].map(GU_CODES) != frame["gu"]]
    if len(bad):
        raise ValueError(f"gu name and code disagree: {bad[['gu', 'adm_code8']].values.tolist()[:5]}")
    unknown = set(frame["gu"]) - set(GU_NAMES)
    if unknown:
        raise ValueError(f"unknown gu: {sorted(unknown)}")
    return frame.reset_index(drop=True)[["kostat_code", "adm_code8", "sido", "gu", "gu_code", "dong"]]


def read_inflow_codes(paths) -> pd.DataFrame:
    raw = pd.read_excel(paths[0], sheet_name="유입지코드", header=0, dtype=object, engine="openpyxl")
    missing = [k for k in INFLOW_FIELDS if k not in raw.columns]
    if missing:
        raise ValueError(f"expected columns not found: {missing}")
    frame = raw[list(INFLOW_FIELDS)].rename(columns=INFLOW_FIELDS).dropna(how="all").copy()  # cols 4-8 are empty
    frame["region_code"] = _code(frame["region_code"], 5)
    frame["province"] = frame["province"].astype(str).str.strip()
    frame["city"] = frame["city"].map(lambda v: None if pd.isna(v) else str(v).strip()).astype("str")
    return frame.reset_index(drop=True)
