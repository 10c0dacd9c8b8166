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


from scheduling import work_unit  # noqa: E402  (the units of work: tests/scheduling.py)


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
