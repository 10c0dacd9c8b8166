"""Seoul datasets as tidy pandas frames.

    >>> from datalit import data
    >>> air = data.load("seoul_air_quality_daily")
    >>> data.labels("seoul_air_quality_daily")["pm10"]
    '미세먼지농도(㎍/㎥)'
"""
from __future__ import annotations

import importlib
import warnings

from datalit.data.catalog import all_datasets, get
from datalit.data.errors import ChecksumError, DataError, MissingFileError, UnknownDatasetError
from datalit.data.locate import file_hash
from datalit.data.locate import locate as _locate

__all__ = [
    "load", "load_geojson", "labels", "files", "catalog", "info",
    "DataError", "ChecksumError", "MissingFileError", "UnknownDatasetError",
]

# What the loaders read in this process: {dataset_id/file: sha256} (report manifests use it).
READ_LOG: dict[str, str] = {}


def catalog():
    """All catalog entries, by id."""
    return all_datasets()


def info(dataset_id: str):
    return get(dataset_id)


def _verify_default(verify):
    if verify is not None:
        return verify
    from datalit.data.locate import settings

    return settings()["verify"]


def files(dataset_id: str, table: str | None = None, verify: bool | None = None):
    """Local paths of a table's files, located and checked."""
    ds = get(dataset_id)
    t = ds.table(table)
    return [_locate(ds, name, verify=_verify_default(verify)) for name in t.files]


def _reader(spec: str):
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


_CODE_HASHES: dict[str, str] = {}


def _reader_code_hash(spec: str) -> str:
    """sha256 of the reader's module and the shared helpers: editing a reader invalidates its cache."""
    if spec not in _CODE_HASHES:
        import hashlib
        import inspect

        module = importlib.import_module(spec.split(":")[0])
        h = hashlib.sha256()
        for mod in (module, importlib.import_module("datalit.data.readers.common")):
            with open(inspect.getsourcefile(mod), "rb") as fh:
                h.update(fh.read())
        _CODE_HASHES[spec] = h.hexdigest()
    return _CODE_HASHES[spec]


# Active dependency collectors: every file located while a reader runs is recorded in each.
_COLLECTORS: list[dict[str, str]] = []


def _paths_and_hashes(ds, t, verify):
    paths = [_locate(ds, name, verify=verify) for name in t.files]
    hashes = [file_hash(p) for p in paths]
    if not verify:
        expected = [ds.file(n).sha256 for n in t.files]
        if hashes != expected:
            warnings.warn(f"{ds.id}: files differ from the catalog (verify=False)", stacklevel=3)
    _record({f"{ds.id}/{name}": digest for name, digest in zip(t.files, hashes)})
    return paths, hashes


def _record(entries: dict[str, str]) -> None:
    READ_LOG.update(entries)
    for collector in _COLLECTORS:
        collector.update(entries)


def _deps_fresh(deps: dict[str, str]) -> bool:
    for key, digest in deps.items():
        dataset_id, name = key.split("/", 1)
        try:
            if file_hash(_locate(get(dataset_id), name, verify=False, download=False)) != digest:
                return False
        except Exception:
            return False
    return True


def _parse(ds, t, verify, use_cache):
    """Run the table's reader, or take its result from the cache."""
    from datalit.data import cache  # pandas: imported when a table is parsed, not with the package

    paths, hashes = _paths_and_hashes(ds, t, verify)
    key = cache.cache_key(ds.id, t.name, [*hashes, _reader_code_hash(t.reader)])
    path = cache.cache_path(ds.id, t.name, key, t.kind)
    if use_cache:
        hit = cache.read(path)
        if hit is not None and _deps_fresh(hit[1]):
            _record(hit[1])
            return hit[0]
    collector: dict[str, str] = {}
    _COLLECTORS.append(collector)
    try:
        result = _reader(t.reader)(paths)
    finally:
        _COLLECTORS.remove(collector)
    own = {f"{ds.id}/{name}" for name in t.files}
    if use_cache:
        cache.write(path, result, {k: v for k, v in collector.items() if k not in own})
    return result


def load(dataset_id: str, table: str | None = None, *, verify: bool | None = None, use_cache: bool = True):
    """Load a dataset table as a pandas DataFrame (a GeoDataFrame for boundaries)."""
    ds = get(dataset_id)
    t = ds.table(table)
    result = _parse(ds, t, _verify_default(verify), use_cache)
    if t.kind == "geojson":
        import geopandas as gpd

        return gpd.GeoDataFrame.from_features(result["features"], crs="EPSG:4326")
    return result


def load_geojson(dataset_id: str, table: str | None = None, *, verify: bool | None = None,
                 use_cache: bool = True) -> dict:
    """Load a boundaries table as a GeoJSON FeatureCollection (dict)."""
    ds = get(dataset_id)
    t = ds.table(table)
    if t.kind != "geojson":
        raise DataError(f"'{dataset_id}' table '{t.name}' is a table, not GeoJSON; use load()")
    return _parse(ds, t, _verify_default(verify), use_cache)


def labels(dataset_id: str, table: str | None = None) -> dict[str, str]:
    """English column name -> original Korean label."""
    return {c.name: c.label_ko for c in get(dataset_id).table(table).columns}
