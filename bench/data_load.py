"""Benchmark: cold load, cached load and a plain pandas read of the five largest datasets.

    /opt/datalit/venv/bin/python bench/data_load.py [--runs 5] [--top 5]

All three are measured in this one process run, on this machine. The plain read is what a
learner would type first (read_csv/read_excel of each original file with its encoding); it
does none of the loader's cleaning, so the ratio understates what the cache saves.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import warnings
import zipfile
from pathlib import Path


def plain_read(path: Path, encoding: str | None):
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return pd.read_excel(path, engine="openpyxl", sheet_name=None)
    if suffix == ".xls":
        return pd.read_excel(path, engine="xlrd", sheet_name=None)
    if suffix in {".json", ".geojson"}:
        return json.loads(path.read_text(encoding=encoding or "utf-8"))
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return [pd.read_csv(zf.open(n), encoding=encoding or "utf-8", on_bad_lines="skip", low_memory=False,
                                encoding_errors="replace")
                    for n in zf.namelist() if not n.endswith("/")]
    if suffix == ".csv":
        return pd.read_csv(path, encoding=encoding or "utf-8", on_bad_lines="skip", low_memory=False,
                           encoding_errors="replace")
    return pd.read_csv(path, encoding=encoding or "utf-8", on_bad_lines="skip", encoding_errors="replace",
                       sep=None, engine="python")


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    os.environ["DATALIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="datalit-bench-")
    from datalit import data
    from datalit.data.catalog import all_datasets

    def size(ds):
        t = ds.tables[0]
        return sum(ds.file(n).size for n in t.files)

    frames = [ds for ds in all_datasets().values() if ds.tables[0].kind == "frame"]
    largest = sorted(frames, key=size, reverse=True)[: args.top]
    print(f"{'dataset':<44} {'MB':>6} {'plain s':>8} {'cold s':>8} {'cached s':>9} {'plain/cached':>13} {'cold/cached':>12}")
    ratios = []
    for ds in largest:
        table = ds.tables[0]
        paths = data.files(ds.id, table.name)
        encodings = [ds.file(n).encoding for n in table.files]

        def plain():
            for p, enc in zip(paths, encodings):
                plain_read(p, enc)

        def cold():
            data.load(ds.id, table.name, use_cache=False)

        def cached():
            data.load(ds.id, table.name)

        data.load(ds.id, table.name)  # fill the cache (and the hash index)
        t_plain = timed(plain, max(1, args.runs // 2))
        t_cold = timed(cold, max(1, args.runs // 2))
        t_cached = timed(cached, args.runs)
        ratios.append(t_plain / t_cached)
        print(f"{ds.id:<44} {size(ds) / 1e6:6.1f} {t_plain:8.3f} {t_cold:8.3f} {t_cached:9.4f} "
              f"{t_plain / t_cached:12.1f}x {t_cold / t_cached:11.1f}x")
    print(f"cached load vs plain read of the originals: min {min(ratios):.1f}x, median {statistics.median(ratios):.1f}x "
          f"(target >= 5x)")


if __name__ == "__main__":
    main()
