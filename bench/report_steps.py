"""Where one report's time goes: kernel start, each cell, HTML render (used by bench/reports.py --steps).

    /opt/datalit/venv/bin/python bench/report_steps.py OUT_DIR TEMPLATE

OUT_DIR is a ``datalit report batch`` output folder. papermill records each cell's start and end time
in the executed notebook (``cell.metadata.papermill``); the median over the batch's notebooks is shown
per cell, with the cell's kind guessed from its code (data load / computation / plotting). The kernel
start is the gap between papermill's notebook start and the first cell's start. The HTML render is
timed on its own, here, on the first executed notebook: datalit's renderer and stock nbconvert.
"""
from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path


def _t(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def kind(source: str) -> str:
    """A guess at what a code cell mostly does."""
    kinds = []
    if "data.load" in source or "read_csv" in source or "read_parquet" in source:
        kinds.append("data load")
    if any(k in source for k in ("plt.", ".plot(", "folium", "sns.", "display(")):
        kinds.append("plotting/display")
    return " + ".join(kinds) or "computation"


def steps(out_dir: Path, template: str, show: bool = True) -> dict:
    import nbformat

    books = sorted(Path(out_dir).glob(f"*/{template}.ipynb"))
    per_cell: dict[int, list[float]] = {}
    kernel: list[float] = []
    sources: dict[int, str] = {}
    for path in books:
        nb = nbformat.read(str(path), as_version=4)
        start = _t(nb.metadata.get("papermill", {}).get("start_time"))
        first = None
        for i, cell in enumerate(nb.cells):
            pm = cell.metadata.get("papermill", {})
            if cell.cell_type != "code" or pm.get("duration") is None:
                continue
            first = first or _t(pm.get("start_time"))
            per_cell.setdefault(i, []).append(float(pm["duration"]))
            sources[i] = cell.source
        if start and first:
            kernel.append((first - start).total_seconds())
    rows = [{"cell": i, "kind": kind(sources[i]), "median_s": round(statistics.median(d), 3),
             "first_line": sources[i].strip().splitlines()[0][:70] if sources[i].strip() else ""}
            for i, d in sorted(per_cell.items())]
    html = _html_times(books[0], template) if books else {}
    result = {"notebooks": len(books), "kernel_start_median_s": round(statistics.median(kernel), 3) if kernel else None,
              "cells": rows, **html}
    if rows:
        top = max(rows, key=lambda r: r["median_s"])
        result["slowest_cell"] = top
    if show:
        print(f"steps of one report (median of {len(books)}): kernel start {result['kernel_start_median_s']} s, "
              f"HTML render {html.get('html_datalit_s')} s (stock nbconvert {html.get('html_nbconvert_s')} s)")
        for r in sorted(rows, key=lambda r: -r["median_s"])[:6]:
            print(f"  cell {r['cell']:>2} {r['median_s']:7.3f} s  [{r['kind']}]  {r['first_line']}")
    return result


def _html_times(ipynb: Path, template: str) -> dict:
    """Seconds to render one executed notebook: datalit's to_html and stock nbconvert (each after a warm-up)."""
    import nbformat
    from nbconvert import HTMLExporter

    from datalit.reports.render import to_html

    nb = nbformat.read(str(ipynb), as_version=4)
    manifest = json.loads((ipynb.parent / "manifest.json").read_text(encoding="utf-8"))
    out = Path(ipynb.parent / "_bench_render.html")
    kw = dict(title=template, params=manifest.get("parameters", {}), labels={}, made="-",
              data_files=manifest.get("data_files", {}))
    times = {}
    for name, fn in (("html_datalit_s", lambda: to_html(nb, out, **kw)),
                     ("html_nbconvert_s", lambda: HTMLExporter(exclude_input=True).from_notebook_node(nb))):
        fn()
        t0 = time.perf_counter()
        fn()
        times[name] = round(time.perf_counter() - t0, 3)
    out.unlink(missing_ok=True)
    return times


if __name__ == "__main__":
    print(json.dumps(steps(Path(sys.argv[1]), sys.argv[2], show=True), ensure_ascii=False, indent=2))
