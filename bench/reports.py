"""Benchmark: a 25-district report batch vs a plain loop of the stock tools, in the same run.

    /opt/datalit/venv/bin/python bench/reports.py [--template safety_profile] [--workers 2] [--baseline-n 25]

Measures (wall clock, one after another on this machine):
  1. baseline: for each district, ``papermill NB OUT -p gu G`` then ``jupyter nbconvert --to html --no-input OUT``
     (``--baseline-n N`` < 25 times N districts and scales to 25; the figure says so);
  2. ``datalit report batch NB --each gu=all --workers W --force`` (first run);
  3. the same command again without --force (fully cached rerun);
  4. optionally (``--plain``) the batch with ``--plain-kernels`` (no pre-warmed kernels), for the record.
Prints the ratios against the targets: batch >= 3x faster than the loop, cached rerun >= 20x faster than
the first run. The load average is printed too: other work on the machine slows every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def sh(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return took


def loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--template", default="safety_profile")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline-n", type=int, default=25)
    ap.add_argument("--plain", action="store_true", help="also time the batch without pre-warmed kernels")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()

    from datalit.data.readers.common import GU_NAMES

    notebook = REPO / "reports" / f"{args.template}.ipynb"
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    work = Path(tempfile.mkdtemp(prefix="datalit-bench-"))
    figures: dict = {"template": args.template, "workers": args.workers, "cores": os.cpu_count(),
                     "load_before": loadavg()}
    try:
        # warm the parsed-table cache once so neither side pays for parsing raw files
        sh([str(BIN / "papermill"), str(notebook), str(work / "warm.ipynb"), "-p", "gu", "종로구", "--no-progress-bar"],
           env=env)

        n = min(args.baseline_n, 25)
        t0 = time.perf_counter()
        for gu in GU_NAMES[:n]:
            out = work / "loop" / f"{gu}.ipynb"
            out.parent.mkdir(parents=True, exist_ok=True)
            sh([str(BIN / "papermill"), str(notebook), str(out), "-p", "gu", gu, "--no-progress-bar"], env=env)
            sh([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)], env=env)
        loop = (time.perf_counter() - t0) * 25 / n
        figures["baseline_loop_s"] = round(loop, 1)
        figures["baseline_measured"] = f"{n} of 25 districts" + ("" if n == 25 else " (scaled to 25)")
        print(f"plain loop (papermill CLI + nbconvert --no-input): {loop:.1f} s for 25  [{figures['baseline_measured']}]")

        batch = [str(BIN / "datalit"), "report", "batch", str(notebook), "--each", "gu=all",
                 "--out", str(work / "batch"), "--workers", str(args.workers), "--no-progress"]
        first = sh(batch + ["--force"], env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["ok"] == 25, summary["counts"]
        cached = sh(batch, env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["cached"] == 25, summary["counts"]
        figures.update(batch_first_s=round(first, 1), batch_cached_s=round(cached, 2),
                       speedup_vs_loop=round(loop / first, 2), cached_speedup=round(first / cached, 1))
        print(f"datalit report batch, {args.workers} workers, first run: {first:.1f} s  -> "
              f"{loop / first:.2f}x faster than the loop (target >= 3x)")
        print(f"fully cached rerun: {cached:.2f} s  -> {first / cached:.1f}x faster than the first run (target >= 20x)")
        if args.plain:
            plain = sh(batch + ["--force", "--plain-kernels"], env=env)
            figures.update(batch_plain_kernels_s=round(plain, 1), plain_speedup_vs_loop=round(loop / plain, 2))
            print(f"batch with plain kernels (no fork server): {plain:.1f} s -> {loop / plain:.2f}x the loop")
        figures["load_after"] = loadavg()
        print(f"load average before/after: {figures['load_before']} / {figures['load_after']} "
              f"on {figures['cores']} cores")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        ok = figures["speedup_vs_loop"] >= 3 and figures["cached_speedup"] >= 20
        print("targets met" if ok else "targets NOT met")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
