"""Attacks on a team's server (datalit/hub/teamserver.py, teamhub.py), each written as the attack.

A member of another team and a learner outside the course try to open the team server, to reach it
with their own hub token over HTTP and over the kernel websocket, to share it with themselves or start it
through the hub API, to read the team's files and the server's runtime folder from their own kernels,
and to take the team server's name at sign-up or in a roster. All must fail.
"""
from __future__ import annotations

import os

import pytest
import requests

from teamkit import logged_in, open_team_server, released_course_hub, team_ids, teams_made, ws_refused

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]


@pytest.fixture(scope="module")
def course_hub_for_attacks():
    with released_course_hub() as pair:
        yield pair


def test_other_teams_and_outsiders_cannot_reach_a_team_server(course_hub_for_attacks, tmp_path):
    from datalit.hub.teamserver import account_name

    hub, course_dir = course_hub_for_attacks
    (a, pa), (b, pb), (rival, pr) = hub.new_user(), hub.new_user(), hub.new_user()
    outsider, po = hub.new_user(groups=("intermediate",))
    victim, other = team_ids(2)
    account = account_name(victim)
    folder = os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], victim)
    with teams_made(hub, course_dir, {victim: [a, b], other: [rival]}, tmp_path / "team-groups.json"):
        s_a = logged_in(hub, a, pa)
        assert open_team_server(hub, s_a, victim).status_code == 200
        member_token = hub.user_token(a)
        secret = "팀의 비밀 분석 " + os.urandom(4).hex()
        out = hub.run_code(account, member_token, f"open('answer.txt', 'w').write({secret!r})")
        assert out["error"] is None, out
        kernel = requests.post(f"{hub.url}/user/{account}/api/kernels", json={"name": "python3"},
                               headers={"Authorization": f"token {member_token}"}, timeout=60).json()["id"]

        for name, password in ((rival, pr), (outsider, po)):
            token = hub.user_token(name)
            auth = {"Authorization": f"token {token}"}
            session = logged_in(hub, name, password)
            # the hub's 팀 서버 열기 page: no such team for them (404, nothing revealed)
            assert session.get(f"{hub.url}/hub/teams/{victim}", timeout=30).status_code == 404
            home = session.get(f"{hub.url}/hub/home", timeout=30).text
            assert victim not in home and account not in home
            # the team server itself, with the browser session (OAuth) and with their own token
            page = session.get(f"{hub.url}/user/{account}/lab", timeout=60)
            assert page.status_code in (403, 404) and secret not in page.text, (name, page.status_code)
            for path in ("api/status", "api/contents/answer.txt", f"api/kernels/{kernel}", "api/sessions"):
                r = requests.get(f"{hub.url}/user/{account}/{path}", headers=auth, timeout=30)
                assert r.status_code in (403, 404) and secret not in r.text, (name, path, r.status_code)
            r = requests.put(f"{hub.url}/user/{account}/api/contents/planted.py", headers=auth, timeout=30,
                             json={"type": "file", "format": "text", "content": "print('planted')"})
            assert r.status_code in (403, 404), r.status_code
            # the kernel websocket of a running team kernel, and the collaboration websocket
            assert ws_refused(hub, f"/user/{account}/api/kernels/{kernel}/channels", token) in (403, 404)
            assert ws_refused(hub, f"/user/{account}/api/collaboration/room/json:notebook:x", token) in (403, 404)
            # the hub API: share the server with oneself, start or stop it
            assert requests.post(f"{hub.url}/hub/api/shares/{account}/", headers=auth, timeout=30,
                                 json={"user": name}).status_code in (403, 404)
            assert requests.post(f"{hub.url}/hub/api/users/{account}/server", headers=auth,
                                 timeout=30).status_code in (403, 404)
            assert requests.delete(f"{hub.url}/hub/api/users/{account}/server", headers=auth,
                                   timeout=30).status_code in (403, 404)
            # the team's contribution record: neither readable nor writable with their own token
            exchange = f"{hub.url}/services/datalit-exchange/api"
            assert requests.get(f"{exchange}/activity/{victim}", headers=auth, timeout=30).status_code == 403
            assert requests.post(f"{exchange}/activity", headers=auth, timeout=30,
                                 json={"members": {a: {"executed": 999}}}).status_code == 403
            # nor can they credit (or blame) a member of the team with edited cells
            assert requests.post(f"{exchange}/activity", headers=auth, timeout=30,
                                 json={"members": {a: {"edited": ["0123456789abcdef"] * 5}}}).status_code == 403

        # from their own kernels: the team folder and the team server's runtime folder stay closed
        for name in (rival, outsider):
            token = hub.spawn(name)
            probe = hub.run_code(name, token, f"""
import os
for p in ({folder!r}, {folder + '/answer.txt'!r}, '/run/datalit/{account}'):
    try:
        print(p, 'READ', open(p).read() if os.path.isfile(p) else os.listdir(p))
    except OSError as e:
        print(p, 'DENIED', type(e).__name__)
""")
            assert secret not in probe["stdout"] and "READ" not in probe["stdout"], probe
            assert probe["stdout"].count("DENIED") == 3, probe


def test_nobody_can_take_a_team_server_name(course_hub_for_attacks):
    from datalit.hub.teamserver import account_name
    from datalit.labs import roster

    hub, _ = course_hub_for_attacks
    (team,) = team_ids(1)
    for name in (account_name(team), "dlteam-x"):
        page = hub.signup(name, "pw-" + os.urandom(8).hex())
        assert "예약된 아이디" in page, page[:500]
        assert hub.user_model(name) is None
    # a roster cannot list a team server as a member (not a person's account)
    problems = roster.validate({"lab1_bike_story": {"t1": [account_name(team)]}}, roster.system_users(), None)
    assert problems, "a team-server name was accepted as a roster member"


def test_a_member_removed_from_the_roster_loses_the_team_server(course_hub_for_attacks, tmp_path):
    """The instructor moves B to another team: within a minute B's existing token (and browser session) no
    longer opens A's team server, and B's page no longer offers it."""
    import time

    from datalit.hub.teamserver import account_name
    from datalit.labs import roster
    from labkit import LAB, write_roster

    hub, course_dir = course_hub_for_attacks
    (a, pa), (b, pb), (c, _) = hub.new_user(), hub.new_user(), hub.new_user()
    team, elsewhere = team_ids(2)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b], elsewhere: [c]}, tmp_path / "team-groups.json") as course:
        s_b = logged_in(hub, b, pb)
        assert open_team_server(hub, s_b, team).status_code == 200
        token_b = hub.user_token(b)
        status = f"{hub.url}/user/{account}/api/status"
        assert requests.get(status, headers={"Authorization": f"token {token_b}"}, timeout=30).ok
        roster.import_csv(course, write_roster(tmp_path / "moved.csv", {team: [a], elsewhere: [c, b]}),
                          known_users=roster.system_users(), known_labs=[LAB])
        deadline = time.monotonic() + 120
        code = 200
        while time.monotonic() < deadline and code == 200:
            time.sleep(5)
            code = requests.get(status, headers={"Authorization": f"token {token_b}"}, timeout=30).status_code
        # 403 from the team server, or 404 from the hub while the sync restarts it (datalit/hub/membership.py)
        assert code in (403, 404), f"B still reaches the team server {time.monotonic() - deadline + 120:.0f} s later"
        assert s_b.get(f"{hub.url}/hub/teams/{team}", timeout=30).status_code == 404
        assert s_b.get(f"{hub.url}/user/{account}/api/contents", timeout=30).status_code in (403, 404)

