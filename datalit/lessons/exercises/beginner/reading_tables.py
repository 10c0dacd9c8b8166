"""Exercises for courses/beginner/02-reading-tables.ipynb (reading a CP949 CSV; the tidy loader)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept


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
    wrong=[Wrong(_raw_latin1, "필요한 열이 없어요"),
           Wrong(lambda year: raw(year).head(),
                 "head()로 앞 5줄만 저장했어요. head()는 보기만 할 때 쓰고, raw에는 표 전체를 저장하세요.", diagnose=True),
           Wrong(lambda year: raw(year - 1),
                 "year가 가리키는 해가 아니라 그 전 해의 파일을 읽었어요. 파일 이름(연도)을 확인하세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="n_rows",
    prompt="raw 표의 행 개수를 n_rows에 저장하기",
    reference=n_rows,
    checker=ck.number(integer=True),
    hints=["행의 개수는 len(표)로 셀 수 있어요.", "raw.shape는 (행, 열) 두 숫자예요: 하나만 필요해요."],
    solution="n_rows = len(raw)",
    wrong=[Wrong(lambda year: raw(year).shape, "숫자여야"),
           Wrong(lambda year: raw(year).shape[1],
                 "열의 개수(raw.shape[1])를 저장했어요. 행의 개수는 len(raw) 또는 raw.shape[0]이에요.", diagnose=True)],
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
    wrong=[Wrong(lambda year: len(raw(year)["측정소명"]),
                 "측정소 이름이 나온 횟수(줄 수)를 셌어요. 서로 다른 이름의 개수는 .nunique()로 세요.", diagnose=True),
           Wrong(lambda year: int(raw(year)["측정일시"].nunique()),
                 "측정소가 아니라 날짜(측정일시)의 개수를 셌어요. 측정소명 열을 고르세요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="원본 CSV를 encoding 없이 읽었더니 UnicodeDecodeError가 났어요. 이 오류가 말해 주는 것은?",
    options={"가": "파일의 데이터가 잘못되어 쓸 수 없다",
             "나": "파일을 쓴 방식(인코딩, CP949)과 읽는 방식(UTF-8)이 다르다",
             "다": "한글이 든 파일은 파이썬으로 읽을 수 없다"},
    answer="나",
    why={"가": "데이터는 멀쩡해요. encoding=\"cp949\"를 주면 같은 파일이 한 글자도 빠짐없이 읽혀요. "
               "문제는 내용이 아니라 읽는 방식이었어요.",
         "나": "파이썬은 기본으로 UTF-8로 읽어요. 한국 공공데이터 CSV는 CP949로 저장된 것이 많아서 encoding을 알려 줘야 해요.",
         "다": "파이썬은 한글을 잘 읽어요. 파일이 어떤 인코딩으로 저장됐는지만 알려 주면 돼요."},
    hints=["encoding=\"cp949\"를 준 뒤에는 같은 파일이 어떻게 읽혔는지 떠올려 보세요."],
)
