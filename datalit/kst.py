"""The one time module: parse what a person in Korea wrote, store UTC, show Korea time.

    >>> parse_kst("2026-12-24 23:59")
    datetime.datetime(2026, 12, 24, 14, 59, tzinfo=datetime.timezone.utc)
    >>> to_store(parse_kst("2026-12-24 23:59"))
    '2026-12-24T14:59:00+00:00'
    >>> shown(dt.datetime(2026, 12, 24, 14, 59, tzinfo=dt.timezone.utc))
    '2026-12-24 23:59 (KST)'
    >>> until(dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.timezone.utc))
    '2026-12-24 23:59 (KST)'

One rule for every time a person types (a lab's ``--due``, ``workshop expire --at``, ``workshop start --at``):
:func:`parse_kst` reads a date *with a time*; without a zone it is Korea time. A bare date is refused: as
an instant it could only mean 00:00, which for a deadline written "2026-12-20" closes the lab at the
start of the day the instructor named, a day early and without a word; refusing costs one retype. Where a
command takes a *day* ("usable through 2026-12-24"), it says so and asks :func:`parse_day_or_kst`, which
reads a bare date as that day's end and anything else by the same rule.

Korea has no daylight saving time (none since 1988), so a fixed +09:00 offset is exact (no tz database).
"""
from __future__ import annotations

import datetime as dt
import re

SEOUL = dt.timezone(dt.timedelta(hours=9), "KST")
UTC = dt.timezone.utc
_FORMAT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,6})?)?"
    r"\s*(?P<zone>KST|UTC|Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMS = ("'2026-12-20 18:00' (한국 시간/Korea time)", "'2026-12-20 18:00:00 KST'", "'2026-12-20 18:00 +09:00'",
         "'2026-12-20 18:00 +0900'", "'2026-12-20 09:00 UTC'")
BARE_DATE = "시각이 없는 날짜 / a date without a time"


class TimeFormatError(ValueError):
    """TEXT is no time :func:`parse_kst` reads; WHY (may be empty) says what is wrong, in Korean and English."""

    def __init__(self, text, why: str = ""):
        self.text, self.why = text, why
        super().__init__(f"cannot read the time {text!r}" + (f" ({why})" if why else ""))


def now_utc() -> dt.datetime:
    return dt.datetime.now(UTC)


def _zone(text: str | None) -> dt.tzinfo:
    if not text or text.upper() == "KST":
        return SEOUL
    if text.upper() in ("UTC", "Z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes >= 60:
        raise ValueError(f"offset {text} out of range")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_kst(value) -> dt.datetime:
    """The instant VALUE means, as an aware UTC datetime; :class:`TimeFormatError` if it means none.

    VALUE is text (``2026-12-20 18:00``, ``... KST``, ``... +09:00``/``+0900``, ``... UTC``/``Z``, ``T`` or a
    space between date and time, seconds optional) or a datetime (YAML turns an unquoted time into one;
    naive means Korea time, like the text form). A bare date is refused (see the module's docstring)."""
    if isinstance(value, dt.datetime):
        return from_korea(value)
    if isinstance(value, dt.date):
        raise TimeFormatError(value, BARE_DATE)
    if not isinstance(value, str):
        raise TimeFormatError(value)
    text = value.strip()
    m = _FORMAT.match(text)
    if not m:
        raise TimeFormatError(text, BARE_DATE if _DAY.match(text) else "")
    try:
        day = dt.date.fromisoformat(m["date"])
        local = dt.datetime(day.year, day.month, day.day, int(m["h"]), int(m["m"]), int(m["s"] or 0),
                            tzinfo=_zone(m["zone"]))
    except ValueError as exc:
        raise TimeFormatError(text, str(exc)) from None
    return local.astimezone(UTC)


def parse_day_or_kst(value) -> dt.datetime:
    """Where a command takes a day: a bare date (``2026-12-24``) is that day in Korea to its end
    (:func:`end_of_day`); anything else is an instant read by :func:`parse_kst`."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return end_of_day(value)
    if isinstance(value, str) and _DAY.match(value.strip()):
        try:
            return end_of_day(dt.date.fromisoformat(value.strip()))
        except ValueError as exc:
            raise TimeFormatError(value.strip(), str(exc)) from None
    return parse_kst(value)


def _aware(when: dt.datetime | str | None) -> dt.datetime:
    if when is None:
        when = now_utc()
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def as_utc(when: dt.datetime | str | None) -> dt.datetime | None:
    """A stored time (aware datetime, or ISO text; naive = UTC, as nbgrader keeps it) as aware UTC."""
    return None if when is None or when == "" else _aware(when).astimezone(UTC)


def to_store(when: dt.datetime | str | None = None, timespec: str = "auto") -> str:
    """The stored form: UTC ISO 8601 with its offset (``2026-12-24T14:59:00+00:00``); now when omitted."""
    return _aware(when).astimezone(UTC).isoformat(timespec=timespec)


def shown(when: dt.datetime | str | None = None, seconds: bool = False) -> str:
    """``YYYY-MM-DD HH:MM (KST)`` of an aware datetime or ISO string (naive = UTC); now when omitted.
    SECONDS: ``HH:MM:SS``, where two events a second apart must read apart (the Assignments panel)."""
    return _aware(when).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S (KST)" if seconds else "%Y-%m-%d %H:%M (KST)")


def from_korea(when: dt.datetime) -> dt.datetime:
    """The UTC instant of WHEN as a person wrote it: naive means Korea time, an offset is kept."""
    return (when if when.tzinfo else when.replace(tzinfo=SEOUL)).astimezone(UTC)


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant (UTC) a day in Korea ends: ``2026-12-24`` -> ``2026-12-24T15:00:00+00:00``.

    "Through 2026-12-24" means usable until this instant, exclusive."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), SEOUL).astimezone(UTC)


def until(end: dt.datetime | str) -> str:
    """An exclusive end as people read it: a Korean midnight is shown as the last minute of the day
    before (``2026-12-24 23:59 (KST)``, what "through 2026-12-24" promised); other instants as is."""
    end = _aware(end)
    seoul = end.astimezone(SEOUL)
    if (seoul.hour, seoul.minute, seoul.second, seoul.microsecond) == (0, 0, 0, 0):
        end -= dt.timedelta(minutes=1)
    return shown(end)
