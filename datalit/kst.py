"""Korea time for people, UTC for storage: one place that formats a time a person reads.

    >>> shown(dt.datetime(2026, 12, 24, 14, 59, tzinfo=dt.timezone.utc))
    '2026-12-24 23:59 (KST)'
    >>> until(dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.timezone.utc))
    '2026-12-24 23:59 (KST)'

Korea has no daylight saving time, so a fixed +09:00 offset is exact (no tz database needed).
"""
from __future__ import annotations

import datetime as dt

SEOUL = dt.timezone(dt.timedelta(hours=9), "KST")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(when: dt.datetime | str | None) -> dt.datetime:
    if when is None:
        when = now_utc()
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when


def shown(when: dt.datetime | str | None = None) -> str:
    """``YYYY-MM-DD HH:MM (KST)`` of an aware datetime or ISO string (naive = UTC); now when omitted."""
    return _aware(when).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M (KST)")


def from_korea(when: dt.datetime) -> dt.datetime:
    """The UTC instant of WHEN as a person wrote it: naive means Korea time, an offset is kept."""
    return (when if when.tzinfo else when.replace(tzinfo=SEOUL)).astimezone(dt.timezone.utc)


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant (UTC) a day in Korea ends: ``2026-12-24`` -> ``2026-12-24T15:00:00+00:00``.

    "Through 2026-12-24" means usable until this instant, exclusive."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), SEOUL).astimezone(dt.timezone.utc)


def until(end: dt.datetime | str) -> str:
    """An exclusive end as people read it: a Korean midnight is shown as the last minute of the day
    before (``2026-12-24 23:59 (KST)``, what "through 2026-12-24" promised); other instants as is."""
    end = _aware(end)
    seoul = end.astimezone(SEOUL)
    if (seoul.hour, seoul.minute, seoul.second, seoul.microsecond) == (0, 0, 0, 0):
        end -= dt.timedelta(minutes=1)
    return shown(end)
