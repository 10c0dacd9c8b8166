"""Many reports: the cross product of ``--each`` values, run in parallel, reused when nothing changed.

    batch("reports/air_quality.ipynb", each={"gu": "all"}, out_dir="out", workers=2)

All parameter combinations are validated before any kernel starts. Each report gets its own folder
(``out/<name>/``) whose name comes from the parameters alone, so names never collide and a rerun
finds its earlier result. Fresh results (same notebook, parameters, data files) are reused in the
main process without starting a worker. Work goes to a local process pool, or to a Dask cluster
(``dask="local"`` or a scheduler address). A failing report never stops the others.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, Iterable

from datalit.reports import manifest as mf
from datalit.reports.index import show_value, write_index
from datalit.reports.params import ParameterError, expand, find_notebook, read_specs, resolve

SUMMARY_NAME = "summary.json"


def combinations(specs, each: dict[str, str], fixed: dict[str, Any]) -> list[dict[str, Any]]:
    """Validated parameter sets: cross product of ``each`` (name -> 'all' | 'A..B' | 'a,b'), plus fixed values."""
    unknown = [n for n in list(each) + list(fixed) if n not in specs]
    if unknown:
        resolve(specs, {n: None for n in unknown})  # raises the bilingual unknown-name error
    both = set(each) & set(fixed)
    if both:
        raise ParameterError(f"같은 매개변수를 -p와 --each에 함께 줄 수 없습니다: {', '.join(both)}",
                             f"a parameter cannot be given with both -p and --each: {', '.join(both)}")
    names = list(each)
    lists = [expand(specs[n], each[n]) for n in names]
    for name, values in zip(names, lists):
        if not values:
            raise ParameterError(f"'{name}'에 값이 없습니다.", f"--each {name}: no values")
    out = []
    for combo in itertools.product(*lists):
        given = dict(fixed)
        given.update(dict(zip(names, combo)))
        out.append(resolve(specs, given))
    return out


_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def folder_name(params: dict[str, Any], varying: Iterable[str]) -> str:
    """A folder name from the varying parameters (e.g. ``gu-마포구_month-2023-10``); a hash is added when
    sanitising had to change a value, so two different parameter sets never share a folder."""
    keys = [k for k in varying if k in params] or sorted(params)
    parts, lossy = [], False
    for k in keys:
        v = str(params[k])
        safe = _UNSAFE.sub("_", v).strip("._") or "_"
        lossy |= safe != v
        parts.append(f"{k}-{safe}")
    name = "_".join(parts) or "default"
    if lossy or len(name) > 120:
        name = name[:100] + "_" + hashlib.sha256(mf.canonical(params).encode()).hexdigest()[:8]
    return name


def run_job(job: dict) -> dict:
    """Worker entry point (local pool or Dask): run one report; never raises."""
    from datalit.reports.execute import run_report

    t0 = time.perf_counter()
    try:
        m = run_report(job["notebook"], job["params"], job["out"], pdf=job.get("pdf", False),
                       force=True, timeout=job.get("timeout"), prewarmed=job.get("prewarmed", True),
                       git=job.get("git"))
    except Exception as exc:  # infrastructure failure (kernel could not start, disk full ...)
        m = {"status": "failed", "parameters": job["params"], "error": {"type": type(exc).__name__,
             "message": str(exc)[-2000:]}, "outputs": {}, "duration_s": round(time.perf_counter() - t0, 3)}
    m["folder"] = job["folder"]
    m["worker_pid"] = os.getpid()
    return m


def template_imports(notebook: str | Path) -> tuple[str, ...]:
    """Modules the template's code cells import at top level (``import a.b``, ``from c.d import e``), in order.
    The fork server imports them too, so e.g. scikit-learn or folium is imported once per batch, not per report."""
    import ast

    names: list[str] = []
    try:  # plain JSON: importing nbformat (jsonschema) here would delay the fork server's start by seconds
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except Exception:  # noqa: BLE001 - an unreadable notebook fails in its own run, with its own message
        return ()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:  # magics, shell escapes
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return tuple(dict.fromkeys(names))


def _warm_worker(prewarmed: bool = True, extra: tuple[str, ...] = ()) -> None:
    """Import the heavy modules once per worker, not once per report, and start the worker's kernel fork
    server (forkserver.py) so each report's fresh kernel starts pre-imported (the usual modules plus
    ``extra``, the template's own imports). For one worker (the batch's own process) and Dask workers."""
    if prewarmed:
        from datalit.kernels import forkserver

        forkserver.start(preload=_preload(extra))
    _runner_modules()


def _preload(extra: tuple[str, ...]) -> tuple[str, ...]:
    """The fork server's imports for a report batch: the usual ones but jsonschema, which report kernels do
    not import (the catalog's validation is cached, datalit.data.catalog) and which costs ~2.5 s of the
    server's start (rfc3987_syntax's grammars), plus the template's own."""
    from datalit.kernels import forkserver

    usual = tuple(m for m in forkserver.PRELOAD if m != "jsonschema")
    return usual + tuple(m for m in extra if m not in usual)


def _runner_modules() -> None:
    """What running and rendering a report needs in the process that drives its kernel."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from datalit.reports import execute, render

    execute.kernel_manager_class(False)
    render._exporter()


def _attach_worker(sock: str | None) -> None:
    """Pool initializer of a worker forked from the batch's process: papermill, nbconvert and the HTML
    exporter are already imported there, and its kernels come from the batch's one fork server."""
    from datalit.kernels import forkserver

    forkserver.attach(sock)


def _reuse_or_queue(jobs: list[dict], nb_sha: str, force: bool, pdf: bool) -> tuple[list[dict], list[dict]]:
    reused, todo = [], []
    for job in jobs:
        old = None if force else mf.read(Path(job["out"]) / mf.MANIFEST_NAME)
        if old is not None:
            old["_folder"] = job["out"]
            if mf.stale_reason(old, nb_sha, job["params"], want_pdf=pdf) is None:
                old.pop("_folder")
                old.update(status="cached", folder=job["folder"])
                reused.append(old)
                continue
        todo.append(job)
    return reused, todo


def _run_local(todo: list[dict], workers: int, on_done: Callable[[dict], None]) -> None:
    prewarmed = todo[0].get("prewarmed", True)
    if len(todo) == 1:  # one kernel: a fork server would only add its own start-up
        prewarmed = todo[0]["prewarmed"] = False
    extra = template_imports(todo[0]["notebook"]) if prewarmed else ()
    if workers <= 1 or len(todo) == 1:
        if len(todo) > 1:
            _warm_worker(prewarmed, extra)
        for job in todo:
            on_done(run_job(job))
        return
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():  # no fork (Windows): each worker imports and warms itself
        _pool(todo, workers, on_done, mp.get_context("spawn"), _warm_worker, (prewarmed, extra))
        return
    # One kernel fork server for the whole batch: its imports (pandas, matplotlib, the template's) run on
    # one core while this process imports papermill and nbconvert on the other; the workers are forked
    # from this process afterwards, so neither is imported again per worker.
    from datalit.kernels import forkserver

    owned = prewarmed and not forkserver.running()
    sock = forkserver.launch(_preload(extra)) if prewarmed else None
    try:
        _runner_modules()
        if sock:
            sock = forkserver.start(preload=_preload(extra))  # wait until it is ready
        if not sock:
            for job in todo:
                job["prewarmed"] = False
        _pool(todo, workers, on_done, mp.get_context("fork"), _attach_worker, (sock,))
    finally:
        if owned:
            forkserver.stop()


def _pool(todo: list[dict], workers: int, on_done: Callable[[dict], None], ctx, initializer, initargs) -> None:
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx, initializer=initializer,
                             initargs=initargs) as pool:
        futures = {pool.submit(run_job, job): job for job in todo}
        for fut in as_completed(futures):
            try:
                on_done(fut.result())
            except Exception as exc:  # a worker process died
                job = futures[fut]
                on_done({"status": "failed", "parameters": job["params"], "folder": job["folder"], "outputs": {},
                         "error": {"type": type(exc).__name__, "message": str(exc)}})


def _run_dask(todo: list[dict], address: str, workers: int, on_done: Callable[[dict], None]) -> None:
    from dask.distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        slots = sum(client.nthreads().values()) or 1
        if len(todo) < 2 * slots:  # too few reports per worker for a pre-warmed kernel server to pay off
            todo = [dict(job, prewarmed=False) for job in todo]
        run_id = uuid.uuid4().hex[:8]  # keys unique per batch: never a result from another client's batch
        futures = client.map(run_job, todo, pure=False, key=[f"datalit-report-{run_id}-{j['folder']}" for j in todo])
        job_of = {fut.key: job for fut, job in zip(futures, todo)}
        for fut in dask_completed(futures):
            try:
                on_done(fut.result())
            except Exception as exc:  # the worker died or could not import datalit
                job = job_of[fut.key]
                on_done({"status": "failed", "folder": job["folder"], "outputs": {}, "parameters": job["params"],
                         "error": {"type": type(exc).__name__, "message": str(exc)}})
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def batch(notebook: str | Path, each: dict[str, str], out_dir: str | Path, *, fixed: dict[str, Any] | None = None,
          workers: int = 0, force: bool = False, pdf: bool = False, dask: str | None = None,
          timeout: int | None = 600, progress: bool = True, prewarmed: bool = True) -> dict:
    """Run the batch; return the summary (also written to ``out/summary.json`` and ``out/index.html``)."""
    notebook = find_notebook(notebook)
    specs = read_specs(notebook)
    param_sets = combinations(specs, each, fixed or {})
    nb_sha = mf.sha256_file(notebook)
    out = Path(out_dir)
    varying = list(each)
    jobs = []
    for params in param_sets:
        folder = folder_name(params, varying)
        jobs.append({"notebook": str(notebook.resolve()), "params": params, "folder": folder,
                     "out": str(out / folder), "pdf": pdf, "timeout": timeout, "prewarmed": prewarmed})
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    reused, todo = _reuse_or_queue(jobs, nb_sha, force, pdf)
    results = list(reused)
    if todo:
        git = mf.git_info(notebook)  # once for the batch, not once per report; not at all when all are reused
        for job in todo:
            job["git"] = git

    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=f"{notebook.stem} ({len(reused)} 재사용)", unit="보고서", file=sys.stderr)

    def on_done(m: dict) -> None:
        results.append(m)
        if bar is not None:
            bar.set_postfix_str(f"{m.get('folder')}: {m.get('status')}")
            bar.update(1)

    try:
        if todo:
            if dask:
                _run_dask(todo, dask, workers, on_done)
            else:
                _run_local(todo, workers, on_done)
    finally:
        if bar is not None:
            bar.close()
    order = {j["folder"]: i for i, j in enumerate(jobs)}
    results.sort(key=lambda m: order.get(m.get("folder"), 1 << 30))
    summary = {
        "notebook": str(notebook.resolve()),
        "notebook_sha256": nb_sha,
        "each": each,
        "fixed": fixed or {},
        "backend": f"dask:{dask}" if dask else f"local:{workers}",
        "wall_s": round(time.perf_counter() - t0, 3),
        "counts": {s: sum(1 for m in results if m.get("status") == s) for s in ("ok", "cached", "failed")},
        "reports": [_row(m) for m in results],
    }
    (out / SUMMARY_NAME).write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    write_index(out / "index.html", summary, specs)
    return summary


def _row(m: dict) -> dict:
    outputs = m.get("outputs") or {}
    folder = m.get("folder", "")
    err = m.get("error") or {}
    return {
        "folder": folder,
        "parameters": m.get("parameters", {}),
        "status": m.get("status"),
        "duration_s": m.get("duration_s"),
        "title": m.get("title"),
        "html": f"{folder}/{outputs['html']}" if outputs.get("html") else None,
        "ipynb": f"{folder}/{outputs['ipynb']}" if outputs.get("ipynb") else None,
        "pdf": f"{folder}/{outputs['pdf']}" if outputs.get("pdf") else None,
        "worker_pid": m.get("worker_pid"),
        "error": (f"{err.get('ename') or err.get('type')}: {err.get('evalue') or err.get('message', '')}"[:300]
                  if err else None),
    }


def summary_table(summary: dict) -> str:
    """Plain-text table for the terminal."""
    rows = summary["reports"]
    names = sorted({k for r in rows for k in r["parameters"]})
    header = ["상태", *names, "시간(s)", "폴더"]
    lines = [header]
    status_ko = {"ok": "성공", "cached": "재사용", "failed": "실패"}
    for r in rows:
        dur = r["duration_s"]
        lines.append([status_ko.get(r["status"], str(r["status"])), *(show_value(r["parameters"].get(n)) for n in names),
                      f"{dur:.1f}" if isinstance(dur, (int, float)) else "", r["folder"]])
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(line, widths)) for line in lines]
    c = summary["counts"]
    text.append(f"성공 {c['ok']} · 재사용 {c['cached']} · 실패 {c['failed']} · 전체 {len(rows)} · "
                f"{summary['wall_s']:.1f}s ({summary['backend']})")
    for r in rows:
        if r["status"] == "failed":
            text.append(f"  실패 {r['folder']}: {r['error']}")
    return "\n".join(text)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
