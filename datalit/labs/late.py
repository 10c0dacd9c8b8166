"""The late rule, in one place: a fraction of the score per started day late (``lab.late_penalty_per_day``).

nbgrader applies it at autograde (:class:`LatePenalty`); the assignments panel (datalit/labs/panel.py) and
``datalit lab collect`` tell people beforehand and afterwards what it costs, with the same arithmetic.
"""
from __future__ import annotations

import datetime as dt
import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from datalit.config import DEFAULTS
from datalit.kst import as_utc

DAY_SECONDS = 86400


def started_days(seconds_late: float) -> int:
    """Days late as the rule counts them: every started day (1 second late = 1 day)."""
    return math.ceil(seconds_late / DAY_SECONDS) if seconds_late and seconds_late > 0 else 0


def penalty_share(seconds_late: float, per_day: float) -> float:
    """The share of the score lost (0..1)."""
    return min(1.0, per_day * started_days(seconds_late))


def how_late(seconds_late: float) -> str:
    """``1일 3시간``, ``2시간 5분``, ``1분``: how late, in words (rounded up to the minute)."""
    minutes = max(1, math.ceil(seconds_late / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}일" if days else "", f"{hours}시간" if hours else "", f"{minutes}분" if minutes and not days else ""]
    return " ".join(p for p in parts if p) or "1분"


def lateness(due: dt.datetime | str | None, when: dt.datetime | str, per_day: float) -> dict | None:
    """What a submission at WHEN carries against DUE (aware or ISO; naive = UTC); None if on time.

    ``{"seconds", "days", "percent", "late"}``: ``percent`` is the whole-number share of the score lost."""
    if due is None:
        return None
    due, when = (as_utc(t) for t in (due, when))
    seconds = (when - due).total_seconds()
    if seconds <= 0:
        return None
    return {"seconds": seconds, "days": started_days(seconds), "late": how_late(seconds),
            "percent": round(100 * penalty_share(seconds, per_day))}


class LatePenalty(LateSubmissionPlugin):
    penalty_per_day = Float(DEFAULTS["lab"]["late_penalty_per_day"], help="Fraction of the max score deducted per started day").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if not total_seconds_late or total_seconds_late <= 0:
            return 0
        return min(score, score * penalty_share(total_seconds_late, self.penalty_per_day))
