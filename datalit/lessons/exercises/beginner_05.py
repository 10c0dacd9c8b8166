"""Exercises for courses/beginner/05-charts-hangul.ipynb (bar and line charts with Korean labels)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

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
    title="자치구별 CCTV 대수", figsize=(6, 7))''',
    wrong=[Wrong(lambda: _plot(_cctv().set_index("gu")["cctv_total"], "barh"), "순서"),
           Wrong(lambda: _plot(cctv_sorted(), "barh", title=""), "제목")],
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
ax2 = cctv.set_index("gu").loc[gu, years].plot(marker="o", title=f"{gu} 기간별 CCTV 설치 대수")''',
    wrong=[Wrong(lambda gu: _plot(gu_years(gu), "bar"), "그래프 종류"),
           Wrong(lambda gu: _plot(gu_years(gu) * 1000, "line"), "1000배")],
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
    title="주민 1,000명당 CCTV 대수 상위 10개 구", rot=0, xlabel="", ylabel="대 (주민 1,000명당)")''',
    wrong=[Wrong(lambda: _plot(per_1000_top10() / 1000, "bar"), "1000배 작아요"),
           Wrong(lambda: _plot(per_1000_top10().sort_values(), "bar"), "순서")],
)
