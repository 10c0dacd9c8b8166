"""``datalit lab release LAB [--force]``: source -> nbgrader generate_assignment -> the exchange's store.

A release is staged and then switched in, so that nothing changes unless everything succeeded:

1. the due date is read first (:mod:`datalit.labs.deadline`); a date it cannot read changes nothing;
2. a lab released before needs ``--force`` (nbgrader alone ends in 'Destination already exists');
3. ``generate_assignment`` runs in a staging course (``datalit/.release-*``) on a copy of the
   gradebook, with the new due date: a broken source notebook fails there;
4. the student version is published to the exchange (its switch is atomic), then the gradebook is
   written back in one SQLite transaction and ``source/LAB`` and ``release/LAB`` are renamed in.
   If that last step fails, the exchange gets the previous release back.

With the gradebook on PostgreSQL (``lab.gradebook_url``) step 3 runs on a scratch SQLite gradebook and step 4
runs ``generate_assignment`` again, in the staging course, on the real one (nbgrader's own writes, not one
transaction: a failure there leaves the new lab's cells in the gradebook, and the previous files in place).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from datalit.kst import shown
from datalit.labs.course import Course, LabError, api, gradebook, in_course, lab_dir, lab_info
from datalit.labs.deadline import for_gradebook, from_gradebook, parse_due

__all__ = ["release", "parse_due", "hide_sources"]


def hide_sources() -> None:
    """The checkout's labs/ holds solutions and hidden tests, grading/labchecks the reference checks, .git
    the history of both: as root, make them root-only (nothing there is needed by hub users)."""
    from datalit.paths import grader_only_paths

    if os.geteuid() == 0:
        for path in grader_only_paths():
            if path.exists():
                os.chmod(path, 0o700)


def released_due(course: Course, lab: str) -> tuple[bool, datetime | None]:
    """(released before?, its due date in UTC) from the gradebook and the release folder."""
    from nbgrader.api import MissingEntry

    found = (course.root / "release" / lab).exists()
    due = None
    if course.has_gradebook():
        with in_course(course), gradebook(course) as gb:
            try:
                due = from_gradebook(gb.find_assignment(lab).duedate)
                found = True
            except MissingEntry:
                pass
    return found, due


def _sqlite_copy(src: Path, dest: Path) -> None:
    """A consistent copy of a SQLite file, written in one transaction (readers never see half of it)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    a.close()
    b.close()


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _stage(course: Course, lab: str, stage: Path, duedate: datetime | None) -> None:
    shutil.copyfile(course.root / "nbgrader_config.py", stage / "nbgrader_config.py")
    real_db = course.root / "gradebook.db"
    if real_db.exists() and not course.on_server:
        _sqlite_copy(real_db, stage / "gradebook.db")
        _sqlite_copy(real_db, stage / "gradebook.before.db")
    dest = stage / "source" / lab
    if (course.root / "source" / lab).is_dir():  # keeps what an instructor added to the course's source
        shutil.copytree(course.root / "source" / lab, dest, symlinks=True)
    dest.mkdir(parents=True, exist_ok=True)
    for f in lab_dir(lab).iterdir():
        if f.name == "lab.yaml" or f.name.startswith("."):
            continue
        if f.is_dir():
            shutil.copytree(f, dest / f.name, dirs_exist_ok=True)
        else:
            shutil.copy2(f, dest / f.name)
    _generate(Course(stage, {**course.cfg, "gradebook_url": ""}), lab, duedate, "nothing was changed")


def _generate(staged: Course, lab: str, duedate: datetime | None, outcome: str) -> None:
    with in_course(staged):
        with gradebook(staged) as gb:
            gb.update_or_create_assignment(lab, duedate=for_gradebook(duedate))
        result = api(staged).generate_assignment(lab, force=True, create=True)
    if not result["success"]:
        raise LabError(f"nbgrader generate_assignment failed ({outcome}):\n{result['log']}\n"
                       f"{result.get('error', '')}")


def _switch_in(course: Course, lab: str, stage: Path, duedate: datetime | None) -> None:
    real_db = course.root / "gradebook.db"
    if course.on_server:  # the staged files again, now recorded in the real gradebook
        _generate(Course(stage, course.cfg), lab, duedate, "the previous release is kept")
    elif real_db.exists():
        _sqlite_copy(stage / "gradebook.db", real_db)
    else:
        shutil.copyfile(stage / "gradebook.db", real_db)
    moved = []
    try:
        for sub in ("source", "release"):
            cur, old = course.root / sub / lab, stage / "previous" / sub
            old.parent.mkdir(exist_ok=True)
            cur.parent.mkdir(exist_ok=True)
            if cur.exists():
                os.rename(cur, old)
            moved.append((cur, old))
            os.rename(stage / sub / lab, cur)
    except OSError:
        for cur, old in reversed(moved):
            if old.exists():
                if cur.exists():
                    os.rename(cur, stage / f"failed-{cur.parent.name}")
                os.rename(old, cur)
        if (stage / "gradebook.before.db").exists():
            _sqlite_copy(stage / "gradebook.before.db", real_db)
        raise


def release(course: Course, lab: str, due: str | None = None, to_exchange: bool = True,
            force: bool = False) -> dict:
    info = lab_info(lab)
    duedate = parse_due(due if due else info.get("due"))  # a due date we cannot read changes nothing
    before, old_due = released_due(course, lab)
    if before and not force:
        raise LabError(
            f"'{lab}'은(는) 이미 배포되었습니다 (마감 {shown(old_due) if old_due else '없음'}). 다시 배포하려면 "
            f"--force 를 붙이세요: datalit lab release {lab} --force\n"
            f"'{lab}' was released before; re-release it with --force (nothing was changed).")
    hide_sources()
    from datalit.labs.publish import publish

    real_db = course.root / "gradebook.db"
    stage = Path(tempfile.mkdtemp(prefix=f".release-{lab}-", dir=course.meta))
    try:
        digest = _digest(real_db)
        _stage(course, lab, stage, duedate)
        if _digest(real_db) != digest:
            raise LabError("the gradebook changed while the release was prepared (grading running?); "
                           "nothing was changed, run the release again")
        if to_exchange:
            publish(course, lab, stage / "release" / lab, duedate)
        try:
            _switch_in(course, lab, stage, duedate)
        except (OSError, LabError) as exc:
            if to_exchange and (course.root / "release" / lab).is_dir():
                publish(course, lab, course.root / "release" / lab, old_due)  # the previous release back
            raise LabError(f"switching in the new release of {lab} failed; the previous one is kept: {exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"lab": lab, "due": duedate.isoformat() if duedate else None,
            "due_shown": shown(duedate) if duedate else None, "replaced": before,
            "release": str(course.root / "release" / lab)}
