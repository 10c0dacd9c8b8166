"""Exercises for courses/beginner/02-reading-tables.ipynb (reading a CP949 CSV; the tidy loader)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck


def csv_path(year=2022):
    """The original yearly air-quality CSV (2018–2022 are CP949 files)."""
    for p in data.files("seoul_air_quality_daily"):
        if p.name == f"{year}.csv":
            return p
    raise ValueError(f"{year}년 CSV 파일이 없어요 (2018~2022년만 CSV예요).")


def raw(year=2022):
    import pandas as pd

    return pd.read_csv(csv_path(year), encoding="cp949")


def _raw_latin1(year):
    import pandas as pd

    return pd.read_csv(csv_path(year), encoding="latin-1")


def n_rows(year=2022):
    return len(raw(year))


def n_stations(year=2022):
    return int(raw(year)["측정소명"].nunique())


q1 = Question(
    "q1", variable="raw",
    prompt="원본 CSV 파일을 CP949 인코딩으로 읽어 raw에 저장하기",
    reference=raw,
    checker=ck.frame(),
    hints=["pd.read_csv(path)만 쓰면 UnicodeDecodeError가 나요.",
           "encoding= 옵션으로 파일의 인코딩을 알려 줘요.",
           "raw = pd.read_csv(path, encoding=\"cp949\")"],
    solution='raw = pd.read_csv(path, encoding="cp949")',
    wrong=[Wrong(_raw_latin1, "필요한 열이 없어요"), Wrong(lambda year: raw(year).head(), "행 수")],
)

q2 = Question(
    "q2", variable="n_rows",
    prompt="raw 표의 행 개수를 n_rows에 저장하기",
    reference=n_rows,
    checker=ck.number(integer=True),
    hints=["행의 개수는 len(표)로 셀 수 있어요.", "raw.shape는 (행, 열) 두 숫자예요: 하나만 필요해요."],
    solution="n_rows = len(raw)",
    wrong=[Wrong(lambda year: raw(year).shape, "숫자여야"), Wrong(lambda year: raw(year).shape[1], "작아요")],
)

q3 = Question(
    "q3", variable="n_stations",
    prompt="raw에 나오는 측정소(측정소명)가 몇 곳인지 n_stations에 저장하기",
    reference=n_stations,
    checker=ck.number(integer=True),
    hints=["측정소 하나가 1년 동안 매일 한 줄씩 나와요: 같은 이름이 여러 번 있어요.",
           "열에서 서로 다른 값의 개수는 .nunique()로 세요.",
           "n_stations = raw[\"측정소명\"].nunique()"],
    solution='n_stations = raw["측정소명"].nunique()',
    wrong=[Wrong(lambda year: len(raw(year)["측정소명"]), "커요")],
)
