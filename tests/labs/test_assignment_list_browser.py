"""A team member fetches and submits lab 1 from JupyterLab's Assignments panel, in a real browser.

Through a real hub (``datalit hub`` as root) whose servers get the course settings from
hub_config/shared/50-grading.py: a learner who is one of two members of a team logs in on the
hub's Korean login page (headless Chromium), opens Nbgrader > Assignment List, clicks "Fetch"
on the released lab, fills one answer through the file system, opens the notebook from the
panel, clicks "Submit", and the panel lists the submission with who and when (Korea time). The instructor
(Python API) collects: the submission is the TEAM's, with that member as submitter and the same
timestamp, and it holds the member's answer. The other member then logs in (another browser) and their
own panel lists the team's submission: who, when (Korea time), and that it is the one to be graded.
Fails if the panel cannot list, fetch or submit (e.g. a wrong course id or exchange in the servers'
nbgrader config), or lists only one's own submissions.
Screenshots go to tmp_path and $DATALIT_ARTIFACTS.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import nbformat
import pytest

from browserkit import korean_page, log_in_and_start, open_login, open_nbgrader, shot, wait_or_explain
from labkit import LAB, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.grading, pytest.mark.slow]

TEAM = "alteam"
PREFIX = "assignment-list-"


def _fill_one_answer(home: Path, marker: str) -> Path:
    """The member's answer to the first task (the district), written as the member."""
    target = home / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(target, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gu")
    cell.source = f'GU = "성동구"  # {marker}'
    nbformat.write(nb, target)
    st = home.stat()
    os.chown(target, st.st_uid, st.st_gid)
    return target


def test_member_fetches_and_submits_from_the_assignments_panel(released_hub, unix_users, tmp_path):
    from datalit.labs import collect, roster
    from datalit.labs.course import open_course

    hub, course_dir = released_hub
    member, password = hub.new_user(groups=("beginner",))
    teammate, teammate_password = hub.new_user(groups=("beginner",))
    course = open_course(course_dir)
    roster.import_csv(course, write_roster(course_dir.parent / "roster.csv", {TEAM: [member, teammate]}),
                      known_users=roster.system_users(), known_labs=[LAB])
    marker = "팀 답안 " + secrets.token_hex(4)

    with korean_page() as page:
        try:
            open_login(page, hub)
            log_in_and_start(page, member, password)
            home = Path(os.path.expanduser(f"~{member}"))
            assert not (home / LAB).exists()

            # Nbgrader > Assignment List: the released lab of the course, with its Fetch button
            open_nbgrader(page, "Assignment List")
            panel = page.locator("#nbgrader-assignment-list")
            released_row = wait_or_explain(
                panel.locator("#released_assignments_list .list_item", has_text=LAB), page, tmp_path,
                "no-released-lab.png", lambda: f"the Assignments panel lists no released {LAB}: "
                f"{panel.inner_text()[:800]!r}\n{hub.log_tail(30)}", prefix=PREFIX)
            assert "datalit-test" in released_row.inner_text()  # the course id of the hub's config
            shot(page, tmp_path, "released.png", prefix=PREFIX)

            # Fetch: the lab lands in the member's home and moves to "Downloaded assignments"
            released_row.get_by_role("button", name="Fetch").click()
            fetched_row = panel.locator("#fetched_assignments_list .list_item", has_text=LAB).first
            fetched_row.wait_for(timeout=30_000)
            assert (home / LAB / f"{LAB}.ipynb").is_file(), "Fetch put no notebook in the member's home"
            assert not panel.locator("#released_assignments_list .list_item", has_text=LAB).count()
            shot(page, tmp_path, "fetched.png", prefix=PREFIX)

            # one answer filled through the file system, then the notebook opened from the panel
            _fill_one_answer(home, marker)
            fetched_row.locator("a.assignment-notebooks-link").click()
            panel.locator(".assignment-notebooks a", has_text=re.compile(rf"^{LAB}$")).click()
            page.locator(".jp-NotebookPanel .jp-Cell", has_text=marker).first.wait_for(timeout=30_000)
            shot(page, tmp_path, "opened.png", prefix=PREFIX)

            # back to the Assignments tab; Submit; the panel lists the submission with its timestamp
            page.locator(".lm-TabBar-tab", has_text=re.compile(r"^Assignments$")).click()
            fetched_row.get_by_role("button", name="Submit").click()
            submitted = wait_or_explain(
                panel.locator("#submitted_assignments_list .nested_list_item",
                              has_text=re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")), page, tmp_path,
                "not-submitted.png", lambda: f"no submission listed: {page.locator('body').inner_text()[-800:]!r}\n"
                f"{hub.log_tail(30)}", prefix=PREFIX)
            assert submitted.count() == 1
            shown = submitted.first.inner_text().strip()
            shot(page, tmp_path, "submitted.png", prefix=PREFIX)
        finally:
            shot(page, tmp_path, "last.png", prefix=PREFIX)

    # the teammate, who never fetched or submitted, sees the team's submission in their own panel
    with korean_page() as page:
        try:
            open_login(page, hub)
            log_in_and_start(page, teammate, teammate_password)
            open_nbgrader(page, "Assignment List")
            panel = page.locator("#nbgrader-assignment-list")
            theirs = wait_or_explain(
                panel.locator("#submitted_assignments_list .nested_list_item", has_text=f"{member} 제출"), page,
                tmp_path, "teammate-sees-nothing.png", lambda: "the teammate's panel does not list the team's "
                f"submission: {panel.inner_text()[:800]!r}", prefix=PREFIX)
            assert theirs.count() == 1
            teammate_sees = theirs.first.inner_text().strip()
            shot(page, tmp_path, "teammate.png", prefix=PREFIX)
        finally:
            shot(page, tmp_path, "teammate-last.png", prefix=PREFIX)
    assert teammate_sees == shown and "채점 대상" in teammate_sees, (teammate_sees, shown)

    # the instructor collects: the team's submission, by this member, at the time the panel shows
    record = collect.collect(course, LAB)["teams"][TEAM]
    assert record["submitted_by"] == member, record
    from datalit.exchange.nbgrader_plugin import shown_seconds
    assert shown_seconds(record["timestamp"]) in shown and f"{member} 제출" in shown, (record, shown)  # Korea time
    assert record["history"] == [{"member": member, "timestamp": record["timestamp"]}]
    nb = nbformat.read(course_dir / "submitted" / TEAM / LAB / f"{LAB}.ipynb", as_version=4)
    gu = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gu")
    assert marker in gu.source
