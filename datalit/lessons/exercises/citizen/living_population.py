"""Exercises for courses/citizen/04-living-population.ipynb (Seoul living population per district,
daily 2018-04 – 2020-07: average, day/night ratio, the emptiest day)."""
from __future__ import annotations

import pandas as pd

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.checkers import Generic
from datalit.lessons.checkers.korean import josa
from datalit.lessons.concepts import Concept

DATASET = "seoul_living_population_gu_daily_2018_2020"


def _living():
    return data.load(DATASET, "gu_daily")


def _seoul():
    return data.load(DATASET, "seoul_daily")


def _mine(gu):
    lv = _living()
    return lv[lv["gu"] == gu]


def avg_mine(gu="마포구"):
    return float(_mine(gu)["total"].mean())


def ratio_mine(gu="마포구"):
    m = _mine(gu)
    return float(m["daytime_mean"].mean() / m["nighttime_mean"].mean())


def low_day_mine(gu="마포구"):
    m = _mine(gu)
    return m.loc[m["total"].idxmin(), "date"]


def date_checker(answer, expected):
    """A day: a Timestamp, a date or text such as '2019-09-13'."""
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        return ("답이 날짜 하나가 아니라 표(또는 열)예요. .loc[줄, \"date\"]처럼 날짜 하나만 꺼내세요.")
    try:
        day = pd.Timestamp(answer)
    except (ValueError, TypeError):
        return f"답은 날짜여야 해요 (예: \"2019-09-13\"). 지금은 {josa(repr(answer), '이에요/예요')}."
    if pd.isna(day):
        return "답이 빈 날짜(NaT)예요."
    if day.normalize() == pd.Timestamp(expected).normalize():
        return None
    return Generic(f"{josa(f'{day:%Y-%m-%d}', '은/는')} 정답 날짜가 아니에요.")


q1 = Question(
    "q1", variable="avg_mine",
    prompt="우리 구 하루 생활인구(total)의 평균(2018년 4월 ~ 2020년 7월)을 avg_mine에 저장하기",
    reference=avg_mine,
    checker=ck.number(rel=1e-9),
    hints=["예제 셀에서 서울 전체는 seoul_daily[\"total\"].mean()으로 구했어요.",
           "우리 구 기록만 담긴 표는 living_mine이에요.",
           "avg_mine = living_mine[\"total\"].mean()"],
    solution='''avg_mine = living_mine["total"].mean()
print(f"{gu} 하루 생활인구 평균: {avg_mine:,.0f}명")''',
    wrong=[Wrong(lambda: float(_seoul()["total"].mean()),
                 "서울 전체의 평균이에요. seoul_daily를 우리 구 표 living_mine으로 바꾸세요.", diagnose=True),
           Wrong(lambda gu: float(_mine(gu)["total"].sum()),
                 "평균(mean)이 아니라 합계(sum)를 구했어요. 818일치를 모두 더한 값이라 아주 커요. .mean()을 쓰세요.",
                 diagnose=True),
           Wrong(lambda gu: float(_mine(gu)["daytime_mean"].mean()),
                 "하루 전체(total)가 아니라 낮 시간(daytime_mean) 평균이에요. 열 이름을 \"total\"로 하세요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="ratio_mine",
    prompt="우리 구의 '낮 인구 ÷ 밤 인구'(낮 평균을 밤 평균으로 나눈 값)를 ratio_mine에 저장하기",
    reference=ratio_mine,
    checker=ck.number(rel=1e-9),
    hints=["예제의 ratio_seoul을 보세요: 낮(daytime_mean) 평균 ÷ 밤(nighttime_mean) 평균이에요.",
           "seoul_daily를 living_mine으로 두 군데 모두 바꿔요.",
           "ratio_mine = living_mine[\"daytime_mean\"].mean() / living_mine[\"nighttime_mean\"].mean()"],
    solution='''ratio_mine = living_mine["daytime_mean"].mean() / living_mine["nighttime_mean"].mean()
print(f"{gu} 낮 ÷ 밤: {ratio_mine:.2f}")''',
    wrong=[Wrong(lambda gu: 1 / ratio_mine(gu),
                 "나누는 순서가 거꾸로예요: 밤 ÷ 낮이 됐어요. 낮(daytime_mean)을 밤(nighttime_mean)으로 나누세요.",
                 diagnose=True),
           Wrong(lambda: float(_seoul()["daytime_mean"].mean() / _seoul()["nighttime_mean"].mean()),
                 "서울 전체의 값이에요(예제 값). seoul_daily를 두 군데 모두 living_mine으로 바꾸세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="low_day_mine",
    prompt="이 기간에 우리 구 생활인구(total)가 가장 적었던 날을 low_day_mine에 저장하기",
    reference=low_day_mine,
    checker=date_checker,
    hints=["예제의 low_day_seoul은 .idxmin()으로 가장 적은 줄을 찾고, 그 줄의 date를 꺼냈어요.",
           "seoul_daily를 living_mine으로 세 군데 모두 바꿔요.",
           "low_day_mine = living_mine.loc[living_mine[\"total\"].idxmin(), \"date\"]"],
    solution='''low_day_mine = living_mine.loc[living_mine["total"].idxmin(), "date"]
print(f"{gu} 생활인구가 가장 적었던 날: {low_day_mine:%Y-%m-%d}")''',
    wrong=[Wrong(lambda gu: (lambda m: m.loc[m["total"].idxmax(), "date"])(_mine(gu)),
                 "가장 많았던 날(idxmax)이에요. 가장 적은 날은 .idxmin()으로 찾아요.", diagnose=True),
           Wrong(lambda: _seoul().loc[_seoul()["total"].idxmin(), "date"],
                 "서울 전체가 가장 적었던 날(예제 값)이에요. seoul_daily를 세 군데 모두 living_mine으로 바꾸세요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="차트에서 중구는 낮 인구가 밤 인구의 1.6배쯤이에요. 가장 알맞은 해석은?",
    options={"가": "중구에 주소를 둔 주민이 낮에 1.6배로 늘어난다",
             "나": "낮에는 일·학교·쇼핑 때문에 다른 곳에서 온 사람들이 중구에 머문다",
             "다": "생활인구는 휴대전화 대수를 그대로 센 것이라, 중구에 머문 사람을 한 명까지 정확하게 보여 준다"},
    answer="나",
    why={"가": "생활인구는 주소(주민등록)가 아니라 '그 시간에 그곳에 있는 사람'을 센 것이에요. 주민 수는 낮과 밤이 같아요.",
         "나": "생활인구는 그 시간에 그곳에 머무는 사람 수라서, 회사와 가게가 많은 곳은 낮에 늘어나요.",
         "다": "생활인구는 통신 자료와 행정 통계로 추정한 값이에요. 그래서 표의 값에 소수점이 있어요."},
    hints=["생활인구가 무엇을 세는지(주소인지, 그 시간에 있는 사람인지) 다시 읽어 보세요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("마포구의 생활인구는 명절도 아닌 2018년 11월 25일에 가장 적었고, 용산구·서대문구도 그 주말에 뚝 "
            "떨어졌다가 다음 날 돌아왔어요. 가장 알맞은 태도는?"),
    options={"가": "추정에 쓰는 통신 자료에 그날 문제가 있었을 수 있으니, 그날 무슨 일이 있었는지 확인한 뒤에 쓴다",
             "나": "그 주말에 마포구 사람들이 한꺼번에 이사를 갔다가 돌아왔다고 쓴다",
             "다": "공공데이터는 늘 정확하니 '마포구가 가장 한산했던 날'이라고 그대로 보고서에 쓴다. 숫자를 의심해 고치면 오히려 자료를 왜곡하게 된다"},
    answer="가",
    why={"가": "생활인구는 통신사(KT) 자료로 추정해요. 2018년 11월 24일 KT 아현지사 화재로 이 일대 통신이 끊겼던 때와 겹쳐요. 튀는 값은 그날의 사건을 확인하고 나서 해석해요.",
         "나": "하루 만에 수십만 명이 떠났다가 돌아오는 일은 거의 없어요. 이상한 값은 먼저 측정 방법을 의심해 봐요.",
         "다": "공공데이터도 측정하고 추정한 값이라 빈틈이 있어요. 튀는 값은 확인 없이 결론으로 쓰지 않아요."},
    hints=["하루 만에 크게 떨어졌다가 바로 돌아온 값은 무엇을 의심하게 하나요?"],
)
