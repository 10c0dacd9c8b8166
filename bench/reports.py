"""Benchmark: a 25-district report batch vs a plain loop of the stock tools, in the same run.

    /opt/datalit/venv/bin/python bench/reports.py [--template safety_profile] [--workers 2] [--baseline-n 25]

Measures, interleaved so that both sides see the same load from other work on the machine:
  1. baseline, first half of the districts: ``papermill NB OUT -p gu G`` then
     ``jupyter nbconvert --to html --no-input OUT`` for each, one after another;
  2. ``datalit report batch NB --each gu=all --workers W --force`` (first run, all 25);
  3. baseline, second half;
  4. the batch again without --force (fully cached rerun);
  5. optionally (``--plain``) the batch with ``--plain-kernels`` (no pre-warmed kernels), for the record.
Wall clock decides the targets (the loop's CPU seconds are printed for reference; the batch's are not,
because its pool workers are not this process's waited-for children): batch >= 3x faster than the
loop, cached rerun >= 20x faster than the first run. ``--baseline-n N`` (< 25) times N loop runs and scales to 25 (the figure says so).
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


def sh(cmd: list[str], **kw) -> tuple[float, float]:
    """Run a command; return (wall seconds, CPU seconds of it and its descendants)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


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
        districts = list(GU_NAMES[:n])
        half = len(districts) // 2

        def loop(part) -> tuple[float, float]:
            wall = cpu = 0.0
            for gu in part:
                out = work / "loop" / f"{gu}.ipynb"
                out.parent.mkdir(parents=True, exist_ok=True)
                for cmd in ([str(BIN / "papermill"), str(notebook), str(out), "-p", "gu", gu, "--no-progress-bar"],
                            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]):
                    w, c = sh(cmd, env=env)
                    wall, cpu = wall + w, cpu + c
            return wall, cpu

        batch = [str(BIN / "datalit"), "report", "batch", str(notebook), "--each", "gu=all",
                 "--out", str(work / "batch"), "--workers", str(args.workers), "--no-progress"]
        w1, c1 = loop(districts[:half])
        first, _ = sh(batch + ["--force"], env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["ok"] == 25, summary["counts"]
        w2, c2 = loop(districts[half:])
        scale = 25 / n
        loop_wall, loop_cpu = (w1 + w2) * scale, (c1 + c2) * scale
        cached, _ = sh(batch, env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["cached"] == 25, summary["counts"]
        figures.update(
            baseline_measured=f"{n} of 25 districts" + ("" if n == 25 else " (scaled to 25)"),
            baseline_loop_s=round(loop_wall, 1), baseline_loop_cpu_s=round(loop_cpu, 1),
            batch_first_s=round(first, 1), batch_cached_s=round(cached, 2),
            speedup_vs_loop=round(loop_wall / first, 2),
            cached_speedup=round(first / cached, 1))
        print(f"plain loop (papermill CLI + nbconvert --no-input), 25 reports: {loop_wall:.1f} s wall, "
              f"{loop_cpu:.1f} CPU-s  [{figures['baseline_measured']}, in two halves around the batch]")
        print(f"datalit report batch, {args.workers} workers, first run: {first:.1f} s -> "
              f"{loop_wall / first:.2f}x faster than the loop (target >= 3x)")
        print(f"fully cached rerun: {cached:.2f} s  -> {first / cached:.1f}x faster than the first run (target >= 20x)")
        if args.plain:
            plain, _ = sh(batch + ["--force", "--plain-kernels"], env=env)
            figures.update(batch_plain_kernels_s=round(plain, 1), plain_speedup_vs_loop=round(loop_wall / plain, 2))
            print(f"batch with plain kernels (no fork server): {plain:.1f} s -> {loop_wall / plain:.2f}x the loop")
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
