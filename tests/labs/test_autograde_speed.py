"""What makes autograding fast must not change what it does: the deferred IRI parser still checks IRIs, and the
grading fork server's preload (what every graded kernel inherits) does not bring jsonschema back."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.grading


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_iri_parser_is_built_on_first_use_and_checks_as_before():
    out = _run("""
import sys
from datalit.labs import worker_cache
worker_cache.defer_iri_parser()
import nbgrader.preprocessors, jsonschema
print("built at import:", "rfc3987_syntax.syntax_helpers" in sys.modules)
fc = jsonschema.FormatChecker()
print("checks:", fc.conforms("http://example.com/ä", "iri"), fc.conforms("http://exa mple", "iri"),
      fc.conforms("a/b", "iri-reference"))
print("built after use:", "rfc3987_syntax.syntax_helpers" in sys.modules)
""")
    assert "built at import: False" in out
    assert "checks: True False True" in out
    assert "built after use: True" in out


def test_grading_server_preload_leaves_out_jsonschema():
    out = _run("""
import importlib, os, sys
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
from datalit.labs.kernel_server import grading_preload
for name in grading_preload():
    try:
        importlib.import_module(name)
    except ImportError:
        pass
print("jsonschema:", "jsonschema" in sys.modules)
""")
    assert "jsonschema: False" in out
