"""Attack F3 (attack-findings.md) on the learning record (datalit-progress):

* a learner with their own token posts ``ok: true`` for every question of a course in about a second, never
  opening a lesson. Seen: a signed 교육 이수증 at once. The lesson checks run in the learner's kernel, so the
  record cannot tell (it says so on the paper, the verify page and in docs/instructor-guide.md); now the
  certificate waits for an instructor's approval, and the instructor's dashboard flags every such lesson;
* an approval from a page needs the form's _xsrf (no cross-site approval);
* the same learner floods ``api/events``: no limit was seen; now 429 (Korean) past the per-learner rate, and
  past MAX_EVENTS_PER_COURSE only a first pass of a question is still stored.
"""
from __future__ import annotations

import re

import pytest
import requests

from exchangekit import HANGUL
from teamkit import logged_in

pytestmark = [pytest.mark.hub, pytest.mark.slow]

SERVICE = "/services/datalit-progress"


def _forge_every_pass(hub, token: str, tier: str) -> None:
    from datalit.progress.record import course

    for lesson in course(tier).lessons:
        for q in lesson.questions:
            r = requests.post(f"{hub.url}{SERVICE}/api/events", headers={"Authorization": f"token {token}"},
                              json={"module": lesson.module, "question": q, "kind": "check", "ok": True}, timeout=30)
            assert r.status_code == 204, r.text


def test_forged_passes_get_no_certificate_without_approval_and_are_flagged(hub):
    from datalit.progress.record import course

    learner, _ = hub.new_user(groups=("citizen",), prefix="fg")
    token = hub.user_token(learner)
    _forge_every_pass(hub, token, "citizen")
    me = requests.get(f"{hub.url}{SERVICE}/api/me", headers={"Authorization": f"token {token}"}, timeout=30).json()
    assert next(c for c in me["courses"] if c["tier"] == "citizen")["completed"]  # the record believes the kernel

    cert = requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers={"Authorization": f"token {token}"},
                        timeout=120)
    assert cert.status_code == 403 and not cert.content.startswith(b"%PDF"), cert.status_code  # before: a PDF
    assert "승인" in cert.text and HANGUL.search(cert.text)

    teacher, teacher_pw = hub.new_user(groups=("instructors", "instructors-citizen"), prefix="fi")
    teach = {"Authorization": f"token {hub.user_token(teacher)}"}
    board = requests.get(f"{hub.url}{SERVICE}/api/courses/citizen", headers=teach, timeout=60).json()
    row = next(r for r in board["grid"] if r["user"] == learner)
    assert row["flags"] == len(course("citizen").lessons) and row["lessons_complete"] and not row["approved"], row
    assert all(l["flag"] and l["hints"] == 0 and l["span_minutes"] < 1 for l in row["lessons"]), row["lessons"]

    # the learner cannot approve themselves; another tier's instructor cannot either
    for who in (token, hub.user_token(hub.new_user(groups=("instructors", "instructors-beginner"), prefix="fo")[0])):
        r = requests.post(f"{hub.url}{SERVICE}/api/courses/citizen/approvals", json={"user": learner}, timeout=60,
                          headers={"Authorization": f"token {who}"})
        assert r.status_code == 403 and HANGUL.search(r.json()["message"]), r.text[:300]
    # the instructor's browser: a form POST without the page's _xsrf (a cross-site POST riding the login) is refused
    browser = logged_in(hub, teacher, teacher_pw)
    page = browser.get(f"{hub.url}{SERVICE}/course/citizen", timeout=60)
    page.encoding = "utf-8"
    assert page.status_code == 200 and "주의" in page.text and "이수 승인" in page.text, page.text[:300]
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    r = browser.post(f"{hub.url}{SERVICE}/course/citizen/approve", data={"user": learner}, timeout=60,
                     allow_redirects=False)
    assert r.status_code == 403, r.status_code
    assert requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers={"Authorization": f"token {token}"},
                        timeout=60).status_code == 403

    r = browser.post(f"{hub.url}{SERVICE}/course/citizen/approve", data={"user": learner, "_xsrf": xsrf}, timeout=60,
                     allow_redirects=False)
    assert r.status_code == 302, r.text[:300]  # the instructor judged: the learner may download
    board = requests.get(f"{hub.url}{SERVICE}/api/courses/citizen", headers=teach, timeout=60).json()
    assert next(r for r in board["grid"] if r["user"] == learner)["approved"]["by"] == teacher
    cert = requests.get(f"{hub.url}{SERVICE}/certificate/citizen", headers={"Authorization": f"token {token}"},
                        timeout=120)
    assert cert.status_code == 200 and cert.content.startswith(b"%PDF"), cert.text[:300]


def test_a_learner_floods_the_record(hub):
    from datalit.progress import events
    from datalit.progress.record import course
    from datalit.progress.service import EVENTS_PER_MINUTE

    learner, _ = hub.new_user(groups=("citizen",), prefix="ff")
    auth = {"Authorization": f"token {hub.user_token(learner)}"}
    lesson = course("citizen").lessons[0]
    s = requests.Session()
    answers = [s.post(f"{hub.url}{SERVICE}/api/events", headers=auth, timeout=30,
                      json={"module": lesson.module, "question": lesson.questions[0], "kind": "hint"}).status_code
               for _ in range(EVENTS_PER_MINUTE + 30)]
    assert 429 in answers, answers[-5:]  # before: every one 204, without end
    refused = s.post(f"{hub.url}{SERVICE}/api/events", headers=auth, timeout=30,
                     json={"module": lesson.module, "question": lesson.questions[0], "kind": "hint"})
    assert refused.status_code == 429 and HANGUL.search(refused.json()["message"])
    assert len(events.read(hub.state, user=learner)) <= EVENTS_PER_MINUTE


def test_past_the_cap_only_first_passes_are_stored(tmp_path):
    """The store's own bound (the rate limit only slows a patient learner down)."""
    from datalit.progress import events

    base = {"at": "2026-12-07T10:00:00+00:00", "user": "u", "tier": "citizen", "lesson": "00-x", "diagnosis": None,
            "value": None}
    for _ in range(events.MAX_EVENTS_PER_COURSE):
        assert events.append(tmp_path, {**base, "question": "q1", "kind": "hint", "ok": None})
    size = events.log_path(tmp_path).stat().st_size
    assert not events.append(tmp_path, {**base, "question": "q1", "kind": "check", "ok": False})
    assert events.log_path(tmp_path).stat().st_size == size  # before: every line kept
    assert events.append(tmp_path, {**base, "question": "q2", "kind": "check", "ok": True})  # a first pass: kept
    assert not events.append(tmp_path, {**base, "question": "q2", "kind": "check", "ok": True})
    assert events.append(tmp_path, {**base, "user": "v", "question": "q1", "kind": "hint", "ok": None})  # others: own cap
    assert len(events.read(tmp_path, user="u")) == events.MAX_EVENTS_PER_COURSE + 1
