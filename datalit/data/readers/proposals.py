"""seoul_citizen_proposals: 민주주의 서울 adopted and free proposals (xlsx workbooks named .xls).

Text frames: ``content`` is the body as plain text (HTML stripped), ``content_html`` the body as
published. The adopted proposals carry the responsible department (``department``) as a label.
"""
from __future__ import annotations

import html
import re
import warnings
from html.parser import HTMLParser

import pandas as pd

from datalit.data.readers.common import rename_strict

ADOPTED_COLUMNS = {
    "제안번호": "proposal_id", "제안제목": "title", "제안내용": "content_html",
    "제안등록일자": "registered_at", "담당부서 의견": "department_opinion", "담당부서": "department",
    "전문평가단 의견": "expert_opinion",
}
FREE_COLUMNS = {
    "제안번호": "proposal_id", "제안제목": "title", "제안내용": "content_html",
    "득표": "votes", "제안등록일자": "registered_at",
}
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote"}
SKIP_TAGS = {"style", "script", "head", "title"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\ufeff\u3000]+")


class _TextOnly(HTMLParser):
    """Collects text; block tags become line breaks; <style>/<script> and comments are dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def tidy_text(text: str) -> str:
    """One space between words, no blank-line runs, no leading/trailing blanks."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    out, blank = [], False
    for line in lines:
        if line:
            out.append(line)
            blank = False
        elif out and not blank:
            out.append("")
            blank = True
    return "\n".join(out).strip()


def html_to_text(markup) -> str | None:
    """Plain text of an HTML fragment (entities decoded); None stays None."""
    if markup is None or (isinstance(markup, float) and pd.isna(markup)):
        return None
    parser = _TextOnly()
    parser.feed(markup.replace("\r\n", "\n").replace("\n", " "))  # source newlines are not line breaks
    parser.close()
    return tidy_text("".join(parser.parts)) or None


def plain(series: pd.Series, one_line: bool = False) -> pd.Series:
    """Plain-text cells that still carry HTML entities (&#39;, &nbsp; …)."""
    def fix(value):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        text = tidy_text(html.unescape(value).replace("\r\n", "\n"))
        if one_line:
            text = " ".join(text.split())
        return text or None
    return series.map(fix).astype("str")


def _read(path, mapping: dict[str, str]) -> pd.DataFrame:
    # openpyxl, not calamine: calamine decodes the OOXML escape '_x0000_' inside pasted MS-Office
    # markup (v:shapetype id=_x0000_t75) into a NUL character; openpyxl keeps the text as published
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*default style.*")  # openpyxl, harmless
        frame = pd.read_excel(path, engine="openpyxl", dtype=str)
    frame = rename_strict(frame, mapping)
    frame["proposal_id"] = pd.to_numeric(frame["proposal_id"]).astype("int64")
    frame["title"] = plain(frame["title"], one_line=True)
    frame["content"] = frame["content_html"].map(html_to_text).astype("str")
    frame["registered_at"] = pd.to_datetime(frame["registered_at"], format="%Y-%m-%d %H:%M:%S.%f")
    return frame


def read_adopted(paths) -> pd.DataFrame:
    frame = _read(paths[0], ADOPTED_COLUMNS)
    frame = frame.drop_duplicates().reset_index(drop=True)  # one row appears twice
    for col in ("department_opinion", "expert_opinion"):
        frame[col] = plain(frame[col])
    frame["department"] = frame["department"].str.strip().astype("category")
    # one proposal has two expert-panel opinions on two rows: join them, one row per proposal
    if frame["proposal_id"].duplicated().any():
        joined = frame.groupby("proposal_id", sort=False)["expert_opinion"].agg(
            lambda s: "\n\n".join(dict.fromkeys(s.dropna())) or None)
        frame = frame.drop_duplicates("proposal_id").reset_index(drop=True)
        frame["expert_opinion"] = frame["proposal_id"].map(joined).astype("str")
    order = ["proposal_id", "title", "content", "registered_at", "department", "department_opinion",
             "expert_opinion", "content_html"]
    return frame[order]


def read_free(paths) -> pd.DataFrame:
    frame = _read(paths[0], FREE_COLUMNS)
    frame["votes"] = pd.to_numeric(frame["votes"]).astype("int64")
    return frame[["proposal_id", "title", "content", "registered_at", "votes", "content_html"]]
