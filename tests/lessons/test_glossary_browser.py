"""A glossary link in a lesson, clicked in a real JupyterLab (headless Chromium), opens 용어집.ipynb beside it
and shows the term: the check in hygiene.py says a link resolves; this says JupyterLab agrees.

Measured here (JupyterLab 4): a ``#cell-id=term-...`` fragment scrolls an open glossary to the term; the very
first click, which opens the glossary, leaves it at its top (the notebook lays itself out after the
fragment was applied). A Korean heading anchor (``#생활인구``) never scrolls: the fragment arrives
percent-encoded and is compared with the heading id as it is."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.lessons]
TOKEN = "glossary-browser-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving the built learner forms of the intermediate course (with its 용어집.ipynb)."""
    from datalit.lessons.build import build_all

    root = tmp_path / "courses"
    build_all(root, tiers=["intermediate"], handbook=False)
    port = _free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--allow-root", f"--port={port}",
         "--ip=127.0.0.1", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={TOKEN}",
         "--ServerApp.disable_check_xsrf=True"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/api/status", params={"token": TOKEN}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_glossary_link_opens_the_glossary_at_its_term(lab, tmp_path):
    from browserkit import korean_page, shot

    with korean_page() as page:
        page.goto(f"{lab}/lab/tree/intermediate/02-merge-per-capita.ipynb?token={TOKEN}")
        link = page.locator(".jp-RenderedMarkdown a", has_text="생활인구").first  # the 14th of 27 terms
        link.wait_for()
        link.click()
        heading = page.locator(".jp-NotebookPanel:visible h2", has_text="생활인구")
        heading.wait_for()
        assert page.locator(".lm-TabBar-tab.lm-mod-current", has_text="용어집.ipynb").count() == 1
        page.locator(".lm-TabBar-tab", has_text="02-merge-per-capita").click()  # back to the lesson
        link.click()  # the glossary is open now: the fragment takes it to the term
        page.wait_for_timeout(3000)
        shot(page, tmp_path, "glossary-link.png")
        assert page.locator(".lm-TabBar-tab.lm-mod-current", has_text="용어집.ipynb").count() == 1
        box, view = heading.bounding_box(), page.viewport_size
        assert box is not None and 0 <= box["y"] < view["height"], box  # scrolled to the term
        top = page.locator(".jp-NotebookPanel:visible h2", has_text="평균").first.bounding_box()
        assert top is None or top["y"] < 0 or top["y"] > view["height"], top  # not left at the top
