"""Execute lessons (solution or learner form) with a real kernel, optionally with other parameter values.

    >>> from datalit.lessons.run import run_lesson, run_many
    >>> r = run_lesson("courses/beginner/03-select-filter-sort.ipynb", form="learner")
    >>> r.seconds, r.error
    >>> run_many([(path, "solution"), (path, "learner")], workers=2)     # parallel, in worker processes
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from datalit.lessons.courses import read_notebook

FORMS = ("solution", "learner")


@dataclass
class RunResult:
    path: str
    form: str
    seconds: float
    error: str | None = None
    nb: dict = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _error_text(exc) -> str:
    text = ANSI.sub("", str(exc))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-15:]) if lines else type(exc).__name__


def run_lesson(path, form: str = "solution", params: dict | None = None, timeout: int = 120,
               cwd: str | None = None) -> RunResult:
    """Execute one lesson top to bottom; errors are reported in the result, not raised. ``params`` are checked
    and injected by ``datalit.reports.params`` as for reports (a refused value raises ParameterError, before
    any kernel starts)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}")
    nb = read_notebook(Path(path))
    if params:
        from datalit.reports.params import inject, read_specs, resolve

        nb = inject(nb, resolve(read_specs(nb), params))
    if form == "learner":
        from datalit.lessons.build import learner_notebook

        nb = learner_notebook(nb)
    start = time.perf_counter()
    error = None
    with tempfile.TemporaryDirectory(prefix="datalit-lesson-") as tmp:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": cwd or tmp}})
        # the kernel draws with Jupyter's inline backend, as for learners (a stray MPLBACKEND=Agg would make
        # Series.plot() draw into the previous cell's figure)
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        try:
            client.execute(env=env)
        except CellExecutionError as exc:
            error = _error_text(exc)
        except Exception as exc:  # noqa: BLE001 - kernel death, timeout: report, don't crash the caller
            error = f"{type(exc).__name__}: {exc}"
    return RunResult(str(path), form, time.perf_counter() - start, error, nb)


def _run_job(job):
    path, form, params = job
    return run_lesson(path, form, params)


def run_many(jobs, workers: int = 2) -> list[RunResult]:
    """jobs: iterable of (path, form) or (path, form, params). Results in job order."""
    jobs = [tuple(j) + (None,) * (3 - len(j)) for j in jobs]
    if workers <= 1:
        return [_run_job(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_run_job, jobs))


def cell_text(cell) -> str:
    """All text a code cell printed or displayed (stdout, stderr, text/plain, error)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts)
