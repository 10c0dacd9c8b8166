"""The lab part of a course's 이수 rule: one learner's standing in the course's team labs, from the
instructor's nbgrader gradebook (``lab.course_dir``), judged exactly as ``datalit lab export``'s 이수 현황
(:func:`datalit.labs.export.completion`): the team's graded submission scores at least ``pass_ratio`` of
the lab's maximum. Read only: a missing course directory or gradebook is never created (nbgrader's
``Gradebook`` would make an empty one), and a learner only ever sees their own team's score.

Every way the lab part can be "not done" carries a Korean reason for 내 학습 현황; nothing here raises
for a missing, unreadable or half-made course (the learner's page must always render)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from datalit.kst import to_store

log = logging.getLogger(__name__)

NO_COURSE = "이 허브에는 아직 팀 실습 성적부(nbgrader gradebook)가 없어요. 강사가 실습을 배포하고 채점하면 여기에 표시돼요."
UNREADABLE = "팀 실습 성적부를 읽을 수 없어요. 강사나 관리자에게 알려 주세요."
NOT_RELEASED = "아직 배포되지 않은 실습이에요."
NO_TEAM = "이 실습의 팀 명단에 없어요. 강사에게 팀 배정을 확인해 주세요."
NOT_SUBMITTED = "아직 제출하지 않았어요."
NOT_GRADED = "제출했고 채점을 기다리고 있어요."
MANUAL_PENDING = "강사의 채점이 아직 끝나지 않았어요."
BELOW = "만점의 {ratio:.0%} 이상이어야 이수예요 (지금 {score:g}/{max:g}점)."


def lab_course(state_dir):
    """The hub's lab course (:class:`datalit.labs.course.Course`) when its gradebook exists and this process
    may read it, else a Korean reason (str). Built without ``open_course``: that one sets environment
    variables and may create folders, and the progress service only reads."""
    from datalit.config import ConfigError, load_config
    from datalit.labs.course import Course

    try:
        cfg = load_config(state_dir=state_dir)["lab"]
    except ConfigError as exc:
        log.warning("lab part of the completion rule: %s", exc)
        return NO_COURSE
    if not cfg["course_dir"]:
        return NO_COURSE
    root = Path(cfg["course_dir"])
    if cfg["gradebook_url"]:  # on PostgreSQL: read with the password in this process's environment
        return Course(root, cfg)
    try:
        if not (root / "gradebook.db").is_file():
            return NO_COURSE
    except OSError:  # a course directory this process may not enter
        return UNREADABLE
    if not (os.access(root, os.R_OK | os.X_OK) and os.access(root / "gradebook.db", os.R_OK)):
        return UNREADABLE
    return Course(root.resolve(), cfg)


def title_of(lab: str) -> str:
    from datalit.labs.course import LabError, lab_info

    try:
        return str(lab_info(lab).get("title_ko") or lab)
    except (LabError, OSError, ValueError):  # labs/ root-only and this process not root: the id will do
        return lab


def _utc(iso: str | None) -> str | None:
    if not iso:
        return None
    return to_store(iso)  # naive = UTC, as nbgrader keeps it


def standing(state_dir, user: str, labs: tuple[str, ...], pass_ratio: float | None) -> list[dict]:
    """USER's labs of the rule, in order, each ``{lab, title, done, score, max, reason, submitted_at}``:
    ``score``/``max`` the team's graded total (late penalty taken) and the lab's maximum (None when there is
    no grade), ``reason`` Korean (None when done), ``submitted_at`` the UTC ISO time of the graded
    submission. PASS_RATIO None: the configured ``lab.pass_ratio``."""
    found = lab_course(state_dir)
    if isinstance(found, str):
        return [_row(lab, reason=found) for lab in labs]
    ratio = float(found.cfg["pass_ratio"] if pass_ratio is None else pass_ratio)
    try:
        return [_one(found, user, lab, ratio) for lab in labs]
    except Exception as exc:  # noqa: BLE001 - a broken or locked gradebook must not break the learner's page
        log.warning("lab part of the completion rule for %s: %s", user, exc)
        return [_row(lab, reason=UNREADABLE) for lab in labs]


def _row(lab: str, done: bool = False, score=None, max_=None, reason: str | None = None, submitted_at=None) -> dict:
    return {"lab": lab, "title": title_of(lab), "done": done, "score": score, "max": max_, "reason": reason,
            "submitted_at": submitted_at}


def _one(course, user: str, lab: str, ratio: float) -> dict:
    from nbgrader.api import MissingEntry

    from datalit.labs import export
    from datalit.labs import roster as roster_mod
    from datalit.labs.collect import submission_record

    try:
        scores = export.team_scores(course, lab)
    except MissingEntry:
        return _row(lab, reason=NOT_RELEASED)
    team = next((t for t, members in roster_mod.load(course).get(lab, {}).items() if user in members), None)
    if team is None:
        return _row(lab, reason=NO_TEAM)
    record = submission_record(course, lab, team) or {}
    mine = scores.get(team)
    if not record.get("submitted_by"):
        return _row(lab, reason=NOT_SUBMITTED)
    if mine is None:
        return _row(lab, reason=NOT_GRADED)
    score, top = round(mine["score"], 2), mine["max"]
    done = top > 0 and score >= ratio * top  # the same test as datalit.labs.export.completion
    reason = None if done else (MANUAL_PENDING if mine["needs_manual"] else BELOW.format(ratio=ratio, score=score, max=top))
    return _row(lab, done=done, score=score, max_=top, reason=reason, submitted_at=_utc(record.get("timestamp")))
