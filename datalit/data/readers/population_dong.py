"""Registered population by administrative dong (주민등록인구): seoul_population_by_dong_2021q2.

The portal's tab-separated txt download: three header rows (group / subgroup / sex), a 합계 row
(Seoul), a 소계 row per gu and the dong rows. The dong table keeps only the dong rows; the gu
table keeps the 소계 rows. Dong names are normalised '.' -> '·' to match the boundary files.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_NAMES, normalize_dong, to_number

COLUMNS = [
    "period", "gu", "dong", "households", "population", "population_male", "population_female",
    "korean", "korean_male", "korean_female", "foreigners", "foreigners_male", "foreigners_female",
    "persons_per_household", "aged_65_plus",
]
# the three header rows, joined, as they must read in the file (checked, so a changed layout fails)
EXPECTED_HEADER = [
    "기간", "자치구", "동", "세대", "인구 합계 계", "인구 합계 남자", "인구 합계 여자",
    "인구 한국인 계", "인구 한국인 남자", "인구 한국인 여자", "인구 외국인 계", "인구 외국인 남자",
    "인구 외국인 여자", "세대당인구 세대당인구 세대당인구", "65세이상고령자 65세이상고령자 65세이상고령자",
]


def _header(raw: pd.DataFrame) -> list[str]:
    out = []
    for col in range(raw.shape[1]):
        parts = [str(raw.iat[r, col]).strip() for r in range(3)]
        if parts[0] == parts[1] == parts[2] and parts[0] in {"기간", "자치구", "동", "세대"}:
            out.append(parts[0])
        else:
            out.append(" ".join(parts))
    return out


def _read(path) -> pd.DataFrame:
    raw = pd.read_csv(path, sep="\t", header=None, dtype=str, encoding="utf-8", keep_default_na=False)
    if raw.shape[1] != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} tab-separated columns, got {raw.shape[1]}")
    header = _header(raw)
    if header != EXPECTED_HEADER:
        raise ValueError(f"unexpected header rows: {header}")
    frame = raw.iloc[3:].copy()
    frame.columns = COLUMNS
    for col in ("period", "gu", "dong"):
        frame[col] = frame[col].str.strip()
    for col in COLUMNS[3:]:
        frame[col] = to_number(frame[col])
        frame[col] = frame[col].astype("float64" if col == "persons_per_household" else "int64")
    return frame.reset_index(drop=True)


def read_dong(paths) -> pd.DataFrame:
    frame = _read(paths[0])
    frame = frame[~frame["dong"].isin(["소계", "합계"]) & (frame["gu"] != "합계")].copy()
    unknown = set(frame["gu"]) - set(GU_NAMES)
    if unknown:
        raise ValueError(f"unknown gu names: {sorted(unknown)}")
    frame["dong"] = normalize_dong(frame["dong"]).astype(str)
    frame["period"] = frame["period"].astype(str)
    frame["gu"] = frame["gu"].astype(str)
    return frame.reset_index(drop=True)[COLUMNS]


def read_gu(paths) -> pd.DataFrame:
    frame = _read(paths[0])
    frame = frame[(frame["dong"] == "소계") & (frame["gu"] != "합계")]
    cols = [c for c in COLUMNS if c != "dong"]
    return frame.reset_index(drop=True)[cols]
