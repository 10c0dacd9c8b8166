"""korea_festivals_events_standard: national festival and performance/event standard data (CP949 csv).

All rows are kept (national); sido / sigungu / gu / is_seoul are derived from the address so that
Seoul is one filter away: ``frame[frame.is_seoul]`` or ``frame.query("gu == '마포구'")``.
"""
from __future__ import annotations

import re

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number
from datalit.data.readers.kr_address import split_address

FESTIVAL_COLUMNS = {
    "축제명": "name", "개최장소": "venue", "축제시작일자": "start_date", "축제종료일자": "end_date",
    "축제내용": "description", "주관기관명": "organizer", "주최기관명": "host", "후원기관명": "sponsor",
    "전화번호": "phone", "홈페이지주소": "homepage", "관련정보": "related_info",
    "소재지도로명주소": "road_address", "소재지지번주소": "lot_address", "위도": "latitude",
    "경도": "longitude", "데이터기준일자": "reference_date", "제공기관코드": "provider_code",
    "제공기관명": "provider_name",
}

EVENT_COLUMNS = {
    "행사명": "name", "장소": "venue", "행사내용": "description", "행사시작일자": "start_date",
    "행사종료일자": "end_date", "행사시작시각": "start_time", "행사종료시각": "end_time",
    "요금정보": "fee_type", "주관기관명": "organizer", "주최기관명": "host", "전화번호": "phone",
    "후원기관명": "sponsor", "객석수": "seats", "관람요금": "fee", "입장연령": "admission_age",
    "할인정보": "discount", "유의사항": "notes", "홈페이지주소": "homepage", "예매정보": "booking",
    "주차장보유여부": "parking", "소재지도로명주소": "road_address", "소재지지번주소": "lot_address",
    "위도": "latitude", "경도": "longitude", "데이터기준일자": "reference_date",
    "제공기관코드": "provider_code", "제공기관명": "provider_name",
}

DATE_COLUMNS = ("start_date", "end_date", "reference_date")
PLACE_COLUMNS = ("sido", "sigungu", "gu", "is_seoul")

# "10000", "10,000원", "0" -> a number of won; "무료" -> 0; anything else (ranges, seat classes) -> NaN
_PLAIN_FEE = re.compile(r"^\s*([0-9][0-9,]*)\s*원?\s*$")


def _read(path, mapping: dict[str, str]) -> pd.DataFrame:
    frame = pd.read_csv(path, encoding="cp949", dtype=str, keep_default_na=False)
    frame = rename_strict(frame, mapping)
    for col in frame.columns:
        frame[col] = frame[col].str.strip().replace("", None)
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
    for col in ("latitude", "longitude"):
        frame[col] = to_number(frame[col]).astype("float64")
    # both address columns always agree on the province; take road-name first, lot-number otherwise
    address = frame["road_address"].fillna(frame["lot_address"])
    place = split_address(address)
    for col in PLACE_COLUMNS:
        frame[col] = place[col] if col == "is_seoul" else place[col].astype("str")
    return frame


def fee_won(fee: pd.Series) -> pd.Series:
    """관람요금 as a number of won where the text is a single plain amount (or 무료), else NaN."""
    text = fee.astype("string").str.strip()
    amount = text.str.extract(_PLAIN_FEE, expand=False).str.replace(",", "", regex=False)
    out = pd.to_numeric(amount, errors="coerce").astype("float64")
    out[text.eq("무료").fillna(False).astype(bool)] = 0.0
    return out


def read_festivals(paths) -> pd.DataFrame:
    return _read(paths[0], FESTIVAL_COLUMNS)


def read_events(paths) -> pd.DataFrame:
    frame = _read(paths[0], EVENT_COLUMNS)
    frame["seats"] = to_number(frame["seats"]).astype("Int64")
    frame["fee_won"] = fee_won(frame["fee"])
    frame["parking"] = frame["parking"].map({"Y": True, "N": False}).astype("boolean")
    frame["fee_type"] = frame["fee_type"].astype("category")
    order = list(EVENT_COLUMNS.values())
    order.insert(order.index("fee") + 1, "fee_won")
    return frame[order + list(PLACE_COLUMNS)]
