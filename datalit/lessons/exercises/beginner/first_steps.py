"""Exercises for courses/beginner/01-first-steps.ipynb (Jupyter and Python first steps, CCTV per district)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept


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
    wrong=[Wrong(lambda: _cctv().shape, "숫자여야"),
           Wrong(lambda: len(_cctv().columns),
                 "열의 개수(len(cctv.columns))를 셌어요. 자치구는 행(줄)마다 하나이니 len(cctv)로 행을 세세요.",
                 diagnose=True)],
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
           Wrong(lambda gu: str(my_cctv(gu)), "문자열"),
           Wrong(lambda gu: int(_cctv().loc[_cctv()["gu"] == gu, "cctv_2016"].iloc[0]),
                 "2016년 한 해에 설치한 대수(cctv_2016)를 꺼냈어요. 전체 대수는 cctv_total 열이에요.", diagnose=True),
           Wrong(lambda: int(_cctv()["cctv_total"].sum()),
                 "우리 구의 행을 고르지 않고 서울 전체 합계를 구했어요. cctv[\"gu\"] == gu 조건으로 우리 구만 고르세요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="share",
    prompt="서울 전체 CCTV 가운데 우리 구의 비중을 퍼센트(%)로 share에 저장하기",
    reference=share,
    checker=ck.number(rel=1e-4),
    hints=["서울 전체 대수는 cctv[\"cctv_total\"].sum()이에요.", "비중 = 우리 구 ÷ 전체",
           "퍼센트로 바꾸려면 100을 곱해요."],
    solution='share = my_cctv / cctv["cctv_total"].sum() * 100',
    wrong=[Wrong(lambda gu: share(gu) / 100, "100배 작아요"),
           Wrong(lambda gu: my_cctv(gu) / _cctv()["cctv_total"].mean() * 100,
                 "서울 전체 합계(sum)가 아니라 구 평균(mean)으로 나눴어요. 비중의 분모는 전체 합계예요.", diagnose=True),
           Wrong(lambda gu: _cctv()["cctv_total"].sum() / my_cctv(gu) * 100,
                 "나누는 순서가 반대예요: 전체 ÷ 우리 구를 계산했어요. 비중은 우리 구 ÷ 전체 × 100이에요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="연습 3에서 구한 우리 구의 비중(share)이 말해 주는 것은 무엇일까요?",
    options={"가": "서울의 CCTV 100대 가운데 우리 구에 있는 대수",
             "나": "우리 구 주민 한 사람 가까이에 있는 CCTV가 서울의 다른 구보다 많은지 적은지",
             "다": "우리 구가 다른 구보다 안전한 정도"},
    answer="가",
    why={"가": "비중은 '부분 ÷ 전체 × 100'이라 서울 전체 CCTV 100대 가운데 몇 대가 우리 구에 있는지를 말해요.",
         "나": "비중은 주민 수를 전혀 쓰지 않았어요. 주민이 많은 구는 비중도 커지기 쉬워요. "
               "한 사람 곁의 CCTV를 견주려면 주민 수로 나눈 '1,000명당 대수'가 필요해요.",
         "다": "이 표에는 범죄나 사고 숫자가 없어요. CCTV가 몇 대인지로는 안전한지 알 수 없어요."},
    hints=["비중을 계산할 때 어떤 숫자 두 개를 나눴는지 떠올려 보세요."],
)
