"""Known-answer runs: a real template on a COPY of its real data in which the test planted an effect.

How the copy is read, without any test-only code in the loader or the template: the loader searches
``DATALIT_DATA_DIR`` before the shared folder, and its documented setting ``data.verify`` (environment
``DATALIT_DATA_VERIFY=false``) lets it read files whose sha256 differs from the catalog; it warns, and the
report's manifest records the copy's own hashes, so a planted report can never pass for a real one. The
real reader parses the planted file exactly as it parses the original. The parse cache is keyed by the
files' hashes, so a planted copy never reuses the real table's cached frame (nor the other way round).
Only the datasets a test changes are copied; the others are still read, checked, from the shared folder.

What the report concluded is read from ``manifest.json`` (``findings``, written by the template through
``datalit.reports.findings.record``), not parsed out of the Korean text.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Callable

from reportkit import cli


def copy_dataset(shared: Path, root: Path, dataset: str) -> Path:
    """A writable copy of one dataset's folder under ROOT (a DATALIT_DATA_DIR); returns the folder."""
    folder = root / dataset
    shutil.copytree(shared / dataset, folder)
    for path in [folder, *folder.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def rewrite_csv(path: Path, change: Callable[[list[str]], list[str]], encoding: str = "utf-8-sig") -> int:
    """Rewrite a quoted CSV in place, passing every data row through CHANGE; returns how many rows changed."""
    with open(path, encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    changed = 0
    out = [rows[0]]
    for row in rows[1:]:
        new = change(list(row))
        changed += new != row
        out.append(new)
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(out)
    return changed


def run(repo: Path, template: str, out: Path, data_root: Path | None = None, **params) -> dict:
    """Run reports/TEMPLATE.ipynb (on the planted copy in DATA_ROOT if given); return its manifest."""
    env = {"DATALIT_DATA_DIR": str(data_root), "DATALIT_DATA_VERIFY": "false"} if data_root else {}
    args = [a for k, v in params.items() for a in ("-p", k, str(v))]
    result = cli("run", str(repo / "reports" / f"{template}.ipynb"), *args, "--out", str(out), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok", manifest.get("error")
    assert manifest["findings"], "the template recorded no findings"
    return manifest
