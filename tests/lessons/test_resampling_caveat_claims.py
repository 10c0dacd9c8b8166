"""The caveats an independent review added to the uncertainty lessons (issue #23): days that run together
(resampling whole weeks), many districts tried at once, like-with-like comparisons (the same measured days,
stations open all year). Every number the markdown, the concept options and their feedback state is
recomputed here from the raw files with the lessons' own draws (seed 2023, 1,000 draws), rebuilt
independently of the exercise modules; the lessons' new cells are run too, so that what they print is what
the markdown says."""
from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from datalit import data
from datalit.lessons.courses import courses_dir, exercise_module
from datalit.lessons.exercises import load_module

pytestmark = pytest.mark.lessons


def _notebook(tier: str, lesson: str) -> dict:
    return json.loads((courses_dir() / tier / lesson).read_text(encoding="utf-8"))


def _text(tier: str, lesson: str) -> str:
    """Markdown of a lesson plus its exercise module's source (concept options and feedback state numbers too)."""
    nb = _notebook(tier, lesson)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    path = courses_dir() / tier / lesson
    return md + "\n" + open(load_module(exercise_module(path)).__file__, encoding="utf-8").read()


def _cell(tier: str, lesson: str, needle: str) -> str:
    cells = ["".join(c["source"]) for c in _notebook(tier, lesson)["cells"] if c["cell_type"] == "code"]
    found = [c for c in cells if needle in c]
    assert len(found) == 1, needle
    return found[0]


def _run(source: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(source, namespace)  # the lesson's own cell, in a namespace holding what earlier cells made
    return out.getvalue()


def _simulate(before, after, n=1000, seed=2023):
    """(mean of a resample of after) - (mean of a resample of before), drawn in the lessons' order."""
    rng = np.random.default_rng(seed)
    return np.array([rng.choice(after, size=len(after), replace=True).mean()
                     - rng.choice(before, size=len(before), replace=True).mean() for _ in range(n)])


def _simulate_blocks(before, after, n=1000, seed=2023):
    """The same with whole blocks (lists of arrays) drawn with replacement instead of single days."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        a = np.concatenate([after[i] for i in rng.integers(0, len(after), len(after))]).mean()
        b = np.concatenate([before[i] for i in rng.integers(0, len(before), len(before))]).mean()
        out.append(a - b)
    return np.array(out)


def _station(air, gu, year):
    """One district station's measured days of one year, in date order (missing PM10 dropped)."""
    d = air[(air["gu"] == gu) & (air["date"].dt.year == year)].dropna(subset=["pm10"]).sort_values("date")
    return d


def _days(air, gu, year):
    return _station(air, gu, year)["pm10"].to_numpy()


def _weeks(air, gu, year):
    """Jan 1-7, Jan 8-14, ... of one year: the blocks the lesson resamples."""
    d = _station(air, gu, year)
    week = (d["date"] - d["date"].dt.to_period("Y").dt.start_time).dt.days // 7
    return [g["pm10"].to_numpy() for _, g in d.groupby(week)]


def _interval(sims):
    lo, hi = np.percentile(sims, [2.5, 97.5])
    return float(lo), float(hi)


@pytest.fixture(scope="module")
def air():
    return data.load("seoul_air_quality_daily")


@pytest.mark.slow
def test_beginner_08_weeks_widen_the_intervals_and_many_districts_mislead(air):
    text = _text("beginner", "08-is-it-real.ipynb")
    ranges = {}
    for name, (y0, y1) in {"2022년 - 2014년": (2014, 2022), "2021년 - 2020년": (2020, 2021)}.items():
        day = _interval(_simulate(_days(air, "마포구", y0), _days(air, "마포구", y1)))
        week = _interval(_simulate_blocks(_weeks(air, "마포구", y0), _weeks(air, "마포구", y1)))
        assert week[1] - week[0] > day[1] - day[0]  # "두 비교 모두 주를 다시 뽑은 구간이 더 넓어요"
        ranges[name] = (day, week)
    (_, w14), (_, w20) = ranges["2022년 - 2014년"], ranges["2021년 - 2020년"]
    assert w14[1] < 0 and w20[0] < 0 < w20[1]
    for shown in [f"2022년 − 2014년은 {w14[0]:.1f} ~ {w14[1]:.1f} ㎍/㎥로", f"2021년 − 2020년은 {w20[0]:.1f} ~ {w20[1]:.1f} ㎍/㎥로"]:
        assert shown in text, shown

    # the lesson's own cell prints the same intervals
    mine = air[air["gu"] == "마포구"].dropna(subset=["pm10"])
    pairs = {"2022년 - 2014년": _simulate(_days(air, "마포구", 2014), _days(air, "마포구", 2022)),
             "2021년 - 2020년": _simulate(_days(air, "마포구", 2020), _days(air, "마포구", 2021))}
    printed = _run(_cell("beginner", "08-is-it-real.ipynb", "def simulate_weeks"), {"np": np, "mine": mine, "pairs": pairs})
    for name, (day, week) in ranges.items():
        assert (f"{name}: 날을 다시 뽑으면 {day[0]:.1f} ~ {day[1]:.1f}, 주를 다시 뽑으면 {week[0]:.1f} ~ {week[1]:.1f} ㎍/㎥"
                in printed), printed

    # "이 3일만 빼고 계산하면 차이는 0.3 ㎍/㎥뿐이에요"
    d20, d21 = _days(air, "마포구", 2020), _days(air, "마포구", 2021)
    gap, without = d21.mean() - d20.mean(), d21[d21 <= 150].mean() - d20.mean()
    assert (d21 > 150).sum() == 3 and without / gap < 0.15  # "거의 전부가 황사 3일에서"
    assert f"차이는 {without:.1f} ㎍/㎥뿐이에요" in text

    # 25 districts, 2021 - 2020: five intervals miss 0 when days are drawn, none when weeks are
    districts = sorted(air["gu"].dropna().unique())
    assert len(districts) == 25
    by_day, by_week = [], []
    for gu in districts:
        lo, hi = _interval(_simulate(_days(air, gu, 2020), _days(air, gu, 2021)))
        if not lo <= 0 <= hi:
            by_day.append(gu)
        lo, hi = _interval(_simulate_blocks(_weeks(air, gu, 2020), _weeks(air, gu, 2021)))
        if not lo <= 0 <= hi:
            by_week.append(gu)
    assert f"{len(by_day)}개 구({', '.join(by_day)})는 구간이 0을 품지 않아요" in text
    assert by_week == [] and "주를 통째로 다시 뽑으면 25개 구 모두 구간이 0을 품어요" in text


def test_beginner_04_the_first_district_is_first_only_because_clean_days_are_missing(air):
    text = _text("beginner", "04-group-summaries.ipynb")
    y = air[air["date"].dt.year == 2019]
    city = y[y["gu"].notna()]
    means = city.groupby("gu")["pm10"].mean().sort_values(ascending=False)
    top = means.index[0]
    assert top == "관악구"
    kwan = city[city["gu"] == top]
    missing = kwan.loc[kwan["pm10"].isna(), "date"].dt.month
    in_autumn = int(missing.isin([9, 10]).sum())
    monthly = city.groupby(city["date"].dt.month)["pm10"].mean()
    assert monthly.idxmin() == 9  # "9월은 그해 25개 구 측정소의 달별 평균이 가장 낮은 달"
    complete = city.dropna(subset=["pm10"]).groupby("date")["gu"].count()
    same = city[city["date"].isin(complete[complete == 25].index)]
    fair = same.groupby("gu")["pm10"].mean().sort_values(ascending=False)
    rank = list(fair.index).index(top) + 1
    for shown in [f"1위 {top}는 값이 있는 날이 {kwan['pm10'].count()}일뿐", f"빠진 {len(missing)}일 가운데 {in_autumn}일이\n9~10월",
                  f"{(complete == 25).sum()}일만으로 비교하면 1위가 {fair.index[0]}({fair.iloc[0]:.1f} ㎍/㎥)이고, "
                  f"{top}는 {rank}위({fair.loc[top]:.1f})예요"]:
        assert shown in text, shown
    assert rank > 1
    # "연평균은 300일이 넘는 날을 모은 값이라": both districts the spread cell shows (first and last)
    assert "300일이 넘는 날" in text and all(city.loc[city["gu"] == g, "pm10"].count() > 300 for g in (top, means.index[-1]))
    # the lesson's own cell prints the same ranking
    printed = _run(_cell("beginner", "04-group-summaries.ipynb", "all_25 ="), {"air_year": y, "gu_means": means})
    assert f"{top}는 이 날들로는 {rank}위예요" in printed and f"모두 잰 {(complete == 25).sum()}일만으로" in printed
    # beginner review q5 says the same in its feedback
    review = open(load_module("beginner.review").__file__, encoding="utf-8").read()
    assert f"값이 빠진 날이 {len(missing)}일" in review and "9~10월" in review
    assert in_autumn > len(missing) / 2 and (monthly.loc[[9, 10]] < city["pm10"].mean()).all()  # "대부분 연평균보다 깨끗한"


def test_citizen_05_stations_open_all_year_give_the_same_conclusion():
    text = _text("citizen", "05-is-it-real.ipynb")
    usage = data.load("seoul_bike_station_monthly_usage_2023")
    per = usage.groupby(["gu", "station_no"]).agg(rentals=("rentals", "sum"), months=("month", "nunique")).reset_index()
    short = per[per["months"] < 12].groupby("gu").size()
    assert f"(마포구 {short['마포구']}곳, 송파구 {short['송파구']}곳,\n강서구 {short['강서구']}곳)" in text
    full = per[per["months"] == 12]

    def of(gu):
        return full.loc[full["gu"] == gu, "rentals"].to_numpy()

    mapo = of("마포구")
    g_lo, g_hi = _interval(_simulate(of("강서구"), mapo))  # simulate(a, b) is a - b: mine first
    s_lo, s_hi = _interval(_simulate(of("송파구"), mapo))
    d_g, d_s = mapo.mean() - of("강서구").mean(), mapo.mean() - of("송파구").mean()
    assert g_hi < 0 and s_lo < 0 < s_hi and d_s > 0  # "오히려 마포구가 … 많아지지만"
    for shown in [f"강서구와는 {-d_g:,.0f}건 차이로", f"마포구가 {d_s:,.0f}건\n많아지지만 구간({s_lo:,.0f} ~ {s_hi:,.0f}건)"]:
        assert shown in text, shown
    # the lesson's own cell prints the same numbers
    per_station = usage.groupby(["gu", "station_no"])["rentals"].sum().reset_index()

    def simulate(a, b, n=1000, seed=2023):
        return _simulate(b, a, n, seed)

    printed = _run(_cell("citizen", "05-is-it-real.ipynb", 'full["months"] == 12'),
                   {"np": np, "usage": usage, "per_station": per_station, "simulate": simulate, "gu": "마포구",
                    "other": "송파구", "mine": per_station.loc[per_station["gu"] == "마포구", "rentals"].to_numpy()})
    assert f"마포구 - 송파구: 평균 차이 {d_s:,.0f}건, 95% 구간 {s_lo:,.0f} ~ {s_hi:,.0f}건" in printed, printed
    assert f"마포구 - 강서구: 평균 차이 {d_g:,.0f}건, 95% 구간 {g_lo:,.0f} ~ {g_hi:,.0f}건" in printed, printed


def test_advanced_review_q6_on_unstandardized_features():
    """The k-means question quotes the two features' ranges, and the docks really take nearly all the distance."""
    from datalit.lessons.exercises.advanced import cluster_districts as a5

    review = load_module("advanced.review")
    text = "\n".join([review.q6.question, *review.q6.options.values(), *review.q6.why.values()])
    f = a5.district_features()
    aged, docks = f["aged_share"], f["bike_docks_per_10k"]
    assert f"65세 이상 비율({aged.min():.1f}–{aged.max():.1f}%)" in text
    assert f"거치대 수({docks.min():.1f}–{docks.max():.1f}개)" in text
    assert docks.max() - docks.min() > 80 and "80개 넘게" in text
    assert f"{aged.max() - aged.min():.1f}%포인트쯤" in text
    assert docks.var() / (docks.var() + aged.var()) > 0.95  # "거리를 거의 독차지"


def test_advanced_07_the_confounder_is_the_weekday_not_the_summer():
    """Rainy weekdays cluster in June-August, but summer weekdays ride about as much as the rest; what the
    naive gap mixes in is the weekday (rain missed the busy Fridays), and weekdays alone flip its sign."""
    from datalit.lessons.exercises.advanced import rain_ridership_confounding as a7

    text = _text("advanced", "07-rain-ridership-confounding.ipynb")
    d = a7.days()
    month, weekday = d["date"].dt.month, d["date"].dt.day_of_week
    summer, rest = d.loc[month.between(6, 8), "boardings"].mean(), d.loc[~month.between(6, 8), "boardings"].mean()
    means = d.groupby(weekday)["boardings"].mean()
    rainy = d["rainy"]
    fridays, tue_wed = int((rainy & (weekday == 4)).sum()), int((rainy & weekday.isin([1, 2])).sum())
    assert means.idxmax() == 4 and abs(summer / rest - 1) < 0.01
    for shown in [f"6~8월 하루 평균 {summer:,.0f}명, 다른 달 {rest:,.0f}명", f"(하루 평균 {means.loc[4]:,.0f}명)",
                  f"비 온 평일 {int(rainy.sum())}일 가운데 금요일은 {fridays}일뿐이고 화·수요일이 {tue_wed}일",
                  f"−{abs(a7.naive_pct()):.2f}%에서 +{a7._adjusted_no_month():.2f}%로",
                  f"({int(rainy.sum())}일 가운데 {fridays}일)",
                  f"−{abs(a7.naive_pct()):.1f}%에서 +{a7._adjusted_no_month():.1f}%로"]:
        assert shown in text, shown
    # what the weekday mix alone predicts for rainy days is lower; the month mix predicts higher
    by_weekday, by_month = means, d.groupby(month)["boardings"].mean()
    assert by_weekday[weekday[rainy]].mean() < by_weekday[weekday[~rainy]].mean()
    assert by_month[month[rainy]].mean() > by_month[month[~rainy]].mean()
