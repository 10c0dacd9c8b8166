"""Small parsing steps shared by several readers."""
from __future__ import annotations

import pandas as pd

from datalit.seoul import GU_CODES, GU_NAMES  # noqa: F401  (re-exported for the readers)


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

