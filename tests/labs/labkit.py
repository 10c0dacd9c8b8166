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
        "DATALIT_LAB_SANDBOX_DIR": "/var/lib/datalit/sandbox-tests",
        "DATALIT_LAB_COURSE_ID": "datalit-test",
    })
    return env


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
    """An inbound entry exactly as ``nbgrader submit`` makes it (secret, timestamp, notebook)."""
    import secrets
    from datetime import datetime, timezone

    ts = when or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    inbound = Path(course.cfg["exchange_dir"]) / course.course_id / "inbound"
    d = inbound / f"{member}+{LAB}+{ts}+{secrets.token_urlsafe(6)}"
    d.mkdir(parents=True)
    target = d / f"{LAB}.ipynb"
    if raw is not None:
        target.write_bytes(raw)
    else:
        nbformat.write(nb, target)
    (d / "timestamp.txt").write_text(ts)
    (d / "submission_secret.txt").write_text(secrets.token_hex(64))
    for name, make in (extra or {}).items():
        make(d / name)
    return d


def write_roster(path: Path, teams: dict[str, list[str]], lab: str = LAB) -> Path:
    lines = ["lab,team,member"] + [f"{lab},{t},{m}" for t, ms in teams.items() for m in ms]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path