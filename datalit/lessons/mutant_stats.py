"""Feedback measured by mutants: ``datalit lesson feedback-stats --mutants``.

For every lesson, its solution form runs top to bottom in one fresh process (an in-process IPython shell, the
real data through ``datalit.data``); just before each exercise's solution cell, every mutant of that solution
(``datalit.lessons.mutants``) runs in a copy of the namespace and the learner's feedback for its answer is
recorded. A mutant that raises (or leaves no answer) or equals the right answer is skipped and counted apart.
A counted mutant is **named** when its feedback is not a ``checkers.Generic`` fallback. Two numbers per
mutant: ``checker`` (the checker and the ``Wrong(diagnose=True)`` list only, as before the wrong readings
existed) and ``named`` (what the learner sees, wrong-reading diagnosis included).

Results are cached per lesson, keyed by the notebook, its exercise module and the feedback code, so an
unchanged lesson is not run again (``--no-cache`` to force).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from datalit import atomic

_CODE = ("mutants.py", "mutant_stats.py", "checks.py", "checkers/__init__.py", "checkers/tolerance.py",
         "checkers/korean.py", "chartcheck.py", "concepts.py")
CACHE_VERSION = "1"
PRELOAD = ("numpy", "pandas", "scipy.stats", "sklearn.linear_model", "IPython.core.interactiveshell", "datalit.data",
           "datalit.lessons.checks", "datalit.lessons.mutants")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "datalit" / "mutants"


def _key(path: Path) -> str:
    import datalit.lessons as pkg
    from datalit.lessons.courses import exercise_module

    root = Path(pkg.__file__).parent
    h = hashlib.sha256(CACHE_VERSION.encode())
    h.update(Path(path).read_bytes())
    module = root / "exercises" / (exercise_module(Path(path)).replace(".", "/") + ".py")
    for f in [module] + [root / c for c in _CODE]:
        h.update(f.read_bytes() if f.is_file() else b"-")
    return h.hexdigest()[:24]


def _solution_cells(nb) -> dict[int, list[str]]:
    """{index of a code cell: [question names whose solution cell it is]} (as ``solutions.solution_cells``)."""
    import re

    out: dict[int, list[str]] = defaultdict(list)
    last, done = None, set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if "solution" in (cell.get("metadata", {}).get("tags") or []):
            last = i
        for name in re.findall(r"^\s*(q\d+)\.check\(\)", cell.source, re.M):
            if name not in done and last is not None:
                done.add(name)
                out[last].append(name)
    return out


def _is_named(msg) -> bool:
    from datalit.lessons.checkers import Generic

    return msg is not None and not isinstance(msg, Generic) and not str(msg).startswith("답을 확인하는 중에")


def _measure(q, ns: dict, lesson: str) -> list[dict]:
    from datalit.lessons import mutants as mu

    params = q._params({}, ns)
    expected = q.expected(**params)
    base = mu.copy_namespace(ns)
    rows = []
    start = time.perf_counter()
    try:
        got = mu.run(q._solution, base, q.variable)
        problem = "no answer" if got is None else q.checker(got, expected)
        if problem is not None:
            return [dict(lesson=lesson, question=q.name, operator="-", status="solution-fails", error=str(problem)[:200])]
    except Exception as exc:  # noqa: BLE001
        return [dict(lesson=lesson, question=q.name, operator="-", status="solution-fails", error=repr(exc)[:200])]
    runs = []
    elapsed = time.perf_counter() - start  # a check tries the readings in this order, within its time budget
    for m in mu.mutants(q._solution, base, params):
        row = dict(lesson=lesson, question=q.name, operator=m.operator, code=m.code)
        in_time = elapsed <= mu.DIAGNOSE_SECONDS
        ns_m = mu.copy_namespace(ns)
        started = time.perf_counter()
        try:
            value = mu.run(m.code, ns_m, q.variable)
        except Exception as exc:  # noqa: BLE001
            rows.append(dict(row, status="raised", error=f"{type(exc).__name__}: {exc}"[:160]))
            continue
        finally:
            elapsed += time.perf_counter() - started
        try:
            same = value is None or q.checker(value, expected) is None
        except Exception:  # noqa: BLE001
            same = False
        if value is None or same:
            rows.append(dict(row, status="raised" if value is None else "equivalent"))
            continue
        runs.append((m, value, ns_m, dict(row, in_time=in_time)))
    # only the readings a learner's check would reach before its budget ran out
    mu.PRECOMPUTED[id(q)] = [(m, value) for m, value, _, row in runs if row["in_time"]]
    try:
        for m, value, ns_m, row in runs:
            msg = q.checker(value, expected)
            before = q.diagnosis(value, params) or msg
            seen = q.feedback(value, ns_m)
            # named: the checker named it, or the wrong reading named *this* mutant (not another one)
            named = _is_named(before) or (_is_named(seen) and m.message in str(seen))
            rows.append(dict(row, status="counted", checker=_is_named(before), named=named,
                             feedback=str(seen), expected_message=m.message))
    finally:
        mu.PRECOMPUTED.pop(id(q), None)
    return rows


def measure_lesson(path) -> list[dict]:
    """Run one lesson's solution form in this process and measure every mutant of every solution."""
    import contextlib
    import io
    import sys
    import tempfile

    os.environ["MPLBACKEND"] = "Agg"
    from IPython.core.interactiveshell import InteractiveShell

    from datalit.lessons import mutants as mu
    from datalit.lessons.checks import questions_in
    from datalit.lessons.courses import exercise_module, read_notebook
    from datalit.lessons.exercises import load_module

    path = Path(path).resolve()
    nb = read_notebook(path)
    lesson = f"{path.parent.name}/{path.name}"
    from datalit.lessons.concepts import Concept

    qs = {q.name: q for q in questions_in(load_module(exercise_module(path)))
          if q._solution and q.variable and not isinstance(q, Concept)}
    targets = _solution_cells(nb)
    shell = InteractiveShell.instance()
    rows: list[dict] = []
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="datalit-mutants-") as tmp:
        os.chdir(tmp)
        try:
            last = max((i for i, names in targets.items() if set(names) & set(qs)), default=-1)
            for i, cell in enumerate(nb.cells):
                if i > last:  # nothing left to measure: the rest of the lesson need not run
                    break
                if cell.cell_type != "code":
                    continue
                for name in targets.get(i, []):
                    if name in qs:
                        with mu._new_figures_closed():
                            rows += _measure(qs[name], shell.user_ns, lesson)
                with contextlib.redirect_stdout(io.StringIO()):
                    result = shell.run_cell(cell.source, store_history=False, silent=True)
                plt = sys.modules.get("matplotlib.pyplot")
                if plt is not None:  # the inline backend closes a cell's figures when it ends
                    plt.close("all")
                tags = cell.get("metadata", {}).get("tags") or []
                if not result.success and "raises-exception" not in tags:
                    rows.append(dict(lesson=lesson, question="-", operator="-", status="lesson-fails",
                                     error=repr(result.error_in_exec or result.error_before_exec)[:300]))
                    break
        finally:
            os.chdir(old)
    return rows


def _cached_measure(args) -> list[dict]:
    path, use_cache, folder = args
    key = _key(path)
    file = Path(folder) / f"{Path(path).parent.name}-{Path(path).stem}-{key}.json"
    if use_cache and file.is_file():
        return json.loads(file.read_text(encoding="utf-8"))
    rows = measure_lesson(path)
    if use_cache:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_json(file, rows, indent=None, durable=False)  # a cache: a lost write is measured again
    return rows


def _lesson_path(name) -> Path:
    """A lesson notebook, given as its path or as its exercise module ("beginner.mean_median")."""
    from datalit.lessons.courses import exercise_module, lesson_paths

    if str(name).endswith(".ipynb"):
        return Path(name)
    for p in lesson_paths():
        if exercise_module(p) == str(name):
            return p
    raise SystemExit(f"no lesson for {name!r} (give a notebook path or an exercise module like beginner.mean_median)")


def measure(paths=None, workers: int = 2, use_cache: bool = True) -> list[dict]:
    """Rows for every mutant of every lesson (default: all lessons of every tier), one fresh process each."""
    import multiprocessing

    from datalit.lessons.courses import lesson_paths

    paths = [_lesson_path(p) for p in paths] if paths else lesson_paths()
    ctx = multiprocessing.get_context("forkserver")
    # imported once in the fork server: each lesson's fresh process starts with them (saves seconds per lesson)
    ctx.set_forkserver_preload(list(PRELOAD))
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=ctx, max_tasks_per_child=1) as pool:
        return [r for rows in pool.map(_cached_measure, [(p, use_cache, str(cache_dir())) for p in paths]) for r in rows]


def share(rows, key: str = "named") -> float:
    counted = [r for r in rows if r["status"] == "counted"]
    return sum(bool(r[key]) for r in counted) / len(counted) if counted else 1.0


def _line(label: str, rows) -> str:
    counted = [r for r in rows if r["status"] == "counted"]
    n = len(counted)
    named, checker = sum(r["named"] for r in counted), sum(r["checker"] for r in counted)
    skipped = sum(r["status"] == "raised" for r in rows), sum(r["status"] == "equivalent" for r in rows)
    pct = f"{named / n:6.1%}" if n else "     -"
    return (f"{label:<44} named {named:>4}/{n:<4} {pct}   checker alone {checker:>4}/{n:<4}"
            f"   skipped: raised {skipped[0]}, equivalent {skipped[1]}")


def report(rows, verbose: bool = False) -> str:
    lines = []
    failures = [r for r in rows if r["status"] in ("solution-fails", "lesson-fails")]
    for r in failures:
        lines.append(f"FAILED {r['lesson']} {r['question']}: {r['status']} {r.get('error', '')}")
    for r in rows:
        if r["status"] == "counted" and (verbose or not r["named"]):
            mark = "named  " if r["named"] else "GENERIC"
            lines.append(f"{mark} {r['lesson']} {r['question']} [{r['operator']}] {r['code'][:100]!r} -> {r['feedback'][:120]}")
    lines.append("per lesson:")
    for lesson in dict.fromkeys(r["lesson"] for r in rows):
        lines.append("  " + _line(lesson, [r for r in rows if r["lesson"] == lesson]))
    lines.append("per tier:")
    for tier in dict.fromkeys(r["lesson"].split("/")[0] for r in rows):
        lines.append("  " + _line(tier, [r for r in rows if r["lesson"].startswith(tier + "/")]))
    lines.append("per operator:")
    from datalit.lessons.mutants import OPERATORS

    for op in OPERATORS:
        lines.append("  " + _line(op, [r for r in rows if r["operator"] == op]))
    lines.append("  " + _line("all", rows))
    return "\n".join(lines)


def tier_shares(rows) -> dict[str, float]:
    tiers = dict.fromkeys(r["lesson"].split("/")[0] for r in rows)
    return {t: share([r for r in rows if r["lesson"].startswith(t + "/")]) for t in tiers}


def run(paths=None, verbose: bool = False, minimum: float | None = None, use_cache: bool = True,
        workers: int = 2) -> int:
    """Print the report; exit status 1 if any tier (or the whole) names fewer than ``minimum`` % of the
    counted mutants, or a lesson or solution fails to run."""
    rows = measure(paths, workers=workers, use_cache=use_cache)
    print(report(rows, verbose))
    if any(r["status"] in ("solution-fails", "lesson-fails") for r in rows):
        return 1
    if minimum is not None:
        low = {t: s for t, s in tier_shares(rows).items() if s * 100 < minimum}
        if low or share(rows) * 100 < minimum:
            print("below the minimum: " + ", ".join(f"{t} {s:.1%}" for t, s in low.items()))
            return 1
    return 0
