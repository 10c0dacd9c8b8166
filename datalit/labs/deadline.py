"""Due dates as instructors mean them: Korea time unless they say otherwise, stored in UTC.

Accepted (``--due`` and ``lab.yaml``'s ``due``)::

    2026-12-20 18:00            Korea time (KST, +09:00; Korea has no daylight saving time)
    2026-12-20 18:00:00         Korea time
    2026-12-20 18:00 KST        Korea time, said explicitly
    2026-12-20 18:00 +09:00     any explicit offset, also +0900
    2026-12-20 09:00 UTC        UTC, also Z

Anything else (a date without a time, a time zone name other than KST/UTC, a typo) is refused
with a message in Korean and English: nbgrader's own ``parse_utc`` read ``+0900`` as 15 minutes and
``KST`` as UTC without a word. nbgrader's gradebook keeps naive UTC (:func:`for_gradebook`).
"""
from __future__ import annotations

import datetime as dt
import re

from datalit.kst import SEOUL, from_korea
from datalit.labs.course import LabError

UTC = dt.timezone.utc
FORMAT = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<zone>KST|UTC|Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
FORMS = ("'2026-12-20 18:00' (한국 시간/Korea time)", "'2026-12-20 18:00:00 KST'", "'2026-12-20 18:00 +09:00'",
         "'2026-12-20 18:00 +0900'", "'2026-12-20 09:00 UTC'")


class DueError(LabError):
    def __init__(self, text, why: str = ""):
        super().__init__(
            f"마감 시각 '{text}'을(를) 읽을 수 없습니다 / cannot read the due date '{text}'"
            + (f" ({why})" if why else "") + ".\n"
            "쓸 수 있는 형식 / accepted forms: " + ", ".join(FORMS) + ".\n"
            "시간대를 쓰지 않으면 한국 시간입니다 / without a zone it is Korea time.")


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


def parse_due(value) -> dt.datetime | None:
    """The instant VALUE means, as an aware UTC datetime (None when there is no due date).

    VALUE is the text of ``--due`` or of ``lab.yaml``; YAML itself turns an unquoted
    ``2026-12-20 18:00:00`` into a datetime (naive: Korea time, like the text form)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return from_korea(value)
    if not isinstance(value, str):
        raise DueError(value, "시각이 없는 날짜 / a date without a time" if isinstance(value, dt.date) else "")
    text = value.strip()
    m = FORMAT.match(text)
    if not m:
        raise DueError(text)
    try:
        day = dt.date.fromisoformat(m["date"])
        local = dt.datetime(day.year, day.month, day.day, int(m["h"]), int(m["m"]), int(m["s"] or 0),
                            tzinfo=_zone(m["zone"]))
    except ValueError as exc:
        raise DueError(text, str(exc)) from None
    return local.astimezone(UTC)


def for_gradebook(due: dt.datetime | None) -> dt.datetime | None:
    """nbgrader's gradebook stores naive UTC."""
    return due.astimezone(UTC).replace(tzinfo=None) if due is not None else None


def from_gradebook(due: dt.datetime | None) -> dt.datetime | None:
    if due is None:
        return None
    return due.replace(tzinfo=UTC) if due.tzinfo is None else due.astimezone(UTC)
