"""Fixtures for the team-lab tests: a released course (real nbgrader), per-test copies, test users.

The exchange and team folders live in a world-traversable temp dir (outside pytest's 0700 tmp)
because real unix users fetch and submit there; the sandbox dir is under /var/lib (the sandbox
mounts a private /tmp). Limits are small so that the hostile cases finish fast (labkit.LIMITS).
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from labkit import LAB, lab_env  # noqa: E402


@pytest.fixture(scope="session")
def shared_base():
    base = Path(tempfile.mkdtemp(prefix="datalit-labs-", dir="/var/tmp"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def released(shared_base, tmp_path_factory):
    """A course with lab 1 generated and released by real nbgrader (done once, copied per test)."""
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    saved = {k: v for k, v in os.environ.items() if k.startswith("DATALIT_LAB_")}
    os.environ.update(lab_env(shared_base))
    root = tmp_path_factory.mktemp("released") / "course"
    course = open_course(root)
    release(course, LAB)
    yield {"course": root, "exchange": shared_base / "exchange"}
    for k in [k for k in os.environ if k.startswith("DATALIT_LAB_")]:
        del os.environ[k]
    os.environ.update(saved)


@pytest.fixture
def course(released, tmp_path, monkeypatch):
    """A private copy of the released course and exchange for one test."""
    from datalit.labs.course import open_course

    base = Path(tempfile.mkdtemp(prefix="case-", dir=released["exchange"].parent))
    os.chmod(base, 0o755)
    shutil.copytree(released["exchange"], base / "exchange", symlinks=True)
    for k, v in lab_env(base).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(tmp_path / "course"))
    root = tmp_path / "course"
    shutil.copytree(released["course"], root)
    yield open_course(root)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def unix_users():
    """Real accounts for members (root only), created once, kept (idempotent)."""
    if os.geteuid() != 0:
        pytest.fail("the team-lab tests need root (CI runs as root)")
    names = ["dlt-alice", "dlt-bob", "dlt-carol", "dlt-dave"]
    for n in names:
        try:
            pwd.getpwnam(n)
        except KeyError:
            subprocess.run(["useradd", "-m", "-s", "/bin/bash", n], check=True, capture_output=True)
    return names


@pytest.fixture
def members(unix_users):
    """The test users with clean homes (no lab folder, no nbgrader cache from an earlier run)."""
    for n in unix_users:
        home = Path(os.path.expanduser(f"~{n}"))
        for sub in (LAB, ".local/share/jupyter/nbgrader_cache"):
            shutil.rmtree(home / sub, ignore_errors=True)
        for link in home.glob("팀폴더-*"):
            link.unlink()
    return unix_users


@pytest.fixture(scope="module")
def released_hub(released, unix_users):
    """A real hub (one per test module) whose servers use a copy of the released course (lab 1) and
    of its exchange; yields (hub, course_dir)."""
    from hub_fixtures import hub_base_dir
    from labkit import course_hub, lab_env

    base = hub_base_dir()
    course_dir = base / "course"
    shutil.copytree(released["course"], course_dir)
    shutil.copytree(released["exchange"], base / "exchange", symlinks=True)
    env = lab_env(base)
    env["DATALIT_LAB_COURSE_DIR"] = str(course_dir)
    with course_hub(base, env) as hub:
        yield hub, course_dir


@pytest.fixture(scope="module")
def labchecks():
    """``labchecks(lab)``: the lab's reference checks module from the checkout's grading/ (root-only there),
    imported fresh for this module and forgotten afterwards."""
    import importlib

    grading = str(Path(__file__).resolve().parents[2] / "grading")
    sys.path.insert(0, grading)
    try:
        yield lambda lab: importlib.import_module(f"labchecks.{lab}")
    finally:
        sys.path.remove(grading)
        for name in [m for m in sys.modules if m == "labchecks" or m.startswith("labchecks.")]:
            del sys.modules[name]
