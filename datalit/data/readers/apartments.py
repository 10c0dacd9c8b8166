"""seoul_apartment_sales_2022: MOLIT apartment sale transactions in Seoul, 2022 (CP949 csv)."""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import GU_NAMES, rename_strict, to_number

COLUMNS = {
    "NO": "seq_no", "시군구": "sigungu", "번지": "lot_number", "본번": "lot_main", "부번": "lot_sub",
    "단지명": "complex_name", "전용면적(㎡)": "area_m2", "계약년월": "contract_ym",
    "계약일": "contract_day", "거래금액(만원)": "price_manwon", "동": "building", "층": "floor",
    "매수자": "buyer_type", "매도자": "seller_type", "건축년도": "build_year", "도로명": "road_address",
    "해제사유발생일": "cancel_date", "거래유형": "deal_type", "중개사소재지": "broker_location",
    "등기일자": "registration_date",
}
# undisclosed in this extract: '-' in every row (dropped; the loader fails if they ever hold data)
ALL_DASH = ["building", "buyer_type", "seller_type", "registration_date"]
ORDER = [
    "seq_no", "gu", "dong", "lot_number", "lot_main", "lot_sub", "complex_name", "area_m2",
    "contract_date", "month", "price_manwon", "floor", "build_year", "road_address",
    "is_cancelled", "cancel_date", "deal_type", "broker_location",
]


def read_sales(paths) -> pd.DataFrame:
    frame = pd.read_csv(paths[0], encoding="cp949", dtype=str, keep_default_na=False)
    frame = rename_strict(frame, COLUMNS)
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    filled = [c for c in ALL_DASH if (frame[c] != "-").any()]
    if filled:
        raise ValueError(f"columns expected to be all '-' now hold data: {filled}")
    # 시군구 is '서울특별시 <구> <법정동>'
    parts = frame["sigungu"].str.split(n=2, expand=True)
    if not parts[1].isin(GU_NAMES).all():
        raise ValueError(f"unexpected 자치구: {sorted(set(parts[1]) - set(GU_NAMES))}")
    frame["gu"], frame["dong"] = parts[1].astype("str"), parts[2].astype("str")
    # 791 번지 cells were turned into dates by a spreadsheet ('01월 15일', 'Feb-61'):
    # 본번/부번 are intact, so 번지 is rebuilt from them ('15-1'; '15' when 부번 is 0)
    frame["lot_number"] = (frame["lot_main"] + ("-" + frame["lot_sub"]).where(frame["lot_sub"] != "0", "")
                           ).astype("str")
    for col in ("seq_no", "lot_main", "lot_sub", "floor", "build_year"):
        frame[col] = pd.to_numeric(frame[col]).astype("int64")
    frame["area_m2"] = pd.to_numeric(frame["area_m2"]).astype("float64")
    frame["price_manwon"] = to_number(frame["price_manwon"]).astype("int64")  # "76,500" = 7억 6,500만원
    frame["contract_date"] = pd.to_datetime(
        frame["contract_ym"] + frame["contract_day"].str.zfill(2), format="%Y%m%d")
    frame["month"] = frame["contract_date"].dt.month.astype("int64")
    frame["cancel_date"] = pd.to_datetime(frame["cancel_date"].replace("-", None), format="%Y%m%d")
    frame["is_cancelled"] = frame["cancel_date"].notna().astype(bool)
    frame["deal_type"] = pd.Categorical(frame["deal_type"], categories=["중개거래", "직거래"])
    frame["broker_location"] = frame["broker_location"].replace("-", None).astype("str")
    return frame[ORDER]
