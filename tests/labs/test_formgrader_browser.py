"""The formgrader really works from the hub, in a real browser (Playwright + Debian Chromium, headless).

An instructor logs in on the hub's Korean login page, starts JupyterLab, opens Nbgrader > Formgrader
(an iframe inside JupyterLab, the part JupyterHub's CSP ``frame-ancestors 'none'`` leaves blank,
nbgrader #1870/#1910), sees the lab in Manage Assignments, goes to the manual grading of a team's
autograded submission, gives the rubric's interpretation cell a score and a comment, and the
course's gradebook then holds them. Fails if the iframe is blocked (datalit.labs.formgrader_frame).
Screenshots go to tmp_path and $DATALIT_ARTIFACTS.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from browserkit import korean_page, log_in_and_start, open_login, open_nbgrader, shot
from labkit import LAB, answered, put_submission, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.grading, pytest.mark.slow]

TEAM = "fgteam"
RUBRIC_CELL = "interpretation"  # manually graded markdown answer, 6 points
ANSWER = "마포구의 대여는 10월에 가장 많고 1월에 가장 적습니다. 봄과 가을에 늘고 한겨울과 한여름에 줄어듭니다."
COMMENT = "해석이 구체적입니다. 대여량 차이의 원인을 한 가지 더 짚어 보세요."


def _graded_submission(course_dir: Path, members: list[str]):
    """Team TEAM (two members) submits lab 1 (reference answers, own interpretation); collected, autograded."""
    from datalit.labs import autograde, collect, roster
    from datalit.labs.course import open_course

    course = open_course(course_dir)
    roster.import_csv(course, write_roster(course_dir.parent / "roster.csv", {TEAM: members[:2]}),
                      known_users=roster.system_users(), known_labs=[LAB])
    put_submission(course, members[0], answered(course, overrides={RUBRIC_CELL: ANSWER}))
    assert TEAM in collect.collect(course, LAB)["teams"]
    report = autograde.autograde(course, LAB, workers=1, progress=False)
    assert report["scores"][TEAM]["auto"] == 10, report
    return course


def _stored_grade(course):
    from datalit.labs.course import gradebook

    with gradebook(course) as gb:
        grade = gb.find_grade(RUBRIC_CELL, LAB, LAB, TEAM)
        comment = gb.find_comment(RUBRIC_CELL, LAB, LAB, TEAM)
        return grade.manual_score, grade.max_score, comment.manual_comment


def test_instructor_grades_rubric_in_formgrader_from_the_hub(released_hub, unix_users, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    hub, course_dir = released_hub
    course = _graded_submission(course_dir, unix_users)
    assert _stored_grade(course)[0] is None  # nothing graded by hand yet
    teacher, password = hub.new_user(groups=("instructors",))
    # the instructor's server (formgrader) owns the course folder, as the instructor guide says
    subprocess.run(["chown", "-R", f"{teacher}:", str(course_dir)], check=True)

    with korean_page() as page:
        try:
            # 1. the hub's Korean login page, then the instructor's JupyterLab
            open_login(page, hub)
            log_in_and_start(page, teacher, password)

            # 2. Nbgrader > Formgrader: the iframe shows the formgrader, not a blocked (blank) frame
            open_nbgrader(page, "Formgrader")
            page.wait_for_selector("#formgrader-iframe iframe")
            fg = page.frame_locator("#formgrader-iframe iframe")
            row = fg.locator("#main-table tr", has_text=LAB).first
            frame, text, deadline = None, "", time.time() + 30
            while not row.count():  # a blocked frame ends on chrome-error://, a broken setup on nbgrader's error
                frame = page.locator("#formgrader-iframe iframe").element_handle().content_frame()
                try:
                    text = frame.inner_text("body", timeout=2_000) if frame and frame.url.startswith("http") else ""
                except sync_api.Error:  # still loading
                    text = ""
                if time.time() > deadline or (frame and frame.url.startswith("chrome-error")) or \
                        "formgrader encountered an error" in text:
                    shot(page, tmp_path, "blank-formgrader.png", prefix="formgrader-")
                    raise AssertionError(f"formgrader iframe shows no assignment table; frame url: "
                                         f"{frame.url if frame else None}; text: {text[:300]!r}\n{hub.log_tail(30)}")
                time.sleep(0.5)
            assert "Manage Assignments" in fg.locator("body").inner_text()
            shot(page, tmp_path, "manage-assignments.png", prefix="formgrader-")

            # 3. Manual Grading > lab > notebook > the team's submission
            fg.locator("a[href$='/formgrader/gradebook']", has_text="Manual Grading").first.click()
            fg.locator(f"#main-table a[href$='/formgrader/gradebook/{LAB}']").click()
            fg.locator(f"#main-table a[href$='/formgrader/gradebook/{LAB}/{LAB}']").click()
            fg.locator("#main-table a[href*='/formgrader/submissions/']:visible").first.click()
            score = fg.locator(f"input.score#{RUBRIC_CELL}")
            score.wait_for()
            assert score.input_value() == ""  # no manual score yet
            assert ANSWER in fg.locator(".nbgrader_cell", has=score).inner_text()  # the team's own answer
            shot(page, tmp_path, "grading-page.png", prefix="formgrader-")

            # the rubric score and a comment; the formgrader saves each on change
            score.fill("5")
            score.press("Tab")
            comment = fg.locator(f"textarea.comment#{RUBRIC_CELL}-comment")
            comment.fill(COMMENT)
            comment.press("Tab")

            # 4. the gradebook of the course holds both
            deadline, stored = time.time() + 30, None
            while time.time() < deadline:
                stored = _stored_grade(course)
                if stored[0] is not None and stored[2] == COMMENT:
                    break
                time.sleep(0.5)
            shot(page, tmp_path, "graded.png", prefix="formgrader-")
            assert stored == (5.0, 6.0, COMMENT), stored
        finally:
            shot(page, tmp_path, "last.png", prefix="formgrader-")

    from datalit.labs.autograde import scores_of

    assert scores_of(course, LAB)[TEAM]["manual"] == 5, scores_of(course, LAB)
