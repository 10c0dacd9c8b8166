"""Exercises for courses/beginner/01-first-steps.ipynb (Jupyter and Python first steps, CCTV per district)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck


def _cctv():
    return data.load("seoul_cctv_by_gu", "cctv")


def n_gu():
    return len(_cctv())


def my_cctv(gu="마포구"):
    cctv = _cctv()
    return int(cctv.loc[cctv["gu"] == gu, "cctv_total"].iloc[0])


def share(gu="마포구"):
    return my_cctv(gu) / _cctv()["cctv_total"].sum() * 100


q1 = Question(
    "q1", variable="n_gu",
    prompt="CCTV 표에 자치구가 몇 개 있는지 n_gu에 저장하기",
    reference=n_gu,
    checker=ck.number(integer=True),
    hints=["표의 행(줄) 하나가 자치구 하나예요.", "len(표)는 행의 개수를 알려 줘요.", "n_gu = len(cctv)"],
    solution="n_gu = len(cctv)",
    wrong=[Wrong(lambda: _cctv().shape, "숫자여야"), Wrong(lambda: len(_cctv().columns), "작아요")],
)

q2 = Question(
    "q2", variable="my_cctv",
    prompt="우리 구(gu)의 CCTV 전체 대수(cctv_total)를 숫자 하나로 my_cctv에 저장하기",
    reference=my_cctv,
    checker=ck.number(integer=True),
    hints=["cctv[\"gu\"] == gu 는 우리 구의 행에서만 True가 돼요.",
           "cctv.loc[조건, \"cctv_total\"]은 값이 하나 든 Series예요.",
           ".iloc[0]으로 그 안의 숫자 하나를 꺼내요."],
    solution='my_cctv = cctv.loc[cctv["gu"] == gu, "cctv_total"].iloc[0]',
    wrong=[Wrong(lambda gu: _cctv().loc[_cctv()["gu"] == gu, "cctv_total"], ".iloc[0]"),
           Wrong(lambda gu: str(my_cctv(gu)), "문자열")],
)

q3 = Question(
    "q3", variable="share",
    prompt="서울 전체 CCTV 가운데 우리 구의 비중을 퍼센트(%)로 share에 저장하기",
    reference=share,
    checker=ck.number(rel=1e-4),
    hints=["서울 전체 대수는 cctv[\"cctv_total\"].sum()이에요.", "비중 = 우리 구 ÷ 전체",
           "퍼센트로 바꾸려면 100을 곱해요."],
    solution='share = my_cctv / cctv["cctv_total"].sum() * 100',
    wrong=[Wrong(lambda gu: share(gu) / 100, "100배 작아요")],
)
