"""Attacks on the learning record (datalit/progress/service.py), each written as the attack.

A learner tries to read another learner's record (over the service with their own server token, through
the dashboard, on their own page, straight from the state directory in their kernel), to write into
someone else's record (a forged ``user`` in the body, a hand-made event), to make the instructor's
dashboard run script (an answer that is HTML); an instructor of another course tries to read a beginner's
record. All must fail; bad bodies get a clear 400, never a 500.
"""
from __future__ import annotations

import json

import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]

SERVICE = "/services/datalit-progress"
# what the kernel's post (datalit/progress/post.py) sends, as JSON, with the server's own token
POST_FROM_KERNEL = '''
import json, os, urllib.request, urllib.error
def post(path, body, method="POST"):
    req = urllib.request.Request(os.environ["DATALIT_PROGRESS_URL"] + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"], "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
'''


def in_kernel(hub, name, token, code):
    out = hub.run_code(name, token, POST_FROM_KERNEL + code, timeout=120)
    assert out["error"] is None, out
    return json.loads(out["stdout"].strip().splitlines()[-1])


def victim_event(hub, victim):
    """The victim's own record: one passed check of lesson 00 q1, through the service like a kernel's."""
    r = requests.post(f"{hub.url}{SERVICE}/api/events", timeout=30, headers={"Authorization": f"token {hub.user_token(victim)}"},
                      json={"module": "beginner.python_first_steps", "question": "q1", "kind": "check", "ok": True})
    assert r.status_code == 204, r.text


def test_a_learner_cannot_read_or_write_another_learners_record(hub):
    from datalit.progress import events

    victim, _ = hub.new_user(groups=("beginner",), prefix="pv")
    attacker, _ = hub.new_user(groups=("beginner",), prefix="pa")
    victim_event(hub, victim)
    token = hub.spawn(attacker)
    try:
        got = in_kernel(hub, attacker, token, f'''
results = {{}}
# 1. the victim's record and the course's dashboard data, with the attacker's own server token
results["user"] = post("/api/users/{victim}", None, "GET")
results["course"] = post("/api/courses/beginner", None, "GET")
results["page"] = post("/course/beginner", None, "GET")
results["me"] = post("/api/me", None, "GET")
# 2. the event log itself, from the kernel (the attacker's uid)
try:
    results["file"] = open("{events.log_path(hub.state)}").read()[:100]
except OSError as e:
    results["file"] = type(e).__name__
# 3. a passed check written into the victim's record: a forged user field
results["forged"] = post("/api/events", {{"user": "{victim}", "module": "beginner.python_first_steps",
                                          "question": "q2", "kind": "check", "ok": True}})
# 4. bodies no kernel sends: a clear 400 each, never a 500
results["bad"] = [post("/api/events", b)[0] for b in ([1], {{"module": "../../etc"}}, {{"module": "beginner.python_first_steps",
                  "question": "q1", "kind": "check", "ok": "yes"}}, {{"module": "beginner.python_first_steps",
                  "question": "nope", "kind": "check", "ok": True}})]
print(json.dumps(results))
''')
        assert got["user"][0] == 403 and victim not in got["user"][1].replace(f"/api/users/{victim}", ""), got["user"]
        assert got["course"][0] == 403 and victim not in got["course"][1], got["course"]
        assert got["page"][0] == 403 and victim not in got["page"][1], got["page"]
        me = json.loads(got["me"][1])
        assert got["me"][0] == 200 and me["user"] == attacker and victim not in got["me"][1]
        # refused by the modes (0700 folder, 0600 file); under a private /tmp the hub's test state is not even seen
        assert got["file"] in ("PermissionError", "FileNotFoundError"), got["file"]
        log = events.log_path(hub.state)
        assert log.stat().st_mode & 0o777 == 0o600 and log.parent.stat().st_mode & 0o777 == 0o700
        assert got["forged"][0] == 204  # accepted, as the attacker's own event
        assert got["bad"] == [400, 400, 400, 400], got["bad"]
        mine = events.read(hub.state, user=attacker)
        theirs = events.read(hub.state, user=victim)
        assert [(e["question"], e["ok"]) for e in mine] == [("q2", True)]
        assert [(e["question"], e["ok"]) for e in theirs] == [("q1", True)]  # nothing written in their name
    finally:
        hub.stop_server(attacker)


def test_an_instructor_of_another_course_cannot_read_a_beginners_record(hub):
    victim, _ = hub.new_user(groups=("beginner",), prefix="pv")
    other, _ = hub.new_user(groups=("instructors", "instructors-intermediate"), prefix="po")
    own, _ = hub.new_user(groups=("instructors", "instructors-beginner"), prefix="pb")
    victim_event(hub, victim)
    auth = {"Authorization": f"token {hub.user_token(other)}"}
    for path in ("api/courses/beginner", "course/beginner"):
        r = requests.get(f"{hub.url}{SERVICE}/{path}", headers=auth, timeout=30)
        assert r.status_code == 403 and victim not in r.text, (path, r.status_code, r.text[:300])
    r = requests.get(f"{hub.url}{SERVICE}/api/users/{victim}", headers=auth, timeout=30)
    assert r.status_code == 200, r.text
    assert [c["tier"] for c in r.json()["courses"]] == ["intermediate"]  # their own course only: nothing of 입문
    assert "00-python-first-steps" not in r.text
    # the beginner instructor does see it (the refusal above is about the course, not about instructors)
    r = requests.get(f"{hub.url}{SERVICE}/api/courses/beginner", headers={"Authorization": f"token {hub.user_token(own)}"},
                     timeout=30)
    assert r.status_code == 200 and victim in {row["user"] for row in r.json()["grid"]}


def test_an_answer_that_is_html_does_not_run_in_the_instructors_dashboard(hub):
    learner, _ = hub.new_user(groups=("beginner",), prefix="px")
    teacher, _ = hub.new_user(groups=("instructors", "instructors-beginner"), prefix="pt")
    payload = "<img src=x onerror=alert(1)>"
    r = requests.post(f"{hub.url}{SERVICE}/api/events", timeout=30, headers={"Authorization": f"token {hub.user_token(learner)}"},
                      json={"module": "beginner.python_first_steps", "question": "q3", "kind": "check", "ok": False,
                            "diagnosis": "undiagnosed", "value": payload})
    assert r.status_code == 204, r.text
    page = requests.get(f"{hub.url}{SERVICE}/course/beginner", headers={"Authorization": f"token {hub.user_token(teacher)}"},
                        timeout=30)
    assert page.status_code == 200 and learner in page.text
    assert payload not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
