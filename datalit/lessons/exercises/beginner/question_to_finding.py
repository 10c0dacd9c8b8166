"""Exercises for courses/beginner/06-question-to-finding.ipynb (weekday vs weekend at one station)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

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


def _by_date(station, how):
    s = data.load("seoul_subway_daily_ridership_2023")
    return s[s["station"] == station].groupby("date")["boardings"].agg(how)


def _weekday_stat(station, how):
    d = daily(station)
    out = d.groupby(d.index.day_of_week).agg(how)
    out.index = [WEEKDAYS[i] for i in out.index]
    return out


def _weekend_ratio(station, first=5, how="mean"):
    d = daily(station)
    weekend = d.index.day_of_week >= first
    return d[weekend].agg(how) / d[~weekend].agg(how)


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
    solution='daily = mine.groupby("date")["boardings"].sum()',
    wrong=[Wrong(_rows_per_line,
                 "노선별 기록을 날짜별로 더하지 않았어요. 환승역은 노선마다 한 줄씩 있으니 groupby(\"date\")로 묶어 sum()하세요.",
                 diagnose=True),
           Wrong(lambda station: _by_date(station, "mean"),
                 "노선별 승차 인원을 더하지(sum) 않고 평균(mean)을 냈어요. 역 전체 인원은 노선을 모두 더한 값이에요.",
                 diagnose=True)],
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
           Wrong(lambda station: by_weekday(station).reset_index(drop=True),
                 "요일 이름표(월~일)를 붙이지 않았어요. 결과.index = [\"월\", ..., \"일\"]로 바꾸세요.", diagnose=True),
           Wrong(lambda station: _weekday_stat(station, "sum"),
                 "요일별 합계(sum)를 구했어요. 기간 안에 요일마다 날 수가 다를 수 있으니 하루 평균(mean)을 쓰세요.",
                 diagnose=True)],
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
    wrong=[Wrong(lambda station: weekend_ratio(station) * 100, "100배 커요"),
           Wrong(lambda station: 1 / weekend_ratio(station),
                 "거꾸로 나눴어요: 평일 ÷ 주말을 계산했어요. 주말 평균 ÷ 평일 평균이에요.", diagnose=True),
           Wrong(lambda station: _weekend_ratio(station, first=6),
                 "토요일이 빠졌어요. 주말은 day_of_week >= 5 (토=5, 일=6)예요.", diagnose=True),
           Wrong(lambda station: _weekend_ratio(station, how="sum"),
                 "하루 평균이 아니라 합계끼리 나눴어요. 주말(이틀)과 평일(닷새)은 날 수가 달라 평균끼리 견줘야 해요.",
                 diagnose=True)],
)

q4 = Question(
    "q4", variable="ax",
    prompt="by_weekday를 제목이 있는 세로 막대그래프로 그려 ax에 저장하기",
    reference=by_weekday,
    make_answer=lambda station: _plot(by_weekday(station)),
    checker=ck.axes(kind="bar", ordered=True),
    hints=["ax = by_weekday.plot.bar(title=\"...\")", "제목에는 역 이름과 기간을 넣으면 좋아요.", "rot=0을 주면 요일 글자가 눕지 않아요."],
    solution='''ax = by_weekday.plot.bar(title=f"{station}역 요일별 하루 평균 승차 인원 (2023년 1~10월)", color="tab:orange", rot=0)
ax.set_ylabel("명")
alttext.describe(ax, f"요일마다 막대 하나. 가장 붐빈 요일은 {by_weekday.idxmax()}요일, 가장 한산한 요일은 {by_weekday.idxmin()}요일이에요.")''',
    wrong=[Wrong(lambda station: _plot(by_weekday(station), title=""), "제목"),
           Wrong(lambda station: _plot(by_weekday(station).sort_values()), "순서"),
           Wrong(lambda station: _plot(_weekday_stat(station, "sum")),
                 "요일별 하루 평균이 아니라 합계(sum)를 그렸어요. by_weekday(평균)를 그리세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="우리 역의 주말 하루 평균 승차 인원은 평일과 달랐어요 (기본값 홍대입구는 주말이 평일의 약 1.08배). "
           "이 차이로 말할 수 있는 것은?",
    options={"가": "주말과 평일에 이 역 근처에 머문 사람 수가 그만큼 달랐다. 승차 인원이 곧 이 동네를 찾은 사람 수이기 때문이다",
             "나": "그 차이는 주말 공연과 행사 때문이다",
             "다": "2023년 1~10월 이 역 개찰구에서 교통카드를 찍고 탄 사람 수가 주말과 평일에 하루 평균 그만큼 달랐다"},
    answer="다",
    why={"가": "승차 인원은 개찰구에서 타는 사람만 세요. 걸어서나 버스로 오거나, 이 역에 내려 주변에 머무는 사람은 여기에 나타나지 않아요.",
         "나": "이 데이터에는 행사 정보가 없어요. 원인은 다른 자료(행사 일정 등)로 확인해야 해요.",
         "다": "데이터가 재는 것 그대로예요: 그 기간의 교통카드 승차 기록. 개찰구 안에서 갈아탄 환승 승객도 세지 않아요."},
    hints=["boardings가 정확히 무엇을 센 숫자인지 떠올려 보세요."],
)
