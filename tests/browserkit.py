"""Shared Playwright pieces of the browser tests: Debian's Chromium, screenshots as artifacts, and
the hub's Korean login up to a running JupyterLab."""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOGIN_TITLE = "서울 데이터 리터러시 랩 로그인"


@contextmanager
def korean_page():
    """A headless Chromium page (Korean locale, 60 s default timeout); fails clearly without Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install chromium (./run test does it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="ko-KR")
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            browser.close()


def shot(page, tmp_path: Path, name: str, prefix: str = "") -> Path:
    """A screenshot under tmp_path, copied to $DATALIT_ARTIFACTS when set."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=False)
    artifacts = os.environ.get("DATALIT_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(artifacts) / f"{prefix}{name}")
    return path


def open_login(page, hub) -> None:
    page.goto(f"{hub.url}/hub/login")
    assert LOGIN_TITLE in page.inner_text(".auth-form-header")


def log_in(page, name: str, password: str) -> None:
    """On the open login page: type the name and password, click 로그인."""
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")


def log_in_and_start(page, name: str, password: str) -> None:
    """On the open login page: log in and wait for JupyterLab. A learner's server starts by itself after
    login; a hub admin lands on the home page and clicks 내 서버 시작 (datalit/hub/pages.py landing_url)."""
    log_in(page, name, password)
    lab = re.compile(rf".*/user/{name}/lab.*")
    page.wait_for_url(re.compile(rf".*(/hub/home|/hub/spawn|/user/{name}/).*"))
    if "/hub/home" in page.url:
        page.click("#start")
    page.wait_for_url(lab, timeout=150_000)
    page.wait_for_selector(".jp-DirListing-item")


def open_nbgrader(page, item: str) -> None:
    """JupyterLab's Nbgrader menu, then ITEM (e.g. "Assignment List", "Formgrader")."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def wait_or_explain(locator, page, tmp_path: Path, name: str, explain, prefix: str = "", timeout: int = 30_000):
    """Wait for LOCATOR's first match; else a screenshot NAME and an AssertionError saying ``explain()``."""
    try:
        locator.first.wait_for(timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - say what the page shows instead
        shot(page, tmp_path, name, prefix=prefix)
        raise AssertionError(explain()) from exc
    return locator
