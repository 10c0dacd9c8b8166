"""Project 2 (중급, open): 축제가 지역 유동인구를 얼마나 늘렸나 — sanity checks of a team's data.

Any comparison method passes: the checks only ask that the festivals are Seoul festivals of the
ridership period (the festival or event lists), that the stations are names of the ridership table,
and that ``daily`` is really the boardings + alightings of those stations, day by day.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data


@lru_cache(maxsize=1)
def _ridership():
    sub = data.load("seoul_subway_daily_ridership_2023")
    sub = sub.assign(total=sub["boardings"] + sub["alightings"])
    return sub, sub.groupby(["station", "date"])["total"].sum()


def seoul_festivals_2023() -> dict:
    """name -> (start, end) of Seoul festivals and events inside the ridership period."""
    import pandas as pd

    sub, _ = _ridership()
    first, last = sub["date"].min(), sub["date"].max()
    out = {}
    for table in ("festivals", "events"):
        f = data.load("korea_festivals_events_standard", table)
        f = f[f["is_seoul"] & (f["start_date"] >= first) & (f["start_date"] <= last)]
        for r in f.itertuples():
            end = r.end_date if pd.notna(r.end_date) else r.start_date
            out.setdefault(r.name, (r.start_date, end))
    return out


def check_festivals(festivals):
    assert isinstance(festivals, list) and len(festivals) >= 2, "FESTIVALS에는 축제 이름을 2개 이상 넣으세요 (리스트)."
    known = seoul_festivals_2023()
    wrong = [f for f in festivals if f not in known]
    assert not wrong, ("2023년 1~10월 서울 축제·행사 목록에 없는 이름이에요 (이름을 자료 그대로 쓰세요): "
                       + ", ".join(map(str, wrong)))


def check_daily(daily, near, festivals):
    import pandas as pd

    check_festivals(festivals)
    sub, per_station = _ridership()
    names = set(sub["station"])
    assert isinstance(near, dict), "near는 {축제 이름: [역 이름, ...]} dict여야 해요."
    assert isinstance(daily, pd.DataFrame), "daily는 DataFrame이어야 해요 (날짜 × 축제)."
    idx = pd.to_datetime(daily.index, errors="coerce")
    assert not idx.isna().any(), "daily의 인덱스는 날짜여야 해요."
    known = seoul_festivals_2023()
    for f in festivals:
        stations = near.get(f)
        assert stations, f"near['{f}']에 역 이름이 없어요."
        wrong = [s for s in stations if s not in names]
        assert not wrong, f"승하차 표(sub['station'])에 없는 역 이름이에요: {', '.join(map(str, wrong))}"
        assert f in daily.columns, f"daily에 '{f}' 열이 없어요."
        start, end = known[f]
        days = pd.date_range(start, min(end, sub["date"].max()))
        assert set(days) <= set(idx), f"daily에 '{f}'의 축제 날({start:%Y-%m-%d}~)이 빠졌어요."
        ref = per_station.loc[sorted(set(stations))].groupby(level="date").sum()
        got = pd.Series(pd.to_numeric(daily[f], errors="coerce").to_numpy(), index=idx)
        want = ref.reindex(idx)
        bad = (got - want).abs() > 0.5
        assert not bad.any(), (f"'{f}'의 하루 이용객이 승하차 자료와 달라요 (예: {idx[bad.to_numpy()][0]:%Y-%m-%d}). "
                               "near의 모든 역(모든 호선)의 승차+하차를 날짜별로 더하세요.")
