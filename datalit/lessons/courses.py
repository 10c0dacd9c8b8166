"""Where the lessons are: ``courses/<tier>/NN-slug.ipynb`` and ``courses/<tier>/course.yaml``.

    >>> from datalit.lessons import courses
    >>> [l.title for l in courses.lessons("beginner")]
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from datalit.lessons.schema import TIERS

LESSON_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.ipynb$")


def courses_dir() -> Path:
    env = os.environ.get("DATALIT_COURSES_DIR")
    if env:
        return Path(env)
    from datalit.paths import repo_path

    return repo_path("courses")


@dataclass
class Lesson:
    path: Path
    tier: str
    number: int
    slug: str
    title: str
    minutes: int

    @property
    def name(self) -> str:
        return self.path.name


def lesson_paths(tier: str | None = None, root: Path | None = None) -> list[Path]:
    """Lesson notebooks on disk, tier order then number order."""
    root = Path(root) if root else courses_dir()
    tiers = [tier] if tier else list(TIERS)
    out = []
    for t in tiers:
        folder = root / t
        if folder.is_dir():
            out += sorted(p for p in folder.glob("*.ipynb") if LESSON_NAME.match(p.name))
    return out


def read_notebook(path: Path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


def lesson_info(path: Path) -> Lesson:
    nb = read_notebook(path)
    meta = nb.metadata.get("datalit", {}) or {}
    m = LESSON_NAME.match(path.name)
    return Lesson(path=path, tier=meta.get("tier", path.parent.name), number=int(m.group(1)) if m else 0,
                  slug=m.group(2) if m else path.stem, title=meta.get("title", "?"),
                  minutes=int(meta.get("minutes", 0) or 0))


def lessons(tier: str | None = None, root: Path | None = None) -> list[Lesson]:
    return [lesson_info(p) for p in lesson_paths(tier, root)]


def read_manifest(tier: str, root: Path | None = None) -> dict | None:
    import yaml

    path = (Path(root) if root else courses_dir()) / tier / "course.yaml"
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in (c.get("metadata", {}).get("tags") or [])]


def exercise_module(path: Path) -> str:
    """The lesson's exercise module, named after the lesson file: ``courses/beginner/03-select-filter-sort.ipynb``
    -> ``beginner.select_filter_sort`` (``datalit.lessons.exercises.beginner.select_filter_sort``)."""
    path = Path(path)
    m = LESSON_NAME.match(path.name)
    return f"{path.parent.name}.{(m.group(2) if m else path.stem).replace('-', '_')}"
