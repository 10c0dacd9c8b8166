"""``datalit report``: list, run, params, batch — thin wrappers over use_cases, execute.run_report and batch.batch."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from datalit.reports.params import ParameterError


def _config() -> dict:
    from datalit.config import load_config

    return load_config()["report"]


def _given(pairs) -> dict:
    out = {}
    for name, value in pairs:
        out[name] = value
    return out


def _fail(exc: ParameterError):
    raise click.ClickException(str(exc))


@click.group()
def report():
    """Parameterised department reports (papermill): run, params, batch."""


@report.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(as_json):
    """The report templates in the checkout's reports/ folder, grouped by the plan's use cases."""
    from datalit.paths import repo_path
    from datalit.reports.use_cases import grouped

    groups = grouped(repo_path("reports").glob("*.ipynb"))
    if as_json:
        click.echo(json.dumps([{"use_case": name, "templates": items} for name, items in groups],
                              ensure_ascii=False, indent=2))
        return
    for name, items in groups:
        click.echo(f"■ {name}")
        if not items:
            click.echo("    (아직 보고서 템플릿이 없습니다 / no template yet)")
        for info in items:
            names = ", ".join(f"{n}({t})" for n, t in info["parameters"].items())
            click.echo(f"  {info['name']} — {info['description'] or info['title']}")
            click.echo(f"      매개변수: {names or '없음'}")
            for problem in info["problems"]:
                click.echo(f"      ⚠ {problem}")
        click.echo("")


@report.command("params")
@click.argument("notebook")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def params_cmd(notebook, as_json):
    """Print the parameters a report notebook declares (type, default, allowed values)."""
    from datalit.reports.params import describe, find_notebook, read_specs

    try:
        specs = read_specs(find_notebook(notebook))
    except ParameterError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps({n: {"type": s.type, "label": s.label, "default": s.default, "allowed": s.allowed()}
                               for n, s in specs.items()}, ensure_ascii=False, indent=2))
    else:
        click.echo(describe(specs))


@report.command("run")
@click.argument("notebook")
@click.option("-p", "--parameter", "pairs", nargs=2, multiple=True, metavar="NAME VALUE", help="A parameter value.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("--pdf", is_flag=True, help="Also print the HTML to PDF with Chromium.")
@click.option("--force", is_flag=True, help="Rerun even if an identical earlier result exists.")
@click.option("--timeout", type=int, help="Seconds per cell.")
def run_cmd(notebook, pairs, out_dir, pdf, force, timeout):
    """Run one report: executed notebook, HTML (no code), optional PDF, manifest.json."""
    from datalit.reports.batch import folder_name
    from datalit.reports.execute import prepare, run_report

    cfg = _config()
    try:
        checked = prepare(notebook, _given(pairs))
    except ParameterError as exc:
        _fail(exc)
    params = checked[2]
    stem = Path(notebook).stem if Path(notebook).suffix == ".ipynb" else Path(notebook).name
    out = Path(out_dir) if out_dir else Path(cfg["out_dir"]) / stem / folder_name(params, [k for k, _ in pairs])
    m = run_report(notebook, None, out, pdf=pdf, force=force, timeout=timeout or cfg["timeout"], checked=checked)
    status_ko = {"ok": "완료", "cached": "변경 없음: 이전 결과를 재사용", "failed": "실패"}[m["status"]]
    click.echo(f"{status_ko} ({m['status']}) — {out}")
    for kind, name in (m.get("outputs") or {}).items():
        if name:
            click.echo(f"  {kind}: {out / name}")
    click.echo(f"  manifest: {out / 'manifest.json'}")
    if m["status"] == "failed":
        err = m.get("error") or {}
        click.echo(f"오류 / error: {err.get('ename') or err.get('type')}: {err.get('evalue') or err.get('message')}",
                   err=True)
        sys.exit(1)


def _each(values) -> dict:
    out = {}
    for text in values:
        name, sep, spec = text.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{text}': NAME=VALUES 형식이어야 합니다 (e.g. gu=all, month=2023-01..2023-10)",
                                     param_hint="--each")
        out[name.strip()] = spec
    return out


@report.command("batch")
@click.argument("notebook")
@click.option("--each", "each", multiple=True, metavar="NAME=VALUES",
              help="Vary a parameter: all | A..B | a,b,c. Several --each give the cross product.")
@click.option("-p", "--parameter", "pairs", nargs=2, multiple=True, metavar="NAME VALUE", help="A fixed value.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder (index.html goes here).")
@click.option("--workers", type=int, help="Worker processes (default: number of cores).")
@click.option("--dask", "dask", metavar="ADDRESS", help="Run on a Dask cluster: scheduler address or 'local'.")
@click.option("--pdf", is_flag=True, help="Also print each report to PDF.")
@click.option("--force", is_flag=True, help="Rerun everything, even unchanged reports.")
@click.option("--timeout", type=int, help="Seconds per cell.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--plain-kernels", is_flag=True, help="Start every kernel from scratch (no pre-warmed fork server).")
def batch_cmd(notebook, each, pairs, out_dir, workers, dask, pdf, force, timeout, no_progress, plain_kernels):
    """Run the cross product of --each values in parallel; write index.html; exit 1 if any failed."""
    from datalit.reports.batch import batch, summary_table

    cfg = _config()
    stem = Path(notebook).stem if Path(notebook).suffix == ".ipynb" else Path(notebook).name
    out = Path(out_dir) if out_dir else Path(cfg["out_dir"]) / stem
    try:
        summary = batch(notebook, _each(each), out, fixed=_given(pairs), workers=workers or cfg["workers"],
                        force=force, pdf=pdf, dask=dask, timeout=timeout or cfg["timeout"], progress=not no_progress,
                        prewarmed=not plain_kernels)
    except ParameterError as exc:
        _fail(exc)
    click.echo(summary_table(summary))
    click.echo(f"목록 / index: {out / 'index.html'}")
    if summary["counts"]["failed"]:
        sys.exit(1)
