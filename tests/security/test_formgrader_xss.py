"""Attack: a team member's notebook runs script in the instructor's formgrader and in teammates' feedback.

The formgrader is served by the instructor's own server on the hub's origin, so script in a
submission page acts as the instructor (kernels as their uid, the gradebook, solutions, the hub
API). The member writes a markdown ``<img onerror>`` and a code cell whose outputs (``text/html``
with ``<script>``, ``application/javascript``) autograde really produces; each payload sets the
page title and PUTs a file through the instructor's contents API. The instructor then grades the
submission in Chromium: no payload runs, the notebook is shown, grading, comments and Next still
work. A teammate opens the feedback page on the hub: no payload runs there either.
Guards: datalit.labs.grading_html (sanitising, via grading/nbgrader_config.py) and the CSPs of
datalit.labs.formgrader_frame / the feedback pages.
"""
from __future__ import annotations

import pwd
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from hub_fixtures import hub_base_dir
from labkit import LAB, answered, course_hub, lab_env, put_submission, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.grading, pytest.mark.slow]

TEAM = "xssteam"
RUBRIC_CELL = "interpretation"
COMMENT = "설명이 분명합니다."
VISIBLE = "팀원이 쓴 평범한 설명 문장"


def _payload(tag: str) -> str:
    """Script (single quotes only) that marks the page and writes PWNED-TAG.txt as whoever views it."""
    return (f"document.title='PWNED-{tag}';"
            "var x=(document.cookie.split('_xsrf=')[1]||'').split(';')[0];"
            f"fetch(location.pathname.split('/formgrader/')[0]+'/api/contents/PWNED-{tag}.txt',"
            "{method:'PUT',headers:{'X-XSRFToken':x,'Content-Type':'application/json'},"
            "body:JSON.stringify({type:'file',format:'text',content:location.href})})")


def _malicious_notebook(course):
    nb = answered(course)
    nb.cells.append(nbformat.v4.new_markdown_cell(f'{VISIBLE} <img src=x onerror="{_payload("md")}">'))
    nb.cells.append(nbformat.v4.new_code_cell(
        "from IPython.display import HTML, Javascript, display\n"
        f"display(HTML({'<script>' + _payload('html') + '</script><b>출력</b>'!r}))\n"
        f"display(Javascript({_payload('js')!r}))"))
    return nb


@pytest.fixture(scope="module")
def xss_hub():
    """A hub whose course lives under the hub's home base (visible inside every server's private /tmp)."""
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = hub_base_dir()
    (base / "home").mkdir(mode=0o755)
    course_dir = base / "home" / "_course"
    env = lab_env(base)
    env.update({"DATALIT_LAB_COURSE_ID": "datalit-xss", "DATALIT_LAB_COURSE_DIR": str(course_dir)})
    with course_hub(base, env) as hub:
        course = open_course(course_dir)
        release(course, LAB)
        yield hub, course


def _graded(course, members):
    from datalit.labs import autograde, collect, roster

    roster.import_csv(course, write_roster(course.root.parent / "roster.csv", {TEAM: members}),
                      known_users=set(roster.system_users()) | set(members), known_labs=[LAB])
    put_submission(course, members[0], _malicious_notebook(course))
    assert TEAM in collect.collect(course, LAB)["teams"]
    report = autograde.autograde(course, LAB, workers=1, progress=False)
    assert TEAM in report["scores"], report
    graded = nbformat.read(course.root / "autograded" / TEAM / LAB / f"{LAB}.ipynb", as_version=4)
    kinds = {k for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", []) for k in o.get("data", {})}
    assert {"text/html", "application/javascript"} <= kinds, kinds  # the outputs really exist after autograde


def _stored(course):
    from datalit.labs.course import gradebook

    with gradebook(course) as gb:
        return (gb.find_grade(RUBRIC_CELL, LAB, LAB, TEAM).manual_score,
                gb.find_comment(RUBRIC_CELL, LAB, LAB, TEAM).manual_comment,
                gb.find_submission_notebook(LAB, LAB, TEAM).id)


class _Active(HTMLParser):
    """Script elements and event-handler attributes, as a browser would parse them (escaped text is not)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("<script>")
        self.found += [f"<{tag} {k}=...>" for k, _ in attrs if k.lower().startswith("on")]


def _no_script_in(page: str, start: str, what: str):
    """The team's part of PAGE (from START on) holds no script element and no event handler. Parsed, not
    searched as text: the sanitiser may keep a payload as escaped, visible text, which is harmless."""
    assert start in page, page[:300]
    parser = _Active()
    parser.feed(page[page.find(start):])
    assert not parser.found, f"{what} carries active content from the team's notebook: {parser.found[:5]}"


def _no_marker(page, home: Path, where: str):
    time.sleep(3)  # an onerror, a fetch: give them time to happen
    title = page.title()
    planted = sorted(p.name for p in home.glob("PWNED-*"))
    assert "PWNED" not in title and not planted, f"script from the team's notebook ran in {where}: " \
                                                  f"title {title!r}, files {planted}"


def test_member_notebook_script_never_runs_in_formgrader_or_feedback(xss_hub, tmp_path):
    pytest.importorskip("playwright.sync_api")
    from browserkit import korean_page, log_in_and_start, open_login, shot

    hub, course = xss_hub
    (member_a, _), (member_b, password_b) = hub.new_user(), hub.new_user()
    _graded(course, [member_a, member_b])
    teacher, password = hub.new_user(groups=("instructors",))
    subprocess.run(["chown", "-R", f"{teacher}:", str(course.root)], check=True)
    submission_id = _stored(course)[2]

    with korean_page() as page:
        try:
            # the instructor opens the team's submission (what Manual Grading > a submission opens)
            open_login(page, hub)
            log_in_and_start(page, teacher, password)
            teacher_home = Path(pwd.getpwnam(teacher).pw_dir)
            response = page.goto(f"{hub.url}/user/{teacher}/formgrader/submissions/{submission_id}/?index=0")
            # each wall on its own: the page carries no payload, and its CSP would stop one anyway
            policy = response.headers.get("content-security-policy", "")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
            _no_script_in(response.text(), 'id="notebook-container"', "the formgrader page")
            score = page.locator(f"input.score#{RUBRIC_CELL}")
            score.wait_for()
            assert VISIBLE in page.locator("#notebook-container").first.inner_text()  # the notebook is shown
            assert "출력" in page.locator("#notebook-container").first.inner_text()
            _no_marker(page, teacher_home, "the instructor's formgrader")
            shot(page, tmp_path, "submission.png", prefix="formgrader-xss-")

            # grading still works: a score, a comment (saved on change), then Next
            score.fill("4")
            score.press("Tab")
            comment = page.locator(f"textarea.comment#{RUBRIC_CELL}-comment")
            comment.fill(COMMENT)
            comment.press("Tab")
            deadline, stored = time.time() + 30, None
            while time.time() < deadline:
                stored = _stored(course)
                if stored[:2] == (4.0, COMMENT):
                    break
                time.sleep(0.5)
            assert stored[:2] == (4.0, COMMENT), f"the formgrader no longer saves grades: {stored}\n{hub.log_tail(20)}"
            page.locator("li.next a").click()  # the only submission: Next leads back to the list
            page.wait_for_url(f"**/formgrader/gradebook/{LAB}/{LAB}")
            page.locator("#main-table a[href*='/formgrader/submissions/']").first.wait_for()
            _no_marker(page, teacher_home, "the instructor's formgrader")

            # a teammate opens the team's feedback page, served by their own server on the hub
            from datalit.labs import feedback

            made = feedback.generate(course, LAB)
            [html_page] = [Path(f) for f in made[TEAM]["files"]]
            text = html_page.read_text(encoding="utf-8")
            _no_script_in(text, "<body", "the feedback page")
            assert "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'" in text[:600], text[:600]
            page.context.clear_cookies()
            open_login(page, hub)
            log_in_and_start(page, member_b, password_b)
            b_home = Path(pwd.getpwnam(member_b).pw_dir)
            entry = pwd.getpwnam(member_b)
            shutil.copy(html_page, b_home / "feedback.html")
            subprocess.run(["chown", f"{entry.pw_uid}:{entry.pw_gid}", str(b_home / "feedback.html")], check=True)
            page.goto(f"{hub.url}/user/{member_b}/files/feedback.html")
            assert VISIBLE in page.inner_text("body")  # the feedback shows the notebook
            _no_marker(page, b_home, "a teammate's feedback page")
        finally:
            shot(page, tmp_path, "last.png", prefix="formgrader-xss-")
