"""seoul_gas_station_prices: Opinet station lists with fuel prices, one legacy .xls per 자치구."""
from __future__ import annotations

import re

import pandas as pd

from datalit.data.readers.common import GU_NAMES, rename_strict, to_number

COLUMNS = {
    "지역": "sido", "상호": "name", "주소": "address", "상표": "brand", "전화번호": "phone",
    "셀프여부": "is_self", "고급휘발유": "premium_gasoline", "휘발유": "gasoline", "경유": "diesel",
    "실내등유": "kerosene",
}
PRICES = ["premium_gasoline", "gasoline", "diesel", "kerosene"]
ORDER = ["gu", "name", "brand", "is_self", "gasoline", "diesel", "premium_gasoline", "kerosene",
         "address", "phone"]
_GU = re.compile(r"(?:^|\s)(" + "|".join(sorted(GU_NAMES, key=len, reverse=True)) + r")(?=\s|$)")


def _read_one(path) -> pd.DataFrame:
    # row 1 title '지역_위치별(주유소)', row 2 '(단위 : 원/리터)', row 3 the header
    # legacy BIFF .xls: python-calamine reads it like xlrd (same cells, checked) and faster;
    # pandas 3 deprecates its xlrd engine
    frame = pd.read_excel(path, header=2, engine="calamine", dtype=str)
    return rename_strict(frame, COLUMNS)


def read_stations(paths) -> pd.DataFrame:
    frame = pd.concat([_read_one(p) for p in paths], ignore_index=True)
    for col in frame.columns:
        frame[col] = frame[col].str.replace(r"\s+", " ", regex=True).str.strip()
    if set(frame["sido"]) != {"서울특별시"}:
        raise ValueError(f"expected only 서울특별시 in 지역, got {sorted(set(frame['sido']))}")
    # the district is the first 자치구 word of the address; two addresses have a stray prefix
    # ('1 서울특별시 성동구 …', '서울 특별시 도봉구 …'); file numbers are not a reliable district key
    frame["gu"] = frame["address"].str.extract(_GU, expand=False).astype("str")
    if frame["gu"].isna().any():
        raise ValueError(f"no 자치구 in: {frame.loc[frame['gu'].isna(), 'address'].tolist()}")
    for col in PRICES:
        frame[col] = to_number(frame[col]).astype("float64")  # '-' = fuel not sold
    flags = frame["is_self"].map({"Y": True, "N": False})
    if flags.isna().any():
        raise ValueError(f"셀프여부 not Y/N: {sorted(set(frame['is_self']) - {'Y', 'N'})}")
    frame["is_self"] = flags.astype(bool)
    frame["brand"] = frame["brand"].astype("category")
    return frame[ORDER]
