"""subway_event_effect on real data, checked against an independent computation: the stations are those
within the distance by the haversine formula on the station master's coordinates (the report uses projected
EPSG:5179 coordinates), the baseline leaves out public holidays and the weekends joined to them (a holiday
calendar and a weekend-chain rule rebuilt here), and the effect is printed with the range of ordinary
same-weekday days, recomputed from the ridership files. Bad parameters are refused before a kernel starts."""
from __future__ import annotations

import re

import holidays
import numpy as np
import pandas as pd
import pytest
from reportkit import assert_refused_before_kernel, cli, html_text, text_outputs

from datalit import data

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "subway_event_effect"
WINDOW = pd.Timedelta(weeks=6)


def _run(repo, tmp_path_factory, **params):
    out = tmp_path_factory.mktemp("sw")
    args = [a for k, v in params.items() for a in ("-p", k, str(v))]
    result = cli("run", str(repo / "reports" / f"{NB}.ipynb"), *args, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return html_text(out / f"{NB}.html"), text_outputs(out / f"{NB}.ipynb")


@pytest.fixture(scope="module")
def songpa(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, gu="송파구")


@pytest.fixture(scope="module")
def gwanak_700(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, gu="관악구", distance=700)


def _haversine_m(lat, lon, lats, lons):
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * 6371008.8 * np.arcsin(np.sqrt(a))


def _line(line):
    return re.sub(r"\(.*\)|2~3단계|\s", "", line)


def _festival(name):
    f = data.load("korea_festivals_events_standard", "festivals")
    return f[(f["name"] == name) & (f["start_date"].dt.year == 2023)].iloc[0]


def _block(outputs, name):
    """The report's per-event paragraph: stations with metres, baseline dates, holidays left out."""
    text = next(o for o in outputs if o.startswith(f"**{name}**"))
    stations = re.findall(r"(\S+) (\S+) \(([\d,]+) m\)", text.split("거리 안의 역:")[1].split("\n")[0])
    base = re.findall(r"\d{4}-\d{2}-\d{2}", text.split("- 비교일:")[1].split("\n")[0])
    dropped = re.findall(r"\d{4}-\d{2}-\d{2}", text.split("뺀 공휴일·명절·연휴:")[1])
    return [(n, l, int(m.replace(",", ""))) for n, l, m in stations], pd.DatetimeIndex(base), pd.DatetimeIndex(dropped)


def _row(text, name):
    m = re.search(re.escape(name) + r" \S+ (\S+) (\d+) ([\d,]+) ([\d,]+) ([+-][\d.]+) ([+-][\d.]+) ~ ([+-][\d.]+) (\d+) (평소 범위[^ ]* ?\S+)",
                  text)
    assert m, text[text.index("판정"):][:1500]
    return {"effect": float(m.group(5)), "low": float(m.group(6)), "high": float(m.group(7)),
            "n": int(m.group(8)), "verdict": m.group(9)}


def _not_ordinary(days):
    """Public holidays, plus weekend days in one unbroken run of days off with a holiday."""
    hol = {pd.Timestamp(d) for d in holidays.KR(years=2023)}
    off = sorted(d for d in days if d.day_of_week >= 5 or d in hol)
    out, run = set(), []
    for d in off + [None]:
        if run and (d is None or (d - run[-1]).days != 1):
            if hol & set(run):
                out |= set(run)
            run = []
        if d is not None:
            run.append(d)
    return out


def _check_stations(listed, fest, distance):
    coords = data.load("seoul_subway_station_coords", "stations")
    names = set(data.load("seoul_subway_daily_ridership_2023")["station"])
    m = _haversine_m(fest["latitude"], fest["longitude"], coords["lat"].to_numpy(), coords["lon"].to_numpy())
    coords = coords.assign(m=m)[coords["station_name"].isin(names)]
    inside = {(r.station_name, _line(r.line)) for r in coords[coords["m"] <= distance - 5].itertuples()}
    edge = {(r.station_name, _line(r.line)) for r in coords[(coords["m"] - distance).abs() < 5].itertuples()}
    got = {(n, _line(l)) for n, l, _ in listed}
    assert inside <= got <= inside | edge, (got, inside)
    for n, l, metres in listed:
        ref = coords[(coords["station_name"] == n) & (coords["line"].map(_line) == _line(l))]["m"]
        assert abs(ref.min() - metres) <= 5, (n, l, metres, ref.tolist())
        assert metres <= distance


def _effect(listed, on_days, base):
    rides = data.load("seoul_subway_daily_ridership_2023")
    keys = {(n, l) for n, l, _ in listed}
    rows = rides[[(l, n) in {(ln, nm) for nm, ln in keys} for l, n in zip(rides["line"], rides["station"])]]
    daily = (rows["boardings"] + rows["alightings"]).groupby(rows["date"]).sum()
    b = daily.reindex(base)
    mean_of = {w: b[b.index.day_of_week == w] for w in set(b.index.day_of_week)}
    effect = np.mean([daily[d] / mean_of[d.day_of_week].mean() - 1 for d in on_days]) * 100
    ordinary = [daily[d] / mean_of[d.day_of_week].drop(d).mean() * 100 - 100 for d in base]
    return effect, min(ordinary), max(ordinary)


def test_baseline_leaves_out_holidays_and_long_weekends(songpa):
    text, outputs = songpa
    fest = _festival("석촌호수벚꽃축제")
    listed, base, dropped = _block(outputs, "석촌호수벚꽃축제")
    start, end = fest["start_date"], fest["end_date"]
    days = pd.DatetimeIndex(sorted(data.load("seoul_subway_daily_ridership_2023")["date"].unique()))
    on = days[(days >= start) & (days <= end)]
    window = days[(days >= start - WINDOW) & (days <= end + WINDOW) & ~days.isin(on)
                  & days.day_of_week.isin(set(on.day_of_week))]
    # 어린이날 (Fri 5 May) and the weekend joined to it, and 삼일절 (Wed 1 Mar), fall in the window on festival weekdays
    for holiday in ("2023-03-01", "2023-05-05", "2023-05-06", "2023-05-07"):
        assert pd.Timestamp(holiday) in window
        assert pd.Timestamp(holiday) not in base and pd.Timestamp(holiday) in dropped
    expected = window[~window.isin(_not_ordinary(days))]
    assert list(base) == list(expected)
    effect, low, high = _effect(listed, on, base)
    row = _row(text, "석촌호수벚꽃축제")
    assert row["n"] == len(expected)
    assert abs(row["effect"] - effect) < 0.06 and abs(row["low"] - low) < 0.06 and abs(row["high"] - high) < 0.06
    assert row["verdict"] == ("평소 범위보다 많음" if effect > high else "평소 범위보다 적음" if effect < low else "평소 범위 안")


def test_event_on_holidays_only_is_not_compared(songpa):
    text, outputs = songpa
    # 한성백제문화제 2023-09-30 ~ 10-02: 추석 다음날, a Sunday inside the 추석 break, 임시공휴일
    assert re.search(r"한성백제문화제 축제 09-30~10-02 \d+ — — — 0 비교 불가 행사일이 모두 공휴일·명절", text), text
    assert "가장 효과가 컸던" not in text


def test_only_stations_within_the_distance(songpa, gwanak_700):
    _, outputs = songpa
    listed, _, _ = _block(outputs, "석촌호수벚꽃축제")
    _check_stations(listed, _festival("석촌호수벚꽃축제"), 1000)
    assert ("잠실(송파구청)", "2호선") in {(n, l) for n, l, _ in listed}            # 739 m
    assert ("잠실(송파구청)", "8호선") not in {(n, l) for n, l, _ in listed}        # 1,010 m, same gu
    text, outputs = gwanak_700
    listed, _, _ = _block(outputs, "관악구 협치과제 이십세기 음악상점")
    _check_stations(listed, _festival("관악구 협치과제 이십세기 음악상점"), 700)
    assert "보라매병원" not in {n for n, _, _ in listed} and "당곡" in {n for n, _, _ in listed}
    assert "직선 700 m 안의 역" in text


def test_effect_has_a_range_and_a_largest_effect_only_beyond_it(gwanak_700):
    text, outputs = gwanak_700
    fest = _festival("2023 관악어린이가족축제_관악봄봄")
    listed, base, _ = _block(outputs, fest["name"])
    effect, low, high = _effect(listed, [fest["start_date"]], base)
    row = _row(text, fest["name"])
    assert abs(row["effect"] - effect) < 0.06 and abs(row["low"] - low) < 0.06 and abs(row["high"] - high) < 0.06
    assert pd.Timestamp("2023-05-27") not in base                                   # 부처님오신날, a Saturday
    named = re.search(r"차이가 가장 큰 행사: (.+?) \(\S+\), 평소보다 ([+-][\d.]+)% \(평소 범위 ([+-][\d.]+) ~ ([+-][\d.]+)%", text)
    assert named, text
    assert float(named.group(2)) > float(named.group(4))                            # only an effect beyond the range
    assert "가장 효과가 컸던" not in text


@pytest.mark.parametrize("pairs, words", [
    (["distance", "5000"], ["허용 범위 밖", "200 .. 3000"]),
    (["distance", "1km"], ["정수", "200 .. 3000"]),
    (["gu", "서울"], ["허용되지 않습니다", "송파구", "관악구"]),
    (["event_date", "2023-12-25"], ["허용 범위 밖", "2023-01-01 .. 2023-10-31"]),
])
def test_bad_parameters_refused_before_a_kernel(repo, tmp_path, pairs, words):
    assert_refused_before_kernel(repo / "reports" / f"{NB}.ipynb", pairs, words, tmp_path / "out")
