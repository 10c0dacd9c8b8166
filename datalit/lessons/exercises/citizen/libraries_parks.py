"""Exercises for courses/citizen/03-libraries-parks.ipynb (libraries of the national standard data in our
district, Seoul's major parks)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept


def _seoul_libs():
    libs = data.load("korea_libraries_standard")
    return libs[libs["is_seoul"]]


def _libs_mine(gu):
    s = _seoul_libs()
    return s[s["gu"] == gu]


def _parks():
    return data.load("seoul_public_facilities", "parks")


def n_libs(gu="마포구"):
    return len(_libs_mine(gu))


def n_public(gu="마포구"):
    return int((_libs_mine(gu)["library_type"] == "공공도서관").sum())


def n_parks(gu="마포구"):
    p = _parks()
    return int((p["gu"] == gu).sum())


q1 = Question(
    "q1", variable="n_libs",
    prompt="이 표에 우리 구 도서관이 몇 곳 올라 있는지 n_libs에 저장하기",
    reference=n_libs,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제 셀에서 서울 전체는 len(seoul_libs)로 셌어요.",
           "우리 구 도서관만 담긴 표는 libs_mine이에요.",
           "n_libs = len(libs_mine)"],
    solution='''n_libs = len(libs_mine)
print(f"{gu} 도서관: {n_libs}곳")''',
    wrong=[Wrong(lambda: len(_seoul_libs()),
                 "서울 전체 도서관 수예요. seoul_libs를 우리 구 표 libs_mine으로 바꾸세요.", diagnose=True),
           Wrong(lambda: len(data.load("korea_libraries_standard")),
                 "전국 도서관 수예요(서울만 고르기 전의 표). 우리 구 표 libs_mine의 줄 수를 세세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="n_public",
    prompt="우리 구 도서관 가운데 공공도서관이 몇 곳인지 n_public에 저장하기",
    reference=n_public,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["예제 셀은 \"작은도서관\"인 줄의 수를 셌어요.",
           "따옴표 안의 글자만 \"공공도서관\"으로 바꾸면 돼요.",
           "n_public = (libs_mine[\"library_type\"] == \"공공도서관\").sum()"],
    solution='''n_public = (libs_mine["library_type"] == "공공도서관").sum()
print(f"{gu} 공공도서관: {n_public}곳")''',
    wrong=[Wrong(lambda gu: int((_libs_mine(gu)["library_type"] == "작은도서관").sum()),
                 "작은도서관 수가 그대로예요. 따옴표 안의 \"작은도서관\"을 \"공공도서관\"으로 바꾸세요.", diagnose=True),
           Wrong(lambda gu: n_libs(gu),
                 "종류와 상관없이 모든 도서관을 셌어요. 공공도서관인 줄만 세세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="n_parks",
    prompt="'서울시 주요 공원' 목록에 우리 구 공원이 몇 곳 있는지 n_parks에 저장하기",
    reference=n_parks,
    checker=ck.number(rel=0, abs=0, integer=True),
    hints=["도서관 수를 셀 때처럼 표의 줄 수를 세요.",
           "우리 구 공원만 담긴 표는 parks_mine이에요.",
           "n_parks = len(parks_mine)"],
    solution='''n_parks = len(parks_mine)
print(f"{gu} 주요 공원: {n_parks}곳")''',
    wrong=[Wrong(lambda: int(_parks()["is_seoul"].sum()),
                 "서울 전체 주요 공원 수예요. 우리 구 표 parks_mine의 줄 수를 세세요.", diagnose=True),
           Wrong(lambda gu: n_libs(gu),
                 "공원이 아니라 도서관 수(libs_mine)예요. parks_mine의 줄 수를 세세요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("25개 구 차트에서 은평구는 도서관이 77곳인데 강동구는 6곳이고, 동대문구는 아예 없어요. "
            "가장 알맞은 해석은?"),
    options={"가": "은평구 사람들이 강동구 사람들보다 책을 훨씬 많이 읽는다. 책을 읽는 사람이 많은 곳에 도서관도 많이 생기기 때문이다",
             "나": "동대문구에는 도서관이 하나도 없다",
             "다": "구마다 작은도서관을 이 표에 올렸는지가 달라 생긴 차이일 수 있으니, 다른 자료로 확인해야 한다"},
    answer="다",
    why={"가": "도서관 수는 책을 읽는 양이 아니에요. 빌린 책의 수 같은 다른 자료가 있어야 말할 수 있어요.",
         "나": "표에 없다는 것은 '이 자료에 올리지 않았다'는 뜻일 수 있어요. 없는 것과 자료에 없는 것은 달라요.",
         "다": "은평구 77곳 가운데 69곳이 작은도서관이고, 강동구는 작은도서관이 한 곳도 올라 있지 않아요. 표준데이터는 구청·교육청이 스스로 올린 자료라 빠진 곳이 있을 수 있어요."},
    hints=["도서관 종류별 색을 보세요. 차이가 어느 종류에서 나나요?"],
)
