"""Exercises for courses/beginner/00-python-first-steps.ipynb (values, lists, dicts, for, if, functions on the
CCTV counts and 2017 Q1 population of Seoul's 25 districts)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

THRESHOLD = 1000  # '1,000대 이상' in q2
TYPED = ["종로구", "중구", "용산구"]  # the three districts the lesson types by hand (values checked against the data)


def cctv_by_gu() -> dict:
    """{district: CCTV cameras installed up to 2016}, in the file's order (강남구 ... 중랑구)."""
    t = data.load("seoul_cctv_by_gu", "cctv")
    return {str(g): int(n) for g, n in zip(t["gu"], t["cctv_total"])}


def _population(column: str) -> dict:
    t = data.load("seoul_cctv_by_gu", "population")
    return {str(g): int(n) for g, n in zip(t["gu"], t[column])}


def pop_by_gu() -> dict:
    """{district: residents, 2017 Q1}."""
    return _population("population")


def households_by_gu() -> dict:
    """{district: households, 2017 Q1}."""
    return _population("households")


def seoul_total():
    return sum(cctv_by_gu().values())


def big_gus():
    counts = cctv_by_gu()
    return [g for g in counts if counts[g] >= THRESHOLD]


def per_1000(gu="마포구"):
    return cctv_by_gu()[gu] / pop_by_gu()[gu] * 1000


def _reset_inside_loop():
    """`total = 0` written inside the for loop: only the last district is left."""
    for g, n in cctv_by_gu().items():
        total = 0
        total = total + n
    return total


q1 = Question(
    "q1", variable="total",
    prompt="for 반복문으로 25개 구의 CCTV 대수를 모두 더해 서울 전체 대수를 total에 저장하기",
    reference=seoul_total,
    checker=ck.number(integer=True),
    hints=["반복문 앞에서 total = 0 으로 시작해요.",
           "for name in cctv_by_gu: 안에서 total = total + cctv_by_gu[name]",
           "total = 0 은 반복문 밖(위)에 한 번만 써요. 안에 쓰면 매번 0으로 돌아가요."],
    solution='''total = 0
for name in cctv_by_gu:
    total = total + cctv_by_gu[name]''',
    wrong=[Wrong(_reset_inside_loop, "total = 0을 반복문 안에 써서 매번 0으로 되돌아갔어요. total = 0은 for 위에 한 번만 쓰세요.", diagnose=True),
           Wrong(lambda: sum(cctv_by_gu()[g] for g in TYPED),
                 "리스트 cctv_counts에 든 3개 구만 더했어요. 25개 구가 모두 든 cctv_by_gu로 반복하세요.", diagnose=True),
           Wrong(lambda: seoul_total() / len(cctv_by_gu()),
                 "합계가 아니라 평균(합계 ÷ 25)을 구했어요. 25개 구의 값을 더하기만 하세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="big",
    prompt=f"CCTV가 {THRESHOLD:,}대 이상인 구의 이름을 리스트 big에 모으기",
    reference=big_gus,
    checker=ck.values(ordered=False),
    hints=["빈 리스트 big = [] 에서 시작해요.",
           "for name in cctv_by_gu: 안에서 if cctv_by_gu[name] >= 1000: 이면",
           "big.append(name) 으로 이름을 리스트에 더해요."],
    solution='''big = []
for name in cctv_by_gu:
    if cctv_by_gu[name] >= 1000:
        big.append(name)''',
    wrong=[Wrong(lambda: [g for g, n in cctv_by_gu().items() if n < THRESHOLD],
                 "조건이 반대예요: 1,000대 미만인 구를 골랐어요. 1,000대 이상은 >= 1000이에요.", diagnose=True),
           Wrong(lambda: [n for n in cctv_by_gu().values() if n >= THRESHOLD],
                 "구 이름이 아니라 CCTV 대수를 모았어요. append()에 name을 넣으세요.", diagnose=True),
           Wrong(lambda: list(cctv_by_gu()), "조건(if)을 빠뜨려 25개 구를 모두 모았어요. append() 앞에 if 조건을 넣으세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="my_per_1000",
    prompt="함수 per_1000으로 우리 구(gu)의 주민 1,000명당 CCTV 대수를 my_per_1000에 저장하기",
    reference=per_1000,
    checker=ck.number(rel=1e-6),
    hints=["1,000명당 대수 = CCTV 대수 ÷ 주민 수 × 1000",
           "def per_1000(count, population): 다음 줄에 return count / population * 1000",
           "my_per_1000 = per_1000(cctv_by_gu[gu], pop_by_gu[gu])"],
    solution='''def per_1000(count, population):
    return count / population * 1000

my_per_1000 = per_1000(cctv_by_gu[gu], pop_by_gu[gu])''',
    wrong=[Wrong(lambda gu: cctv_by_gu()[gu] / households_by_gu()[gu] * 1000,
                 "주민 수(pop_by_gu)가 아니라 세대 수(households_by_gu)로 나눴어요. 1,000명당은 사람 수로 나눠요.", diagnose=True),
           Wrong(lambda gu: cctv_by_gu()[gu] / pop_by_gu()[gu],
                 "× 1000을 빠뜨려 주민 1명당 대수를 구했어요. 1,000명당으로 바꾸려면 1000을 곱하세요.", diagnose=True),
           Wrong(lambda gu: pop_by_gu()[gu] / cctv_by_gu()[gu] * 1000,
                 "나누는 순서가 반대예요: 주민 수 ÷ CCTV 대수를 계산했어요. CCTV 대수 ÷ 주민 수 × 1000이에요.", diagnose=True),
           Wrong(lambda: seoul_total() / sum(pop_by_gu().values()) * 1000,
                 "우리 구가 아니라 서울 전체의 1,000명당 대수를 구했어요. cctv_by_gu[gu]와 pop_by_gu[gu]를 쓰세요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="CCTV 전체 대수는 강남구(2,780대)가 25개 구 가운데 가장 많아요. "
           "'주민 한 사람 가까이에 CCTV가 가장 많은 구'를 찾으려면 어떤 숫자로 비교해야 할까요?",
    options={"가": "CCTV 전체 대수",
             "나": "2016년 한 해에 새로 설치한 대수",
             "다": "주민 1,000명당 CCTV 대수"},
    answer="다",
    why={"가": "주민이 많은 구는 CCTV도 많아지기 쉬워요. 크기가 다른 구를 전체 대수로 견주면 '사람 수'의 차이를 비교하게 돼요. 주민 수로 나눠야 공정해요.",
         "나": "한 해에 새로 단 대수는 그해의 설치 속도일 뿐, 지금 있는 전체 CCTV를 말해 주지 않아요. 게다가 주민 수로 나누지도 않았어요.",
         "다": "주민 수로 나누면 구의 크기가 달라도 공정하게 견줄 수 있어요. 이렇게 보면 용산구가 6.65대로 가장 많고, 강남구는 4.87대로 4위예요."},
    hints=["인구가 두 배인 구에 CCTV가 두 배 있다면, 한 사람 곁의 CCTV는 같아요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="O/X: 이 수업의 두 표(CCTV 대수, 주민 수)만으로 'CCTV가 많은 구일수록 더 안전하다'고 말할 수 있다.",
    options={"O": "말할 수 있다", "X": "말할 수 없다"},
    answer="X",
    why={"O": "두 표에는 범죄나 사고 건수가 없어요. 안전한지는 재 본 적이 없으니, CCTV 숫자만으로는 안전에 대해 "
              "아무것도 말할 수 없어요.",
         "X": "맞아요. 데이터에 없는 것(범죄, 사고)은 데이터로 말할 수 없어요. 그런 주장에는 다른 자료가 필요해요."},
    hints=["표에 어떤 열이 있었는지 떠올려 보세요: 구 이름, CCTV 대수, 주민 수, 세대 수."],
)
