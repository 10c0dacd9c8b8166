"""Find a dataset file: DATALIT_DATA_DIR, then ../shared/datasets, then a hash-checked download.

Hashing is remembered per (path, size, mtime) in the user cache, so a file is hashed once
until it changes.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from datalit import atomic
from datalit.data.catalog import Dataset, FileEntry
from datalit.data.errors import ChecksumError, MissingFileError
from datalit.paths import cache_dir, shared_data_dir


def settings() -> dict:
    """The ``data`` section of the layered config (defaults live only in datalit.config)."""
    from datalit.config import load_config

    return load_config()["data"]


def data_dirs() -> list[Path]:
    """The folders searched, in order (the download cache last)."""
    dirs = []
    configured = settings()["data_dir"]  # data.data_dir: DATALIT_DATA_DIR (its documented name) or the file
    if configured:
        dirs.append(Path(configured))
    dirs.append(shared_data_dir())
    dirs.append(download_dir())
    return dirs


def download_dir() -> Path:
    return cache_dir() / "downloads"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _hash_index() -> Path:
    return cache_dir() / "hashes.json"


_MEMO: dict[str, str] = {}


def file_hash(path: Path) -> str:
    """sha256 of a file, remembered by (realpath, size, mtime_ns) in this process and in the user cache."""
    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    if key in _MEMO:
        return _MEMO[key]
    index_path = _hash_index()
    try:
        index = json.loads(index_path.read_text())
    except (OSError, ValueError):
        index = {}
    if key in index:
        _MEMO[key] = index[key]
        return index[key]
    digest = sha256_of(path)
    _MEMO[key] = digest
    index[key] = digest
    try:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_json(index_path, index, indent=None, ensure_ascii=True, durable=False)
    except OSError:
        pass  # a read-only home still loads, it just hashes again next time
    return digest


def download_url(dataset: Dataset, entry: FileEntry) -> str:
    mirror = settings()["mirror"].rstrip("/")
    if mirror:
        return f"{mirror}/{quote(dataset.id)}/{quote(entry.name)}"
    return entry.url


def fetch_checked(dataset: Dataset, entry: FileEntry, folder: Path) -> Path:
    """Download ENTRY into FOLDER from its pinned URL (or the mirror); a wrong sha256 raises ValueError."""
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    path = pooch.retrieve(
        url=download_url(dataset, entry),
        known_hash=f"sha256:{entry.sha256}",
        fname=entry.name,
        path=folder,
        progressbar=False,
    )
    return Path(path)


def _download(dataset: Dataset, entry: FileEntry) -> Path:
    return fetch_checked(dataset, entry, download_dir() / dataset.id)


def locate(dataset: Dataset, filename: str, verify: bool = True, download: bool = True) -> Path:
    """Return a local path to one of the dataset's files, checked against its sha256."""
    entry = dataset.file(filename)
    looked = []
    for base in data_dirs():
        candidate = base / dataset.id / entry.name
        looked.append(str(candidate))
        if candidate.is_file():
            if verify:
                actual = file_hash(candidate)
                if actual != entry.sha256:
                    raise ChecksumError(candidate, entry.sha256, actual)
            return candidate
    error = None
    if download:
        try:
            return _download(dataset, entry)
        except Exception as exc:  # network, HTTP or hash failure: report it with the search path
            error = f"{download_url(dataset, entry)}: {exc}"
    raise MissingFileError(dataset.id, entry.name, looked, error)
