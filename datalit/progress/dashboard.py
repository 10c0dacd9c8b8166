"""What the record says across learners of one course: the instructor's dashboard and ``datalit progress``.

* the grid: learners x lessons (passed/total, done);
* who is stuck: a learner who failed the same question :data:`STUCK_FAILS` times or more and has not
  passed it yet;
* the most failed questions;
* the most frequent *undiagnosed* wrong answers per question: what a lesson author should add a
  ``Wrong(..., diagnose=True)`` for (the counterpart of ``datalit lesson feedback-stats``, measured on
  real learners instead of the lessons' own examples).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from datalit import kst
from datalit.progress import approvals, events, evidence
from datalit.progress.record import course, lesson_rows

STUCK_FAILS = 3
TOP = 10


def overview(state_dir, tier: str, members: list[str] = ()) -> dict:
    """Everything the dashboard of TIER shows; MEMBERS (the tier's group) are listed even with no event."""
    found = course(tier)
    evts = events.read(state_dir, tier=tier)
    by_user: dict[str, list[dict]] = defaultdict(list)
    for e in evts:
        by_user[e["user"]].append(e)
    learners = sorted(set(by_user) | set(members))
    approved = approvals.of_tier(state_dir, tier)
    grid = []
    for user in learners:
        rows = evidence.lesson_evidence(lesson_rows(found, by_user.get(user, [])), by_user.get(user, []))
        last = by_user[user][-1]["at"] if by_user.get(user) else None
        required = [r for r in rows if r["number"] in found.rule_lessons]
        grid.append({"user": user, "lessons": rows, "done": sum(1 for r in rows if r["completed_at"]),
                     "last": kst.shown(last) if last else "-", "flags": sum(1 for r in rows if r["flag"]),
                     "lessons_complete": bool(required) and all(r["completed_at"] for r in required),
                     "approved": approved.get(user) and {**approved[user], "shown": kst.shown(approved[user]["at"])}})
    fails: Counter = Counter()
    passed: set = set()
    failers: dict = defaultdict(set)
    undiagnosed: dict = defaultdict(Counter)
    for e in evts:
        if e["kind"] != "check":
            continue
        key = (e["lesson"], e["question"])
        if e.get("ok") is True:
            passed.add((e["user"], *key))
        else:
            fails[(e["user"], *key)] += 1
            failers[key].add(e["user"])
            if e.get("diagnosis") == "undiagnosed" and isinstance(e.get("value"), str):
                undiagnosed[key][e["value"]] += 1
    stuck = sorted(({"user": u, "lesson": lesson, "question": q, "fails": n}
                    for (u, lesson, q), n in fails.items() if n >= STUCK_FAILS and (u, lesson, q) not in passed),
                   key=lambda r: (-r["fails"], r["user"], r["lesson"], r["question"]))
    per_question: Counter = Counter()
    for (u, lesson, q), n in fails.items():
        per_question[(lesson, q)] += n
    most_failed = [{"lesson": lesson, "question": q, "fails": n, "learners": len(failers[(lesson, q)])}
                   for (lesson, q), n in sorted(per_question.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]
    gaps = [{"lesson": lesson, "question": q, "answers": [{"value": v, "count": c} for v, c in counter.most_common(5)]}
            for (lesson, q), counter in sorted(undiagnosed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))]
    return {"tier": tier, "course_title": found.title, "lessons": [{"lesson": e.lesson, "title": e.title,
            "number": e.number, "total": len(e.questions)} for e in found.lessons],
            "grid": grid, "stuck": stuck, "most_failed": most_failed, "gaps": gaps}


def lessons_complete(state_dir, tier: str, user: str) -> bool:
    """Every lesson the completion rule of TIER asks for is done in USER's record (what an approval needs)."""
    found = course(tier)
    rows = lesson_rows(found, events.read(state_dir, user=user, tier=tier))
    required = [r for r in rows if r["number"] in found.rule_lessons]
    return bool(required) and all(r["completed_at"] for r in required)


def export_rows(state_dir, tiers: list[str]) -> list[dict]:
    """``datalit progress export``: one row per learner and lesson, completion time in Korea time."""
    out = []
    for tier in tiers:
        found = course(tier)
        by_user: dict[str, list[dict]] = defaultdict(list)
        for e in events.read(state_dir, tier=tier):
            by_user[e["user"]].append(e)
        for user in sorted(by_user):
            for r in lesson_rows(found, by_user[user]):
                out.append({"user": user, "tier": tier, "lesson": r["lesson"], "passed": r["passed"],
                            "total": r["total"], "minutes": r["minutes"],
                            "completed": kst.shown(r["completed_at"]) if r["completed_at"] else ""})
    return out
