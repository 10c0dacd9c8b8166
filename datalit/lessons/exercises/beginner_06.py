"""Exercises for courses/beginner/06-question-to-finding.ipynb (weekday vs weekend at one station)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

WEEKDAYS = ["월", "화", "수", "목", "금", "토", "일"]


def daily(station="홍대입구"):
    """Boardings per day at the station, all lines added up (Series indexed by date)."""
    s = data.load("seoul_subway_daily_ridership_2023")
    return s[s["station"] == station].groupby("date")["boardings"].sum()


def by_weekday(station="홍대입구"):
    d = daily(station)
    means = d.groupby(d.index.day_of_week).mean()
    means.index = [WEEKDAYS[i] for i in means.index]
    return means


def weekend_ratio(station="홍대입구"):
    d = daily(station)
    weekend = d.index.day_of_week >= 5
    return d[weekend].mean() / d[~weekend].mean()


def _rows_per_line(station):
    s = data.load("seoul_subway_daily_ridership_2023")
    rows = s[s["station"] == station]
    return rows.set_index("date")["boardings"]


def _plot(series, title="제목"):
    import matplotlib.pyplot as plt

    from datalit import hangul

    hangul.use()
    fig, ax = plt.subplots()
    series.plot.bar(ax=ax, title=title)
    plt.close(fig)
    return ax


q1 = Question(
    "q1", variable="daily",
    prompt="우리 역(station)의 날짜별 타는 사람 수를 모든 노선을 더해 daily에 저장하기",
    reference=daily,
    checker=ck.series(),
    hints=["환승역은 노선마다 한 줄씩 있어요: 날짜가 같은 줄을 더해야 해요.",
           "역의 행만 고른 표(mine)에 .groupby(\"date\")[\"boardings\"].sum()"],
    solution='daily = mine.groupby("date")["boardings"].sum()   # mine = subway[subway["station"] == station]',
    wrong=[Wrong(_rows_per_line, "개수가 정답")],
)

q2 = Question(
    "q2", variable="by_weekday",
    prompt="daily로 요일별(월~일) 하루 평균 타는 사람 수를 by_weekday에 저장하기 (이름표는 월, 화, ..., 일)",
    reference=by_weekday,
    checker=ck.series(ordered=True, rel=1e-6),
    hints=["daily.index.day_of_week는 요일 번호예요 (월=0 ... 일=6).",
           "daily.groupby(daily.index.day_of_week).mean()",
           "이름표는 결과.index = [\"월\", \"화\", \"수\", \"목\", \"금\", \"토\", \"일\"]로 바꿔요."],
    solution='''by_weekday = daily.groupby(daily.index.day_of_week).mean()
by_weekday.index = ["월", "화", "수", "목", "금", "토", "일"]''',
    wrong=[Wrong(lambda station: by_weekday(station).sort_values(), "정렬 순서"),
           Wrong(lambda station: by_weekday(station).reset_index(drop=True), "인덱스")],
)

q3 = Question(
    "q3", variable="weekend_ratio",
    prompt="주말(토·일) 하루 평균이 평일(월~금) 하루 평균의 몇 배인지 weekend_ratio에 저장하기 (예: 0.8배)",
    reference=weekend_ratio,
    checker=ck.number(rel=1e-4),
    hints=["주말인지 아닌지: daily.index.day_of_week >= 5",
           "daily[주말].mean() ÷ daily[~주말].mean()  (~는 '아님')"],
    solution='''weekend = daily.index.day_of_week >= 5
weekend_ratio = daily[weekend].mean() / daily[~weekend].mean()''',
    wrong=[Wrong(lambda station: weekend_ratio(station) * 100, "100배 커요")],
)

q4 = Question(
    "q4", variable="ax",
    prompt="by_weekday를 제목이 있는 세로 막대그래프로 그려 ax에 저장하기",
    reference=by_weekday,
    make_answer=lambda station: _plot(by_weekday(station)),
    checker=ck.axes(kind="bar", ordered=True),
    hints=["ax = by_weekday.plot.bar(title=\"...\")", "제목에는 역 이름과 기간을 넣으면 좋아요.", "rot=0을 주면 요일 글자가 눕지 않아요."],
    solution='ax = by_weekday.plot.bar(title=f"{station}역 요일별 하루 평균 승차 인원 (2023년 1~10월)", rot=0)',
    wrong=[Wrong(lambda station: _plot(by_weekday(station), title=""), "제목"),
           Wrong(lambda station: _plot(by_weekday(station).sort_values()), "순서")],
)
