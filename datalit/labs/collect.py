"""``datalit lab collect LAB``: the exchange's submissions -> archive of every one -> one per team.

Members submit through the ``datalit-exchange`` hub service (JupyterLab's Assignments panel or
``datalit lab submit``), which records who submitted (from the hub, never from a path), for which
team (the roster) and when (its own clock, UTC). Collect archives every submission in the course
(a resubmission keeps the earlier ones) and copies the latest one per team to
``submitted/<team>/<lab>/`` — nbgrader's layout, so ``nbgrader autograde`` and the formgrader work
on it. On the way it checks what would break grading and leaves a Korean note for the team instead:
big files (not copied), notebooks that are not valid JSON (graded as the blank released notebook,
the original kept in the archive), unknown kernel names, edited or deleted test cells.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from datalit import atomic
from datalit.exchange.store import write_tree
from datalit.kst import as_utc
from datalit.labs import messages
from datalit.labs import roster as roster_mod
from datalit.labs.course import Course, LabError, gradebook, in_course


def _copy_tree(src: Path, dest: Path, limit: int) -> list[tuple[str, int]]:
    """Copy src to dest without symlinks and files over ``limit`` bytes; return the skipped ones."""
    skipped = []
    for root, dirs, files in os.walk(src):
        rel = Path(root).relative_to(src)
        dirs[:] = [x for x in dirs if not (Path(root) / x).is_symlink()]
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for f in files:
            p = Path(root) / f
            if p.is_symlink():
                continue
            size = p.stat().st_size
            if size > limit:
                skipped.append((str(rel / f), size))
                continue
            shutil.copy2(p, dest / rel / f)
    return skipped


def _check_notebooks(course: Course, lab: str, team: str, dest: Path) -> None:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager

    release = course.root / "release" / lab
    kernels = set(KernelSpecManager().find_kernel_specs())
    for blank in sorted(release.glob("*.ipynb")):
        sub = dest / blank.name
        if not sub.exists():
            course.add_note(lab, team, f"missing:{blank.stem}", messages.note("missing_notebook", notebook=blank.name))
            continue
        try:
            nb = nbformat.read(sub, as_version=4)
        except Exception:  # noqa: BLE001 - not JSON, not a notebook, bad encoding...
            course.add_note(lab, team, f"invalid_json:{blank.stem}", messages.note("invalid_json", notebook=blank.name))
            shutil.copy2(blank, sub)
            continue
        kernel = nb.metadata.get("kernelspec", {}).get("name", "")
        if kernel not in kernels:
            course.add_note(lab, team, "kernel_name", messages.note("kernel_name", kernel=kernel or "(없음)"))
        ref = nbformat.read(blank, as_version=4)
        tests = {c.metadata["nbgrader"]["grade_id"]: c.source for c in ref.cells
                 if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}
        got = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
        if any(got.get(gid) != src for gid, src in tests.items()):
            course.add_note(lab, team, "checksum", messages.note("checksum"))
        if _restore_deleted_tests(nb, ref, set(tests) - set(got)):
            nbformat.write(nb, sub)  # the original stays untouched in the archive


def _restore_deleted_tests(nb, ref, missing: set) -> bool:
    """Put deleted test cells back where they were (nbgrader only restores edited ones)."""
    import copy

    def gid(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id")

    for i, cell in enumerate(ref.cells):
        if gid(cell) not in missing:
            continue
        ids = [gid(c) for c in nb.cells]
        pos = 0
        for prev in reversed(ref.cells[:i]):
            if gid(prev) in ids:
                pos = ids.index(gid(prev)) + 1
                break
        nb.cells.insert(pos, copy.deepcopy(cell))
    return bool(missing)


def _archive(course: Course, backend, lab: str, sub: dict) -> Path:
    """The course's own copy of one submission (files as received, plus who/when)."""
    kept = course.meta / "submissions" / lab / sub["team"] / sub["id"]
    if not kept.exists():
        tmp = kept.with_name(kept.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        write_tree(tmp, backend.submission_files(lab, sub["team"], sub["id"]))
        tmp.rename(kept)
        atomic.write_json(kept.parent / f"{sub['id']}.json", sub, indent=None)
    return kept


def collect(course: Course, lab: str) -> dict:
    from datalit.labs.publish import backend as exchange

    roster = roster_mod.load(course)
    if lab not in roster:
        raise LabError(f"no teams for lab '{lab}' in the roster: run 'datalit team import' first")
    limit = int(course.cfg["max_file_mb"]) * 1024 * 1024
    with in_course(course), gradebook(course) as gb:
        duedate = gb.find_assignment(lab).duedate
    duedate = as_utc(duedate)  # nbgrader's gradebook keeps naive UTC
    backend = exchange(course)
    by_team: dict[str, list[dict]] = {}
    for sub in backend.submissions(lab):
        _archive(course, backend, lab, sub)
        by_team.setdefault(sub["team"], []).append(sub)
    summary = {"lab": lab, "teams": {}, "unknown_members": [],
               "missing": sorted(t for t in roster[lab] if t not in by_team)}
    for team, subs in sorted(by_team.items()):
        chosen = subs[-1]
        dest = course.root / "submitted" / team / lab
        record_path = course.meta / "submissions" / lab / team / "graded.json"
        if record_path.exists() and json.loads(record_path.read_text())["name"] == chosen["id"] and dest.exists():
            summary["teams"][team] = json.loads(record_path.read_text())
            continue
        shutil.rmtree(dest, ignore_errors=True)
        course.write_notes(lab, team, [])
        dest.parent.mkdir(parents=True, exist_ok=True)
        skipped = _copy_tree(course.meta / "submissions" / lab / team / chosen["id"], dest, limit)
        for name, size in skipped:
            course.add_note(lab, team, f"big_file:{name}", messages.note(
                "big_file", file=name, size_mb=f"{size / 2**20:,.0f}", max_file_mb=course.cfg["max_file_mb"]))
        (dest / "timestamp.txt").write_text(chosen["nbgrader_timestamp"])
        _check_notebooks(course, lab, team, dest)
        late = 0.0
        if duedate is not None:
            late = max(0.0, (datetime.fromisoformat(chosen["timestamp"]) - duedate).total_seconds())
        record = {"name": chosen["id"], "team": team, "submitted_by": chosen["member"],
                  "timestamp": chosen["timestamp"], "seconds_late": late,
                  "due": duedate.isoformat() if duedate is not None else None,
                  "history": [{"member": s["member"], "timestamp": s["timestamp"]} for s in subs]}
        atomic.write_json(record_path, record)
        summary["teams"][team] = record
    return summary


def submission_record(course: Course, lab: str, team: str) -> dict | None:
    p = course.meta / "submissions" / lab / team / "graded.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None


def summary_lines(summary: dict, per_day: float) -> list[str]:
    """What ``datalit lab collect`` prints: per team who submitted and when in Korea time, and for a late
    one how late and the penalty it carries (``lab.late_penalty_per_day``, datalit/labs/late.py)."""
    from datalit.kst import shown
    from datalit.labs.late import lateness

    lines = []
    for team, rec in summary["teams"].items():
        line = f"{team}: {rec['submitted_by']} {shown(rec['timestamp'])} ({len(rec['history'])} submissions)"
        late = lateness(rec.get("due"), rec["timestamp"], per_day)
        if late:
            line += f" · 마감 {shown(rec['due'])}보다 {late['late']} 늦음 / late, 감점 / penalty {late['percent']}%"
        lines.append(line)
    return lines
