"""Cache of parsed tables, keyed by the files' sha256, the reader's code and the loader version.

Frames are stored as parquet, GeoJSON as JSON. A sidecar ``.deps.json`` records the other
dataset files a reader read (e.g. station coordinates used to add districts), so a change in
any of them rebuilds the table too.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from datalit import atomic
from datalit.paths import cache_dir

# Bump when the cached format changes, so every cached table is rebuilt.
LOADER_VERSION = "3"


def cache_key(dataset_id: str, table: str, parts: list[str]) -> str:
    h = hashlib.sha256()
    for part in (LOADER_VERSION, dataset_id, table, *parts):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def cache_path(dataset_id: str, table: str, key: str, kind: str = "frame") -> Path:
    suffix = "parquet" if kind == "frame" else "geojson"
    return cache_dir() / "tables" / dataset_id / f"{table}-{key}.{suffix}"


def _deps_path(path: Path) -> Path:
    return path.with_name(path.name + ".deps.json")


def read(path: Path):
    """(object, deps) from the cache, or None. A broken cache file is rebuilt, never trusted."""
    if not path.is_file():
        return None
    try:
        deps = json.loads(_deps_path(path).read_text()) if _deps_path(path).exists() else {}
        if path.suffix == ".parquet":
            return pd.read_parquet(path, memory_map=True), deps
        return json.loads(path.read_text(encoding="utf-8")), deps
    except Exception:
        return None


def write(path: Path, obj, deps: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*"):
            if old.name not in (path.name, _deps_path(path).name):
                old.unlink(missing_ok=True)
        atomic.write_json(_deps_path(path), deps, indent=None, ensure_ascii=True, durable=False)
        if path.suffix == ".parquet":
            with atomic.replacing(path, binary=True, durable=False) as fh:
                obj.to_parquet(fh, index=False, compression=None)  # uncompressed + mmap: fastest read
        else:
            atomic.write_json(path, obj, indent=None, durable=False)
    except OSError:
        pass  # read-only cache: loading still works, only slower
