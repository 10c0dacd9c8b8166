"""Notebook parameters, for reports and lessons alike: read the declaration, parse CLI text, validate, inject —
all but the last before any kernel starts. The one parameter module: ``datalit report`` and ``datalit lesson
run``/``check`` both use it.

A report notebook declares its parameters in ``metadata.datalit.parameters`` (name -> spec)::

    {"gu": {"type": "gu", "label": "자치구"},
     "month": {"type": "month", "min": "2023-01", "max": "2023-10"},
     "station": {"type": "choice", "dataset": "seoul_subway_daily_ridership_2023", "column": "station"}}

Types: gu, month, period (``YYYY-MM..YYYY-MM`` or one ``YYYY-MM``), date, int, float, str, choice
(``values`` list, or ``dataset`` + ``column`` [+ ``table``]). Defaults are the values assigned in the cell tagged ``parameters``. Names assigned
in that cell but not declared are accepted with the type of their default (so plain papermill
notebooks, e.g. course lessons, run too). ``inject(nb, values)`` adds papermill's cell of new values after it.
"""
from __future__ import annotations

import ast
import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datalit.reports.param_values import ParameterError, dataset_values  # ParameterError's public place is here

TYPES = ("gu", "month", "period", "date", "int", "float", "str", "bool", "choice")
TYPE_KO = {"gu": "자치구", "month": "월(YYYY-MM)", "period": "기간(YYYY-MM..YYYY-MM)", "date": "날짜(YYYY-MM-DD)", "int": "정수", "float": "실수",
           "str": "문자열", "bool": "참/거짓", "choice": "선택"}


@dataclass
class Spec:
    name: str
    type: str
    label: str = ""
    default: Any = None
    has_default: bool = False
    min: Any = None
    max: Any = None
    values: list | None = None
    dataset: str | None = None
    table: str | None = None
    column: str | None = None
    declared: bool = True
    extra: dict = field(default_factory=dict)

    def allowed(self, limit: int = 30) -> str:
        """What is allowed, in words (used by errors and ``report params``)."""
        if self.type in ("gu", "choice"):
            vals = allowed_values(self)
            shown = ", ".join(map(str, vals[:limit]))
            return shown + (f", … ({len(vals)}개 / {len(vals)} values)" if len(vals) > limit else "")
        if self.type == "bool":
            return "true, false"
        if self.min is not None or self.max is not None:
            return f"{self.min if self.min is not None else '…'} .. {self.max if self.max is not None else '…'}"
        return f"any {self.type}"


def gu_names() -> list[str]:
    from datalit.seoul import GU_NAMES

    return list(GU_NAMES)


def allowed_values(spec: Spec) -> list:
    if spec.type == "gu":
        return gu_names()
    if spec.values is not None:
        return list(spec.values)
    if spec.dataset:
        return dataset_values(spec.dataset, spec.table, spec.column)
    return []


# ---------------------------------------------------------------- reading a notebook

def find_notebook(name: str | Path) -> Path:
    """A notebook path, or the name of a template in the checkout's ``reports/`` (``safety_profile``)."""
    path = Path(name)
    if path.is_file():
        return path
    from datalit.paths import repo_path

    for candidate in (repo_path("reports", str(name)), repo_path("reports", f"{name}.ipynb")):
        if candidate.is_file():
            return candidate
    known = ", ".join(sorted(p.stem for p in repo_path("reports").glob("*.ipynb")))
    raise ParameterError(f"노트북을 찾을 수 없습니다: {name} (보고서 템플릿: {known})",
                         f"notebook not found: {name} (report templates: {known})")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parameters_cell(nb) -> tuple[int, Any] | None:
    for i, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i, cell
    return None


def cell_defaults(source: str) -> dict[str, Any]:
    """Literal assignments ``name = value`` in the parameters cell (no code is executed)."""
    out: dict[str, Any] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"parameters 셀을 읽을 수 없습니다: {exc}", f"cannot parse the parameters cell: {exc}")
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                try:
                    out[target.id] = ast.literal_eval(value)
                except ValueError:
                    out[target.id] = None
    return out


def defaults(nb) -> dict[str, Any]:
    """The values assigned in the notebook's ``parameters`` cell ({} without one)."""
    found = parameters_cell(nb)
    return cell_defaults(_source(found[1])) if found else {}


def inject(nb, values: dict[str, Any]):
    """A copy of ``nb`` with the cell tagged ``injected-parameters`` that sets ``values``, right after the
    ``parameters`` cell: papermill's own injector, the one ``papermill.execute_notebook`` uses for reports."""
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {})
    untagged = [c for c in nb.cells if "tags" not in c.metadata]
    for cell in untagged:  # papermill looks for its tags in every cell
        cell.metadata["tags"] = []
    nb = parameterize_notebook(nb, values)
    for cell in untagged:
        del cell.metadata["tags"]
    return nb


def _infer_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


def read_specs(notebook: str | Path | Any) -> dict[str, Spec]:
    """The notebook's parameters (declared in metadata, defaults from the ``parameters`` cell)."""
    if isinstance(notebook, (str, Path)):  # plain JSON: no nbformat/jsonschema import (fast cached batches)
        import json

        try:
            nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ParameterError(f"노트북을 읽을 수 없습니다: {notebook} ({exc})",
                                 f"cannot read the notebook {notebook}: {exc}") from None
    else:
        nb = notebook
    declared = nb.get("metadata", {}).get("datalit", {}).get("parameters", {}) or {}
    assigned = defaults(nb)
    specs: dict[str, Spec] = {}
    for name, raw in declared.items():
        raw = dict(raw)
        kind = raw.pop("type", "str")
        if kind not in TYPES:
            raise ParameterError(f"'{name}' 매개변수의 형식 '{kind}'을(를) 알 수 없습니다 (가능: {', '.join(TYPES)}).",
                                 f"parameter '{name}': unknown type '{kind}' (known: {', '.join(TYPES)})")
        known = {k: raw.pop(k) for k in ("label", "min", "max", "values", "dataset", "table", "column") if k in raw}
        specs[name] = Spec(name=name, type=kind, default=assigned.get(name), has_default=name in assigned,
                           extra=raw, **known)
    for name, value in assigned.items():
        if name not in specs:
            specs[name] = Spec(name=name, type=_infer_type(value), default=value, has_default=True, declared=False)
    return specs


# ---------------------------------------------------------------- parsing and checking values

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(text: str) -> str:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError
    return f"{m.group(1)}-{m.group(2)}"


def _period(text: str) -> str:
    """``YYYY-MM..YYYY-MM`` (start not after end) or one month, always returned as a range."""
    start, sep, end = text.strip().partition("..")
    start, end = _month(start), _month(end) if sep else _month(start)
    if start > end:
        raise ValueError
    return f"{start}..{end}"


def _date(text: str) -> str:
    return dt.date.fromisoformat(text.strip()).isoformat()


def coerce(spec: Spec, value: Any) -> Any:
    """Turn a CLI string (or a Python value) into the declared type; raise ParameterError if impossible."""
    try:
        if spec.type == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value) if not isinstance(value, float) or value.is_integer() else _fail()
        if spec.type == "float":
            return float(value)
        if spec.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"true", "1", "yes", "y", "참"}:
                return True
            if text in {"false", "0", "no", "n", "거짓"}:
                return False
            raise ValueError
        if spec.type == "month":
            return _month(str(value))
        if spec.type == "period":
            return _period(str(value))
        if spec.type == "date":
            return _date(str(value))
        return str(value).strip() if isinstance(value, str) else str(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"'{spec.name}' 값 {value!r}은(는) {TYPE_KO[spec.type]} 형식이 아닙니다. 허용: {spec.allowed()}",
            f"parameter '{spec.name}': {value!r} is not a valid {spec.type}. Allowed: {spec.allowed()}",
        ) from None


def _fail():
    raise ValueError


def check(spec: Spec, value: Any) -> Any:
    value = coerce(spec, value)
    if spec.type in ("gu", "choice"):
        allowed = allowed_values(spec)
        if value not in [str(a) for a in allowed] and value not in allowed:
            import difflib

            close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=3, cutoff=0.5)
            hint_ko = f" 혹시 {', '.join(close)}?" if close else ""
            hint_en = f" Did you mean {', '.join(close)}?" if close else ""
            raise ParameterError(
                f"'{spec.name}' 값 '{value}'은(는) 허용되지 않습니다.{hint_ko} 허용: {spec.allowed()}",
                f"parameter '{spec.name}': '{value}' is not allowed.{hint_en} Allowed: {spec.allowed()}",
            )
    if spec.type in ("month", "period", "date", "int", "float"):
        as_bound = Spec(spec.name, "month") if spec.type == "period" else spec
        lo = coerce(as_bound, spec.min) if spec.min is not None else None
        hi = coerce(as_bound, spec.max) if spec.max is not None else None
        first, last = value.split("..") if spec.type == "period" else (value, value)
        if (lo is not None and first < lo) or (hi is not None and last > hi):
            raise ParameterError(
                f"'{spec.name}' 값 {value}은(는) 허용 범위 밖입니다. 허용: {spec.allowed()}",
                f"parameter '{spec.name}': {value} is out of range. Allowed: {spec.allowed()}",
            )
    return value


def resolve(specs: dict[str, Spec], given: dict[str, Any]) -> dict[str, Any]:
    """Validated parameters for one run: the given values over the defaults. Unknown names are refused."""
    unknown = [n for n in given if n not in specs]
    if unknown:
        names = ", ".join(specs) or "(없음 / none)"
        raise ParameterError(
            f"알 수 없는 매개변수: {', '.join(unknown)}. 이 노트북의 매개변수: {names}",
            f"unknown parameter(s): {', '.join(unknown)}. This notebook's parameters: {names}",
        )
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in given and given[name] is None and spec.has_default and spec.default is None:
            out[name] = None  # "not set", as the notebook's own default says (e.g. station = None)
        elif name in given:
            out[name] = check(spec, given[name])
        elif spec.has_default:
            out[name] = check(spec, spec.default) if spec.declared and spec.default is not None else spec.default
        else:
            raise ParameterError(f"'{name}' 매개변수 값이 필요합니다. 허용: {spec.allowed()}",
                                 f"parameter '{name}' needs a value. Allowed: {spec.allowed()}")
    return out


def expand(spec: Spec, text: str) -> list[Any]:
    """Values of ``--each name=TEXT``: ``all`` (gu/choice), ``A..B`` (month/date/int), or a comma list."""
    text = text.strip()
    if text == "all":
        if spec.type not in ("gu", "choice"):
            raise ParameterError(f"'{spec.name}=all'은 자치구/선택 형식에만 쓸 수 있습니다.",
                                 f"'{spec.name}=all' only works for gu/choice parameters")
        return [check(spec, v) for v in allowed_values(spec)]
    if ".." in text and spec.type in ("month", "date", "int"):
        lo, hi = (check(spec, part) for part in text.split("..", 1))
        return [check(spec, v) for v in _range(spec.type, lo, hi)]
    return [check(spec, part) for part in text.split(",") if part.strip()]


def _range(kind: str, lo, hi) -> list:
    if kind == "int":
        return list(range(lo, hi + 1))
    if kind == "date":
        a, b = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
        return [(a + dt.timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]
    y, m = map(int, lo.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= hi:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def describe(specs: dict[str, Spec]) -> str:
    """A table for ``datalit report params``."""
    if not specs:
        return "이 노트북에는 매개변수가 없습니다. (no parameters)"
    lines = ["이름(name)\t형식(type)\t기본값(default)\t허용(allowed)\t설명(label)"]
    for s in specs.values():
        lines.append(f"{s.name}\t{s.type}\t{s.default!r}\t{s.allowed(limit=8)}\t{s.label or ''}")
    return "\n".join(lines)
