"""The values a ``choice`` parameter takes from a dataset column (``dataset`` + ``column`` [+ ``table``] in its
spec, datalit/reports/params.py), remembered in this process and on disk under the user cache
(``parameter-values.json``), keyed by the dataset's files as the loaders find them now (name, size, mtime) and
by the readers' code: a fully cached report batch checks its parameters without importing pandas."""
from __future__ import annotations

from pathlib import Path

from datalit import atomic


class ParameterError(ValueError):
    """A refused parameter; the message is Korean first, then English, and lists what is allowed. Defined
    here, below datalit/reports/params.py (which re-exports it), because a dataset column can refuse too."""

    def __init__(self, ko: str, en: str):
        self.ko, self.en = ko, en
        super().__init__(f"{ko}\n{en}")


_VALUES_CACHE: dict[tuple, list] = {}


def dataset_values(dataset: str, table: str | None, column: str) -> list:
    """The values a parameter may take, read from a dataset column. Remembered in this process and on
    disk (keyed by the dataset's files as found now: name, size, mtime): a fully cached batch checks its
    parameters without importing pandas or parsing a table."""
    key = (dataset, table, column)
    if key in _VALUES_CACHE:
        return _VALUES_CACHE[key]
    stamp = _files_stamp(dataset)
    stored = _stored_values(dataset, table, column, stamp)
    if stored is None:
        from datalit import data

        frame = data.load(dataset, table)
        if column not in frame.columns:
            raise ParameterError(f"'{dataset}' 데이터에 '{column}' 열이 없습니다.",
                                 f"dataset '{dataset}' has no column '{column}'")
        stored = sorted({str(v) for v in frame[column].dropna().unique()})
        _store_values(dataset, table, column, stamp, stored)
    _VALUES_CACHE[key] = stored
    return stored


def _files_stamp(dataset: str) -> str | None:
    """Names, sizes and mtimes of the dataset's folder where the loaders would look first (None: none)."""
    import os

    from datalit.data.locate import data_dirs

    for base in data_dirs():
        folder = Path(base) / dataset
        if folder.is_dir():
            entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)
                             if e.is_file())
            readers = Path(__file__).resolve().parents[1] / "data" / "readers"  # a changed reader: read again
            code = sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(readers) if e.name.endswith(".py"))
            return repr((str(folder), entries, code))
    return None


def _values_file() -> Path:
    from datalit.paths import cache_dir

    return cache_dir() / "parameter-values.json"


def _stored_values(dataset, table, column, stamp) -> list | None:
    import json

    if stamp is None:
        return None
    try:
        entry = json.loads(_values_file().read_text(encoding="utf-8")).get(f"{dataset}|{table}|{column}")
    except (OSError, ValueError):
        return None
    return entry["values"] if isinstance(entry, dict) and entry.get("stamp") == stamp else None


def _store_values(dataset, table, column, stamp, values) -> None:
    import json

    if stamp is None:
        return
    path = _values_file()
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    known[f"{dataset}|{table}|{column}"] = {"stamp": stamp, "values": values}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_json(path, known, indent=None, durable=False)
    except OSError:
        pass  # a read-only cache only means the values are read from the data again next time
