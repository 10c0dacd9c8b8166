"""korea_festivals_events_standard against its SOURCE.md: national rows kept, Seoul one filter away."""
import pandas as pd

from datalit import data

DATASET = "korea_festivals_events_standard"
KINDS = {
    "int": pd.api.types.is_integer_dtype, "float": pd.api.types.is_float_dtype,
    "str": pd.api.types.is_string_dtype, "datetime": pd.api.types.is_datetime64_any_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "category": lambda s: isinstance(s.dtype, pd.CategoricalDtype),
}


def check_columns(frame, table):
    cols = data.info(DATASET).table(table).columns
    assert list(frame.columns) == [c.name for c in cols]
    for c in cols:
        assert KINDS[c.dtype](frame[c.name]), (c.name, frame[c.name].dtype)


def test_festivals_rows_columns_and_seoul_filter():
    fest = data.load(DATASET)  # default table: festivals
    assert len(fest) == 1300
    check_columns(fest, "festivals")
    seoul = fest[fest["is_seoul"]]
    assert len(seoul) == 170 and seoul["latitude"].isna().sum() == 53
    assert fest["latitude"].isna().sum() == 228
    assert seoul["gu"].notna().all() and fest.loc[~fest["is_seoul"], "gu"].isna().all()
    assert seoul["gu"].value_counts()["양천구"] == 34
    # first raw line, read by hand from the CP949 file
    first = fest.iloc[0]
    assert first["name"] == "구미라면축제" and first["start_date"] == pd.Timestamp("2026-11-06")
    assert first["lot_address"] == "경상북도 구미시 원평동 124-23" and pd.isna(first["road_address"])
    assert (first["sido"], first["sigungu"]) == ("경상북도", "구미시")
    assert abs(first["latitude"] - 36.12940328) < 1e-9
    # address quirks: short/former province names, missing province, glued district
    assert not fest["sido"].isin(["서울시", "강원도", "충남", "울릉군"]).any()
    assert (fest.loc[fest["sigungu"] == "울릉군", "sido"] == "경상북도").all()
    glued = fest[fest["road_address"].str.contains("서초구남부순환로", na=False)]
    assert list(glued["gu"]) == ["서초구"]


def test_events_numbers_flags_and_seoul_rows():
    ev = data.load(DATASET, "events")
    assert len(ev) == 9087
    check_columns(ev, "events")
    assert ev["is_seoul"].sum() == 396
    assert ev.loc[ev["is_seoul"], "latitude"].isna().sum() == 16
    # 서울주문화센터 is in 울산 울주군, not Seoul
    assert not ev.loc[ev["venue"].str.startswith("서울주문화센터"), "is_seoul"].any()
    first = ev.iloc[0]
    assert first["seats"] == 558 and first["fee"] == "10000" and first["fee_won"] == 10000
    assert first["start_time"] == "16:00" and first["fee_type"] == "유료"
    assert pd.isna(first["parking"])  # a single space in the raw file
    ydp = ev[ev["name"] == "2026 영등포네트워크예술제"].iloc[0]
    assert ydp["gu"] == "영등포구" and ydp["parking"] == False  # noqa: E712
    assert ev["parking"].sum() == 7051 and (ev["parking"] == False).sum() == 226  # noqa: E712
    assert ev.loc[ev["fee"] == "무료", "fee_won"].eq(0).all()
    assert ev.loc[ev["fee"] == "전석 1만원", "fee_won"].isna().all()
    assert ev["end_date"].max() == pd.Timestamp("2205-11-23")  # kept as published


def test_split_address_helper_on_small_fixture():
    from datalit.data.readers.kr_address import split_address

    addr = pd.Series([
        "서울시 마포구 월드컵로 1", "울릉군 울릉읍 도동리 1", "경상북도 울릉군 울릉읍 2",
        "서울특별시 중랑구 망우로 3", "서울특별시 중구 세종대로 110", "충남 공주시 웅진로 4", None,
    ])
    place = split_address(addr)
    assert place["sido"].tolist()[:6] == ["서울특별시", "경상북도", "경상북도", "서울특별시", "서울특별시", "충청남도"]
    assert place["gu"].iloc[[0, 3, 4]].tolist() == ["마포구", "중랑구", "중구"]
    assert place["gu"].iloc[[1, 2, 5, 6]].isna().all()
    assert place["sigungu"].iloc[[0, 1, 2, 5]].tolist() == ["마포구", "울릉군", "울릉군", "공주시"]
    assert place["is_seoul"].tolist() == [True, False, False, True, True, False, False]
    assert pd.isna(place["sido"].iloc[6])
