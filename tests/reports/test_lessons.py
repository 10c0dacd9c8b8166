"""Course lessons that declare parameters are valid report notebooks (checked without a kernel)."""
from __future__ import annotations

import json

import pytest

from datalit.reports.params import read_specs, resolve

pytestmark = pytest.mark.reports


def _declaring(repo):
    out = []
    for path in sorted((repo / "courses").glob("*/*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        if meta.get("datalit", {}).get("parameters"):
            out.append(path)
    return out


def test_lesson_parameters_resolve_to_their_defaults(repo):
    lessons = _declaring(repo)
    if not lessons:
        pytest.skip("no course notebook declares parameters yet")
    for path in lessons:
        specs = read_specs(path)
        declared = json.loads(path.read_text(encoding="utf-8"))["metadata"]["datalit"]["parameters"]
        assert set(declared) <= set(specs), path
        assert all(specs[n].has_default for n in declared), f"{path}: every declared parameter needs a default"
        resolve(specs, {})  # the defaults themselves are allowed values
