"""Korea time for people, UTC for storage: one place that formats a time a person reads.

    >>> shown(dt.datetime(2026, 12, 24, 14, 59, tzinfo=dt.timezone.utc))
    '2026-12-24 23:59 (KST)'

Korea has no daylight saving time, so a fixed +09:00 offset is exact (no tz database needed).
"""
from __future__ import annotations

import datetime as dt

SEOUL = dt.timezone(dt.timedelta(hours=9), "KST")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def shown(when: dt.datetime | str | None = None) -> str:
    """``YYYY-MM-DD HH:MM (KST)`` of an aware datetime or ISO string (naive = UTC); now when omitted."""
    if when is None:
        when = now_utc()
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M (KST)")
