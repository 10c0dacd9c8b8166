"""Every number the citizen lessons state in markdown (the default district 마포구, and the comparisons in the
conceptual questions) recomputed from the real data, and found in the lesson it is claimed in."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from datalit import data
from datalit.lessons.courses import courses_dir

pytestmark = pytest.mark.lessons


def _text(lesson: str) -> str:
    """Markdown of a citizen lesson plus its exercise module's text (concept questions state numbers too)."""
    nb = json.loads((courses_dir() / "citizen" / lesson).read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    from datalit.lessons.courses import exercise_module
    from datalit.lessons.exercises import load_module

    module = exercise_module(courses_dir() / "citizen" / lesson)

    return md + "\n" + open(load_module(module).__file__, encoding="utf-8").read()


def test_air_lesson():
    text = _text("01-neighbourhood-air.ipynb")
    air = data.load("seoul_air_quality_daily")
    city = air[air["gu"].notna()]
    mine = air[air["gu"] == "마포구"]
    yearly = mine.groupby(mine["date"].dt.year)["pm10"].mean()
    m14, m22 = mine[mine["date"].dt.year == 2014], mine[mine["date"].dt.year == 2022]
    monthly = m22.groupby(m22["date"].dt.month)["pm10"].mean()
    for shown in [f"{len(mine):,}일", f"2014년 {yearly[2014]:.1f} → 2022년 {yearly[2022]:.1f} ㎍/㎥",
                  f"2014년 {(m14['pm10'] > 80).sum()}일 → 2022년 {(m22['pm10'] > 80).sum()}일",
                  f"2022년 {monthly.idxmin()}월"]:
        assert shown in text, shown
    by_year = city.groupby(["gu", city["date"].dt.year])["pm10"].mean().unstack()
    assert len(by_year) == 25 and (by_year[2022] < by_year[2014]).all()  # "25개 구 측정소가 모두 낮아졌으니"
    bad = city[city["date"].dt.year == 2022].groupby("gu")["pm10"].apply(lambda s: (s > 80).sum())
    assert (bad > 0).all()  # option 라: every district had a '나쁨' day in 2022 despite the lower mean


def test_bike_lesson():
    text = _text("02-bike-near-me.ipynb")
    stations = data.load("seoul_bike_stations", "stations")
    usage = data.load("seoul_bike_station_monthly_usage_2023")
    t = pd.DataFrame({"r": usage.groupby("gu")["rentals"].sum(), "n": stations.groupby("gu").size()})
    t["p"] = t["r"] / t["n"]
    t["rank_total"] = t["r"].rank(ascending=False).astype(int)
    t["rank_per"] = t["p"].rank(ascending=False).astype(int)
    mapo = t.loc["마포구"]
    for shown in [f"{int(mapo['n'])}곳 (서울 {len(stations):,}곳)", f"{int(mapo['r']):,}건 (서울 {usage['rentals'].sum():,}건)",
                  f"{mapo['p']:,.0f}건 (서울 {usage['rentals'].sum() / len(stations):,.0f}건)",
                  f"합계 {int(mapo['rank_total'])}위, 한 곳당 {int(mapo['rank_per'])}위"]:
        assert shown in text, shown
    songpa = t.loc["송파구"]
    assert (songpa["rank_total"], songpa["rank_per"], songpa["n"]) == (2, 9, 218) and t["n"].idxmax() == "송파구"
    assert "합계가 2위" in text and "9위" in text and "218곳" in text


def test_libraries_parks_lesson():
    text = _text("03-libraries-parks.ipynb")
    libs = data.load("korea_libraries_standard")
    seoul = libs[libs["is_seoul"]]
    by_type = seoul.groupby(["gu", "library_type"], observed=True).size().unstack(fill_value=0)
    mapo = by_type.loc["마포구"]
    parks = data.load("seoul_public_facilities", "parks")
    for shown in [f"{int(mapo.sum())}곳 (이 표의 서울 {len(seoul)}곳 가운데)",
                  f"공공도서관 {mapo['공공도서관']}곳, 작은도서관 {mapo['작은도서관']}곳, 어린이도서관 {mapo['어린이도서관']}곳",
                  f"{int((parks['gu'] == '마포구').sum())}곳 (서울 {int(parks['is_seoul'].sum())}곳)",
                  f"은평구는 {by_type.loc['은평구'].sum()}곳", f"강동구는 {by_type.loc['강동구'].sum()}곳",
                  f"{by_type.loc['은평구', '작은도서관']}곳이 작은도서관"]:
        assert shown in text, shown
    assert by_type.loc["강동구", "작은도서관"] == 0 and "동대문구" not in by_type.index
    assert parks.loc[parks["is_seoul"], "gu"].nunique() == 25


def test_living_population_lesson():
    text = _text("04-living-population.ipynb")
    living = data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")
    seoul = data.load("seoul_living_population_gu_daily_2018_2020", "seoul_daily")
    mine = living[living["gu"] == "마포구"]
    g = living.groupby("gu")
    ratio = g["daytime_mean"].mean() / g["nighttime_mean"].mean()
    low_mine = mine.loc[mine["total"].idxmin(), "date"]
    low_seoul = seoul.loc[seoul["total"].idxmin(), "date"]
    for shown in [f"{mine['total'].mean():,.0f}명 (서울 전체 {seoul['total'].mean():,.0f}명)",
                  f"{ratio['마포구']:.2f} (서울 {seoul['daytime_mean'].mean() / seoul['nighttime_mean'].mean():.2f}, "
                  f"가장 큰 {ratio.idxmax()} {ratio.max():.2f}, 가장 작은 {ratio.idxmin()} {ratio.min():.2f})",
                  f"{low_mine:%Y-%m-%d} (서울 전체는 추석인 {low_seoul:%Y-%m-%d})",
                  f"{low_seoul:%Y}년 {low_seoul.month}월 {low_seoul.day}일, 추석 당일",
                  f"{len(mine)}일치", f"중구는 낮 인구가 밤 인구의 {ratio['중구']:.1f}배쯤"]:
        assert shown in text, shown
    assert ratio["종로구"] > 1.5 and ratio["중구"] > 1.5 and set(ratio.nsmallest(2).index) == {"관악구", "은평구"}
    # the KT 아현 fire weekend: 마포·서대문·용산 fall by more than a fifth on the 25th and are back the next day
    days = living[living["date"].isin(pd.to_datetime(["2018-11-23", "2018-11-25", "2018-11-26"]))]
    wide = days.pivot(index="date", columns="gu", values="total")[["마포구", "서대문구", "용산구"]]
    assert (wide.iloc[1] < 0.8 * wide.iloc[0]).all() and (wide.iloc[2] > 0.9 * wide.iloc[0]).all()
