"""The one time module (datalit.kst): every time a person types follows one rule, is stored in UTC and shown
in Korea time. Before it, ``--due`` refused ``2026-12-20`` while ``workshop start --at 2026-12-20`` read it
as midnight, and ``workshop expire --at '2026-12-20 18:00 KST'`` was refused while ``--due`` took it."""
from __future__ import annotations

import datetime as dt

import pytest

from datalit import kst

UTC = dt.timezone.utc
WITH_TIME = ["2026-12-20 18:00", "2026-12-20 18:00:00", "2026-12-20T18:00", "2026-12-20 18:00 KST",
             "2026-12-20 18:00 +09:00", "2026-12-20 18:00 +0900", "2026-12-20T18:00:00+09:00", "2026-12-20 09:00 UTC",
             "2026-12-20T09:00:00Z", "2026-12-20 10:00 +01:00", " 2026-12-20 18:00 kst "]
UNREADABLE = ["2026-12-20 18:00 PST", "20/12/2026 18:00", "2026-12-20 6pm", "2026-13-01 18:00", "2026-12-20 24:30",
              "2026-12-20 18:00 +2500", "내일 18시", "18:00"]


def _parsers():
    from datalit.hub import prewarm, workshop
    from datalit.labs.deadline import parse_due

    return {"kst.parse_kst": kst.parse_kst, "lab --due": parse_due, "workshop expire --at": workshop.parse_expiry,
            "workshop start --at": prewarm.parse_when}


@pytest.mark.parametrize("text", WITH_TIME)
def test_every_command_reads_a_time_the_same_way(text):
    got = {name: parse(text) for name, parse in _parsers().items()}
    assert set(got.values()) == {dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)}, got


@pytest.mark.parametrize("text", UNREADABLE)
def test_every_command_refuses_the_same_unreadable_times(text):
    from datalit.labs.course import LabError

    for name, parse in _parsers().items():
        with pytest.raises((ValueError, LabError)):  # TimeFormatError, WorkshopError, PrewarmError; DueError
            parse(text)


def test_a_bare_date_is_refused_as_an_instant_and_is_a_whole_day_where_a_day_is_asked():
    from datalit.hub import prewarm, workshop
    from datalit.labs.deadline import DueError, parse_due

    with pytest.raises(kst.TimeFormatError) as err:
        kst.parse_kst("2026-12-20")
    assert err.value.why == kst.BARE_DATE
    with pytest.raises(DueError) as err:  # a deadline at 00:00 would close the lab a day early
        parse_due("2026-12-20")
    assert "시각이 없는 날짜" in str(err.value) and "a date without a time" in str(err.value)
    with pytest.raises(prewarm.PrewarmError):  # a warm-up starts at a time, not at a day
        prewarm.parse_when("2026-12-20")
    with pytest.raises(kst.TimeFormatError):
        kst.parse_kst(dt.date(2026, 12, 20))  # what YAML makes of an unquoted bare date
    # --expires DAY: usable through that day in Korea, so the day form means its end
    assert workshop.parse_expiry("2026-12-20") == dt.datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    assert kst.parse_day_or_kst(dt.date(2026, 12, 20)) == dt.datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    with pytest.raises(workshop.WorkshopError):
        workshop.parse_expiry("2026-02-30")


def test_korea_time_has_no_daylight_saving_all_year():
    for month in range(1, 13):
        assert kst.parse_kst(f"2026-{month:02d}-15 12:00") == dt.datetime(2026, month, 15, 3, 0, tzinfo=UTC)
    # 1988 was Korea's last summer time; a fixed +09:00 is what the tz database gives for every date we run
    assert kst.SEOUL.utcoffset(None) == dt.timedelta(hours=9)


def test_stored_in_utc_shown_in_korea_time():
    due = kst.parse_kst("2026-12-24 23:59")
    assert kst.to_store(due) == "2026-12-24T14:59:00+00:00"
    assert kst.shown(kst.to_store(due)) == "2026-12-24 23:59 (KST)"
    assert kst.shown("2026-12-24T14:59:00") == "2026-12-24 23:59 (KST)"  # naive stored text is UTC (nbgrader's)
    assert kst.as_utc(dt.datetime(2026, 12, 24, 14, 59)) == due and kst.as_utc(None) is None
    assert kst.until(kst.end_of_day(dt.date(2026, 12, 24))) == "2026-12-24 23:59 (KST)"
    assert kst.shown("2026-12-24T14:59:07.5+00:00", seconds=True) == "2026-12-24 23:59:07 (KST)"
    assert kst.now_utc().utcoffset() == dt.timedelta(0)
    assert kst.parse_kst(dt.datetime(2026, 12, 24, 23, 59)) == due  # YAML's naive datetime: Korea time too
