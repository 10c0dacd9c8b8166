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


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    path = REPO.parent / "shared" / "datasets"
    if not path.is_dir():
        pytest.fail(f"real data not found at {path}: the tests need ../shared/datasets beside the checkout")
    return path
