"""Team servers through a real hub (as root): one JupyterLab per team, running as the team, shared with
exactly its members and the course's instructors (datalit/hub/teamserver.py, teamhub.py).

The attacks by other teams and outsiders are in tests/security/test_team_server_attacks.py; the two-browser
co-editing test in test_team_server_browser.py.
"""
from __future__ import annotations

import grp
import json
import os
import re
import time

import nbformat
import pytest
import requests

from hub_fixtures import start_hub
from teamkit import logged_in, open_team_server, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]


def _folder(team: str) -> str:
    return os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], team)


def test_member_opens_the_team_server_which_runs_as_the_team(released_hub, tmp_path):
    from datalit.hub.teamserver import account_name
    from datalit.hub.uids import is_team_uid
    from datalit.labs.teams import group_name

    hub, course_dir = released_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        # the home page lists the team with 팀 서버 열기; the instructor's lists it with its state
        # a member lands in their own JupyterLab like every learner (issue #24); 팀 서버 열기 is on the home page
        landing = logged_in(hub, a, pa).get(f"{hub.url}/hub/", timeout=30, allow_redirects=False)
        assert not landing.headers.get("Location", "").endswith("/hub/home"), landing.headers
        home = logged_in(hub, a, pa).get(f"{hub.url}/hub/home", timeout=30).text
        assert f'data-team="{team}"' in home and "팀 서버 열기" in home and b in home
        s_inst = logged_in(hub, instructor, pi)
        row = re.search(rf'<tr class="datalit-taught-team" data-team="{team}" data-state="(\w+)"',
                        s_inst.get(f"{hub.url}/hub/home", timeout=30).text)
        assert row and row.group(1) == "stopped"

        # a member clicks 팀 서버 열기: the team server starts and its JupyterLab opens (no 'authorize' page)
        s_a = logged_in(hub, a, pa)
        t0 = time.monotonic()
        resp = open_team_server(hub, s_a, team)
        assert resp.status_code == 200 and f"/user/{account}/lab" in resp.url, (resp.status_code, resp.url)
        print(f"team server open for the first member: {time.monotonic() - t0:.1f} s")
        assert '"disableRTC": false' in resp.text, "real-time collaboration is off on the team server"

        # it runs as the team's own account, in the team folder; its files are the team's (group-writable)
        out = hub.run_code(account, hub.user_token(b),
                           "import os, pwd; print(os.getuid(), pwd.getpwuid(os.getuid()).pw_name, os.getcwd())\n"
                           "open('메모.txt', 'w').write('팀 메모')")
        assert out["error"] is None, out
        uid, name, cwd = out["stdout"].split()
        assert is_team_uid(int(uid)) and int(uid) >= 1000 and name == account and cwd == _folder(team)
        st = os.stat(os.path.join(_folder(team), "메모.txt"))
        assert st.st_uid == int(uid) and st.st_gid == grp.getgrnam(group_name(team)).gr_gid
        assert st.st_mode & 0o060 == 0o060 and st.st_mode & 0o007 == 0, oct(st.st_mode)

        # the other member opens the same server (no second start); the course's instructor gets the team's
        # read-only snapshot instead, and no share of the live server (one origin for all servers here:
        # datalit/hub/snapshot_pages.py, tests/security/test_team_server_origin.py)
        resp_b = open_team_server(hub, logged_in(hub, b, pb), team)
        assert resp_b.status_code == 200 and f"/user/{account}/lab" in resp_b.url
        resp_i = s_inst.get(f"{hub.url}/hub/teams/{team}", timeout=60)
        assert resp_i.status_code == 200 and 'id="team-snapshot"' in resp_i.text, (resp_i.url, resp_i.text[:500])
        assert requests.get(f"{hub.url}/user/{account}/api/status", timeout=30,
                            headers={"Authorization": f"token {hub.user_token(instructor)}"}).status_code == 403
        row = re.search(rf'data-team="{team}" data-state="(\w+)"', s_inst.get(f"{hub.url}/hub/home", timeout=30).text)
        assert row and row.group(1) == "running"

        # a personal server beside it keeps working, without collaboration
        hub.spawn(a)
        mine = s_a.get(f"{hub.url}/user/{a}/lab", timeout=60)
        assert mine.status_code == 200 and '"disableRTC": true' in mine.text


def test_feedback_on_a_team_server_submission_reaches_every_member(released_hub, tmp_path):
    """The team submits the answered lab from the team server (the member who clicked recorded); the
    instructor collects, autogrades (sandboxed) and releases feedback with the same functions as
    ``datalit lab collect|autograde|feedback``; then each member fetches it in the Assignments panel of their
    own personal server (neither submitted from there) and opens the graded HTML with the team's score; the
    team server's panel fetches it too, and its copy in the team folder (피드백/) is readable on the team server.
    Runs before the other submission test: collect and autograde take every team with a submission."""
    from datalit.hub.teamserver import account_name
    from datalit.labs import autograde, collect, feedback
    from datalit.labs.course import open_course
    from labkit import LAB, answered

    hub, course_dir = released_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    course_form = {"course_id": "datalit-test", "assignment_id": LAB}
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json") as course:
        assert open_team_server(hub, logged_in(hub, a, pa), team).status_code == 200
        auth_a = {"Authorization": f"token {hub.user_token(a)}"}
        team_url = f"{hub.url}/user/{account}"
        r = requests.post(f"{team_url}/assignments/fetch", data=course_form, headers=auth_a, timeout=120)
        assert r.ok, r.text[:300]
        # the team's answers, saved on the team server as JupyterLab saves a notebook
        r = requests.put(f"{team_url}/api/contents/{LAB}/{LAB}.ipynb", headers=auth_a, timeout=60,
                         json={"type": "notebook", "format": "json",
                               "content": json.loads(nbformat.writes(answered(course)))})
        assert r.status_code == 200, r.text[:300]
        r = requests.post(f"{team_url}/assignments/submit", data=course_form, headers=auth_a, timeout=120)
        assert r.ok and '"success": false' not in r.text, r.text[:800]

        # the instructor: collect, autograde, release feedback
        course = open_course(course_dir)
        summary = collect.collect(course, LAB)
        assert summary["teams"][team]["submitted_by"] == a, summary
        report = autograde.autograde(course, LAB, workers=2, progress=False)
        assert report["sandboxed"] and report["scores"][team]["auto"] == 10, report["scores"]
        released = feedback.feedback(course, LAB)
        assert sorted(released["released"][team]["cached_for"]) == sorted([a, b]), released["released"]

        # each member, in their own personal server's Assignments panel: Fetch Feedback, then open the page
        pages = {}
        for member in (a, b):
            token = hub.spawn(member)
            auth = {"Authorization": f"token {token}"}
            listing = requests.post(f"{hub.url}/user/{member}/assignments/fetch_feedback", data=course_form,
                                    headers=auth, timeout=120)
            assert listing.ok, listing.text[:500]
            (entry,) = [x for x in listing.json()["value"] if x["status"] == "submitted"]
            assert entry["student_id"] == team, entry
            (sub,) = entry["submissions"]
            assert sub["submitted_by"] == a and sub["graded"] and sub["has_local_feedback"], sub
            (nb,) = sub["notebooks"]
            rel = os.path.relpath(nb["local_feedback_path"], os.path.expanduser(f"~{member}"))
            assert rel.startswith(f"{LAB}/feedback/") and rel.endswith(f"{LAB}.html"), rel
            page = requests.get(f"{hub.url}/user/{member}/files/{rel}", headers=auth, timeout=60)
            assert page.status_code == 200, page.status_code
            pages[member] = page.content.decode("utf-8")  # text/html without a charset: not page.text
        for member in (a, b):
            scores = re.findall(r"\(Score: ([\d.]+) / ([\d.]+)\)", pages[member])
            assert scores and float(scores[0][0]) == 10, scores[:3]
            assert f"채점 안내 (팀 {team})" in pages[member] and f"채점한 제출: {a}" in pages[member]
        assert pages[a] == pages[b]

        # the team server: its own panel fetches the same page, and the released copy in 피드백/ is readable
        listing = requests.post(f"{team_url}/assignments/fetch_feedback", data=course_form, headers=auth_a,
                                timeout=120)
        (entry,) = [x for x in listing.json()["value"] if x["status"] == "submitted"]
        assert entry["submissions"][0]["has_local_feedback"], entry
        copy = requests.get(f"{team_url}/files/피드백/{LAB}/{LAB}.html", headers=auth_a, timeout=60)
        assert copy.status_code == 200 and copy.content.decode("utf-8") == pages[a], copy.status_code


def test_team_submits_from_the_team_server_with_the_clicking_member_recorded(released_hub, tmp_path):
    """Fetch and Submit in the team server's Assignments panel (its HTTP API, as the browser calls it): one
    submission for the team, recorded under the member who clicked; every member sees it. A kernel on the
    team server that uses the server's own token to claim a non-member as the submitter is refused."""
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.hub.teamserver import account_name
    from datalit.labs.course import open_course
    from labkit import LAB

    hub, course_dir = released_hub
    (a, pa), (b, pb), (outsider, _) = hub.new_user(), hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        s_b = logged_in(hub, b, pb)
        assert open_team_server(hub, s_b, team).status_code == 200
        auth = {"Authorization": f"token {hub.user_token(b)}"}
        course = {"course_id": "datalit-test", "assignment_id": LAB}
        r = requests.post(f"{hub.url}/user/{account}/assignments/fetch", data=course, headers=auth, timeout=120)
        assert r.ok, r.text[:300]
        nb_path = os.path.join(_folder(team), LAB, f"{LAB}.ipynb")
        assert os.path.isfile(nb_path)
        fill = hub.run_code(account, auth["Authorization"].split()[1], f"""
import nbformat
nb = nbformat.read({nb_path!r}, as_version=4)
cell = next(c for c in nb.cells if c.metadata.get('nbgrader', {{}}).get('grade_id') == 'gu')
cell.source = 'GU = "성동구"  # 팀 서버에서'
nbformat.write(nb, {nb_path!r})
""")
        assert fill["error"] is None, fill
        r = requests.post(f"{hub.url}/user/{account}/assignments/submit", data=course, headers=auth, timeout=120)
        assert r.ok and '"success": false' not in r.text, r.text[:800]

        store = Store(exchange_root(open_course(course_dir).cfg), "datalit-test")
        subs = store.submissions(LAB, team)
        assert [s["member"] for s in subs] == [b], subs
        # the other member's own panel (own token, personal identity) lists the team's submission
        mine = requests.get(f"{hub.url}/services/datalit-exchange/api/labs/{LAB}/submissions", timeout=30,
                            headers={"Authorization": f"token {hub.user_token(a)}"}).json()
        assert mine["team"] == team and [s["member"] for s in mine["submissions"]] == [b]

        # a kernel of the team server (the team's uid, the server's token) names a non-member: refused
        forged = hub.run_code(account, auth["Authorization"].split()[1], f"""
import os, requests, base64
r = requests.post(os.environ['DATALIT_EXCHANGE_URL'] + '/api/labs/{LAB}/submissions',
                  headers={{'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']}},
                  json={{'files': {{'{LAB}.ipynb': base64.b64encode(open({nb_path!r}, 'rb').read() + b' ').decode()}},
                        'member': {outsider!r}, 'confirm': True}})
print(r.status_code)
""")
        assert forged["stdout"].strip() == "400", forged
        assert len(store.submissions(LAB, team)) == 1


def test_who_did_what_is_recorded_per_member_and_shown_to_the_instructor_only(released_hub, tmp_path):
    """Cells run on the team server are counted for the member whose (hub-authenticated) websocket sent
    them; the instructor's home page and ``datalit team activity`` show the per-member table; members'
    pages do not."""
    import subprocess
    import sys

    from datalit.exchange import activity
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.hub.teamserver import account_name
    from datalit.labs.course import open_course

    hub, course_dir = released_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        assert open_team_server(hub, logged_in(hub, a, pa), team).status_code == 200
        token_a, token_b = hub.user_token(a), hub.user_token(b)
        for token in (token_a, token_a, token_b):
            assert hub.run_code(account, token, "1 + 1")["error"] is None
        store = Store(exchange_root(open_course(course_dir).cfg), "datalit-test")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            got = {r["member"]: r for r in activity.summary(store, team, [a, b], ["lab1_bike_story"])}
            if got[a]["executed"] >= 2 and got[b]["executed"] >= 1:
                break
            time.sleep(2)
        assert got[a]["executed"] == 2 and got[b]["executed"] == 1, got
        assert got[a]["active_minutes"] >= 1 and got[a]["last_active"] is not None

        page = logged_in(hub, instructor, pi).get(f"{hub.url}/hub/home", timeout=30).text
        assert f'data-member="{a}" data-executed="2"' in page and f'data-member="{b}" data-executed="1"' in page
        assert "팀원별 기여" in page
        member_page = logged_in(hub, b, pb).get(f"{hub.url}/hub/home", timeout=30).text
        assert "data-executed" not in member_page and "팀원별 기여" not in member_page

        out = subprocess.run([sys.executable, "-m", "datalit", "team", "activity", "--course-dir", str(course_dir),
                              "--team", team], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert "편집한 셀" in out.stdout and "실행한 셀" in out.stdout and a in out.stdout and b in out.stdout


def test_team_server_after_a_hub_restart_and_its_idle_culling(released_hub, tmp_path):
    """The hub restarts (team hub user and shares kept in its database); a member starts the team server
    again; the idle culler (short timeout after the restart) stops it like a personal one. Runs last: the
    module's hub is the restarted one afterwards."""
    from datalit.hub.teamserver import account_name

    hub, course_dir = released_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        assert open_team_server(hub, logged_in(hub, a, pa), team).status_code == 200
        hub.stop()
        env = {k: v for k, v in hub.env.items() if k.startswith("DATALIT_LAB_")}
        env.update({"DATALIT_HUB_CULL_IDLE_SECONDS": "20", "DATALIT_HUB_CULL_EVERY_SECONDS": "5"})
        again = start_hub(hub.state, home_base=hub.state.parent / "home", port=hub.port, extra_env=env)
        hub.proc, hub.terminal, hub.env = again.proc, again.terminal, again.env  # the fixture stops this one
        assert not (hub.user_model(account) or {}).get("server"), "the team server outlived the hub's SIGTERM"

        resp = open_team_server(hub, logged_in(hub, b, pb), team)
        assert resp.status_code == 200 and f"/user/{account}/lab" in resp.url, hub.log_tail(40)
        assert hub.user_model(account)["servers"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and hub.user_model(account)["servers"]:
            time.sleep(3)
        assert not hub.user_model(account)["servers"], "idle team server still running:\n" + hub.log_tail(40)
