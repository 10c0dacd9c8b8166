"""Columnar cache of parsed tables: parquet files keyed by the files' sha256 and the loader version."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from datalit.paths import cache_dir

# Bump when any reader's output changes, so every cached table is rebuilt.
LOADER_VERSION = "1"


def cache_key(dataset_id: str, table: str, file_hashes: list[str]) -> str:
    h = hashlib.sha256()
    for part in (LOADER_VERSION, dataset_id, table, *file_hashes):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def cache_path(dataset_id: str, table: str, key: str) -> Path:
    return cache_dir() / "tables" / dataset_id / f"{table}-{key}.parquet"


def read(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except Exception:
        return None  # a broken cache file is rebuilt, never trusted


def write(path: Path, frame: pd.DataFrame) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(path.name.split("-")[0] + "-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only cache: loading still works, only slower
