"""Small parsing steps shared by several readers."""
from __future__ import annotations

import pandas as pd

GU_NAMES = (
    "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 성북구 강북구 도봉구 노원구 은평구 서대문구 "
    "마포구 양천구 강서구 구로구 금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구"
).split()


def to_number(series: pd.Series) -> pd.Series:
    """Numbers written as text, with thousands separators, blanks or '-' for missing."""
    if pd.api.types.is_numeric_dtype(series):
        return series
    cleaned = series.astype("string").str.replace(",", "", regex=False).str.strip()
    cleaned = cleaned.replace({"": pd.NA, "-": pd.NA})
    return pd.to_numeric(cleaned, errors="coerce")


def rename_strict(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """Rename Korean headers to English; fail loudly if a header is missing (file changed)."""
    missing = [k for k in mapping if k not in frame.columns]
    if missing:
        raise ValueError(f"expected columns not found: {missing}; got {list(frame.columns)}")
    return frame.rename(columns=mapping)[list(mapping.values())]


def normalize_dong(name: pd.Series) -> pd.Series:
    """Dong names are written with '.' in some files and '·' in others (e.g. 종로1.2.3.4가동)."""
    return name.astype("string").str.strip().str.replace(".", "·", regex=False)


# 행정안전부 5-digit 시군구 codes (SIG_CD) of the 25 gu, in GU_NAMES order; checked against
# seoul_gu_boundaries (juso_2015 SIG_CD/SIG_KOR_NM) in tests/data/test_living_population.py.
GU_CODES = dict(zip(
    "11110 11140 11170 11200 11215 11230 11260 11290 11305 11320 11350 11380 11410 11440 11470 "
    "11500 11530 11545 11560 11590 11620 11650 11680 11710 11740".split(),
    GU_NAMES,
))
