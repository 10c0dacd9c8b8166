"""One nbgrader course directory, as datalit uses it.

Layout is nbgrader's own (``source/``, ``release/``, ``submitted/<team>/<lab>/``, ``autograded/``,
``feedback/``, ``gradebook.db``, ``nbgrader_config.py`` copied from ``grading/``) plus ``datalit/``
for what nbgrader has no place for: the roster, every submission ever made (archive), grading notes
per team, and logs. The directory is mode 0700: student kernels (sandbox users) cannot enter it.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from datalit import atomic
from datalit.config import load_config
from datalit.databases import gradebook_url, is_sqlite
from datalit.paths import checkout_path, repo_path

__all__ = ["Course", "LabError", "gradebook_url", "open_course"]  # gradebook_url: read by nbgrader_config.py


class LabError(RuntimeError):
    """A clear, user-facing error (the CLI prints it without a traceback)."""


class CoursePathError(LabError):
    """The course directory given is not one (a typo): the CLI says so and exits 2, nothing is created."""


@dataclass
class Course:
    root: Path
    cfg: dict  # the "lab" config section

    @property
    def course_id(self) -> str:
        return self.cfg["course_id"]

    @property
    def meta(self) -> Path:
        return self.root / "datalit"

    @property
    def db_url(self) -> str:
        return gradebook_url(self.root, self.cfg)

    @property
    def on_server(self) -> bool:
        """The gradebook is a PostgreSQL database (``lab.gradebook_url``), not ``gradebook.db`` here."""
        return not is_sqlite(self.db_url)

    def has_gradebook(self) -> bool:
        return self.on_server or (self.root / "gradebook.db").exists()

    def notes_path(self, lab: str, team: str) -> Path:
        return self.meta / "notes" / lab / f"{team}.json"

    def read_notes(self, lab: str, team: str) -> list[dict]:
        p = self.notes_path(lab, team)
        return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else []

    def write_notes(self, lab: str, team: str, notes: list[dict]) -> None:
        p = self.notes_path(lab, team)
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_json(p, notes)

    def add_note(self, lab: str, team: str, key: str, text: str) -> None:
        """Under the notes file's lock: the grading steps of one team (sandbox, checksums, lateness) may note
        at the same time from several processes, and each note stays."""
        p = self.notes_path(lab, team)
        p.parent.mkdir(parents=True, exist_ok=True)
        with atomic.locked(p):
            notes = [n for n in self.read_notes(lab, team) if n["key"] != key]
            notes.append({"key": key, "text": text})
            self.write_notes(lab, team, notes)


def open_course(course_dir: str | os.PathLike | None = None, overrides: dict | None = None,
                create: bool = True) -> Course:
    """The course at COURSE_DIR (else lab.course_dir). Only the commands that begin a course (``create``:
    team import, lab release) make it, and only inside a folder that exists; the others need a course
    there already, so a mistyped path is refused before anything is written."""
    cfg = load_config(overrides={"lab": overrides or {}})["lab"]
    root = course_dir or cfg["course_dir"]  # lab.course_dir: DATALIT_LAB_COURSE_DIR or the file
    if not root:
        raise LabError("no course directory: pass --course-dir DIR (or set lab.course_dir)")
    root = Path(root).resolve()
    if not create and not (root / "nbgrader_config.py").is_file():
        what = "not found" if not root.exists() else "is not a datalit course (no nbgrader_config.py)"
        raise CoursePathError(f"course directory {what}: {root}. Check the path; 'datalit team import' or "
                              "'datalit lab release' starts a new course.")
    if root.exists() and not root.is_dir():
        raise CoursePathError(f"course directory is a file, not a folder: {root}")
    if not root.is_dir():
        if not root.parent.is_dir():
            raise CoursePathError(f"cannot start a course at {root}: its parent folder {root.parent} does not "
                                  "exist. Check the path (a new course is made only inside an existing folder).")
        root.mkdir()
    cfg["course_dir"] = str(root)
    os.environ["DATALIT_LAB_COURSE_DIR"] = str(root)  # read by nbgrader_config.py in child processes too
    for key in ("exchange_dir", "teams_dir", "course_id", "sandbox_dir", "timeout", "cell_timeout", "memory_mb",
                "cpu_seconds", "max_processes", "max_output_bytes", "max_file_mb", "sandbox"):
        os.environ[f"DATALIT_LAB_{key.upper()}"] = str(cfg[key])
    course = Course(root, cfg)
    if create:
        _prepare(course)
    return course


def _prepare(course: Course) -> None:
    os.chmod(course.root, 0o700)
    for sub in ("source", "release", "submitted", "autograded", "feedback", "datalit"):
        (course.root / sub).mkdir(exist_ok=True)
    config = repo_path("grading", "nbgrader_config.py")
    target = course.root / "nbgrader_config.py"
    if not target.exists() or target.read_bytes() != config.read_bytes():
        shutil.copyfile(config, target)


def lab_dir(lab: str) -> Path:
    d = checkout_path("labs", lab)
    if not (d / "lab.yaml").is_file():
        known = ", ".join(available_labs()) or "(none)"
        raise LabError(f"unknown lab '{lab}' (labs: {known})")
    return d


def available_labs() -> list[str]:
    base = checkout_path("labs")
    return sorted(p.parent.name for p in base.glob("*/lab.yaml"))


def lab_info(lab: str) -> dict:
    return yaml.safe_load((lab_dir(lab) / "lab.yaml").read_text(encoding="utf-8"))


def nbgrader_config(course: Course):
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
    cfg.CourseDirectory.root = str(course.root)
    cfg.CourseDirectory.db_url = course.db_url
    cfg.CourseDirectory.course_id = course.course_id
    return cfg


@contextmanager
def in_course(course: Course):
    """cwd = course root and the venv's bin on PATH (nbgrader shells out to alembic)."""
    old_cwd, old_path = os.getcwd(), os.environ.get("PATH", "")
    venv_bin = str(Path(sys.executable).parent)
    if venv_bin not in old_path.split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + old_path
    os.chdir(course.root)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        os.environ["PATH"] = old_path


def api(course: Course):
    """nbgrader's own Python API on this course (call inside ``in_course``)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = nbgrader_config(course)
    coursedir = CourseDirectory(config=cfg)
    return NbGraderAPI(coursedir=coursedir, config=cfg)


def gradebook(course: Course):
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, course.course_id)
