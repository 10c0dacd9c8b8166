"""A real browser (Playwright + Debian Chromium, headless): Korean login page, the course list in
JupyterLab, the first beginner lesson opened and run. Screenshots go to tmp_path and $DATALIT_ARTIFACTS."""
from __future__ import annotations

import re
import time

import pytest

from browserkit import korean_page, log_in_and_start, open_login, shot

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]

def test_browser_login_courses_and_first_lesson(hub, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    lessons = sorted((hub.state.parent / "content" / "beginner").glob("*.ipynb"))  # hub.content_dir of test hubs
    assert lessons, "no beginner lesson was built into the hub's content"
    first = lessons[0].name
    name, password = hub.new_user(groups=("beginner",))

    with korean_page() as page:
        try:
            open_login(page, hub)
            assert "입문 과정" in page.inner_text("#course-list")
            shot(page, tmp_path, "hub-login.png")
            log_in_and_start(page, name, password)

            # a first login lands in JupyterLab (in Korean) on the first lesson, already open, with its
            # course folder in the file browser
            assert "파일" in page.inner_text(".lm-MenuBar")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
            sync_api.expect(page.locator(".lm-DockPanel .lm-TabBar-tab.lm-mod-current")).to_contain_text(first)
            page.locator(".jp-DirListing-itemText", has_text=first).wait_for()
            listing = page.inner_text(".jp-DirListing-content")
            assert all(nb.name in listing for nb in lessons), listing
            shot(page, tmp_path, "lab-courses.png")

            # run the first lesson (Run > Run All Cells, in Korean)
            # the kernel is connected and idle ("Python 3 (ipykernel) | 대기" in the status bar)
            page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| 대기")).first.wait_for(timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="실행").first.click()
            # "Run All Cells" in the Korean language pack (exact: not "위의 모든 셀 실행")
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^모든 셀 실행$")).click()
            prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")
            status = page.locator(".jp-StatusBar-Widget", has_text="Python 3").first
            deadline = time.time() + 300  # lesson 00 has 55 cells; a new account parses its data first
            texts: list[str] = []
            while time.time() < deadline:  # done: some cells numbered and the kernel idle again
                texts = [t.strip() for t in prompts.all_inner_texts()]  # off-screen cells render ''
                if any(re.match(r"\[\d+\]:", t) for t in texts) and "대기" in status.inner_text():
                    break
                time.sleep(1)
            executed = [t for t in texts if re.match(r"\[\d+\]:", t)]
            assert executed and "대기" in status.inner_text(), (texts, status.inner_text())
            shot(page, tmp_path, "lab-first-lesson-end.png")
            # back to the top: the first code cell ran first (it only sets up, no output); the second
            # one (the first computation) shows its result
            first_cell, second_cell = page.locator(".jp-CodeCell").nth(0), page.locator(".jp-CodeCell").nth(1)
            first_cell.scroll_into_view_if_needed()
            sync_api.expect(first_cell.locator(".jp-InputArea-prompt")).to_have_text("[1]:")
            sync_api.expect(second_cell.locator(".jp-InputArea-prompt")).to_have_text("[2]:")
            sync_api.expect(second_cell.locator(".jp-OutputArea-output").first).not_to_be_empty()
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            outputs = page.locator(".jp-OutputArea-output")
            assert outputs.count() > 0
            shot(page, tmp_path, "lab-first-lesson.png")
            print(f"browser: {len(executed)} visible code cells ran, {errors.count()} stderr outputs")
        finally:
            shot(page, tmp_path, "last.png")
