"""Lesson metadata (``metadata.datalit``) and course manifest (``courses/<tier>/course.yaml``) schema.

    >>> from datalit.lessons import schema
    >>> schema.lesson_errors(nb.metadata["datalit"])      # [] when valid
    >>> schema.parameter_errors(spec, "강남구")             # validate a report's parameter value

Parameter specs (``metadata.datalit.parameters``): name -> {type, label, min, max, values, dataset, column}
with type one of gu, month (YYYY-MM), date (YYYY-MM-DD), int, float, str, choice. The default values are
the assignments in the cell tagged ``parameters``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("lesson.schema.yaml")
TIERS = ("beginner", "intermediate", "advanced", "citizen")  # citizen: Big Data Campus workshops
SEOUL_GU = (
    "종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구", "도봉구",
    "노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구", "영등포구", "동작구",
    "관악구", "서초구", "강남구", "송파구", "강동구",
)


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


def parameter_errors(spec: dict, value) -> list[str]:
    """Is ``value`` acceptable for this parameter spec? (Korean messages, for learners and report users.)"""
    kind = spec.get("type")
    label = spec.get("label", "값")
    lo, hi = spec.get("min"), spec.get("max")
    if kind == "gu":
        return [] if value in SEOUL_GU else [f"{label}: '{value}'은(는) 서울의 25개 자치구 이름이 아니에요 (예: 마포구)."]
    if kind in ("month", "date"):
        pattern = r"^\d{4}-\d{2}$" if kind == "month" else r"^\d{4}-\d{2}-\d{2}$"
        shape = "YYYY-MM" if kind == "month" else "YYYY-MM-DD"
        if not isinstance(value, str) or not re.match(pattern, value):
            return [f"{label}: '{value}'은(는) {shape} 형식이 아니에요."]
    elif kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == "int" and not isinstance(value, int)):
            return [f"{label}: '{value}'은(는) {'정수' if kind == 'int' else '숫자'}가 아니에요."]
    elif kind == "str":
        if not isinstance(value, str):
            return [f"{label}: 문자열이어야 해요."]
    elif kind == "choice":
        allowed = spec.get("values")
        if allowed is None and spec.get("dataset"):
            from datalit import data

            df = data.load(spec["dataset"], spec.get("table"))
            allowed = sorted(df[spec["column"]].dropna().astype(str).unique())
        if allowed is not None and value not in allowed:
            return [f"{label}: '{value}'은(는) 고를 수 있는 값이 아니에요."]
        return []
    else:
        return [f"unknown parameter type {kind!r}"]
    if lo is not None and value < lo:
        return [f"{label}: {value}은(는) 가능한 범위({lo} ~ {hi})보다 작아요."]
    if hi is not None and value > hi:
        return [f"{label}: {value}은(는) 가능한 범위({lo} ~ {hi})보다 커요."]
    return []
