"""``index.html`` of a batch (Korean): every report with its parameters, status, duration and links."""
from __future__ import annotations

from pathlib import Path

from datalit import templating
from datalit.kst import shown


def show_value(value) -> str:
    """A parameter value in tables: ``None`` (not set) is shown as a dash."""
    return "—" if value is None else str(value)


STATUS_KO = {"ok": ("성공", "#1a7f37"), "cached": ("재사용(변경 없음)", "#0969da"), "failed": ("실패", "#cf222e")}


def write_index(path: Path, summary: dict, specs: dict) -> Path:
    """The page (datalit/templates/report_index.html): one row per report, its links percent-encoded."""
    reports = summary["reports"]
    names = sorted({k for r in reports for k in r["parameters"]},
                   key=lambda n: list(specs).index(n) if n in specs else 99)
    rows = []
    for r in reports:
        status, color = STATUS_KO.get(r["status"], (str(r["status"]), "#333"))
        dur = r["duration_s"]
        links = [(href, label) for href, label in ((r["html"], "보고서(HTML)"), (r["pdf"], "PDF"),
                                                   (r["ipynb"], "노트북"), (f"{r['folder']}/manifest.json", "manifest"))
                 if href]
        rows.append({"status": status, "color": color, "cells": [show_value(r["parameters"].get(n)) for n in names],
                     "duration": dur if isinstance(dur, (int, float)) else None, "links": links,
                     "error": r["error"] or ""})
    doc = templating.render(
        "report_index.html", title=Path(summary["notebook"]).stem, notebook=summary["notebook"],
        notebook_sha256=summary["notebook_sha256"], made=shown(), backend=summary["backend"],
        wall_s=summary["wall_s"], counts=summary["counts"], rows=rows,
        labels=[getattr(specs.get(n), "label", "") or n for n in names])
    path.write_text(doc, encoding="utf-8")
    return path
