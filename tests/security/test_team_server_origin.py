"""Attacks by a team member on whoever opens the team server (issue #19 item 2), each written as the attack,
on a hub without subdomains (every server on the hub's origin, the default).

1. A member plants what Jupyter and Python load from a home (the team folder): a server config that puts
   script into every page, a labconfig, a labextension, a usercustomize.py and a .pth file in the user
   site-packages, a ``datalit`` package in the working directory, an ``nbgrader_config.py`` (read by the
   Assignments panel inside the server), and a notebook signed with the team's
   own notebook secret (trusted: its script output would run for the visitor). The team server, restarted,
   loads none of it and trusts no notebook, while its notebooks still import the team's own modules.
2. A member plants a page script (the server config above), a notebook whose outputs carry script and a
   link to /etc/shadow; the instructor opens the team from the hub's home page in a real browser. They get the read-only
   snapshot, never the live server; the script runs nowhere, no token of theirs appears. (The same script
   run on the hub's origin does make one: the attack is real.)
"""
from __future__ import annotations

import json
import os
import re
import time

import nbformat
import pytest
import requests

from stealkit import STEAL_JS, planted_server_config, steal_call, tokens_of
from teamkit import logged_in, open_team_server, released_course_hub, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]


@pytest.fixture(scope="module")
def one_origin_hub():
    with released_course_hub() as pair:
        yield pair


def _folder(team: str) -> str:
    return os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], team)


def _plant(hub, account: str, token: str, files: dict[str, str]) -> None:
    out = hub.run_code(account, token, f"""
import os
for path, text in {files!r}.items():
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    open(path, 'w').write(text)
""")
    assert out["error"] is None, out


def _evil_notebook(marker: str, steal: str) -> dict:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('분석')")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={
            "text/html": f"<p>{marker} 결과</p><script>{steal}</script><img src=x onerror='{steal}'>"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": steal, "text/plain": "<JS>"}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# 팀 분석 노트 {marker}"), cell]
    return json.loads(nbformat.writes(nb))


def test_a_restarted_team_server_loads_nothing_a_member_wrote(one_origin_hub, tmp_path):
    from datalit.hub.teamserver import account_name

    hub, course_dir = one_origin_hub
    (a, pa), (b, _) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    folder = _folder(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        s_a = logged_in(hub, a, pa)
        assert open_team_server(hub, s_a, team).status_code == 200
        token = hub.user_token(a)
        real = hub.run_code(account, token, "import datalit; print(datalit.__path__[0])")["stdout"].strip()
        assert real and not real.startswith(folder), real

        # the member's plants, written by the member's code on the team server (as any member can)
        ext = ".local/share/jupyter/labextensions/planted-ext"
        site = ".local/lib/python3.11/site-packages"
        _plant(hub, account, token, {
            ".jupyter/jupyter_server_config.py": planted_server_config("", a),
            ".jupyter/labconfig/page_config.json": json.dumps({"plantedMarker": "PLANTED-LABCONFIG"}),
            f"{ext}/package.json": json.dumps({
                "name": "planted-ext", "version": "0.1.0",
                "jupyterlab": {"_build": {"load": "static/remoteEntry.planted.js", "extension": "./extension"}}}),
            f"{ext}/static/remoteEntry.planted.js": steal_call("", a),
            f"{site}/usercustomize.py": "import os\nopen(os.path.expanduser('~/PWNED-usercustomize'), 'w').write('x')\n",
            f"{site}/planted.pth": "import os; open(os.path.expanduser('~/PWNED-pth'), 'w').write('x')\n",
            # found first by `python -m datalit.hub.singleuser` started in the team folder
            "datalit/__init__.py": f"import os, sys\nopen(os.path.join(os.getcwd(), 'PWNED-cwd'), 'a').write(repr(sys.argv) + '\\n')\n"
                                   f"__path__.insert(0, {real!r})\n"
                                   f"exec(open(os.path.join({real!r}, '__init__.py')).read())\n",
            "팀도구.py": "def 인사():\n    return '팀 모듈 OK'\n",
            # read by nbgrader's Assignments panel, as Python, inside the server
            "nbgrader_config.py": "import os\nopen(os.path.join(os.path.expanduser('~'), 'PWNED-nbgrader'), 'w')"
                                  ".write('x')\n",
        })
        signed = hub.run_code(account, token, f"""
import os, nbformat
from nbformat.sign import NotebookNotary
nb = nbformat.reads({json.dumps(_evil_notebook("서명됨", steal_call("", a)))!r}, as_version=4)
notary = NotebookNotary(data_dir=os.path.expanduser('~/.local/share/jupyter'))
notary.sign(nb)
nbformat.write(nb, 'signed.ipynb')
print(notary.check_signature(nb))
""")
        assert signed["error"] is None and signed["stdout"].strip() == "True", signed

        hub.stop_server(account)
        assert open_team_server(hub, s_a, team).status_code == 200
        token = hub.user_token(a)
        auth = {"Authorization": f"token {token}"}

        listed = requests.get(f"{hub.url}/user/{account}/assignments", headers=auth, timeout=60,
                              params={"course_id": os.environ["DATALIT_LAB_COURSE_ID"]})
        assert listed.status_code == 200 and listed.json().get("success"), listed.text[:500]
        for marker in ("PWNED-config", "PWNED-usercustomize", "PWNED-pth", "PWNED-nbgrader"):
            path = os.path.join(folder, marker)
            assert not os.path.exists(path), f"the team server ran the member's {marker}: {open(path).read()}"
        # kernels run the members' code by design (and import from the folder); the server must not
        path = os.path.join(folder, "PWNED-cwd")
        imported_by = open(path).read().splitlines() if os.path.exists(path) else []
        assert not [argv for argv in imported_by if "ipykernel_launcher" not in argv], imported_by
        lab = requests.get(f"{hub.url}/user/{account}/lab", headers=auth, timeout=60)
        assert lab.status_code == 200
        assert "PLANTED-LABCONFIG" not in lab.text and "planted-ext" not in lab.text
        assert requests.get(f"{hub.url}/user/{account}/lab/extensions/planted-ext/static/remoteEntry.planted.js",
                            headers=auth, timeout=30).status_code == 404
        # the member's signature counts for nothing, nor does asking the server to trust the notebook
        assert requests.post(f"{hub.url}/user/{account}/api/contents/signed.ipynb/trust", headers=auth,
                             timeout=30).status_code in (201, 204)
        nb = requests.get(f"{hub.url}/user/{account}/api/contents/signed.ipynb", headers=auth, timeout=30).json()
        code = [c for c in nb["content"]["cells"] if c["cell_type"] == "code"]
        assert code and all(c["metadata"].get("trusted") is False for c in code), [c["metadata"] for c in code]

        # what the server and its kernels read: no folder of the team's, no user site; team modules still import
        seen = hub.run_code(account, token, """
import json, os, site, subprocess, sys
paths = json.loads(subprocess.run(['jupyter', '--paths', '--json'], capture_output=True, text=True).stdout)
import 팀도구
print(json.dumps({'paths': paths, 'user_site': site.ENABLE_USER_SITE, 'safe': sys.flags.safe_path,
                  'team_module': 팀도구.인사()}))
""")
        assert seen["error"] is None, seen
        got = json.loads(seen["stdout"])
        for kind in ("config", "data"):
            assert not [p for p in got["paths"][kind] if p.startswith(folder)], (kind, got["paths"][kind])
        assert got["user_site"] is False and got["safe"] is False and got["team_module"] == "팀 모듈 OK", got
        # JupyterLab still saves a member's settings (in the server's private runtime folder)
        r = requests.put(f"{hub.url}/user/{account}/lab/api/settings/@jupyterlab/apputils-extension:themes",
                         headers=auth, json={"raw": '{"theme": "JupyterLab Dark"}'}, timeout=30)
        assert r.status_code == 204, (r.status_code, r.text[:300])


@pytest.mark.browser
def test_the_instructor_sees_a_snapshot_and_never_the_planted_page(one_origin_hub, tmp_path):
    from playwright.sync_api import sync_playwright

    from browserkit import ARGS, CHROMIUM, log_in, shot
    from datalit.hub.teamserver import account_name

    hub, course_dir = one_origin_hub
    a, pa = hub.new_user()
    instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
    (team,) = team_ids(1)
    account = account_name(team)
    marker = "표식" + os.urandom(3).hex()
    with teams_made(hub, course_dir, {team: [a]}, tmp_path / "team-groups.json"):
        s_a = logged_in(hub, a, pa)
        assert open_team_server(hub, s_a, team).status_code == 200
        token = hub.user_token(a)
        _plant(hub, account, token, {".jupyter/jupyter_server_config.py": planted_server_config("", instructor)})
        r = requests.put(f"{hub.url}/user/{account}/api/contents/분석.ipynb", headers={"Authorization": f"token {token}"},
                         json={"type": "notebook", "format": "json",
                               "content": _evil_notebook(marker, steal_call("", instructor))}, timeout=30)
        assert r.status_code in (200, 201), r.text[:300]
        # and a link to a file the team cannot read but the hub's root could
        linked = hub.run_code(account, token, "import os; os.symlink('/etc/shadow', '비밀.ipynb')")
        assert linked["error"] is None, linked
        hub.stop_server(account)  # the planted config would load at the next start
        before = tokens_of(hub, instructor)

        visited: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_context(locale="ko-KR").new_page()
            page.set_default_timeout(60_000)
            page.on("framenavigated", lambda frame: visited.append(frame.url))
            try:
                page.goto(f"{hub.url}/hub/login?next=/hub/home")
                log_in(page, instructor, pi)
                page.wait_for_url(re.compile(r".*/hub/home.*"))
                row = page.locator(f'.datalit-taught-team[data-team="{team}"]')
                row.locator(".team-open", has_text="팀 노트 보기").click()
                page.wait_for_selector("#team-snapshot")
                assert "/hub/teams/" in page.url
                page.locator(".team-snapshot-item a", has_text="분석.ipynb").click()
                frame_el = page.wait_for_selector("#team-snapshot-frame")
                assert frame_el.get_attribute("sandbox") == ""
                frame = frame_el.content_frame()
                frame.wait_for_selector(f"text=팀 분석 노트 {marker}")
                assert frame.locator(f"text={marker} 결과").count() >= 1  # the output is shown, as text
                time.sleep(5)  # time for any script that would run
                shot(page, tmp_path, "instructor-snapshot.png", prefix="team-origin-")
                assert tokens_of(hub, instructor) == before, "a planted script made a token for the instructor"
                assert not [u for u in visited if f"/user/{account}" in u], visited
                assert not (hub.user_model(account) or {}).get("server"), "the instructor's visit started the live server"
                # the snapshot's own URL: no script may run there even when opened directly
                direct = page.context.request.get(
                    f"{hub.url}/hub/teams/{team}/snapshot?path=%EB%B6%84%EC%84%9D.ipynb")
                csp = direct.headers.get("content-security-policy", "")
                assert direct.status == 200 and "sandbox" in csp and "default-src 'none'" in csp, csp
                assert "<script" not in direct.text().lower()
                # the link is neither listed nor followed; a path out of the folder is refused with a message
                assert page.locator('.team-snapshot-item[data-path="비밀.ipynb"]').count() == 0
                for bad in ("%EB%B9%84%EB%B0%80.ipynb", "..%2F..%2Fetc%2Fshadow", "%2Fetc%2Fshadow"):
                    refused = page.context.request.get(f"{hub.url}/hub/teams/{team}/snapshot?path={bad}")
                    assert refused.status == 400 and "root:" not in refused.text(), (bad, refused.status)
                page.goto(f"{hub.url}/hub/teams/{team}?path=..%2Fother.ipynb")
                assert page.locator("#team-snapshot-error").inner_text().strip()
                # control: the same script on the hub's own origin does take a token (why the live server
                # must never be loaded there)
                page.goto(f"{hub.url}/hub/home")
                result = page.evaluate(STEAL_JS, ["", instructor])
                assert any(r.endswith(": 201") for r in result), result
                assert len(tokens_of(hub, instructor) - before) >= 1
            finally:
                browser.close()
        # no share of the team server for the instructor: the hub API does not let them in either
        r = requests.get(f"{hub.url}/user/{account}/api/status",
                         headers={"Authorization": f"token {hub.user_token(instructor)}"}, timeout=30)
        assert r.status_code in (403, 404, 424, 503), r.status_code

