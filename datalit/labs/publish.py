"""The instructor's side of the exchange: publish a release, push the roster, read submissions, send feedback.

One machine (root): straight on the exchange service's store; elsewhere (``lab.exchange_url``) through
the service's API with an instructor's token. See datalit/exchange/.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from datalit.exchange.client import instructor_backend
from datalit.exchange.store import StoreError
from datalit.labs.course import Course, LabError


def backend(course: Course):
    try:
        return instructor_backend(course.cfg)
    except StoreError as exc:
        raise LabError(str(exc)) from None


def publish(course: Course, lab: str, release_dir: Path, due_utc: datetime | None) -> dict:
    """Make the generated student version of LAB the one members fetch (atomic in the store)."""
    try:
        return backend(course).release(lab, Path(release_dir), due_utc)
    except StoreError as exc:
        raise LabError(f"publishing {lab} to the exchange failed: {exc}") from None


def push_roster(course: Course, roster: dict) -> None:
    """The exchange maps a submitting member to their team with this copy of the roster."""
    backend(course).set_roster(roster)
