"""One report, as a pipeline: validate -> reuse? -> execute (papermill) -> render -> manifest.

    >>> from datalit.reports.execute import run_report
    >>> run_report("reports/safety_profile.ipynb", {"gu": "마포구"}, "out/마포구")

Parameters are checked before any kernel starts; a refused value writes nothing.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import time
import traceback
from pathlib import Path
from typing import Any

import nbformat

from datalit.kst import now_utc, shown
from datalit.reports import manifest as mf
from datalit.reports.params import ParameterError, find_notebook, read_specs, resolve

__all__ = ["run_report", "prepare", "ParameterError"]


def _now() -> dt.datetime:
    """UTC (stored in the manifest); the report shows it in Korea time (``datalit.kst.shown``)."""
    return now_utc()


def title_of(nb, params: dict, fallback: str) -> str:
    """``metadata.datalit.title`` formatted with the parameters, else the first heading."""
    title = nb.metadata.get("datalit", {}).get("title")
    if not title:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                m = re.search(r"^#\s+(.+)$", cell.source, re.M)
                if m:
                    title = m.group(1).strip()
                    break
    title = title or fallback
    try:
        return title.format(**params)
    except (KeyError, IndexError, ValueError):
        return title


def kernel_manager_class(prewarmed: bool = False):
    """The report kernel's manager: a pre-warmed fork (batches) or a fresh process, talking over
    unix sockets (ipc) rather than TCP on localhost: nothing listens on a port, and ipykernel does not
    print "Kernel is running over TCP without encryption" into the batch's progress bar."""
    from jupyter_client.manager import KernelManager

    base = KernelManager
    if prewarmed:
        from datalit.kernels import forkserver

        if forkserver.start():
            base = forkserver.ForkKernelManager
    return _ipc_manager(base)


_IPC_MANAGERS: dict = {}


def _ipc_manager(base):
    if base not in _IPC_MANAGERS:
        from traitlets import CaselessStrEnum

        _IPC_MANAGERS[base] = type(f"IPC{base.__name__}", (base,), {
            "transport": CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True),
            "__doc__": f"{base.__name__} over ipc (unix sockets beside the connection file)."})
    return _IPC_MANAGERS[base]


def prepare(notebook: str | Path, given: dict[str, Any]):
    """Read and validate (no kernel): returns (nb, specs, params, notebook sha256)."""
    path = find_notebook(notebook)
    nb = nbformat.read(str(path), as_version=4)
    specs = read_specs(nb)
    params = resolve(specs, given)
    return nb, specs, params, mf.sha256_file(path)


def _with_manifest_cell(nb):
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(mf.MANIFEST_CELL)
    cell.metadata["tags"] = [mf.MANIFEST_TAG]
    nb.cells.append(cell)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    return nb


def _error_info(exc: BaseException) -> dict:
    info = {"type": type(exc).__name__, "message": str(exc)[-2000:]}
    for attr in ("cell_index", "exec_count", "ename", "evalue"):
        if hasattr(exc, attr):
            info[attr] = getattr(exc, attr)
    return info


def run_report(notebook: str | Path, given: dict[str, Any] | None, out_dir: str | Path, *, pdf: bool = False,
               force: bool = False, timeout: int | None = 600, name: str | None = None,
               checked: tuple | None = None, prewarmed: bool = False, git: dict | None = None) -> dict:
    """Run one report into ``out_dir``; return its manifest (``status`` ok / failed / cached).

    Raises ParameterError (nothing written) for refused parameters; an execution error does not
    raise: the partial notebook is kept with the failing cell marked and ``status`` is ``failed``.
    ``prewarmed`` forks the kernel from this process's fork server (see forkserver.py; batches).
    """
    nb, specs, params, nb_sha = checked or prepare(notebook, given or {})
    notebook = find_notebook(notebook)
    out = Path(out_dir)
    stem = name or notebook.stem
    if not force:
        old = mf.read(out / mf.MANIFEST_NAME)
        if old is not None:
            old["_folder"] = str(out)
            if mf.stale_reason(old, nb_sha, params, want_pdf=pdf) is None:
                old.pop("_folder", None)
                old["status_before"], old["status"] = old["status"], "cached"
                return old
    out.mkdir(parents=True, exist_ok=True)
    labels = {k: s.label for k, s in specs.items() if s.label}
    ipynb_path, html_path, pdf_path = out / f"{stem}.ipynb", out / f"{stem}.html", out / f"{stem}.pdf"
    for stale in (ipynb_path, html_path, pdf_path, out / mf.MANIFEST_NAME):
        stale.unlink(missing_ok=True)

    start, t0 = _now(), time.perf_counter()
    status, error = "ok", None
    executed = None
    engine_kwargs = {"kernel_manager_class": kernel_manager_class(prewarmed)}
    try:
        import papermill

        executed = papermill.execute_notebook(
            _with_manifest_cell(nb), str(ipynb_path), parameters=params, kernel_name="python3",
            progress_bar=False, request_save_on_cell_execute=False, cwd=str(out),
            execution_timeout=timeout, report_mode=False, **engine_kwargs,
        )
    except Exception as exc:  # PapermillExecutionError or a kernel that died / timed out
        status, error = "failed", _error_info(exc)
        if ipynb_path.is_file():
            executed = nbformat.read(str(ipynb_path), as_version=4)
    record = mf.kernel_record(executed) if executed is not None else {}
    end = _now()
    title = title_of(nb, params, stem)
    outputs = {"ipynb": ipynb_path.name if ipynb_path.is_file() else None, "html": None, "pdf": None}
    if executed is not None:
        try:
            made = shown(end)
            mf_files = record.get("data_files", {})
            from datalit.reports.render import to_html, to_pdf

            to_html(executed, html_path, title=title, params=params, labels=labels, made=made,
                    data_files=mf_files, status=status)
            outputs["html"] = html_path.name
            if pdf:
                to_pdf(html_path, pdf_path)
                outputs["pdf"] = pdf_path.name
        except Exception as exc:
            if status == "ok":
                status, error = "failed", _error_info(exc)
                error["stage"] = "render"
            error.setdefault("render_traceback", traceback.format_exc()[-2000:])
    manifest = {
        "report": stem,
        "title": title,
        "notebook": str(notebook.resolve()),
        "notebook_sha256": nb_sha,
        "git": git if git is not None else mf.git_info(notebook),
        "parameters": params,
        "data_files": record.get("data_files", {}),
        "packages": record.get("packages", {}),
        "python": record.get("python") or mf.environment()["python"],
        "kernel": record.get("kernel"),
        "platform": mf.environment()["platform"],
        "start": start.isoformat(timespec="seconds"),
        "end": end.isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - t0, 3),
        "status": status,
        "error": error,
        "outputs": outputs,
        "findings": record.get("findings", {}),
    }
    mf.write(out / mf.MANIFEST_NAME, manifest)
    return manifest
