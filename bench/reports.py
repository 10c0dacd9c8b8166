"""Benchmark: a 25-district report batch vs a plain loop of the stock tools, in the same run.

    /opt/datalit/venv/bin/python bench/reports.py [--template safety_profile] [--workers 2] [--baseline-n 25]
        [--each gu=all] [--each horizon=7,14,28 ...] [-p name value ...] [--steps]

Measures, interleaved so that both sides see the same load from other work on the machine:
  1. baseline, first half of the parameter sets: ``papermill NB OUT -p gu G`` then
     ``jupyter nbconvert --to html --no-input OUT`` for each, one after another;
  2. ``datalit report batch NB --each gu=all --workers W --force`` (first run, all of them);
  3. baseline, second half;
  4. the batch again without --force (fully cached rerun);
  5. optionally (``--plain``) the batch with ``--plain-kernels`` (no pre-warmed kernels), for the record.
Wall clock decides the targets; CPU seconds are printed for reference (the batch's count its workers,
fork server and kernels: each is waited for by its parent), so that a ratio measured while other work
loads the machine can be read against what the two sides cost: batch >= 6x faster than the
loop, cached rerun >= 50x faster than the first run (issue 13; ``--min-speedup``/``--min-cached``).
``--baseline-n N`` times N loop runs and scales to the batch size (the figure says so).

The parameter sets are the template's own batch: ``--each`` as given to ``datalit report batch``
(default ``gu=all``; e.g. ``--each target=all --each horizon=7,14,28``), ``-p`` fixes others.
``--steps`` also names the slowest step of one report: papermill's per-cell start/end times from the
batch's executed notebooks (median over the batch), the kernel start-up, and the HTML render timed
on its own (bench/report_steps.py).
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
    ap.add_argument("--each", action="append", default=[], metavar="NAME=VALUES",
                    help="the batch's parameter sets, as for `datalit report batch` (default gu=all)")
    ap.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    ap.add_argument("--min-speedup", type=float, default=6.0)
    ap.add_argument("--min-cached", type=float, default=50.0)
    ap.add_argument("--steps", action="store_true", help="name the slowest step of one report")
    ap.add_argument("--plain", action="store_true", help="also time the batch without pre-warmed kernels")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()

    from datalit.reports.batch import combinations
    from datalit.reports.params import read_specs

    notebook = REPO / "reports" / f"{args.template}.ipynb"
    specs = read_specs(notebook)
    each = dict(e.split("=", 1) for e in (args.each or ["gu=all"]))
    fixed = dict(args.param)
    sets = combinations(specs, each, fixed)
    total = len(sets)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    work = Path(tempfile.mkdtemp(prefix="datalit-bench-"))
    figures: dict = {"template": args.template, "each": each, "fixed": fixed, "reports": total,
                     "workers": args.workers, "cores": os.cpu_count(), "load_before": loadavg()}

    def pm_args(params: dict) -> list[str]:
        out = []
        for name, value in params.items():  # -p for numbers (papermill infers int/float), -r keeps text
            if value is None:  # "-r x None" would be the text 'None': leave the notebook's own None
                continue
            out += ["-p" if isinstance(value, (int, float)) and not isinstance(value, bool) else "-r", name, str(value)]
        return out

    try:
        # warm the parsed-table cache once so neither side pays for parsing raw files
        sh([str(BIN / "papermill"), str(notebook), str(work / "warm.ipynb"), *pm_args(sets[0]), "--no-progress-bar"],
           env=env)

        n = min(args.baseline_n, total)
        runs = sets[:n]
        half = len(runs) // 2

        def loop(part) -> tuple[float, float]:
            wall = cpu = 0.0
            for i, params in enumerate(part):
                out = work / "loop" / f"{len(part)}-{i}" / f"{args.template}.ipynb"
                out.parent.mkdir(parents=True, exist_ok=True)
                for cmd in ([str(BIN / "papermill"), str(notebook), str(out), *pm_args(params), "--no-progress-bar"],
                            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]):
                    w, c = sh(cmd, env=env)
                    wall, cpu = wall + w, cpu + c
            return wall, cpu

        batch = [str(BIN / "datalit"), "report", "batch", str(notebook),
                 *[a for k, v in each.items() for a in ("--each", f"{k}={v}")],
                 *[a for k, v in fixed.items() for a in ("-p", k, v)],
                 "--out", str(work / "batch"), "--workers", str(args.workers), "--no-progress"]
        w1, c1 = loop(runs[:half])
        first, first_cpu = sh(batch + ["--force"], env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["ok"] == total, summary["counts"]
        w2, c2 = loop(runs[half:])
        scale = total / n
        loop_wall, loop_cpu = (w1 + w2) * scale, (c1 + c2) * scale
        cached, _ = sh(batch, env=env)
        summary = json.loads((work / "batch" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["cached"] == total, summary["counts"]
        figures.update(
            baseline_measured=f"{n} of {total} reports" + ("" if n == total else f" (scaled to {total})"),
            baseline_loop_s=round(loop_wall, 1), baseline_loop_cpu_s=round(loop_cpu, 1),
            batch_first_s=round(first, 1), batch_first_cpu_s=round(first_cpu, 1), batch_cached_s=round(cached, 2),
            cpu_ratio=round(loop_cpu / first_cpu, 2),
            speedup_vs_loop=round(loop_wall / first, 2),
            cached_speedup=round(first / cached, 1))
        print(f"plain loop (papermill CLI + nbconvert --no-input), {total} reports: {loop_wall:.1f} s wall, "
              f"{loop_cpu:.1f} CPU-s  [{figures['baseline_measured']}, in two halves around the batch]")
        print(f"datalit report batch, {args.workers} workers, first run: {first:.1f} s -> "
              f"{loop_wall / first:.2f}x faster than the loop (target >= {args.min_speedup:g}x); "
              f"{first_cpu:.1f} CPU-s -> {loop_cpu / first_cpu:.2f}x less CPU than the loop")
        print(f"fully cached rerun: {cached:.2f} s  -> {first / cached:.1f}x faster than the first run (target >= {args.min_cached:g}x)")
        if args.plain:
            plain, _ = sh(batch + ["--force", "--plain-kernels"], env=env)
            figures.update(batch_plain_kernels_s=round(plain, 1), plain_speedup_vs_loop=round(loop_wall / plain, 2))
            print(f"batch with plain kernels (no fork server): {plain:.1f} s -> {loop_wall / plain:.2f}x the loop")
        if args.steps:
            from report_steps import steps

            figures["steps"] = steps(work / "batch", args.template)
        figures["load_after"] = loadavg()
        print(f"load average before/after: {figures['load_before']} / {figures['load_after']} "
              f"on {figures['cores']} cores")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        ok = figures["speedup_vs_loop"] >= args.min_speedup and figures["cached_speedup"] >= args.min_cached
        print("targets met" if ok else "targets NOT met")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
