"""``datalit lab export LAB``: one row per member, and the Korean completion summary (이수 현황).

Scores come from nbgrader's gradebook (so manual grades given in the formgrader count): a grade
with an ``auto_score`` is autograded (an instructor override in the formgrader still wins), the
others are the manually graded rubric parts. Late penalties are nbgrader's (``LatePenalty``).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from datalit.kst import shown
from datalit.labs import roster as roster_mod
from datalit.labs.collect import submission_record
from datalit.labs.course import Course, gradebook, in_course
from datalit.labs.deadline import from_gradebook

COLUMNS = ["member", "team", "lab", "auto_score", "manual_score", "total", "max", "late", "late_penalty",
           "submitted_by", "submitted_at", "due"]  # times in Korea time: 'YYYY-MM-DD HH:MM (KST)'


def team_scores(course: Course, lab: str) -> dict[str, dict]:
    out = {}
    with in_course(course), gradebook(course) as gb:
        assignment = gb.find_assignment(lab)
        max_score = float(assignment.max_score or 0)
        for sub in assignment.submissions:
            auto = manual = 0.0
            needs_manual = False
            for nb in sub.notebooks:
                answers = {c.name for c in nb.notebook.solution_cells}
                for g in nb.grades:
                    if g.name in answers or g.auto_score is None:  # a rubric part (chart, text)
                        manual += float(g.score or 0)
                        needs_manual = needs_manual or bool(g.needs_manual_grade)
                    else:  # an autograded test cell (a formgrader override still counts)
                        auto += float(g.score or 0)
            penalty = float(sub.late_submission_penalty or 0)
            out[sub.student.id] = {"auto": auto, "manual": manual, "penalty": penalty,
                                   "score": max(0.0, auto + manual - penalty), "max": max_score,
                                   "needs_manual": needs_manual,
                                   "seconds_late": float(sub.total_seconds_late or 0)}
    return out


def rows(course: Course, lab: str) -> list[dict]:
    roster = roster_mod.load(course)
    scores = team_scores(course, lab)
    with in_course(course), gradebook(course) as gb:
        assignment = gb.find_assignment(lab)
        max_score, due = float(assignment.max_score or 0), from_gradebook(assignment.duedate)
    out = []
    for team, members in sorted(roster.get(lab, {}).items()):
        s = scores.get(team)
        rec = submission_record(course, lab, team) or {}
        for m in members:
            out.append({
                "member": m, "team": team, "lab": lab,
                "auto_score": round(s["auto"], 2) if s else 0.0,
                "manual_score": round(s["manual"], 2) if s else 0.0,
                "total": round(s["score"], 2) if s else 0.0,
                "max": max_score,
                "late": bool(rec.get("seconds_late", 0) > 0),
                "late_penalty": round(s["penalty"], 2) if s else 0.0,
                "submitted_by": rec.get("submitted_by", ""),
                "submitted_at": shown(rec["timestamp"]) if rec.get("timestamp") else "",
                "due": shown(due) if due else "",
            })
    return out


def to_csv(records: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(records)
    return buf.getvalue()


def completion(course: Course, labs: list[str], pass_ratio: float | None = None) -> list[dict]:
    """Per learner across labs: 제출, 점수 비율, 이수 (all labs submitted and >= pass_ratio of max;
    None: lab.pass_ratio, the same default as the course rule in datalit/progress/lab_standing.py)."""
    pass_ratio = float(course.cfg["pass_ratio"] if pass_ratio is None else pass_ratio)
    roster = roster_mod.load(course)
    per: dict[str, dict] = {}
    for lab in labs:
        try:
            lab_rows = rows(course, lab)
        except Exception:  # noqa: BLE001 - a lab not released yet counts as not done
            lab_rows = [{"member": m, "team": t, "lab": lab, "total": 0.0, "max": 0.0, "submitted_by": ""}
                        for t, ms in roster.get(lab, {}).items() for m in ms]
        for r in lab_rows:
            p = per.setdefault(r["member"], {"member": r["member"], "labs": {}})
            p["labs"][lab] = r
    out = []
    for member, p in sorted(per.items()):
        cells = {}
        done = 0
        for lab in labs:
            r = p["labs"].get(lab)
            if r is None:
                cells[lab] = "배정 없음"
                continue
            ok = bool(r["submitted_by"]) and r["max"] > 0 and r["total"] >= pass_ratio * r["max"]
            done += ok
            cells[lab] = f"{r['total']:g}/{r['max']:g}" + (" ✔" if ok else "") if r["submitted_by"] else "미제출"
        status = "이수" if done == len(labs) else f"미이수 ({done}/{len(labs)})"
        out.append({"학습자": member, **cells, "이수 현황": status})
    return out


def completion_markdown(course: Course, labs: list[str], pass_ratio: float | None = None) -> str:
    pass_ratio = float(course.cfg["pass_ratio"] if pass_ratio is None else pass_ratio)
    table = completion(course, labs, pass_ratio)
    head = ["학습자", *labs, "이수 현황"]
    lines = [f"# 이수 현황 ({course.course_id})", "",
             f"기준: 모든 팀 실습을 제출하고 각 실습에서 만점의 {pass_ratio:.0%} 이상.", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table:
        lines.append("| " + " | ".join(str(r.get(h, "")) for h in head) + " |")
    done = sum(r["이수 현황"] == "이수" for r in table)
    lines += ["", f"이수 {done}명 / 전체 {len(table)}명"]
    return "\n".join(lines) + "\n"


def export(course: Course, lab: str, out: str | Path | None = None, labs: list[str] | None = None) -> dict:
    out_dir = Path(out) if out else course.root / "exports"
    out_dir.mkdir(parents=True, exist_ok=True)
    records = rows(course, lab)
    csv_path = out_dir / f"{lab}.csv"
    csv_path.write_text(to_csv(records), encoding="utf-8-sig")
    labs = labs or sorted(roster_mod.load(course))
    md_path = out_dir / "이수현황.md"
    md_path.write_text(completion_markdown(course, labs), encoding="utf-8")
    return {"csv": str(csv_path), "completion": str(md_path), "rows": len(records)}
