"""What the record says: per learner and course, lessons done, exercises passed, hours, completion.

The course side comes from the repository: ``courses/<tier>/course.yaml`` (titles, minutes and the
``completion`` rule, the one place it is written) and each lesson's exercise module (its questions,
:func:`datalit.lessons.checks.questions_in`). A lesson is *done* once the share of its questions the
learner has passed at least once reaches the rule's ``min_passed_ratio``; the course is *completed*
once every lesson the rule names (``lessons: all`` or a list of lesson numbers) is done and, where the
rule has a ``labs`` part (``labs: {labs: [<lab ids>], pass_ratio}``, the tiers with team labs), every lab it
names is passed in the instructor's gradebook (:mod:`datalit.progress.lab_standing`, the same test as
``datalit lab export``). Hours are the sum of the minutes of the lessons the rule names (what the course
asks, not time spent).
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from datalit.progress import events, lab_standing


@dataclass(frozen=True)
class LessonEntry:
    tier: str
    number: int
    lesson: str           # the notebook's stem: "00-python-first-steps"
    title: str
    minutes: int
    module: str           # "beginner.python_first_steps" (datalit.lessons.exercises.<module>)
    questions: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Course:
    tier: str
    title: str
    lessons: tuple[LessonEntry, ...]
    rule_lessons: tuple[int, ...]   # the numbers of the lessons the completion rule asks for
    min_passed_ratio: float
    rule_labs: tuple[str, ...] = ()   # the team labs the rule asks for (lab ids), none for most test courses
    lab_pass_ratio: float | None = None   # None: the configured lab.pass_ratio

    def lesson(self, stem: str) -> LessonEntry | None:
        return next((entry for entry in self.lessons if entry.lesson == stem), None)

    @property
    def required(self) -> tuple[LessonEntry, ...]:
        return tuple(e for e in self.lessons if e.number in self.rule_lessons)

    @property
    def hours(self) -> float:
        return round(sum(e.minutes for e in self.required) / 60, 2)


class CourseError(ValueError):
    """A course.yaml without a usable completion rule (an admin's error, said plainly)."""


@lru_cache(maxsize=8)
def course(tier: str, root: str | None = None) -> Course:
    """The course of TIER (cached: the service asks for it on every page)."""
    from datalit.lessons import courses
    from datalit.lessons.checks import questions_in

    root_path = Path(root) if root else None
    manifest = courses.read_manifest(tier, root_path)
    if not manifest:
        raise CourseError(f"no course for tier {tier!r} (courses/{tier}/course.yaml)")
    rule = manifest.get("completion")
    if not isinstance(rule, dict):
        raise CourseError(f"courses/{tier}/course.yaml has no completion rule (completion: {{lessons, min_passed_ratio}})")
    entries = []
    for item in manifest["lessons"]:
        path = (root_path or courses.courses_dir()) / tier / item["file"]
        module = courses.exercise_module(path)
        try:
            names = tuple(q.name for q in questions_in(importlib.import_module(f"datalit.lessons.exercises.{module}")))
        except ImportError:
            names = ()
        entries.append(LessonEntry(tier=tier, number=int(item["number"]), lesson=Path(item["file"]).stem,
                                   title=item["title"], minutes=int(item["minutes"]), module=module, questions=names))
    wanted = rule.get("lessons", "all")
    numbers = tuple(e.number for e in entries) if wanted == "all" else tuple(int(n) for n in wanted)
    labs = rule.get("labs") or {}
    ratio = labs.get("pass_ratio")
    return Course(tier=tier, title=manifest["title"], lessons=tuple(entries), rule_lessons=numbers,
                  min_passed_ratio=float(rule.get("min_passed_ratio", 1.0)),
                  rule_labs=tuple(str(lab) for lab in labs.get("labs") or ()),
                  lab_pass_ratio=None if ratio is None else float(ratio))


def lesson_of_module(module: str) -> tuple[str, LessonEntry] | None:
    """(tier, lesson) of an exercise module name as a kernel sends it ("beginner.python_first_steps")."""
    from datalit.lessons.schema import TIERS

    tier = module.split(".", 1)[0]
    if tier not in TIERS:
        return None
    try:
        found = course(tier)
    except CourseError:
        return None
    entry = next((e for e in found.lessons if e.module == module), None)
    return (tier, entry) if entry else None


def lesson_rows(course_: Course, evts: list[dict], min_ratio: float | None = None) -> list[dict]:
    """One learner's lessons of COURSE_ from their events: passed, total, minutes, completed_at."""
    ratio = course_.min_passed_ratio if min_ratio is None else min_ratio
    first_pass: dict[tuple[str, str], str] = {}
    for e in evts:
        if e.get("kind") == "check" and e.get("ok") is True:
            first_pass.setdefault((e["lesson"], e["question"]), e["at"])
    rows = []
    for entry in course_.lessons:
        passes = sorted(first_pass[(entry.lesson, q)] for q in entry.questions if (entry.lesson, q) in first_pass)
        total = len(entry.questions)
        need = max(1, math.ceil(ratio * total - 1e-9))
        done = total > 0 and len(passes) >= need
        rows.append({"lesson": entry.lesson, "title": entry.title, "number": entry.number, "passed": len(passes),
                     "total": total, "minutes": entry.minutes, "completed_at": passes[need - 1] if done else None})
    return rows


def completion(state_dir, user: str, tier: str) -> dict:
    """USER's standing in the course of TIER, from the record in STATE_DIR (the hub's state directory).

    Returns a dict:

    * ``user``, ``tier``; ``course_title``: the course's Korean title (course.yaml ``title``);
    * ``lessons``: every lesson of the course in order, each
      ``{lesson, number, title, passed, total, minutes, completed_at, required}`` -- ``lesson`` the notebook's
      stem ("00-python-first-steps"), ``required`` whether the completion rule asks for it (a review is not), ``passed`` how many of its ``total`` questions (exercises and concept
      questions) the learner has passed at least once, ``minutes`` from course.yaml, ``completed_at``
      the UTC ISO time the lesson reached the rule's ``min_passed_ratio`` (None if it has not);
    * ``hours`` (float): the minutes of the lessons the rule asks for, in hours (what the course
      takes, not the time the learner spent);
    * ``labs``: the team labs the rule asks for (empty when it asks for none), each
      ``{lab, title, done, score, max, reason, submitted_at}`` -- the learner's own team's graded total
      and the lab's maximum (None without a grade), ``reason`` in Korean when not done (no course
      directory or gradebook, not released, no team, not submitted, not graded, below the pass ratio);
    * ``completed`` (bool): every lesson and every lab the rule asks for is done;
    * ``first_at``: the UTC ISO time of the learner's first event in this course (None if none);
    * ``completed_at``: the UTC ISO time the last required part was done (the last lesson, or the graded
      submission of a lab if later; None unless completed).

    Formative: the checks run in the learner's own kernel (lab grades come from the exchange).
    Raises :class:`CourseError` for a tier without a course or without a completion rule."""
    found = course(tier)
    evts = events.read(state_dir, user=user, tier=tier)
    rows = lesson_rows(found, evts)
    required = [r for r in rows if r["number"] in found.rule_lessons]
    labs = lab_standing.standing(state_dir, user, found.rule_labs, found.lab_pass_ratio) if found.rule_labs else []
    completed = bool(required) and all(r["completed_at"] for r in required) and all(lab["done"] for lab in labs)
    times = [r["completed_at"] for r in required] + [lab["submitted_at"] for lab in labs if lab["submitted_at"]]
    return {
        "user": user, "tier": tier, "course_title": found.title,
        "lessons": [{**{k: r[k] for k in ("lesson", "number", "title", "passed", "total", "minutes", "completed_at")},
                     "required": r["number"] in found.rule_lessons} for r in rows],
        "labs": labs, "hours": found.hours, "completed": completed,
        "first_at": evts[0]["at"] if evts else None,
        "completed_at": max(times) if completed else None,
    }
