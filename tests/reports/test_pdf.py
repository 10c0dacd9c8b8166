"""PDF: Chromium's print-to-PDF of the report HTML (as nbconvert's webpdf does), once."""
from __future__ import annotations

import json

import pytest
from reportkit import cli, small_notebook

pytestmark = [pytest.mark.reports, pytest.mark.slow]


def test_pdf_from_chromium(tmp_path):
    nb = small_notebook(tmp_path / "cctv.ipynb")
    out = tmp_path / "out"
    result = cli("run", str(nb), "-p", "gu", "강북구", "--out", str(out), "--pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = (out / "cctv.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert b"/Type /Page" in pdf or b"/Type/Page" in pdf
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["pdf"] == "cctv.pdf"
    # asking again without --pdf reuses the result; with --pdf it is still complete
    again = cli("run", str(nb), "-p", "gu", "강북구", "--out", str(out), "--pdf")
    assert again.returncode == 0 and "재사용" in again.stdout
