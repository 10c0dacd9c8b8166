"""Attacks on the grading exchange, through a real hub (``datalit hub`` as root) and its
``datalit-exchange`` service, from a learner's own kernel (issue #10, findings 1, 2 and 8).

1. A learner forges a submission for another team: a planted inbound folder, or request fields
   naming another member, team and time. The exchange records the caller the hub names, their own
   team and its own clock; the other team's grade is untouched.
2. Submission storage readable or writable by others: the store is root-only (no group/other bit
   anywhere), and no world-writable folder of ours remains.
8. A teammate silently replaces the team's good submission: an empty notebook is refused, a
   submission over a teammate's newer one asks first (409, confirmed by submitting again), an
   unchanged one is refused, every submission stays archived, and every member's Assignments
   panel lists the team's submissions with who and when in Korea time.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import nbformat
import pytest
import requests

from hub_fixtures import hub_base_dir
from labkit import LAB, answered, course_hub, lab_env, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]


@pytest.fixture(scope="module")
def grading_hub():
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = hub_base_dir()
    env = lab_env(base)
    env.update({"DATALIT_LAB_COURSE_ID": "datalit-sec", "DATALIT_LAB_COURSE_DIR": str(base / "course")})
    with course_hub(base, env) as hub:
        course = open_course(base / "course")
        release(course, LAB)
        yield hub, course


def _kernel(hub, user, token, code):
    out = hub.run_code(user, token, code, timeout=120)
    assert out["error"] is None, out
    return out["stdout"]


ATTACK = r'''
import base64, glob, json, os, requests
url, tok = os.environ["DATALIT_EXCHANGE_URL"], os.environ["JUPYTERHUB_API_TOKEN"]
nb = base64.b64encode(open("answered.ipynb", "rb").read()).decode()
res = {}
# the old trick: plant a submission folder named after the victim in a shared inbound folder
for root in [__STORE__, "/srv/nbgrader/exchange"]:
    try:
        os.makedirs(os.path.join(root, "datalit-sec", "inbound", __VICTIM__ + "+__LAB__+2099-01-01 00:00:00.000000 UTC+x"))
        res.setdefault("planted", []).append(root)
    except OSError as exc:
        res.setdefault("plant_errors", []).append(type(exc).__name__)
try:
    os.listdir(__STORE__)
    res["listed_store"] = True
except OSError:
    res["listed_store"] = False
post = lambda body, headers: requests.post(f"{url}/api/labs/__LAB__/submissions", json=body, headers=headers, timeout=60)
h = {"Authorization": f"token {tok}"}
forged = {"files": {"__LAB__.ipynb": nb}, "member": __VICTIM__, "team": "victims", "user": __VICTIM__,
          "timestamp": "2099-01-01 00:00:00.000000 UTC"}
r = post(forged, {**h, "X-Forwarded-User": __VICTIM__, "X-Remote-User": __VICTIM__})
res["forged"] = [r.status_code, r.json()]
r = post(forged, {"X-Forwarded-User": __VICTIM__})
res["no_token"] = r.status_code
r = post({"files": {"../victims/__LAB__.ipynb": nb}}, h)
res["traversal"] = [r.status_code, r.json().get("error", "")]
print(json.dumps(res, ensure_ascii=False))
'''


def test_forged_submission_is_recorded_as_the_attacker(grading_hub, tmp_path):
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.labs import collect, roster

    hub, course = grading_hub
    victim, _ = hub.new_user(groups=("beginner",))
    attacker, _ = hub.new_user(groups=("beginner",))
    roster.import_csv(course, write_roster(tmp_path / "r.csv", {"victims": [victim], "attackers": [attacker]}),
                      known_users=None, known_labs=[LAB])
    token = hub.spawn(attacker)
    home = Path(os.path.expanduser(f"~{attacker}"))
    nbformat.write(answered(course), home / "answered.ipynb")
    os.chown(home / "answered.ipynb", home.stat().st_uid, home.stat().st_gid)
    root = exchange_root(course.cfg)
    code = ATTACK.replace("__LAB__", LAB).replace("__VICTIM__", repr(victim)).replace("__STORE__", repr(str(root)))
    res = json.loads(_kernel(hub, attacker, token, code).strip().splitlines()[-1])

    assert "planted" not in res, res  # no folder anyone can write into
    assert res["listed_store"] is False
    assert res["no_token"] in (401, 403)
    assert res["traversal"][0] == 400 and "파일 이름" in res["traversal"][1]
    status, record = res["forged"]
    assert status == 201, record
    # the exchange believed none of the forged fields
    assert record["member"] == attacker and record["team"] == "attackers"
    assert record["timestamp"].startswith(("2026", "2027")) and "2099" not in json.dumps(record)

    store = Store(root, course.course_id)
    assert store.submissions(LAB, "victims") == []
    summary = collect.collect(course, LAB)
    assert "victims" in summary["missing"] and "victims" not in summary["teams"]
    rec = summary["teams"]["attackers"]
    assert rec["submitted_by"] == attacker and rec["seconds_late"] == 0


def test_store_is_root_only_and_nothing_is_world_writable(grading_hub, tmp_path):
    from datalit.exchange.client import exchange_root

    hub, course = grading_hub
    root = exchange_root(course.cfg)
    assert root.is_dir()
    st = root.stat()
    assert st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o700
    assert any(root.rglob("*.ipynb")), "the store holds the released lab"
    for p in [root, *root.rglob("*")]:
        assert stat.S_IMODE(p.lstat().st_mode) & 0o077 == 0, p
    learner, _ = hub.new_user(groups=("beginner",))
    probe = subprocess.run(["runuser", "-u", learner, "--", "find", str(root)], capture_output=True, text=True)
    assert probe.returncode != 0 and "Permission denied" in probe.stderr
    # no world-writable (non-sticky) folder of ours anywhere
    places = [str(p) for p in (root, course.root, Path(course.cfg["teams_dir"]), hub.state) if p.exists()]
    found = subprocess.run(["find", *places, "-type", "d", "-perm", "-0002", "!", "-perm", "-1000"],
                           capture_output=True, text=True)
    assert found.stdout.strip() == "", found.stdout


def test_teammate_cannot_silently_replace_the_team_submission(grading_hub, tmp_path):
    from datalit.exchange.client import ExchangeClient, Refused, exchange_root
    from datalit.exchange.store import Store
    from datalit.labs import roster

    hub, course = grading_hub
    m1, _ = hub.new_user(groups=("beginner",))
    m2, _ = hub.new_user(groups=("beginner",))
    roster.import_csv(course, write_roster(tmp_path / "r.csv", {"pair": [m1, m2]}), known_users=None,
                      known_labs=[LAB])
    url = f"{hub.url}/services/datalit-exchange"
    c1, c2 = ExchangeClient(url, hub.user_token(m1)), ExchangeClient(url, hub.user_token(m2))
    _, released = c2.fetch(LAB)

    with pytest.raises(Refused) as empty:  # m2 hands in the notebook as released
        c2.submit(LAB, released)
    assert empty.value.code == "empty" and "답" in str(empty.value)

    good = {f"{LAB}.ipynb": nbformat.writes(answered(course)).encode()}
    first = c1.submit(LAB, good)
    other = {f"{LAB}.ipynb": nbformat.writes(answered(course, {"q3_answer": "busiest = 1"})).encode()}
    with pytest.raises(Refused) as ask:  # over the teammate's newer submission: asked first
        c2.submit(LAB, other)
    assert ask.value.code == "confirm" and m1 in str(ask.value) and "(KST)" in str(ask.value)
    store = Store(exchange_root(course.cfg), course.course_id)
    assert [s["member"] for s in store.submissions(LAB, "pair")] == [m1]
    second = c2.submit(LAB, other)  # submitting again confirms
    with pytest.raises(Refused) as same:
        c2.submit(LAB, other)
    assert same.value.code == "unchanged"
    history = store.submissions(LAB, "pair")
    assert [s["id"] for s in history] == [first["id"], second["id"]]  # both archived
    assert (store.submission_dir(LAB, "pair", first["id"]) / f"{LAB}.ipynb").read_bytes() == good[f"{LAB}.ipynb"]

    # every member's Assignments panel (nbgrader's server extension in their own server) lists both
    tokens = {m: hub.spawn(m) for m in (m1, m2)}
    for m in (m1, m2):
        r = requests.get(f"{hub.url}/user/{m}/assignments", params={"course_id": "datalit-sec"},
                         headers={"Authorization": f"token {tokens[m]}"}, timeout=120)
        assert r.status_code == 200, r.text[:300]
        body = r.json()
        assert body["success"], body
        team = [a for a in body["value"] if a["status"] == "submitted" and a["assignment_id"] == LAB]
        assert len(team) == 1, body
        labels = [s["timestamp"] for s in team[0]["submissions"]]
        assert len(labels) == 2 and all("(KST)" in lb for lb in labels), labels
        assert f"{m1} 제출" in labels[0] and f"{m2} 제출 · 채점 대상" in labels[1], labels
