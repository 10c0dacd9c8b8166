"""The error helper tells a dict's missing key from a DataFrame's missing column by the object involved:
lesson 00 (python-first-steps) is about dicts, and "df.columns" would send a beginner to the wrong object."""
from __future__ import annotations

import pandas as pd

from datalit.lessons.explain import explain_exception


def _raised(fn):
    try:
        fn()
    except KeyError as exc:
        return exc
    raise AssertionError("no KeyError")


def test_dict_key_error_speaks_of_dict_keys_not_columns():
    cctv_by_gu = {"종로구": 1002, "중구": 671, "용산구": 1624}
    ns = {"cctv_by_gu": cctv_by_gu}
    exc = _raised(lambda: cctv_by_gu["종로 구"])
    text = explain_exception(exc, ns)
    assert "사전(dict)" in text and "키" in text and "'종로구'를 뜻했나요" in text
    assert "df.columns" not in text and "열" not in text.split("사전")[0]


def test_dict_key_error_with_a_dataframe_around_is_still_about_the_dict():
    pop = {"마포구": 380000}
    ns = {"pop": pop, "cctv": pd.DataFrame({"gu": ["마포구"], "cctv_total": [1]})}
    text = explain_exception(_raised(lambda: pop["강남구"]), ns)
    assert "사전(dict)에 '강남구'라는 키가 없어요" in text and "df.columns" not in text


def test_dataframe_column_key_error_still_points_to_columns():
    df = pd.DataFrame({"cctv_total": [1], "gu": ["마포구"]})
    text = explain_exception(_raised(lambda: df["cctv_totl"]), {"df": df})
    assert "열" in text and "df.columns" in text and "'cctv_total'을 뜻했나요" in text
