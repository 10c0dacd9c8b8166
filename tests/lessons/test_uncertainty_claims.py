"""The two "이 차이는 진짜일까?" lessons (beginner 08, citizen 05, issue #23): every number their markdown and
concept questions state for the default districts is recomputed here from the raw files, with the lessons' own
resampling (seed 2023, 1,000 draws) rebuilt independently of the exercise modules."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from datalit import data
from datalit.lessons.courses import courses_dir, exercise_module
from datalit.lessons.exercises import load_module

pytestmark = pytest.mark.lessons


def _text(tier: str, lesson: str) -> str:
    """Markdown of a lesson plus its exercise module's source (concept prompts state numbers too)."""
    path = courses_dir() / tier / lesson
    nb = json.loads(path.read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return md + "\n" + open(load_module(exercise_module(path)).__file__, encoding="utf-8").read()


def _simulate(a, b, n=1000, seed=2023):
    """(mean of a resample of a) - (mean of a resample of b), drawn in the lessons' order."""
    rng = np.random.default_rng(seed)
    return np.array([rng.choice(a, size=len(a), replace=True).mean() - rng.choice(b, size=len(b), replace=True).mean()
                     for _ in range(n)])


def _days(air, gu, year):
    mine = air[(air["gu"] == gu) & (air["date"].dt.year == year)]
    return mine["pm10"].dropna().to_numpy()


def test_beginner_is_it_real():
    text = _text("beginner", "08-is-it-real.ipynb")
    air = data.load("seoul_air_quality_daily")
    d14, d22, d20, d21 = (_days(air, "마포구", y) for y in (2014, 2022, 2020, 2021))
    s_14_22 = _simulate(d22, d14)
    lo, hi = np.percentile(s_14_22, [2.5, 97.5])
    s_20_21 = _simulate(d21, d20)
    lo2, hi2 = np.percentile(s_20_21, [2.5, 97.5])
    diff = d22.mean() - d14.mean()
    diff2 = d21.mean() - d20.mean()
    for shown in [f"{d14.mean():.1f}에서 {d22.mean():.1f}로, {-diff:.1f} ㎍/㎥ 줄었어요", f"{lo:.1f} ~ {hi:.1f} ㎍/㎥였어요",
                  f"{diff2:.1f} ㎍/㎥ 높았지만, 구간({lo2:.1f} ~ {hi2:.1f})", f"{lo2:.1f}에서 {hi2:.1f}까지",
                  f"{diff2:.1f} ㎍/㎥ 높아졌다", f"-{-lo2:.1f}까지 내려가는 차이", f"{hi2:.1f}처럼 꽤 큰 차이"]:
        assert shown in text, shown
    assert hi < -10 and s_14_22.max() < -10  # "1,000번 다시 뽑아도 차이는 한 번도 0 근처에 가지 않았어요"
    assert lo2 < 0 < hi2
    # the 2021 dust days: three days over 150 in 2021, none in 2020; KMA's Seoul station logged 황사 on them
    mine = air[(air["gu"] == "마포구")].dropna(subset=["pm10"])
    dusty = mine[mine["pm10"] > 150]
    assert dusty["date"].dt.year.value_counts().get(2020, 0) == 0
    assert list(dusty.loc[dusty["date"].dt.year == 2021, "date"].dt.strftime("%m-%d")) == ["03-29", "05-07", "05-08"]
    assert "3일(3월 29일, 5월 7일, 5월 8일)" in text
    weather = data.load("seoul_weather_asos108_daily_2014_2024")
    logged = weather.set_index("date").loc[pd.to_datetime(["2021-03-29", "2021-05-07", "2021-05-08"]), "phenomena"]
    assert logged.fillna("").str.contains("황사").all()
    # "어떤 구는 구간이 0을 품지 않아요": 강남구's 2021 - 2020 interval is above 0
    g_lo, _ = np.percentile(_simulate(_days(air, "강남구", 2021), _days(air, "강남구", 2020)), [2.5, 97.5])
    assert g_lo > 0
    # the exercise module's reference is the same simulation
    module = load_module("beginner.is_it_real")
    assert module.diff_interval("마포구") == pytest.approx((lo2, hi2))


def test_citizen_is_it_real():
    text = _text("citizen", "05-is-it-real.ipynb")
    usage = data.load("seoul_bike_station_monthly_usage_2023")
    per = usage.groupby(["gu", "station_no"])["rentals"].sum().reset_index()
    by_gu = {gu: g["rentals"].to_numpy() for gu, g in per.groupby("gu")}
    mapo, songpa, gangseo = by_gu["마포구"], by_gu["송파구"], by_gu["강서구"]
    assert max(by_gu, key=lambda g: by_gu[g].mean()) == "강서구"  # "한 곳당 대여가 가장 많은 구"
    assert usage.groupby("gu")["rentals"].sum().rank(ascending=False)["송파구"] == 2  # "합계가 2위였던 구"
    s_g = _simulate(mapo, gangseo)
    s_s = _simulate(mapo, songpa)
    glo, ghi = np.percentile(s_g, [2.5, 97.5])
    slo, shi = np.percentile(s_s, [2.5, 97.5])
    d_g, d_s = mapo.mean() - gangseo.mean(), mapo.mean() - songpa.mean()
    for shown in [f"강서구보다 한 곳당 {-d_g:,.0f}건 적었고, 구간({glo:,.0f} ~ {ghi:,.0f}건)",
                  f"한 곳당 평균이 {-d_s:,.0f}건 차이", f"구간({slo:,.0f} ~ {shi:,.0f}건)",
                  f"{slo:,.0f}건에서 {shi:,.0f}건까지", f"송파구보다 {-d_s:,.0f}건", f"마포구가 {shi:,.0f}건 많아지기도",
                  f"{slo:,.0f}건처럼 꽤 큰 차이"]:
        assert shown in text, shown
    assert s_g.max() < 0  # "1,000번 다시 뽑아도 강서구 쪽이 늘 많았으니"
    assert s_s.min() < 0 < s_s.max()  # "어느 쪽이 많은지까지 바뀌어요"
    module = load_module("citizen.is_it_real")
    assert module.interval_other("마포구", "송파구") == pytest.approx((slo, shi))


def test_citizen_air_comparison_has_its_interval():
    """Citizen 01 puts the resampled interval beside its 2014 vs 2022 comparison (the lesson's own cell draws
    in the same order as beginner 08, so the numbers agree) and says that its axis starts at zero."""
    text = _text("citizen", "01-neighbourhood-air.ipynb")
    air = data.load("seoul_air_quality_daily")
    d14, d22 = _days(air, "마포구", 2014), _days(air, "마포구", 2022)
    lo, hi = np.percentile(_simulate(d22, d14), [2.5, 97.5])
    for shown in [f"2014년보다 {d14.mean() - d22.mean():.1f} ㎍/㎥ 낮았고, 구간은 {lo:.1f} ~ {hi:.1f} ㎍/㎥예요",
                  f"2022년 {d22.mean():.1f} ㎍/㎥ (차이의 95% 구간 {lo:.1f} ~ {hi:.1f})", "세로축은 0에서 시작해요"]:
        assert shown in text, shown
    nb = json.loads((courses_dir() / "citizen" / "01-neighbourhood-air.ipynb").read_text(encoding="utf-8"))
    chart = next("".join(c["source"]) for c in nb["cells"] if "seoul_yearly.plot(" in "".join(c["source"]))
    assert "ax.set_ylim(bottom=0)" in chart
