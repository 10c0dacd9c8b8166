"""The dataset catalog: one YAML file per dataset in the repository's ``datasets/`` folder.

Each entry is checked against ``catalog.schema.yaml`` (beside this module) when read.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from datalit.data.errors import UnknownDatasetError, UnknownTableError
from datalit.paths import catalog_dir

SCHEMA_PATH = Path(__file__).with_name("catalog.schema.yaml")


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str
    url: str
    encoding: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    label_ko: str
    dtype: str
    unit: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    reader: str            # "module:function"
    files: tuple[str, ...]
    kind: str              # "frame" or "geojson"
    rows: int | None
    columns: tuple[Column, ...]
    description: str | None = None


@dataclass(frozen=True)
class Dataset:
    id: str
    title_ko: str
    title_en: str
    publisher: str
    source_page: str
    licence: str
    period: str
    files: tuple[FileEntry, ...]
    tables: tuple[Table, ...]
    quirks: tuple[str, ...] = ()
    credit: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def file(self, name: str) -> FileEntry:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(name)

    def table(self, name: str | None = None) -> Table:
        if name is None:
            return self.tables[0]
        for t in self.tables:
            if t.name == name:
                return t
        names = ", ".join(t.name for t in self.tables)
        raise UnknownTableError(f"dataset '{self.id}' has no table '{name}' (tables: {names})")


@lru_cache(maxsize=1)
def _schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_entry(raw: dict, where: str) -> None:
    import jsonschema

    try:
        jsonschema.validate(raw, _schema())
    except jsonschema.ValidationError as exc:
        path = "/".join(str(p) for p in exc.absolute_path)
        raise ValueError(f"{where}: catalog entry invalid at '{path}': {exc.message}") from None
    names = {f["name"] for f in raw["files"]}
    for t in raw["tables"]:
        for fname in t["files"]:
            if fname not in names:
                raise ValueError(f"{where}: table '{t['name']}' names unknown file '{fname}'")


def _build(raw: dict) -> Dataset:
    files = tuple(FileEntry(**{k: f.get(k) for k in ("name", "size", "sha256", "url", "encoding")}) for f in raw["files"])
    tables = tuple(
        Table(
            name=t["name"],
            reader=t["reader"],
            files=tuple(t["files"]),
            kind=t.get("kind", "frame"),
            rows=t.get("rows"),
            columns=tuple(Column(**c) for c in t.get("columns", [])),
            description=t.get("description"),
        )
        for t in raw["tables"]
    )
    return Dataset(
        id=raw["id"], title_ko=raw["title_ko"], title_en=raw["title_en"], publisher=raw["publisher"],
        source_page=raw["source_page"], licence=raw["licence"], period=raw["period"], files=files,
        tables=tables, quirks=tuple(raw.get("quirks", [])), credit=raw.get("credit", ""), raw=raw,
    )


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _validated_marker(text: str) -> Path:
    """A marker file per (schema, entry) content: importing jsonschema costs seconds in every new kernel."""
    import hashlib

    from datalit.paths import cache_dir

    h = hashlib.sha256(SCHEMA_PATH.read_bytes() + b"\0" + text.encode("utf-8")).hexdigest()[:32]
    return cache_dir() / "catalog-valid" / h


def _validate_once(raw: dict, text: str, where: str) -> None:
    marker = _validated_marker(text)
    if marker.is_file():
        return
    validate_entry(raw, where)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # read-only cache: validate again next time


@lru_cache(maxsize=4)
def _read_catalog(directory: str) -> dict[str, Dataset]:
    out: dict[str, Dataset] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_Loader)
        _validate_once(raw, text, str(path))
        if raw["id"] != path.stem:
            raise ValueError(f"{path}: id '{raw['id']}' must equal the file name '{path.stem}'")
        out[raw["id"]] = _build(raw)
    return out


def all_datasets() -> dict[str, Dataset]:
    return _read_catalog(str(catalog_dir()))


def get(dataset_id: str) -> Dataset:
    datasets = all_datasets()
    if dataset_id not in datasets:
        close = difflib.get_close_matches(dataset_id, list(datasets), n=5, cutoff=0.4)
        if not close:
            close = [d for d in datasets if any(part in d for part in dataset_id.split("_") if len(part) > 3)][:5]
        raise UnknownDatasetError(dataset_id, close)
    return datasets[dataset_id]
