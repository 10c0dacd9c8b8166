"""Two members co-edit one notebook on their team server, in two real browsers (headless Chromium).

Through a real hub (``datalit hub`` as root): member A logs in, sees the team on the hub's home page and
clicks 팀 서버 열기; the team server starts and JupyterLab opens. Member B logs in in another browser
context and opens the same team. Both open the team notebook; A types into a cell and B sees the text appear
(real-time collaboration over the team server); B types into another cell and A sees it; B runs the first
cell and A sees its output; A runs it too, and the instructor's contribution table (hub home page) names
both with the one cell each edited and their runs. Screenshots go to
tmp_path and $DATALIT_ARTIFACTS.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

import nbformat
import pytest
import requests

from browserkit import ARGS, CHROMIUM, log_in, open_login, shot
from teamkit import logged_in, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.grading, pytest.mark.slow]
PREFIX = "team-server-"
NOTEBOOK = "팀노트.ipynb"


def _put_notebook(hub, account: str, token: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(""), nbformat.v4.new_code_cell(""),
                nbformat.v4.new_markdown_cell("# 우리 팀 분석")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    r = requests.put(f"{hub.url}/user/{account}/api/contents/{NOTEBOOK}", timeout=30,
                     headers={"Authorization": f"token {token}"},
                     json={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))})
    assert r.status_code in (200, 201), r.text[:300]


def _open_team_from_home(page, hub, name, password, team, shots) -> None:
    page.goto(f"{hub.url}/hub/login?next=/hub/home")
    log_in(page, name, password)
    page.wait_for_url(re.compile(r".*/hub/home.*"))
    row = page.locator(f'.datalit-team[data-team="{team}"]')
    row.wait_for()
    shot(page, shots, f"home-{name}.png", prefix=PREFIX)  # what a member sees: 우리 팀, 팀 서버 열기
    row.locator(".team-open", has_text="팀 서버 열기").click()
    page.wait_for_url(re.compile(r".*/user/dlteam-[^/]+/lab.*"), timeout=150_000)


def _first_cell(page):
    cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first
    cell.locator(".cm-content").wait_for(timeout=60_000)
    return cell


def _contribution(hub, instructor, password) -> dict:
    """{member: (edited, executed)} from the instructor's home page."""
    page = logged_in(hub, instructor, password).get(f"{hub.url}/hub/home", timeout=30).text
    rows = re.findall(r'data-member="([^"]+)" data-executed="(\d+)"[^>]*data-edited="(\d+)"', page)
    return {m: (int(edited), int(executed)) for m, executed, edited in rows}


def test_two_members_edit_one_notebook_live(released_hub, tmp_path):
    from playwright.sync_api import sync_playwright

    from datalit.hub.teamserver import account_name

    hub, course_dir = released_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
    (team,) = team_ids(1)
    account = account_name(team)
    marker = "print('함께 편집 " + secrets.token_hex(3) + "')"
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        ctx_a = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
        ctx_b = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
        page_a, page_b = ctx_a.new_page(), ctx_b.new_page()
        for page in (page_a, page_b):
            page.set_default_timeout(60_000)
        try:
            t0 = time.monotonic()
            _open_team_from_home(page_a, hub, a, pa, team, tmp_path)
            _put_notebook(hub, account, hub.user_token(a))
            t1 = time.monotonic()
            _open_team_from_home(page_b, hub, b, pb, team, tmp_path)
            lab_b = time.monotonic() - t1
            for page in (page_a, page_b):
                page.goto(f"{hub.url}/user/{account}/lab/tree/{NOTEBOOK}")
            cell_a = _first_cell(page_a)
            cell_b = _first_cell(page_b)
            editable_b = time.monotonic() - t1
            print(f"first member's team lab: {t1 - t0:.1f} s; second member: lab {lab_b:.1f} s, "
                  f"editable shared notebook {editable_b:.1f} s")
            shot(page_b, tmp_path, "b-opened.png", prefix=PREFIX)

            # A types; B sees the text appear
            cell_a.locator(".cm-content").click()
            page_a.keyboard.type(marker)
            t_typed = time.monotonic()
            cell_b.locator(".cm-content", has_text=marker).wait_for(timeout=30_000)
            print(f"edit seen by the teammate after {time.monotonic() - t_typed:.2f} s")
            shot(page_b, tmp_path, "b-sees-a.png", prefix=PREFIX)

            # B types into another cell; A sees it
            note = "메모 = " + secrets.token_hex(3)
            cells_b = page_b.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            cells_b.nth(1).locator(".cm-content").click()
            page_b.keyboard.type(note)
            page_a.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(1).locator(
                ".cm-content", has_text=note).wait_for(timeout=30_000)

            # B runs the cell; A sees the output (one shared document, one kernel)
            cell_b.locator(".cm-content").click()
            page_b.keyboard.press("Shift+Enter")
            out = marker.split("'")[1]
            page_a.locator(".jp-OutputArea-output", has_text=out).first.wait_for(timeout=60_000)
            shot(page_a, tmp_path, "a-sees-output.png", prefix=PREFIX)

            # A runs it too; the instructor's contribution table names both members with the one cell each
            # edited (running a cell changes its outputs, not its source) and their runs
            cell_a.locator(".cm-content").click()
            page_a.keyboard.press("Shift+Enter")
            deadline = time.monotonic() + 90
            counts: dict = {}
            while time.monotonic() < deadline and not all(counts.get(m, (0, 0))[1] >= 1 for m in (a, b)):
                time.sleep(3)
                counts = _contribution(hub, instructor, pi)
            assert counts.get(a, (0, 0))[1] >= 1 and counts.get(b, (0, 0))[1] >= 1, counts
            assert counts[a][0] == 1 and counts[b][0] == 1, counts
            # what the instructor sees: the contribution table on the hub home page, in Korean, times in KST
            page_i = browser.new_context(locale="ko-KR").new_page()
            open_login(page_i, hub)
            log_in(page_i, instructor, pi)
            page_i.goto(f"{hub.url}/hub/home")
            table = page_i.locator("text=팀원별 기여").first
            table.wait_for(timeout=30_000)
            table.scroll_into_view_if_needed()
            shot(page_i, tmp_path, "instructor-contributions.png", prefix=PREFIX)
        finally:
            shot(page_a, tmp_path, "a-last.png", prefix=PREFIX)
            shot(page_b, tmp_path, "b-last.png", prefix=PREFIX)
            browser.close()
    assert Path(tmp_path / "b-sees-a.png").exists()
