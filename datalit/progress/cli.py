"""``datalit progress``: the learning record for HR and for lesson authors (reads the hub's state directory
directly, so it runs as root on the hub's machine, with the hub up or down).

    datalit progress export --out 학습현황.csv [--tier beginner]   one row per learner and lesson (CSV, BOM)
    datalit progress gaps [--tier beginner]                        undiagnosed wrong answers per question
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import click

from datalit.hub.cli import resolve_state_dir, state_option
from datalit.lessons.schema import TIERS

COLUMNS = ("user", "tier", "lesson", "passed", "total", "minutes", "completed")
tier_option = click.option("--tier", type=click.Choice(TIERS), default=None, help="one course (default: all)")


@click.group()
def progress():
    """The learning record: export for HR, gaps for lesson authors."""


def _readable(state: Path) -> None:
    from datalit.progress import events

    folder = events.folder(state)
    if folder.exists() and not os.access(folder, os.R_OK | os.X_OK):
        raise click.ClickException(f"{folder} is readable by root only: run this command with sudo")


@progress.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="the CSV file to write (UTF-8 with BOM: Excel opens it with Hangul intact)")
@tier_option
@state_option
def export(out, tier, state_dir):
    """One row per learner and lesson: user, tier, lesson, passed, total, minutes, completed (KST)."""
    from datalit.progress.dashboard import export_rows

    state = resolve_state_dir(state_dir)
    _readable(state)
    out_path = Path(out)
    if not out_path.parent.is_dir():
        raise click.ClickException(f"no such folder: {out_path.parent}")
    rows = export_rows(state, [tier] if tier else list(TIERS))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    out_path.write_text(buf.getvalue(), encoding="utf-8-sig")
    learners = len({(r["user"], r["tier"]) for r in rows})
    click.echo(f"wrote {len(rows)} rows ({learners} learner-course pairs) to {out_path}")


@progress.command("gaps")
@tier_option
@state_option
def gaps(tier, state_dir):
    """The most frequent undiagnosed wrong answers per question: what a lesson could add a diagnosis for."""
    from datalit.progress.dashboard import overview

    state = resolve_state_dir(state_dir)
    _readable(state)
    found = False
    for t in ([tier] if tier else list(TIERS)):
        for g in overview(state, t)["gaps"]:
            found = True
            answers = ", ".join(f"{a['value']} ({a['count']})" for a in g["answers"])
            click.echo(f"{t}/{g['lesson']} {g['question']}: {answers}")
    if not found:
        click.echo("no undiagnosed wrong answers recorded")
