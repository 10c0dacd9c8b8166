"""Shared fixtures. Tests write only under pytest's tmp paths, never into the checkout."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

# fixtures for a real running hub (tests/hub_fixtures.py), shared by the hub and team-lab tests
pytest_plugins = ["hub_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """One parse cache for the whole run, in a temporary folder (never the user's ~/.cache)."""
    cache = tmp_path_factory.mktemp("datalit-cache")
    old = os.environ.get("DATALIT_CACHE_DIR")
    os.environ["DATALIT_CACHE_DIR"] = str(cache)
    # child processes (kernels, papermill, nbgrader) find the venv's tools
    os.environ["PATH"] = f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    yield cache
    if old is None:
        os.environ.pop("DATALIT_CACHE_DIR", None)
    else:
        os.environ["DATALIT_CACHE_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def _no_team_images():
    """Team-folder images (``lab.team_disk_limit``, 2G by default) only where a test asks for one
    (tests/security/test_team_folder_limit.py): most tests make team folders under tmp_path and would each
    leave a loop mount behind. Hubs started by tests inherit this."""
    key = "DATALIT_LAB_TEAM_DISK_LIMIT"
    saved = os.environ.get(key)
    os.environ.setdefault(key, "")
    yield
    if saved is None:
        os.environ.pop(key, None)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    path = REPO.parent / "shared" / "datasets"
    if not path.is_dir():
        pytest.fail(f"real data not found at {path}: the tests need ../shared/datasets beside the checkout")
    return path


# With ``-n 3`` (pytest-xdist, what ``./run test`` and CI run) every test file that touches nothing the machine
# shares is one unit of work (its module fixtures, e.g. all lessons executed once, stay in one worker), handed to
# whichever worker is free. The tests that touch what the machine shares run in two units, each one test after
# another:
# - "grading": files marked ``grading`` (the grading sandbox's slot users and /var/lib/datalit-sandbox-tests,
#   cgroups), and the team-lab and security tests (unix groups named after team ids that many tests reuse, the
#   team folders) but for the compute-only files in LAB_COMPUTE and the hub front-door files in HUB_SECURITY;
# - "hubs": files marked ``hub`` (real hubs that neither grade in the sandbox nor make team groups) in
#   tests/hub, and HUB_SECURITY. The two share only what unix already serialises (useradd and groupadd take
#   /etc/passwd's lock and retry).
# The markers are read from the file's text (the controller, which schedules, never imports test files):
# tests/test_markers.py checks that a file starting a hub or grading carries the marker.
# The two system units go out first, then the compute files, the largest first, so no worker ends long after
# the others. (xdist's own --dist loadgroup cannot do this on pytest 9.2: it renames test ids through an
# attribute that pytest no longer reads.)
SYSTEM_DIRS = {"hub", "labs", "security"}
# team-lab tests that only compute (forming teams, rosters, reference checks on solutions run as root, the
# activity record): no slot users, no team groups, no hub; each is a unit of its own beside the rest
LAB_COMPUTE = {"test_forming.py", "test_roster.py", "test_labs.py", "test_labchecks_selftest.py",
               "test_team_activity.py", "test_assignments_panel_units.py"}
HUB_SECURITY = {"test_admin_signup.py", "test_hub_csrf.py", "test_hub_disk_limit.py",
                "test_hub_expired_sessions.py", "test_hub_login_lockout.py", "test_state_dir.py",
                "test_hub_private_tmp.py", "test_hub_leftover_processes.py", "test_certificate_forgery.py",
                "test_progress_record_attacks.py", "test_progress_forgery.py"}
_MARKS: dict[str, set] = {}


def file_marks(path: str) -> set:
    """The unit-deciding markers (``hub``, ``grading``) a test file's text applies."""
    if path not in _MARKS:
        try:
            text = (REPO / path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        _MARKS[path] = {m for m in ("hub", "grading") if f"mark.{m}" in text}
    return _MARKS[path]


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its file (compute tests), "hubs" or "grading"."""
    path = nodeid.split("::", 1)[0]
    parts = Path(path).parts
    marks = file_marks(path)
    if "grading" in marks:
        return "grading"
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in SYSTEM_DIRS:
        if parts[1] == "labs" and parts[-1] in LAB_COMPUTE:
            return path
        if parts[1] == "security" and parts[-1] in HUB_SECURITY:
            return "hubs"
        if parts[1] == "hub":
            return "hubs" if "hub" in marks else path
        return "grading"
    return path


def pytest_collection_modifyitems(session, config, items):
    """The order units are handed out in (same in every worker, so xdist sees one collection): grading, hubs,
    then compute files by their number of tests, largest first. Tests keep their order inside a file."""
    from collections import Counter

    sizes = Counter(work_unit(item.nodeid) for item in items)
    rank = {"grading": 0, "hubs": 1}
    items.sort(key=lambda item: (rank.get(work_unit(item.nodeid), 2), -sizes[work_unit(item.nodeid)],
                                 work_unit(item.nodeid)))


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # keep the order above

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return work_unit(nodeid)

    return ByWorkUnit(config, log)


_UNIT_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Seconds per unit of work (setup + call + teardown of its tests), summed in the controller."""
    unit = work_unit(report.nodeid)
    _UNIT_SECONDS[unit] = _UNIT_SECONDS.get(unit, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """Where CI's minutes go: the two serial units bound the run's length from below, the rest share workers."""
    if not _UNIT_SECONDS or hasattr(terminalreporter.config, "workerinput"):
        return
    total = sum(_UNIT_SECONDS.values())
    serial = {u: _UNIT_SECONDS.pop(u, 0.0) for u in ("grading", "hubs")}
    top = sorted(_UNIT_SECONDS.items(), key=lambda kv: -kv[1])[:8]
    terminalreporter.write_sep("=", "seconds per unit of work")
    terminalreporter.write_line(f"all tests {total:.0f} s; serial units: " +
                                ", ".join(f"{u} {s:.0f} s" for u, s in serial.items()) +
                                f"; {len(_UNIT_SECONDS)} file units {sum(_UNIT_SECONDS.values()):.0f} s, largest: " +
                                ", ".join(f"{Path(u).name} {s:.0f} s" for u, s in top))


_EXIT_STATUS = {"code": 0}


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS["code"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """A thread a test left running (a hung grading run, a server watcher) must not keep the interpreter
    alive after the summary: CI would wait for it until its own time limit. Name the threads and leave."""
    import threading
    import traceback

    if hasattr(config, "workerinput"):  # an xdist worker: its own threads talk to the controller
        return
    stuck = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if not stuck:
        return
    frames = sys._current_frames()
    for t in stuck:
        print(f"\n[tests] thread {t.name!r} still running after the session; its stack:", file=sys.stderr)
        traceback.print_stack(frames.get(t.ident), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS["code"])
