"""seoul_public_facilities: Seoul major parks and museums/galleries (two CP949 csv files)."""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_NAMES, rename_strict, to_number
from datalit.data.readers.kr_address import seoul_gu

PARK_COLUMNS = {
    "공원번호": "park_id", "공원명": "name", "공원개요": "overview", "면적": "area_text",
    "개원일": "opened_text", "주요시설": "facilities", "주요식물": "plants", "안내도": "map_url",
    "오시는길": "directions", "이용시참고사항": "notes", "이미지": "image_url", "지역": "region",
    "공원주소": "address", "관리부서": "office", "전화번호": "phone", "X좌표(GRS80TM)": "x_tm",
    "Y좌표(GRS80TM)": "y_tm", "X좌표(WGS84)": "longitude", "Y좌표(WGS84)": "latitude",
    "바로가기": "url",
}
PARK_ORDER = [
    "park_id", "name", "region", "gu", "is_seoul", "address", "area_m2", "area_text", "opened",
    "opened_year", "opened_text", "overview", "facilities", "plants", "directions", "notes",
    "office", "phone", "longitude", "latitude", "x_tm", "y_tm", "map_url", "image_url", "url",
]
MUSEUM_COLUMNS = {
    "시설명": "name", "박물관미술관구분": "museum_type", "소재지도로명주소": "road_address",
    "위도": "latitude", "경도": "longitude", "운영기관전화번호": "operator_phone",
    "운영기관명": "operator", "운영홈페이지": "homepage", "평일관람시작시각": "weekday_open",
    "평일관람종료시각": "weekday_close", "공휴일관람시작시각": "holiday_open",
    "공휴일관람종료시각": "holiday_close", "휴관정보": "closed_days", "어른관람료": "fee_adult",
    "청소년관람료": "fee_youth", "어린이관람료": "fee_child", "관리기관전화번호": "manager_phone",
    "관리기관명": "manager", "데이터기준일자": "reference_date",
}
# columns that are empty in every row of the museum file (dropped; checked at load)
MUSEUM_EMPTY = ["소재지지번주소", "편의시설정보", "관람료기타정보", "박물관미술관소개", "교통안내정보"]
MUSEUM_TYPES = ["국립", "공립", "사립", "대학"]
# plausible Seoul extents: WGS84 degrees and Korea 2000 Central Belt TM metres (EPSG:5181)
SEOUL_LAT, SEOUL_LON = (37.41, 37.72), (126.76, 127.19)
SEOUL_TM_X, SEOUL_TM_Y = (170_000, 230_000), (420_000, 480_000)


def _read_text_csv(path) -> pd.DataFrame:
    frame = pd.read_csv(path, encoding="cp949", dtype=str, keep_default_na=False)
    for col in frame.columns:
        frame[col] = frame[col].str.replace(r"\s+", " ", regex=True).str.strip().replace("", None)
    return frame


def _inside(values: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    return values.between(*bounds)


def park_area(text: pd.Series) -> pd.Series:
    """m² from 면적 when it starts with one amount ('2896887㎡ 임 야 : …', '총 15000㎡', '9132690m²').

    '㎥' (cubic metres) is used by mistake for areas in several rows and is read as m².
    A cell that starts with anything else (a list of facilities) gives NaN.
    """
    amount = text.str.extract(r"^(?:총\s*)?([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:㎡|m²|m2|㎥)", expand=False)
    return pd.to_numeric(amount.str.replace(",", "", regex=False), errors="coerce").astype("float64")


def park_opened(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """개원일 '1968.9.10', '1966. 2. 5', '1971.8 6' -> date; '2002', '1988.12' -> year only."""
    parts = text.str.extract(r"^(\d{4})(?:\D+(\d{1,2}))?(?:\D+(\d{1,2}))?")
    full = parts.notna().all(axis=1)
    dates = pd.to_datetime(
        parts[0].where(full) + "-" + parts[1].where(full) + "-" + parts[2].where(full),
        format="%Y-%m-%d", errors="coerce")
    return dates, pd.to_numeric(parts[0]).astype("Int64")


def read_parks(paths) -> pd.DataFrame:
    frame = rename_strict(_read_text_csv(paths[0]), PARK_COLUMNS)
    frame["park_id"] = pd.to_numeric(frame["park_id"]).astype("int64")
    # one blank 지역 (경춘선숲길, address '노원구 공릉2동 …'): taken from the address
    from_address = seoul_gu(frame["address"].str.replace(r"^서울특별시\s*", "", regex=True))
    frame["region"] = frame["region"].fillna(from_address).astype("str")
    frame["is_seoul"] = frame["region"].isin(GU_NAMES).astype(bool)  # 서울대공원 is in 과천시
    frame["gu"] = frame["region"].where(frame["is_seoul"]).astype("str")
    frame["area_m2"] = park_area(frame["area_text"])
    frame["opened"], frame["opened_year"] = park_opened(frame["opened_text"])
    for col in ("longitude", "latitude", "x_tm", "y_tm"):
        frame[col] = to_number(frame[col]).astype("float64")
    # TM columns: one row repeats X as Y, one holds WGS84 degrees, one uses another projection
    tm_ok = _inside(frame["x_tm"], SEOUL_TM_X) & _inside(frame["y_tm"], SEOUL_TM_Y)
    frame.loc[~tm_ok, ["x_tm", "y_tm"]] = float("nan")
    return frame[PARK_ORDER]


def read_museums(paths) -> pd.DataFrame:
    raw = _read_text_csv(paths[0])
    filled = [c for c in MUSEUM_EMPTY if c in raw.columns and raw[c].notna().any()]
    if filled:
        raise ValueError(f"columns expected empty now hold data: {filled}")
    frame = rename_strict(raw, MUSEUM_COLUMNS)
    kind = frame["museum_type"].replace({"사랍": "사립"})  # one typo (and trailing spaces, stripped)
    unknown = set(kind.dropna()) - set(MUSEUM_TYPES)
    if unknown:
        raise ValueError(f"unknown 박물관미술관구분: {sorted(unknown)}")
    frame["museum_type"] = pd.Categorical(kind, categories=MUSEUM_TYPES)
    for col in ("weekday_open", "weekday_close", "holiday_open", "holiday_close"):
        frame[col] = frame[col].str.replace(r"^(\d):", r"0\1:", regex=True)  # '0:00' -> '00:00'
    for col in ("fee_adult", "fee_youth", "fee_child"):
        frame[col] = to_number(frame[col]).astype("Int64")  # '유료' (no amount) -> missing
    lat, lon = to_number(frame["latitude"]), to_number(frame["longitude"])
    swapped = lat > 90  # one row has latitude and longitude exchanged
    lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
    ok = _inside(lat, SEOUL_LAT) & _inside(lon, SEOUL_LON)  # two rows point outside Seoul
    frame["latitude"] = lat.where(ok).astype("float64")
    frame["longitude"] = lon.where(ok).astype("float64")
    frame["reference_date"] = pd.to_datetime(frame["reference_date"], format="%Y-%m-%d")
    # the 자치구 is the 2nd word of the address; ten addresses skip it ('서울특별시 명동길 74-2')
    frame["gu"] = seoul_gu(frame["road_address"].str.split().str[1]).astype("str")
    return frame
