"""Known data anomalies (datasets/data-quality-notes.toml), so that every chart they touch says so.

A dip in a chart reads as a finding unless the report says it is an artefact: the KT 아현 fire of
2018-11-24 cut the signals the living-population estimate is made from, and the estimate fell by a
third in 마포구 for a day. Each anomaly is written once, with the evidence measured in the file, in the
catalog folder; templates ask which notes touch what they show and mark them on the chart.
"""
from __future__ import annotations

import datetime as dt
import tomllib

from datalit.paths import catalog_dir

NOTES_FILE = "data-quality-notes.toml"


def notes(dataset_id: str) -> list[dict]:
    """The notes about DATASET_ID (empty when the file or the dataset has none)."""
    try:
        with open(catalog_dir() / NOTES_FILE, "rb") as fh:
            every = tomllib.load(fh).get("note", [])
    except FileNotFoundError:
        return []
    return [n for n in every if n.get("dataset") == dataset_id]


def touching(dataset_id: str, first, last, gu: str | None = None) -> list[dict]:
    """Notes about DATASET_ID whose days overlap FIRST..LAST (dates or timestamps) and, if GU is given,
    that name GU (a note without districts touches every district)."""
    start, end = _day(first), _day(last)
    return [n for n in notes(dataset_id)
            if n["first"] <= end and n["last"] >= start and (gu is None or not n.get("gu") or gu in n["gu"])]


def _day(value) -> dt.date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def caption(note: dict) -> str:
    """One Korean line for a chart's reader: what, when, where."""
    days = f"{note['first']:%Y-%m-%d}" + (f" ~ {note['last']:%m-%d}" if note["last"] != note["first"] else "")
    where = f" ({', '.join(note['gu'])})" if note.get("gu") else ""
    return f"⚠ {note['label_ko']} {days}{where}: {note['note_ko']}"


def mark(ax, note: dict, color: str = "#b22222") -> None:
    """Shade the note's days on a time axis and label the shading."""
    start = dt.datetime.combine(note["first"], dt.time())
    end = dt.datetime.combine(note["last"], dt.time()) + dt.timedelta(days=1)
    ax.axvspan(start, end, color=color, alpha=0.18, linewidth=0)
    ax.annotate(note["label_ko"], xy=(start, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                textcoords="offset points", color=color, fontsize=8)
