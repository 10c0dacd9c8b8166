"""manifest.json: what a report was made from, and whether an earlier result can be reused.

The data files a notebook read are recorded by its own kernel (``datalit.data.READ_LOG``) in a
final cell that the runner appends (``MANIFEST_CELL``); the HTML leaves that cell out. The same cell
copies what the template concluded (``datalit.reports.findings``) into the manifest's ``findings``.
"""
from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

from datalit import atomic

MANIFEST_NAME = "manifest.json"
MANIFEST_TAG = "datalit-manifest"
MANIFEST_MIME = "application/vnd.datalit.manifest+json"
PACKAGES = ("seoul-datalit", "pandas", "numpy", "matplotlib", "seaborn", "geopandas", "scikit-learn",
            "papermill", "nbconvert", "nbclient", "ipykernel", "pyarrow", "koreanize-matplotlib")

MANIFEST_CELL = f'''\
# datalit report: record what this kernel read (appended by the runner; not shown in the report)
def _datalit_manifest():
    import importlib.metadata as md, platform, sys
    from IPython.display import display
    try:
        from datalit.data import READ_LOG
        reads = dict(sorted(READ_LOG.items()))
    except ImportError:
        reads = {{}}
    versions = {{}}
    for name in {PACKAGES!r}:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    import os
    found = sys.modules.get("datalit.reports.findings")
    display({{{MANIFEST_MIME!r}: {{"data_files": reads, "packages": versions,
             "findings": dict(found.FINDINGS) if found else {{}},
             "python": platform.python_version(), "executable": sys.executable,
             "kernel": "pre-warmed fork" if os.environ.get("DATALIT_KERNEL_FORKED") else "fresh process"}}}},
            raw=True)
_datalit_manifest()
del _datalit_manifest
'''


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def git_info(path: Path) -> dict[str, Any]:
    """Commit of the checkout holding the notebook, and whether the notebook differs from it."""
    folder = str(Path(path).resolve().parent)
    try:
        commit = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
        status = subprocess.run(["git", "-C", folder, "status", "--porcelain", "--", str(Path(path).resolve())],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "notebook_modified": None}
    return {"commit": commit or None, "notebook_modified": bool(status) if commit else None}


def kernel_record(nb) -> dict[str, Any]:
    """The record the appended cell displayed (empty if the run stopped before it)."""
    for cell in reversed(nb.cells):
        if MANIFEST_TAG in cell.get("metadata", {}).get("tags", []):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if MANIFEST_MIME in data:
                    value = data[MANIFEST_MIME]
                    return json.loads(value) if isinstance(value, str) else dict(value)
    return {}


def write(path: Path, manifest: dict) -> None:
    atomic.write_json(path, manifest, indent=2, default=str)


def read(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def canonical(params: dict) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True, default=str)


def current_hash(key: str) -> str | None:
    """sha256 of the data file ``dataset/file`` as it would be read now (None if it is gone).

    Searches the same folders as the loaders (DATALIT_DATA_DIR, ../shared/datasets, downloads) without
    reading the catalog, so checking a fully cached batch stays fast.
    """
    from datalit.data.locate import data_dirs, file_hash

    dataset_id, _, name = key.partition("/")
    for base in data_dirs():
        candidate = Path(base) / dataset_id / name
        if candidate.is_file():
            try:
                return file_hash(candidate)
            except OSError:
                return None
    return None


def stale_reason(manifest: dict | None, notebook_sha: str, params: dict, want_pdf: bool = False) -> str | None:
    """Why an earlier result cannot be reused (None = reuse it)."""
    if not manifest:
        return "no earlier result"
    if manifest.get("status") != "ok":
        return "earlier run failed"
    if manifest.get("notebook_sha256") != notebook_sha:
        return "notebook changed"
    if canonical(manifest.get("parameters", {})) != canonical(params):
        return "parameters changed"
    folder = Path(manifest.get("_folder", "."))
    for kind, name in (manifest.get("outputs") or {}).items():
        if name and not (folder / name).is_file():
            return f"{kind} output missing"
    if want_pdf and not (manifest.get("outputs") or {}).get("pdf"):
        return "pdf requested"
    for key, digest in (manifest.get("data_files") or {}).items():
        if current_hash(key) != digest:
            return f"data file changed: {key}"
    return None


def environment() -> dict[str, str]:
    return {"python": platform.python_version(), "platform": platform.platform()}
