"""Helpers for the team-lab tests (imported by tests/labs/conftest.py and the tests)."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat

LAB = "lab1_bike_story"
LIMITS = {"timeout": "90", "cell_timeout": "20", "memory_mb": "500", "cpu_seconds": "60", "max_processes": "40",
          "max_output_bytes": "200000", "max_file_mb": "20"}


def lab_env(base: Path) -> dict:
    env = {f"DATALIT_LAB_{k.upper()}": v for k, v in LIMITS.items()}
    env.update({
        "DATALIT_LAB_EXCHANGE_DIR": str(base / "exchange"),
        "DATALIT_LAB_TEAMS_DIR": str(base / "teams"),
        "DATALIT_LAB_SANDBOX_DIR": "/var/lib/datalit-sandbox-tests",
        "DATALIT_LAB_COURSE_ID": "datalit-test",
    })
    return env


def local_course(tmp_path: Path, monkeypatch, course_id: str):
    """A fresh course under TMP_PATH with the lab settings in this process's environment (no hub)."""
    from datalit.labs.course import open_course

    for key, value in lab_env(tmp_path / "lab").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("DATALIT_LAB_COURSE_ID", course_id)
    return open_course(tmp_path / "course")


@contextmanager
def course_hub(base: Path, env: dict):
    """A real hub whose servers get the lab settings ENV (set in this process too while it runs);
    afterwards its users, its processes and BASE are gone and the environment is as before."""
    import pytest

    from hub_fixtures import start_hub

    if os.geteuid() != 0:
        pytest.fail("the lab tests through the hub need root (CI runs as root)")
    saved = dict(os.environ)
    os.environ.update(env)
    hub = start_hub(base / "state", home_base=base / "home", extra_env=env)
    try:
        yield hub
    finally:
        hub.remove_users()
        hub.stop()
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(base, ignore_errors=True)


def answered(course, overrides: dict | None = None, drop: tuple = (), kernel: str | None = None):
    """The released notebook with the reference solutions filled in; overrides: grade_id -> source."""
    src = nbformat.read(course.root / "source" / LAB / f"{LAB}.ipynb", as_version=4)
    solutions = {}
    for c in src.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [ln for ln in c.source.splitlines() if "### BEGIN SOLUTION" not in ln and "### END SOLUTION" not in ln]
            solutions[meta["grade_id"]] = "\n".join(lines)
    nb = nbformat.read(course.root / "release" / LAB / f"{LAB}.ipynb", as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in solutions:
            c.source = solutions[gid]
        if overrides and gid in overrides:
            c.source = overrides[gid]
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    if kernel:
        nb.metadata["kernelspec"]["name"] = kernel
    return nb


def put_submission(course, member: str, nb=None, raw: bytes | None = None, when: str | None = None,
                   extra: dict | None = None) -> Path:
    """A submission stored in the exchange exactly as the service stores an accepted one (the member's
    team from the roster; WHEN an nbgrader-style 'YYYY-MM-DD HH:MM:SS.ffffff UTC' for old/late ones).
    The service's own checks (identity, empty notebook, confirmation) are tested through the hub."""
    import tempfile
    from datetime import datetime, timezone

    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store

    store = Store(exchange_root(course.cfg), course.course_id)
    files = {f"{LAB}.ipynb": raw if raw is not None else nbformat.writes(nb).encode()}
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (extra or {}).items():
            make(Path(tmp) / name)
            files[name] = (Path(tmp) / name).read_bytes()
    team = store.team_of(LAB, member)
    assert team, f"{member} is in no team of the roster pushed to the exchange"
    ts = None
    if when:
        ts = datetime.strptime(when.replace(" UTC", ""), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    meta = store.add_submission(LAB, team, member, files, when=ts)
    return store.submission_dir(LAB, team, meta["id"])


def write_roster(path: Path, teams: dict[str, list[str]], lab: str = LAB) -> Path:
    lines = ["lab,team,member"] + [f"{lab},{t},{m}" for t, ms in teams.items() for m in ms]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path