"""Lesson metadata (``metadata.datalit``) and course manifest (``courses/<tier>/course.yaml``) schema.

    >>> from datalit.lessons import schema
    >>> schema.lesson_errors(nb.metadata["datalit"])      # [] when valid

Parameter specs (``metadata.datalit.parameters``): name -> {type, label, min, max, values, dataset, column}
with type one of gu, month (YYYY-MM), date (YYYY-MM-DD), int, float, str, choice. The default values are
the assignments in the cell tagged ``parameters``; values are read, checked and injected by
``datalit.reports.params``, the one parameter module of lessons and reports.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("lesson.schema.yaml")
TIERS = ("beginner", "intermediate", "advanced", "citizen")  # citizen: Big Data Campus workshops


@lru_cache(maxsize=1)
def _schemas() -> dict:
    import yaml

    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def _errors(kind: str, instance) -> list[str]:
    import jsonschema

    full = _schemas()
    schema = dict(full[kind])
    schema["$defs"] = full["$defs"]
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in err.path) or "(top)"
        out.append(f"{where}: {err.message}")
    return out


def lesson_errors(meta) -> list[str]:
    """Schema problems of a notebook's metadata.datalit (empty list = valid)."""
    if not isinstance(meta, dict):
        return ["metadata.datalit is missing"]
    return _errors("lesson", meta)


def course_errors(manifest) -> list[str]:
    """Schema problems of a course.yaml (empty list = valid)."""
    return _errors("course", manifest)
