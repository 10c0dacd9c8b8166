"""The loader machinery on real files: search order, checksums, missing files, download, cache."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from datalit import data
from datalit.data import cache
from datalit.data.catalog import all_datasets

DATASET = "seoul_cctv_by_gu"
FILE = "01. CCTV_in_Seoul.csv"


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A private cache and data dir; the shared folder hidden so only what the test lays out is found."""
    monkeypatch.setenv("DATALIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("datalit.data.locate.shared_data_dir", lambda: tmp_path / "no-shared")
    monkeypatch.delenv("DATALIT_DATA_MIRROR", raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATALIT_DATA_DIR", str(data_dir))
    return data_dir


def _copy(shared_datasets, data_dir, dataset=DATASET):
    shutil.copytree(shared_datasets / dataset, data_dir / dataset)
    for p in (data_dir / dataset).iterdir():
        p.chmod(0o644)
    return data_dir / dataset


def test_catalog_has_one_entry_per_shared_folder(shared_datasets):
    folders = {p.name for p in shared_datasets.iterdir() if p.is_dir()}
    assert set(all_datasets()) == folders


def test_catalog_files_match_source_md_hashes(shared_datasets):
    for ds in all_datasets().values():
        source = (shared_datasets / ds.id / "SOURCE.md").read_text(encoding="utf-8")
        for f in ds.files:
            assert f.sha256 in source, f"{ds.id}/{f.name}: sha256 not the one in SOURCE.md"
            assert (shared_datasets / ds.id / f.name).stat().st_size == f.size, f"{ds.id}/{f.name}: size"


def test_data_dir_comes_first(env, shared_datasets):
    _copy(shared_datasets, env)
    paths = data.files(DATASET, "cctv")
    assert paths[0] == env / DATASET / FILE


def test_flipped_byte_gives_checksum_error(env, shared_datasets):
    folder = _copy(shared_datasets, env)
    raw = bytearray((folder / FILE).read_bytes())
    raw[100] ^= 0x01
    (folder / FILE).write_bytes(bytes(raw))
    with pytest.raises(data.ChecksumError) as err:
        data.load(DATASET)
    message = str(err.value)
    assert FILE in message and all_datasets()[DATASET].file(FILE).sha256 in message
    assert "How to fix" in message


def test_missing_file_names_where_it_looked(env, monkeypatch):
    monkeypatch.setenv("DATALIT_DATA_MIRROR", "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(data.MissingFileError) as err:
        data.load(DATASET)
    message = str(err.value)
    assert str(env / DATASET / FILE) in message and "Download failed" in message


def test_unknown_dataset_lists_close_matches():
    with pytest.raises(data.UnknownDatasetError) as err:
        data.load("seoul_cctv")
    assert "seoul_cctv_by_gu" in str(err.value)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def http_mirror(tmp_path, shared_datasets):
    root = tmp_path / "mirror"
    shutil.copytree(shared_datasets / DATASET, root / DATASET)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


def test_download_from_http_mirror_is_hash_checked(env, monkeypatch, http_mirror, tmp_path):
    url, root = http_mirror
    monkeypatch.setenv("DATALIT_DATA_MIRROR", url)
    frame = data.load(DATASET)
    assert len(frame) == 25
    downloaded = tmp_path / "cache" / "downloads" / DATASET / FILE
    assert downloaded.is_file()
    # a tampered mirror is refused, and nothing is used
    downloaded.unlink()
    (root / DATASET / FILE).write_bytes(b"tampered")
    with pytest.raises(data.MissingFileError) as err:
        data.load(DATASET, use_cache=False)
    assert "hash" in str(err.value).lower()


def test_cache_is_used_then_invalidated_by_a_changed_file(env, shared_datasets, monkeypatch):
    folder = _copy(shared_datasets, env)
    calls = []
    import datalit.data.readers.cctv as reader

    original = reader.read_cctv
    monkeypatch.setattr(reader, "read_cctv", lambda paths: calls.append(1) or original(paths))
    first = data.load(DATASET)
    second = data.load(DATASET)
    assert len(calls) == 1 and first.equals(second)
    tables = list((env.parent / "cache" / "tables" / DATASET).glob("cctv-*.parquet"))
    assert len(tables) == 1
    # change the file (a local edit): verify=False lets it load, and the cache is rebuilt
    text = (folder / FILE).read_text(encoding="utf-8-sig").replace('"강남구","2780"', '"강남구","2781"')
    (folder / FILE).write_text(text, encoding="utf-8-sig")
    os.utime(folder / FILE, ns=(1, 1))
    with pytest.warns(UserWarning, match="differ from the catalog"):
        third = data.load(DATASET, verify=False)
    assert len(calls) == 2
    assert third.set_index("gu").loc["강남구", "cctv_total"] == 2781


def test_loader_version_is_part_of_the_key():
    a = cache.cache_key("x", "t", ["h"])
    old = cache.LOADER_VERSION
    try:
        cache.LOADER_VERSION = old + "x"
        assert cache.cache_key("x", "t", ["h"]) != a
    finally:
        cache.LOADER_VERSION = old


def test_datasets_readme_is_up_to_date(repo):
    from datalit.data.docs import render_readme

    current = (repo / "datasets" / "README.md").read_text(encoding="utf-8")
    assert current == render_readme(), "datasets/README.md is out of date: run `datalit data docs`"


def test_project_readme_credits_every_dataset(repo):
    from datalit.data.docs import render_project_readme

    text = (repo / "README.md").read_text(encoding="utf-8")
    assert text == render_project_readme(text), "README.md credits are out of date: run `datalit data docs`"
    for dataset_id in all_datasets():
        assert f"`{dataset_id}`" in text


def test_a_changed_dependency_rebuilds_the_cached_table(env, shared_datasets, monkeypatch):
    """A reader that reads another dataset (e.g. districts from station coordinates) is rebuilt
    when that other file changes, although its own files did not."""
    _copy(shared_datasets, env)
    dep = _copy(shared_datasets, env, "seoul_crime_by_police_station")
    import datalit.data.readers.cctv as reader

    original = reader.read_cctv
    calls = []

    def reading_another_dataset(paths):
        calls.append(1)
        stations = data.load("seoul_crime_by_police_station", verify=False)
        return original(paths).assign(n_stations=len(stations))

    monkeypatch.setattr(reader, "read_cctv", reading_another_dataset)
    data.load(DATASET)
    data.load(DATASET)
    assert len(calls) == 1
    sidecars = list((env.parent / "cache" / "tables" / DATASET).glob("cctv-*.deps.json"))
    assert sidecars and "seoul_crime_by_police_station/" in sidecars[0].read_text()
    target = next(p for p in dep.iterdir() if p.suffix == ".csv")
    target.write_bytes(target.read_bytes() + b"\n")
    data.load(DATASET)
    assert len(calls) == 2
