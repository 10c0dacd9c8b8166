"""What an instructor needs to judge a learner's lesson record before approving a certificate.

The lesson checks run in the learner's own kernel, so the record says what that kernel reported, not what
the learner did (attack F3: ``ok: true`` posted for every question in one second). Per learner and lesson
the dashboard shows the span of their activity in that lesson (first to last event, in minutes), their hint
and solution requests, and a 주의 flag (:func:`flagged`, the rule written in docs/instructor-guide.md):
a lesson done in less than a tenth of its minutes (course.yaml), or with no event besides its first
passes (no failed check, no hint or solution request, no check run twice).
"""
from __future__ import annotations

from datetime import datetime

SHARE = 0.1  # of a lesson's minutes: done faster than this is 주의


def _minutes_between(first: str, last: str) -> float:
    return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds() / 60


def flagged(row: dict) -> bool:
    """The 주의 rule for one lesson ROW of :func:`lesson_evidence` (only a done lesson is flagged)."""
    if not row["completed_at"]:
        return False
    return row["span_minutes"] < SHARE * row["minutes"] or row["other_events"] == 0


def lesson_evidence(rows: list[dict], evts: list[dict]) -> list[dict]:
    """ROWS (:func:`datalit.progress.record.lesson_rows` of one learner) with ``span_minutes``, ``hints``,
    ``solutions``, ``other_events`` (events besides first passes) and ``flag`` from that learner's EVTS."""
    by_lesson: dict[str, list[dict]] = {}
    for e in evts:
        by_lesson.setdefault(e["lesson"], []).append(e)
    out = []
    for r in rows:
        mine = by_lesson.get(r["lesson"], [])
        first_passes = {e["question"] for e in mine if e["kind"] == "check" and e.get("ok") is True}
        span = _minutes_between(mine[0]["at"], r["completed_at"] or mine[-1]["at"]) if mine else 0.0
        row = {**r, "span_minutes": round(span, 1),
               "hints": sum(1 for e in mine if e["kind"] == "hint"),
               "solutions": sum(1 for e in mine if e["kind"] == "solution"),
               "other_events": len(mine) - len(first_passes)}
        row["flag"] = flagged(row)
        out.append(row)
    return out
