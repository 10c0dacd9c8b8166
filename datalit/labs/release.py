"""``datalit lab release LAB``: source -> nbgrader generate_assignment -> the exchange service's store."""
from __future__ import annotations

import os
import shutil
from datetime import datetime

from datalit.labs.course import Course, LabError, api, gradebook, in_course, lab_dir, lab_info


def parse_due(text: str | None):
    if not text:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except Exception as exc:  # noqa: BLE001
        raise LabError(f"cannot read the due date '{text}': {exc}") from exc


def hide_sources() -> None:
    """The checkout's labs/ holds solutions and hidden tests, grading/labchecks the reference checks, .git
    the history of both: as root, make them root-only (nothing there is needed by hub users)."""
    from datalit.paths import grader_only_paths

    if os.geteuid() == 0:
        for path in grader_only_paths():
            if path.exists():
                os.chmod(path, 0o700)


def release(course: Course, lab: str, due: str | None = None, to_exchange: bool = True) -> dict:
    src = lab_dir(lab)
    hide_sources()
    info = lab_info(lab)
    dest = course.root / "source" / lab
    dest.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.name == "lab.yaml" or f.name.startswith("."):
            continue
        if f.is_dir():
            shutil.copytree(f, dest / f.name, dirs_exist_ok=True)
        else:
            shutil.copy2(f, dest / f.name)
    duedate = parse_due(due or info.get("due"))
    with in_course(course):
        with gradebook(course) as gb:
            gb.update_or_create_assignment(lab, duedate=duedate)
        nb = api(course)
        result = nb.generate_assignment(lab, force=True, create=True)
        if not result["success"]:
            raise LabError(f"nbgrader generate_assignment failed:\n{result['log']}\n{result.get('error', '')}")
    if to_exchange:
        from datalit.labs.publish import publish

        publish(course, lab, course.root / "release" / lab, duedate)
    return {"lab": lab, "due": duedate.isoformat() if isinstance(duedate, datetime) else None,
            "release": str(course.root / "release" / lab)}
