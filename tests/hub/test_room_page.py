"""The room at a glance (datalit/hub/room.py, issue #24) on the session's real hub: a batch of three workshop
accounts -- one logged in with its server running and a passed check, one logged in with a failed check, one that
never came. The citizen course's instructor sees it in Korean with Korea times, live (a new check appears without
a reload, in Chromium) and restarts one server; a learner of the batch, an instructor of another course and a
scoped API token get nothing of it (page, JSON, restart)."""
from __future__ import annotations

import csv
import re
import shutil
import time
from pathlib import Path

import pytest
import requests

from browserkit import korean_page, log_in, shot

pytestmark = [pytest.mark.hub, pytest.mark.slow]

SERVICE = "/services/datalit-progress"
AIR = "citizen.neighbourhood_air"  # lesson 01 of the citizen course
AIR_TITLE = "01 우리 동네 공기: 미세먼지는 줄었을까?"
A_CELL = """
gu = "마포구"
from datalit.lessons.exercises.citizen.neighbourhood_air import q1, avg_2022 as reference
avg_2022 = reference(gu)
q1.check()
"""
KST = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d \(KST\)")


def post_check(hub, name: str, question: str, ok: bool) -> None:
    """One lesson check of NAME, through the learning record's service as a kernel posts it (token of NAME)."""
    body = {"module": AIR, "question": question, "kind": "check", "ok": ok}
    if not ok:
        body["diagnosis"] = "wrong-0"
    r = requests.post(f"{hub.url}{SERVICE}/api/events", json=body, timeout=30,
                      headers={"Authorization": f"token {hub.user_token(name)}"})
    assert r.status_code == 204, r.text


def wait_for(fetch, ok, timeout=60.0, what=""):
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        last = fetch()
        if ok(last):
            return last
        time.sleep(0.5)
    raise AssertionError(f"{what} not reached in {timeout}s: {last}")


def xsrf_of(session, url: str) -> str:
    page = session.get(url, timeout=30)
    m = re.search(r'name="_xsrf" value="([^"]+)"', page.text) or re.search(r'xsrf_token: "([^"]+)"', page.text)
    assert m, page.text[-300:]
    return m.group(1)


@pytest.fixture(scope="module")
def room(hub):
    made = hub.workshop("create", "--count", "3", "--expires", "2099-12-31", "--prefix", "trm")
    assert made.returncode == 0, made.stderr
    batch = re.search(r"batch (\w+):", made.stdout).group(1)
    rows = list(csv.DictReader(Path(made.stdout.split("CSV:")[1].split()[0]).open(encoding="utf-8-sig")))
    hub.created.extend(r["username"] for r in rows)
    (a, pa), (b, pb), (c, _) = [(r["username"], r["password"]) for r in rows]
    teacher, teacher_pw = hub.new_user(groups=("instructors", "instructors-citizen"), prefix="tri")
    # a logs in and lands in JupyterLab (the hub starts the server); b logs in, its server not (yet) open
    sa, resp = hub.login(a, pa)
    assert resp.status_code == 302
    wait_for(lambda: sa.get(f"{hub.url}/hub/", timeout=60).url, lambda u: f"/user/{a}/lab" in u, 180, "a's JupyterLab")
    sb, resp = hub.login(b, pb)
    assert resp.status_code == 302
    # a works lesson 01's first exercise in their own kernel (the check posts to the learning record by itself)
    out = hub.run_code(a, hub.user_token(a), A_CELL, timeout=120)
    assert out["error"] is None and "정답" in out["stdout"], out
    post_check(hub, b, "q1", False)
    st, resp = hub.login(teacher, teacher_pw)
    assert resp.status_code == 302
    yield {"batch": batch, "a": a, "b": b, "c": c, "sa": sa, "teacher": teacher, "teacher_pw": teacher_pw, "st": st,
           "url": f"{hub.url}/hub/workshop/{batch}/room"}
    for name in (a, b, c):  # a restart may still be under way (then the hub refuses a stop): ask until it is down
        for _ in range(3):
            hub.stop_server(name)
            if not (hub.user_model(name) or {}).get("server"):
                break


def test_the_instructor_sees_the_batch_in_korean_with_korea_times(hub, room):
    st, a, b, c = room["st"], room["a"], room["b"], room["c"]
    page = st.get(room["url"], timeout=30)
    assert page.status_code == 200, page.text[-500:]
    text = page.text
    if "통과" not in text:  # the kernel posts in the background: give it a moment
        text = wait_for(lambda: st.get(room["url"], timeout=30).text, lambda t: "통과" in t, 15, "a's check")
    assert "워크숍 교실 현황" in text and "시민 과정" in text and "로그인 <b id=\"room-logged-in\">2</b>명" in text
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr class="room-row" data-user="(\w+)".*?</tr>', text, re.S)}
    assert set(rows) == {a, b, c}
    assert "로그인함" in rows[a] and "실행 중" in rows[a] and AIR_TITLE in rows[a] and "통과" in rows[a] and "q1" in rows[a]
    assert "로그인함" in rows[b] and "꺼짐" in rows[b] and "틀림" in rows[b] and 'data-ok="no"' in rows[b]
    assert "아직 로그인 전" in rows[c] and "아직 기록 없음" in rows[c] and "서버 시작" in rows[c]
    assert KST.search(rows[a]) and "UTC" not in text
    data = st.get(room["url"] + ".json", timeout=30).json()
    by = {r["name"]: r for r in data["rows"]}
    assert by[a]["check"] == {"ok": True, "label": "통과", "question": "q1", "lesson": "",
                              "at": by[a]["check"]["at"]} and KST.fullmatch(by[a]["check"]["at"])
    assert by[a]["server"] == "running" and by[b]["server"] == "stopped" and by[b]["check"]["ok"] is False
    assert [by[n]["logged_in"] for n in (a, b, c)] == [True, True, False]
    assert hub.admin_session().get(room["url"] + ".json", timeout=30).json()["count"] == 3  # hub admins see every batch
    # the home page links the room for its instructor
    home = st.get(f"{hub.url}/hub/home", timeout=30).text
    assert f'href="/hub/workshop/{room["batch"]}/room"' in home and "워크숍 교실 현황" in home


def test_a_learner_another_courses_instructor_and_a_token_see_nothing_and_restart_nothing(hub, room):
    a, batch = room["a"], room["batch"]
    other, other_pw = hub.new_user(groups=("instructors", "instructors-beginner"), prefix="trb")
    so, resp = hub.login(other, other_pw)
    assert resp.status_code == 302
    started = hub.user_model(a)["servers"][""]["started"]
    for who, s in (("learner", room["sa"]), ("other instructor", so)):
        xsrf = xsrf_of(s, f"{hub.url}/hub/home")
        page = s.get(room["url"], timeout=30)
        data = s.get(room["url"] + ".json", timeout=30)
        restart = s.post(room["url"] + "/restart", data={"_xsrf": xsrf, "user": a}, timeout=30, allow_redirects=False)
        assert (page.status_code, data.status_code, restart.status_code) == (404, 404, 404), who
        for r in (page, data, restart):
            assert room["b"] not in r.text and "q1" not in r.text, (who, r.text[:300])
    # the instructor's own API token (here one with every scope of theirs) is not the instructor's browser: sent
    # to the login page (JupyterHub's pages take no token) or refused
    token = hub.user_token(room["teacher"])
    for method, path in (("GET", ""), ("GET", ".json"), ("POST", "/restart")):
        r = requests.request(method, room["url"] + path, headers={"Authorization": f"token {token}"},
                             data={"user": a}, timeout=30, allow_redirects=False)
        assert r.status_code == 403 or (r.status_code == 302 and "/hub/login" in r.headers["Location"]), \
            (path, r.status_code, r.headers.get("Location"), r.text[:300])
        assert room["b"] not in r.text
    # the instructor: no restart without the hub's XSRF token, none of an account outside the batch
    st = room["st"]
    assert st.post(room["url"] + "/restart", data={"user": a}, timeout=30, allow_redirects=False).status_code == 403
    xsrf = xsrf_of(st, room["url"])
    outside = st.post(room["url"] + "/restart", data={"_xsrf": xsrf, "user": other}, timeout=30, allow_redirects=False)
    assert outside.status_code == 404 and "계정이 없습니다" in outside.text
    assert st.get(f"{hub.url}/hub/workshop/ffff/room", timeout=30).status_code == 404  # no such batch: the same 404
    assert hub.user_model(a)["servers"][""]["started"] == started  # nobody restarted a's server


@pytest.mark.browser
def test_the_room_refreshes_without_a_reload_in_chromium(hub, room, tmp_path):
    c = room["c"]
    with korean_page() as page:
        page.goto(f"{hub.url}/hub/login?next=/hub/workshop/{room['batch']}/room")
        log_in(page, room["teacher"], room["teacher_pw"])
        page.wait_for_selector("#room-table")
        row = page.locator(f'tr.room-row[data-user="{c}"]')
        assert row.locator(".room-check").inner_text() == "-"
        page.evaluate("window.__notReloaded = true")
        post_check(hub, c, "q2", False)
        row.locator('.room-check[data-ok="no"]').wait_for(timeout=30_000)
        cell = row.locator(".room-check").inner_text()
        assert "틀림" in cell and "q2" in cell and KST.search(cell), cell
        assert AIR_TITLE in row.locator(".room-lesson").inner_text()
        assert page.evaluate("window.__notReloaded === true")  # the same page, updated in place
        assert "통과" in page.locator(f'tr.room-row[data-user="{room["a"]}"] .room-check').inner_text()
        path = shot(page, tmp_path, "room.png", prefix="room-")
        shutil.copy(path, "/tmp/agents/s4/room.png")


def test_the_instructor_restarts_one_persons_server(hub, room):
    a, b, st = room["a"], room["b"], room["st"]
    before = hub.user_model(a)["servers"][""]["started"]
    xsrf = xsrf_of(st, room["url"])
    r = st.post(room["url"] + "/restart", data={"_xsrf": xsrf, "user": a}, timeout=60, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/room?restarted={a}"), (r.status_code, r.text[:300])
    assert "다시 시작합니다" in st.get(room["url"] + f"?restarted={a}", timeout=30).text

    def a_server():
        model = hub.user_model(a)
        server = model["servers"].get("")
        return server and not model.get("pending") and server["ready"] and server["started"]

    wait_for(a_server, lambda s: s and s != before, 180, "a's restarted server")
    token = hub.user_token(a)
    wait_for(lambda: requests.get(f"{hub.url}/user/{a}/api/status", headers={"Authorization": f"token {token}"},
                                  timeout=10).status_code, lambda s: s == 200, 60, "a's server answering")
    data = st.get(room["url"] + ".json", timeout=30).json()
    assert {r["name"]: r["server"] for r in data["rows"]}[a] == "running"
    assert not (hub.user_model(b) or {}).get("server")  # only that person's server
