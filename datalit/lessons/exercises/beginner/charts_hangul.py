"""Exercises for courses/beginner/05-charts-hangul.ipynb (bar and line charts with Korean labels)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

YEAR_COLUMNS = ["cctv_until_2013", "cctv_2014", "cctv_2015", "cctv_2016"]


def _cctv():
    return data.load("seoul_cctv_by_gu", "cctv")


def cctv_sorted():
    """What ax1 shows: CCTV per district, ascending (so barh puts the largest on top)."""
    return _cctv().set_index("gu")["cctv_total"].sort_values()


def gu_years(gu="마포구"):
    """What ax2 shows: CCTVs installed per period in one district."""
    cctv = _cctv().set_index("gu")
    return cctv.loc[gu, YEAR_COLUMNS].astype(int)


def per_1000_top10():
    """What ax3 shows: CCTV per 1,000 residents, 10 highest, largest first."""
    cctv = _cctv().set_index("gu")["cctv_total"]
    pop = data.load("seoul_cctv_by_gu", "population").set_index("gu")["population"]
    return (cctv / pop * 1000).sort_values(ascending=False).head(10)


def _population():
    return data.load("seoul_cctv_by_gu", "population").set_index("gu")


def _plot(series, kind, title="제목"):
    import matplotlib.pyplot as plt

    from datalit import hangul

    hangul.use()
    fig, ax = plt.subplots()
    series.plot(kind=kind, ax=ax, title=title)
    plt.close(fig)
    return ax


q1 = Question(
    "q1", variable="ax1",
    prompt="자치구별 CCTV 대수를 가로 막대그래프로, 가장 많은 구가 맨 위에 오도록 그려 ax1에 저장하기",
    reference=cctv_sorted,
    make_answer=lambda: _plot(cctv_sorted(), "barh"),
    checker=ck.axes(kind="barh", ordered=True),
    hints=["cctv.set_index(\"gu\")[\"cctv_total\"]로 구 이름이 붙은 Series를 만들어요.",
           "가로 막대(barh)는 첫 값이 맨 아래에 그려져요: 작은 값부터 정렬(sort_values())하면 큰 값이 위로 가요.",
           "ax1 = 시리즈.plot.barh(title=\"...\")"],
    solution='''ax1 = cctv.set_index("gu")["cctv_total"].sort_values().plot.barh(
    title="자치구별 CCTV 대수 (2016년까지 설치)", figsize=(6, 7))
alttext.describe(ax1, "CCTV가 많은 구가 위에 오도록 줄 세운 가로 막대 25개예요. 맨 위가 가장 많은 구예요.")''',
    wrong=[Wrong(lambda: _plot(_cctv().set_index("gu")["cctv_total"], "barh"), "순서"),
           Wrong(lambda: _plot(cctv_sorted(), "barh", title=""), "제목"),
           Wrong(lambda: _plot(_cctv().set_index("gu")["cctv_2016"].sort_values(), "barh"),
                 "2016년 한 해에 설치한 대수(cctv_2016)를 그렸어요. 전체 대수는 cctv_total 열이에요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="ax2",
    prompt="우리 구(gu)의 기간별 CCTV 설치 대수(2013년 이전, 2014, 2015, 2016)를 선 그래프로 그려 ax2에 저장하기",
    reference=gu_years,
    make_answer=lambda gu: _plot(gu_years(gu), "line"),
    checker=ck.axes(kind="line"),
    hints=["cctv.set_index(\"gu\").loc[gu, 열목록]은 우리 구의 값 4개예요.",
           "열 목록: [\"cctv_until_2013\", \"cctv_2014\", \"cctv_2015\", \"cctv_2016\"]",
           "선 그래프는 .plot() 또는 .plot.line()"],
    solution='''years = ["cctv_until_2013", "cctv_2014", "cctv_2015", "cctv_2016"]
installed = cctv.set_index("gu").loc[gu, years]
installed.index = ["2013년 이전", "2014년", "2015년", "2016년"]
ax2 = installed.plot(marker="o", title=f"{gu} 기간별 CCTV 설치 대수")
alttext.describe(ax2, f"{gu}의 기간별 CCTV 설치 대수를 이은 꺾은선이에요. 가장 많이 설치한 기간은 {installed.idxmax()}예요.")''',
    wrong=[Wrong(lambda gu: _plot(gu_years(gu), "bar"), "그래프 종류"),
           Wrong(lambda gu: _plot(gu_years(gu) * 1000, "line"), "1000배"),
           Wrong(lambda gu: _plot(_cctv().set_index("gu").loc[gu, ["cctv_total", *YEAR_COLUMNS]].astype(int), "line"),
                 "전체 합계(cctv_total)까지 함께 그렸어요. 기간별 네 열만 고르세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="ax3",
    prompt="주민 1,000명당 CCTV 대수가 많은 10개 구를 많은 순서로 세로 막대그래프로 그려 ax3에 저장하기",
    reference=per_1000_top10,
    make_answer=lambda: _plot(per_1000_top10(), "bar"),
    checker=ck.axes(kind="bar", ordered=True, rel=1e-6),
    hints=["두 Series를 모두 구 이름(set_index(\"gu\"))으로 맞추면 나눗셈이 구끼리 짝지어져요.",
           "1,000명당 = CCTV ÷ 인구 × 1000",
           "많은 순서 10개: .sort_values(ascending=False).head(10)"],
    solution='''per_1000 = cctv.set_index("gu")["cctv_total"] / population.set_index("gu")["population"] * 1000
ax3 = per_1000.sort_values(ascending=False).head(10).plot.bar(
    title="주민 1,000명당 CCTV 대수 상위 10개 구", rot=0, xlabel="", ylabel="대 (주민 1,000명당)")
alttext.describe(ax3, "주민 1,000명당 CCTV가 많은 10개 구를 많은 순서로 그린 세로 막대예요.")''',
    wrong=[Wrong(lambda: _plot(per_1000_top10() / 1000, "bar"), "1000배 작아요"),
           Wrong(lambda: _plot(per_1000_top10().sort_values(), "bar"), "순서"),
           Wrong(lambda: _plot(_cctv().set_index("gu")["cctv_total"].sort_values(ascending=False).head(10), "bar"),
                 "주민 수로 나누지 않고 CCTV 전체 대수 상위 10개 구를 그렸어요. CCTV ÷ 인구 × 1000을 먼저 계산하세요.",
                 diagnose=True),
           Wrong(lambda: _plot((_cctv().set_index("gu")["cctv_total"] / _population()["households"] * 1000)
                               .sort_values(ascending=False).head(10), "bar"),
                 "주민 수(population)가 아니라 세대 수(households)로 나눴어요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt="ax1(전체 대수)에서는 강남구가 맨 위인데, ax3(주민 1,000명당)에서는 용산구가 1위예요. 어느 차트가 맞을까요?",
    options={"가": "ax1이 맞고 ax3은 틀렸다. CCTV가 실제로 가장 많은 구는 강남구다",
             "나": "둘 다 맞다. 서로 다른 질문에 답하는 차트다",
             "다": "ax3이 맞고 ax1은 틀렸다"},
    answer="나",
    why={"가": "ax3도 같은 데이터로 바르게 계산한 차트예요. 다만 '주민 한 사람 곁에 얼마나 있나'라는 다른 질문에 답해요.",
         "나": "ax1은 '어느 구에 CCTV가 가장 많이 설치됐나', ax3은 '주민 수에 비해 어디가 촘촘한가'에 답해요. 차트 제목에 무엇을 무엇으로 나눴는지 적어야 읽는 사람이 헷갈리지 "
              "않아요.",
         "다": "ax1도 틀리지 않았어요. 설치 예산이나 관리 인력처럼 전체 대수가 필요한 질문도 있어요."},
    hints=["두 차트가 각각 어떤 질문에 답하는지 한 문장으로 적어 보세요."],
)
