"""``datalit data``: thin wrappers over datalit.data.docs."""
from __future__ import annotations

import json
import sys

import click

from datalit.data import docs


@click.group()
def data():
    """Seoul datasets: list, info, verify, docs."""


@data.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def list_cmd(fmt):
    """id, Korean title, rows, period, licence."""
    rows = docs.summary_rows()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'id':<44} {'rows':>10}  {'period':<26} {'licence':<26} 제목")
    for r in rows:
        n = f"{r['rows']:,}" if r["rows"] else "-"
        click.echo(f"{r['id']:<44} {n:>10}  {_cut(r['period'], 26)} {_cut(r['licence'], 26)} {r['title_ko']}")


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


@data.command("info")
@click.argument("dataset_id")
def info_cmd(dataset_id):
    """Columns (Korean and English), source, licence, quirks."""
    from datalit.data.errors import DataError

    try:
        click.echo(docs.info_text(dataset_id))
    except DataError as exc:
        raise click.ClickException(str(exc)) from None


@data.command("verify")
@click.argument("dataset_ids", nargs=-1)
def verify_cmd(dataset_ids):
    """Check every file's sha256; exit 1 on any failure."""
    results = docs.verify_all(list(dataset_ids) or None)
    bad = [r for r in results if r[1] != "ok"]
    for name, status, detail in results:
        click.echo(f"{status:<4} {name}" + (f"  {detail}" if status != "ok" else ""))
    click.echo(f"{len(results) - len(bad)} ok, {len(bad)} failed")
    sys.exit(1 if bad else 0)


@data.command("docs")
@click.option("--check", is_flag=True, help="Exit 1 if datasets/README.md is out of date.")
def docs_cmd(check):
    """Regenerate datasets/README.md from the catalog."""
    if check:
        from datalit.paths import catalog_dir

        current = (catalog_dir() / "README.md").read_text(encoding="utf-8")
        project = (catalog_dir().parent / "README.md").read_text(encoding="utf-8")
        if current != docs.render_readme() or project != docs.render_project_readme(project):
            raise click.ClickException("datasets/README.md or README.md is out of date: run `datalit data docs`")
        click.echo("datasets/README.md is up to date")
        return
    for path in docs.write_readme():
        click.echo(path)
