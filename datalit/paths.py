"""Where things are: the checkout, the shared data folder, the user cache."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def repo_path(*parts: str) -> Path:
    """A path inside the checkout (catalog, courses, labs, reports, hub_config)."""
    return REPO_ROOT.joinpath(*parts)


CHECKOUT_MARK = ".datalit-checkout"


def checkout_dir() -> Path:
    """The checkout with what only the grader may read (labs/, grading/labchecks/): ``lab.checkout_dir``;
    else the folder ``./run`` installed a learners' copy from (recorded in the copy); else REPO_ROOT."""
    from datalit.config import load_config

    configured = load_config()["lab"]["checkout_dir"]
    if configured:
        return Path(configured)
    try:
        return Path((REPO_ROOT / CHECKOUT_MARK).read_text(encoding="utf-8").strip())
    except OSError:
        return REPO_ROOT


def checkout_path(*parts: str) -> Path:
    return checkout_dir().joinpath(*parts)


def grader_only_paths() -> list[Path]:
    """What of the checkout no learner may read: the labs (solutions, hidden tests), the reference checks,
    the tests and benchmarks (they build answered notebooks) and the history (``.git``). When the install
    is the checkout itself, servers read grading/'s nbgrader config, so only grading/labchecks is listed."""
    root = checkout_dir()
    installed_here = root.resolve() == REPO_ROOT.resolve()
    return [root / p for p in ("labs", ".git", "tests", "bench", "grading/labchecks" if installed_here else "grading")]


def catalog_dir() -> Path:
    return Path(os.environ.get("DATALIT_CATALOG_DIR") or repo_path("datasets"))


def shared_data_dir() -> Path:
    """``../shared/datasets`` beside the checkout (the one ./run installed from, when the install is a copy)."""
    return checkout_dir().parent / "shared" / "datasets"


def cache_dir() -> Path:
    env = os.environ.get("DATALIT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "datalit"
