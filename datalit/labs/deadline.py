"""Due dates as instructors mean them: Korea time unless they say otherwise, stored in UTC.

Accepted (``--due`` and ``lab.yaml``'s ``due``)::

    2026-12-20 18:00            Korea time (KST, +09:00; Korea has no daylight saving time)
    2026-12-20 18:00:00         Korea time
    2026-12-20 18:00 KST        Korea time, said explicitly
    2026-12-20 18:00 +09:00     any explicit offset, also +0900
    2026-12-20 09:00 UTC        UTC, also Z

Anything else (a date without a time, a time zone name other than KST/UTC, a typo) is refused
with a message in Korean and English (the rule of :func:`datalit.kst.parse_kst`): nbgrader's own
``parse_utc`` read ``+0900`` as 15 minutes and ``KST`` as UTC without a word. nbgrader's gradebook keeps
naive UTC (:func:`for_gradebook`).
"""
from __future__ import annotations

import datetime as dt

from datalit import kst
from datalit.labs.course import LabError

UTC = kst.UTC


class DueError(LabError):
    def __init__(self, text, why: str = ""):
        super().__init__(
            f"마감 시각 '{text}'을(를) 읽을 수 없습니다 / cannot read the due date '{text}'"
            + (f" ({why})" if why else "") + ".\n"
            "쓸 수 있는 형식 / accepted forms: " + ", ".join(kst.FORMS) + ".\n"
            "시간대를 쓰지 않으면 한국 시간입니다 / without a zone it is Korea time.")


def parse_due(value) -> dt.datetime | None:
    """The instant VALUE means, as an aware UTC datetime (None when there is no due date).

    VALUE is the text of ``--due`` or of ``lab.yaml``; YAML itself turns an unquoted
    ``2026-12-20 18:00:00`` into a datetime (naive: Korea time, like the text form). The rule is
    :func:`datalit.kst.parse_kst`'s, the one every typed time follows."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return kst.parse_kst(value)
    except kst.TimeFormatError as exc:
        raise DueError(exc.text, exc.why) from None


def for_gradebook(due: dt.datetime | None) -> dt.datetime | None:
    """nbgrader's gradebook stores naive UTC."""
    return due.astimezone(UTC).replace(tzinfo=None) if due is not None else None


def from_gradebook(due: dt.datetime | None) -> dt.datetime | None:
    return kst.as_utc(due)
