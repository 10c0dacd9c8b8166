"""seoul_120_dasan_faq_text: 120다산콜재단 knowledge-base Q&A texts with their category (UTF-8 csv).

A text frame for text classification: ``category`` is the label, ``title`` + ``text`` the input.
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict
from datalit.data.readers.kr_address import seoul_gu

COLUMNS = {"번호": "id", "분류": "category", "제목": "title", "내용": "text", "내용번호": "content_id"}
# category order: as in SOURCE.md, most to least frequent
CATEGORIES = ["행정", "경제", "복지", "환경", "주택도시계획", "문화관광", "교통", "안전", "건강", "여성가족"]
PAGE_URL = "https://opengov.seoul.go.kr/civilappeal/"


def collapse_spaces(text: pd.Series) -> pd.Series:
    """Runs of whitespace (left where digits and punctuation were removed) become one space."""
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def title_gu(title: pd.Series) -> pd.Series:
    """The Seoul 자치구 a title starts with: '(강북구) …', '[성동구] …', '노원구 …', '종로구립 …'."""
    head = title.str.replace(r"^[\(\[]\s*", "", regex=True)
    return seoul_gu(head).astype("str")


def read_faq(paths) -> pd.DataFrame:
    frame = pd.read_csv(paths[0], encoding="utf-8", dtype=str, keep_default_na=False)
    frame = rename_strict(frame, COLUMNS)
    for col in ("id", "content_id"):
        frame[col] = pd.to_numeric(frame[col]).astype("int64")
    unknown = set(frame["category"]) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown 분류 values: {sorted(unknown)}")
    frame["category"] = pd.Categorical(frame["category"], categories=CATEGORIES)
    frame["title"] = collapse_spaces(frame["title"])
    # five answers are empty after the collectors' cleaning: kept as "" so text tools never see NaN
    frame["text"] = collapse_spaces(frame["text"])
    frame["gu"] = title_gu(frame["title"])
    frame["url"] = PAGE_URL + frame["content_id"].astype(str)
    return frame
