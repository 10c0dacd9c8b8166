"""korea_libraries_standard: national library standard data (CP949 csv), all rows, Seoul one filter away."""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict, to_number
from datalit.data.readers.kr_address import SEOUL, normalize_sido, seoul_gu

COLUMNS = {
    "도서관명": "name", "시도명": "sido", "시군구명": "sigungu", "도서관유형": "library_type",
    "휴관일": "closed_days", "평일운영시작시각": "weekday_open", "평일운영종료시각": "weekday_close",
    "토요일운영시작시각": "saturday_open", "토요일운영종료시각": "saturday_close",
    "공휴일운영시작시각": "holiday_open", "공휴일운영종료시각": "holiday_close",
    "열람좌석수": "seats", "자료수(도서)": "books", "자료수(연속간행물)": "serials",
    "자료수(비도서)": "non_book_items", "대출가능권수": "loan_limit", "대출가능일수": "loan_days",
    "소재지도로명주소": "road_address", "운영기관명": "operator", "도서관전화번호": "phone",
    "부지면적": "site_area", "건물면적": "building_area", "홈페이지주소": "homepage",
    "위도": "latitude", "경도": "longitude", "데이터기준일자": "reference_date",
    "제공기관코드": "provider_code", "제공기관명": "provider_name",
}
INT_COLUMNS = ("seats", "books", "serials", "non_book_items", "loan_limit", "loan_days")
FLOAT_COLUMNS = ("site_area", "building_area", "latitude", "longitude")
TYPES = ["공공도서관", "작은도서관", "어린이도서관", "학교도서관", "전문도서관", "장애인도서관", "대학도서관"]


def read_libraries(paths) -> pd.DataFrame:
    frame = pd.read_csv(paths[0], encoding="cp949", dtype=str, keep_default_na=False)
    frame = rename_strict(frame, COLUMNS)
    for col in frame.columns:
        # str.strip also removes the ideographic space U+3000 ('노원구\u3000')
        frame[col] = frame[col].str.strip().replace("", None)
    frame["sido"] = normalize_sido(frame["sido"]).astype("str")  # one row still says 전라북도
    # 31 rows write the district as '서울특별시 도봉구': drop a leading province name
    prefix = frame["sido"] + " "
    glued = [s.startswith(p) for s, p in zip(frame["sigungu"], prefix)]
    frame.loc[glued, "sigungu"] = [s[len(p):] for s, p in zip(frame.loc[glued, "sigungu"], prefix[glued])]
    frame["reference_date"] = pd.to_datetime(frame["reference_date"], format="%Y-%m-%d")
    for col in INT_COLUMNS:
        frame[col] = to_number(frame[col]).astype("int64")
    for col in FLOAT_COLUMNS:
        frame[col] = to_number(frame[col]).astype("float64")
    unknown = set(frame["library_type"]) - set(TYPES)
    if unknown:
        raise ValueError(f"unknown 도서관유형: {sorted(unknown)}")
    frame["library_type"] = pd.Categorical(frame["library_type"], categories=TYPES)
    frame["is_seoul"] = frame["sido"].eq(SEOUL).astype(bool)
    frame["gu"] = seoul_gu(frame["sigungu"]).where(frame["is_seoul"]).astype("str")
    return frame[list(COLUMNS.values()) + ["gu", "is_seoul"]]
