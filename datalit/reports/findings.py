"""What a report concluded, in numbers a program can read: ``findings.record(estimate=..., verdict=...)``.

A department reads the headline; a test (or a dashboard) must be able to check it without parsing Korean
prose. A template calls ``record`` in its kernel with the few values its headline rests on; the runner's
manifest cell (manifest.MANIFEST_CELL) copies ``FINDINGS`` into manifest.json under ``findings``. The
known-answer tests (tests/reports/) plant an effect in a copy of the real data and read it back here.
Values are converted to plain JSON types, so numpy scalars and pandas timestamps are accepted.
"""
from __future__ import annotations

from typing import Any

# This kernel's findings, by template-chosen key (one report per kernel).
FINDINGS: dict[str, Any] = {}


def plain(value: Any) -> Any:
    """VALUE as JSON: numpy scalars to Python numbers, timestamps to ISO text, containers recursively."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):           # numpy scalar
        return plain(value.item())
    if isinstance(value, float):
        return None if value != value else value   # NaN is not JSON
    if isinstance(value, int):
        return value
    return str(value)


def record(**values: Any) -> None:
    """Add VALUES to this report's findings (a later call with the same key replaces it)."""
    FINDINGS.update({k: plain(v) for k, v in values.items()})
