"""Province (시도) and district (시군구 / Seoul 자치구) from Korean addresses in national files.

National standard datasets (data.go.kr 표준데이터) mix official and short province names
("서울특별시", "서울시", "충남", the pre-2023 "강원도"), sometimes drop the province
("울릉군 ..."), and sometimes glue the district to the street ("서울특별시 서초구남부순환로317길").
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_NAMES

SEOUL = "서울특별시"

SIDO_NAMES = (
    "서울특별시 부산광역시 대구광역시 인천광역시 광주광역시 대전광역시 울산광역시 세종특별자치시 "
    "경기도 강원특별자치도 충청북도 충청남도 전북특별자치도 전라남도 경상북도 경상남도 제주특별자치도"
).split()

# short or former names -> the current official name (강원도 became 강원특별자치도 in 2023,
# 전라북도 became 전북특별자치도 in 2024)
SIDO_ALIASES = {
    "서울": SEOUL, "서울시": SEOUL, "부산": "부산광역시", "부산시": "부산광역시",
    "대구": "대구광역시", "대구시": "대구광역시", "인천": "인천광역시", "인천시": "인천광역시",
    "광주": "광주광역시", "광주시": "광주광역시", "대전": "대전광역시", "대전시": "대전광역시",
    "울산": "울산광역시", "울산시": "울산광역시", "세종": "세종특별자치시", "세종시": "세종특별자치시",
    "경기": "경기도", "강원": "강원특별자치도", "강원도": "강원특별자치도", "충북": "충청북도",
    "충남": "충청남도", "전북": "전북특별자치도", "전라북도": "전북특별자치도", "전남": "전라남도",
    "경북": "경상북도", "경남": "경상남도", "제주": "제주특별자치도", "제주도": "제주특별자치도",
}


def normalize_sido(name: pd.Series) -> pd.Series:
    """Official current province name; unknown names are returned unchanged (stripped)."""
    name = name.astype("string").str.strip()
    return name.replace(SIDO_ALIASES)


def seoul_gu(text: pd.Series) -> pd.Series:
    """The Seoul 자치구 a token starts with ("서초구남부순환로317길" -> "서초구"), else <NA>."""
    text = text.astype("string").str.strip()
    out = pd.Series(pd.NA, index=text.index, dtype="string")
    for gu in sorted(GU_NAMES, key=len, reverse=True):  # longest first
        hit = out.isna() & text.str.startswith(gu, na=False)
        out[hit] = gu
    return out


def split_address(address: pd.Series) -> pd.DataFrame:
    """Columns sido, sigungu, gu (Seoul 자치구 only), is_seoul from a free-text address.

    When the first word is not a province (e.g. "울릉군 울릉읍 ..."), the province is taken
    from other rows of the same file whose district name maps to exactly one province.
    """
    words = address.astype("string").str.strip().str.split()
    first = normalize_sido(words.str[0])
    known = first.isin(SIDO_NAMES)
    sido = first.where(known)
    sigungu = words.str[1].where(known, words.str[0]).astype("string")
    # district -> province learnt from the rows that name both
    pairs = pd.DataFrame({"sido": sido[known], "sigungu": sigungu[known]}).dropna().drop_duplicates()
    unique = pairs.groupby("sigungu")["sido"].agg(lambda s: s.iloc[0] if len(s) == 1 else pd.NA)
    missing = sido.isna() & sigungu.notna()
    sido[missing] = sigungu[missing].map(unique)
    is_seoul = (sido == SEOUL).fillna(False).astype(bool)
    gu = seoul_gu(sigungu).where(is_seoul)
    sigungu = gu.where(is_seoul, sigungu)
    return pd.DataFrame({
        "sido": sido.astype("string"), "sigungu": sigungu.astype("string"),
        "gu": gu.astype("string"), "is_seoul": is_seoul,
    })
