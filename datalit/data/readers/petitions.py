"""korea_petitions_categorized: 청와대 국민청원 texts with their board category.

Two text frames for text classification (label = ``category``):
- ``petitions``: full text, JSON Lines files (one per month), concatenated in catalog order;
- ``titles``: titles only, ``data/petition_data.csv`` inside a zip (UTF-8 with BOM).
"""
from __future__ import annotations

import zipfile

import pandas as pd

from datalit.data.readers.common import rename_strict

# the board's 17 categories, most to least frequent in the full-text part
CATEGORIES = [
    "기타", "육아/교육", "교통/건축/국토", "보건복지", "인권/성평등", "안전/환경", "정치개혁", "행정",
    "외교/통일/국방", "일자리", "문화/예술/체육/언론", "경제민주화", "반려동물", "미래", "농산어촌",
    "성장동력", "저출산/고령화대책",
]
STATUSES = ["청원종료", "브리핑"]
JSON_COLUMNS = {
    "petition_idx": "petition_id", "category": "category", "title": "title", "content": "content",
    "begin": "begin", "end": "end", "num_agree": "num_agree", "status": "status",
}
CSV_MEMBER = "data/petition_data.csv"
CSV_COLUMNS = {
    "id": "petition_id", "category": "category", "title": "title",
    "expiryDate": "expiry_date", "numOfAgrees": "num_agree",
}


def _categorical(values: pd.Series, categories: list[str], what: str) -> pd.Categorical:
    unknown = set(values.dropna()) - set(categories)
    if unknown:
        raise ValueError(f"unknown {what}: {sorted(unknown)}")
    return pd.Categorical(values, categories=categories)


def _one_line(text: pd.Series) -> pd.Series:
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def read_petitions(paths) -> pd.DataFrame:
    parts = [pd.read_json(p, lines=True, dtype={"petition_idx": str}, encoding="utf-8") for p in paths]
    frame = rename_strict(pd.concat(parts, ignore_index=True), JSON_COLUMNS)
    frame["petition_id"] = pd.to_numeric(frame["petition_id"]).astype("int64")
    frame["category"] = _categorical(frame["category"], CATEGORIES, "category")
    frame["status"] = _categorical(frame["status"], STATUSES, "status")
    frame["title"] = _one_line(frame["title"].astype("str"))
    frame["content"] = frame["content"].astype("str").str.strip()  # 23 are empty: kept as ''
    for col in ("begin", "end"):
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
    frame["num_agree"] = frame["num_agree"].astype("int64")
    return frame


def read_titles(paths) -> pd.DataFrame:
    with zipfile.ZipFile(paths[0]) as archive, archive.open(CSV_MEMBER) as handle:
        frame = pd.read_csv(handle, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = rename_strict(frame, CSV_COLUMNS)
    frame["petition_id"] = pd.to_numeric(frame["petition_id"]).astype("int64")  # written as 449459.0
    # three 'titles' are whole scraped pages (title, then \r\n\t… 참여인원 …, body, comments): keep line 1
    frame["title"] = _one_line(frame["title"].str.split(r"[\r\n]", n=1, regex=True).str[0].astype("str"))
    # three petitions were scraped twice (titles differ only in spaces): keep the first
    frame = frame.drop_duplicates("petition_id", keep="first").reset_index(drop=True)
    frame["category"] = _categorical(frame["category"], CATEGORIES, "category")
    frame["expiry_date"] = pd.to_datetime(frame["expiry_date"], format="%Y-%m-%d")
    frame["num_agree"] = pd.to_numeric(frame["num_agree"]).astype("int64")
    return frame
