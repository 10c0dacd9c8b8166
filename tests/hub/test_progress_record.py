"""The learning record end to end: a learner runs lesson 00's first exercise in their own kernel on a real
hub; the events reach the datalit-progress service (learner from the token), show on 내 학습 현황, on the
beginner instructor's dashboard (real Chromium, screenshot) and in ``datalit progress export`` / ``gaps``."""
from __future__ import annotations

import csv
import os
import subprocess
import time

import pytest
import requests

from browserkit import korean_page, log_in, open_login, shot
from hub_fixtures import VENV_BIN

pytestmark = [pytest.mark.hub, pytest.mark.slow]

SERVICE = "/services/datalit-progress"
# lesson 00's first exercise as a learner works it: the data, a wrong try (total = 0 inside the loop: a known
# mistake), an undiagnosed wrong number, a hint, then the right loop
LEARNER_CELL = '''
import os
from datalit import data
cctv_by_gu = data.load("seoul_cctv_by_gu", "cctv").set_index("gu")["cctv_total"].to_dict()
from datalit.lessons.exercises.beginner.python_first_steps import q1
for name in cctv_by_gu:
    total = 0
    total = total + cctv_by_gu[name]
q1.check()
total = 4242
q1.check()
q1.hint()
total = 0
for name in cctv_by_gu:
    total = total + cctv_by_gu[name]
q1.check()
print("ENV", os.environ.get("DATALIT_PROGRESS_URL", "-"), bool(os.environ.get("JUPYTERHUB_API_TOKEN")))
'''


def wait_for(fetch, ok, timeout=30.0):
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        last = fetch()
        if ok(last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"not reached in {timeout}s: {last}")


def api(hub, token, path, **kw):
    return requests.get(f"{hub.url}{SERVICE}/api/{path}", headers={"Authorization": f"token {token}"}, timeout=30, **kw)


def lesson00(standing):
    course = next(c for c in standing["courses"] if c["tier"] == "beginner")
    return next(lesson for lesson in course["lessons"] if lesson["lesson"] == "00-python-first-steps")


def test_a_learners_check_reaches_their_page_the_dashboard_and_the_export(hub, tmp_path):
    learner, password = hub.new_user(groups=("beginner",), prefix="pl")
    teacher, teacher_pw = hub.new_user(groups=("instructors", "instructors-beginner"), prefix="pi")
    token = hub.spawn(learner)
    try:
        out = hub.run_code(learner, token, LEARNER_CELL, timeout=120)
        assert out["error"] is None, out
        assert "total = 0을 반복문 안에 써서" in out["stdout"] and "정답이에요" in out["stdout"], out["stdout"]
        assert f"/services/datalit-progress" in out["stdout"] and "True" in out["stdout"].split("ENV")[1]

        # the learner's own record, with the learner's token: q1 passed, the lesson not yet done
        mine = wait_for(lambda: api(hub, token, "me").json(), lambda d: lesson00(d)["passed"] == 1)
        assert mine["user"] == learner
        row = lesson00(mine)
        assert row["total"] == 5 and row["completed_at"] is None and row["minutes"] == 50

        # the beginner instructor's data: the learner's grid row, the diagnosed and the undiagnosed wrong answer
        teacher_token = hub.user_token(teacher)
        course = api(hub, teacher_token, "courses/beginner").json()
        grid = {r["user"]: r for r in course["grid"]}
        assert grid[learner]["lessons"][0]["passed"] == 1
        # the session hub is shared: other tests' learners may have failed q1 too
        assert any(m["lesson"] == "00-python-first-steps" and m["question"] == "q1" and m["fails"] >= 2
                   and m["learners"] >= 1 for m in course["most_failed"]), course["most_failed"]
        gap = next(g for g in course["gaps"] if g["question"] == "q1")
        assert gap["answers"] == [{"value": "4242", "count": 1}]  # the reset-in-loop answer was diagnosed

        # the stored events: learner from the hub, the diagnosis named, no code
        from datalit.progress import events

        mine_events = [e for e in events.read(hub.state) if e["user"] == learner]
        assert [(e["kind"], e["ok"], e["diagnosis"]) for e in mine_events] == [
            ("check", False, "wrong-0"), ("check", False, "undiagnosed"), ("hint", None, None), ("check", True, None)]
        log = events.log_path(hub.state)
        assert oct(log.stat().st_mode & 0o777) == "0o600" and oct(log.parent.stat().st_mode & 0o777) == "0o700"
        assert "cctv_by_gu[name]" not in log.read_text(encoding="utf-8")

        # datalit progress export / gaps (as root, from the state directory)
        out_csv = tmp_path / "학습현황.csv"
        run = subprocess.run([str(VENV_BIN / "datalit"), "progress", "export", "--out", str(out_csv), "--tier",
                              "beginner", "--state-dir", str(hub.state)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        raw = out_csv.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        assert list(rows[0]) == ["user", "tier", "lesson", "passed", "total", "minutes", "completed"]
        first = next(r for r in rows if r["user"] == learner and r["lesson"] == "00-python-first-steps")
        assert (first["tier"], first["passed"], first["total"], first["minutes"], first["completed"]) == (
            "beginner", "1", "5", "50", "")
        gaps = subprocess.run([str(VENV_BIN / "datalit"), "progress", "gaps", "--tier", "beginner", "--state-dir",
                               str(hub.state)], capture_output=True, text=True, timeout=120)
        assert gaps.returncode == 0 and "beginner/00-python-first-steps q1: 4242 (1)" in gaps.stdout, gaps

        # the pages in a real browser: the learner's 내 학습 현황, the instructor's dashboard (screenshot)
        with korean_page() as page:
            open_login(page, hub)
            log_in(page, learner, password)
            page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)
            page.goto(f"{hub.url}/hub/home")  # the hub's menu links to the record
            page.click("nav >> text=내 학습 현황")
            page.wait_for_url(f"**{SERVICE}/")
            page.wait_for_selector("h1")
            text = page.inner_text("body")
            assert "내 학습 현황" in text and "입문 과정" in text and "1/5" in text and "(KST)" in text, text
            shot(page, tmp_path, "progress-learner.png")
            page.screenshot(path="/tmp/agents/progress-learner.png", full_page=True)
        with korean_page() as page:
            open_login(page, hub)
            log_in(page, teacher, teacher_pw)
            page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)
            page.goto(f"{hub.url}{SERVICE}/course/beginner")
            page.wait_for_selector("h1")
            text = page.inner_text("body")
            assert "강사 대시보드" in text and learner in text and "4242" in text, text
            path = shot(page, tmp_path, "progress-dashboard.png")
            page.screenshot(path="/tmp/agents/progress-dashboard.png", full_page=True)
            assert path.stat().st_size > 10_000
    finally:
        hub.stop_server(learner)
        hub.stop_server(teacher)


def test_a_completed_course_gives_the_certificate_on_the_learners_page(hub):
    """Every question of the citizen course (no team labs in its rule) and of the beginner course passed
    (posted as the kernel would, with the learner's token): once an instructor of citizen approved it
    (progress.certificate_needs_approval, on by default) the page offers 교육 이수증 내려받기 for citizen and
    the PDF comes signed (datalit/certificate); before, it is refused. The beginner rule also asks for its
    team labs, and this hub has no lab course (no gradebook): the page says why in Korean and no beginner
    certificate is given (the lab-graded case: tests/labs/test_lab_completion.py)."""
    from datalit.progress import lab_standing
    from datalit.progress.record import course

    learner, _ = hub.new_user(groups=("beginner",), prefix="pc")
    auth = {"Authorization": f"token {hub.user_token(learner)}"}
    early = requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers=auth, timeout=60)
    assert early.status_code == 403 and "이수" in early.text and not early.content.startswith(b"%PDF")
    for tier in ("citizen", "beginner"):
        for lesson in course(tier).lessons:
            for q in lesson.questions:
                r = requests.post(f"{hub.url}{SERVICE}/api/events", headers=auth, timeout=30,
                                  json={"module": lesson.module, "question": q, "kind": "check", "ok": True})
                assert r.status_code == 204, r.text
    mine = {c["tier"]: c for c in api(hub, hub.user_token(learner), "me").json()["courses"]}
    citizen, beginner = mine["citizen"], mine["beginner"]
    assert citizen["completed"] and citizen["labs"] == []
    assert citizen["hours"] == round(sum(l.minutes for l in course("citizen").lessons) / 60, 2)
    assert all(l["completed_at"] for l in beginner["lessons"]) and not beginner["completed"]
    assert [(lab["lab"], lab["done"], lab["reason"]) for lab in beginner["labs"]] == [
        (lab, False, lab_standing.NO_COURSE) for lab in course("beginner").rule_labs]
    waiting = requests.get(f"{hub.url}{SERVICE}/", headers=auth, timeout=60)
    waiting.encoding = "utf-8"
    assert "교육 이수증 내려받기" not in waiting.text and "담당 강사가 이수를 확인하면" in waiting.text
    unapproved = requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers=auth, timeout=60)
    assert unapproved.status_code == 403 and "승인" in unapproved.text and not unapproved.content.startswith(b"%PDF")
    teacher, _ = hub.new_user(groups=("instructors", "instructors-citizen"), prefix="pi")
    approved = requests.post(f"{hub.url}{SERVICE}/api/courses/citizen/approvals", json={"user": learner}, timeout=60,
                             headers={"Authorization": f"token {hub.user_token(teacher)}"})
    assert approved.status_code == 200 and approved.json()["by"] == teacher, approved.text[:300]
    page = requests.get(f"{hub.url}{SERVICE}/", headers=auth, timeout=60)
    page.encoding = "utf-8"
    assert "교육 이수증 내려받기" in page.text and "이수 " in page.text
    assert "certificate/citizen" in page.text and "certificate/beginner" not in page.text
    assert "팀 실습도 이수 기준에 들어요" in page.text and lab_standing.NO_COURSE in page.text
    refused = requests.get(f"{hub.url}{SERVICE}/certificate/beginner", headers=auth, timeout=60)
    assert refused.status_code == 403 and not refused.content.startswith(b"%PDF")
    pdf = requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers=auth, timeout=120)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf", pdf.text[:300]
    assert pdf.content.startswith(b"%PDF")


def test_the_same_lesson_under_papermill_posts_nothing(hub):
    """Lesson 00 run whole by papermill from inside the learner's server (a terminal's environment: the
    record's URL and the server's token are there): every check runs and passes, nothing is posted."""
    from datalit.progress import events

    learner, _ = hub.new_user(groups=("beginner",), prefix="pp")
    token = hub.spawn(learner)
    try:
        out = hub.run_code(learner, token, '''
import os, subprocess, sys, time
assert os.environ.get("DATALIT_PROGRESS_URL") and os.environ.get("JUPYTERHUB_API_TOKEN")
t0 = time.time()
run = subprocess.run([sys.executable, "-m", "papermill", "/opt/datalit/src/courses/beginner/00-python-first-steps.ipynb",
                      os.path.expanduser("~/papermill-00.ipynb"), "--log-level", "ERROR"], capture_output=True, text=True)
print("RC", run.returncode, round(time.time() - t0, 1), run.stderr[-300:])
print("PASSED", open(os.path.expanduser("~/papermill-00.ipynb"), encoding="utf-8").read().count("정답이에요"))
''', timeout=300)
        assert out["error"] is None and "RC 0" in out["stdout"], out
        assert int(out["stdout"].split("PASSED")[1].split()[0]) >= 5, out["stdout"]  # the checks did run
        time.sleep(2)  # a post would have arrived by now (0.5 s timeout)
        assert events.read(hub.state, user=learner) == []
    finally:
        hub.stop_server(learner)
