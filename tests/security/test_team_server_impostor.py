"""Two attacks an independent reviewer found on team servers (issue #19 review, F4 and F5), written as the attack.

F4. A member's kernel runs as the team, the same uid as the team server: it kills the server and serves its
    own page on the server's port. JupyterHub calls ``stop()`` (and so the cgroup kill) only for a server it
    thinks is running, so the impostor outlived the dead server and even the next start. Now a server found
    dead (``poll``) and every start end whatever is left in its cgroups.
F5. A member makes a FIFO named ``*.ipynb`` and asks for its snapshot many times at once: each request blocked
    a thread of the hub's shared pool for 60 s (spawns and stops use the same pool), so an unrelated learner's
    spawn took 76 s. Now the FIFO is refused at once and snapshot children never wait in the hub's pool.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import time

import psutil
import pytest
import requests

from teamkit import logged_in, open_team_server, released_course_hub, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]

IMPOSTOR = """
import os, subprocess, sys, textwrap
server = os.getppid()                      # the kernel's parent: the team server
port = int(os.environ["JUPYTERHUB_SERVICE_URL"].rsplit(":", 1)[1].split("/")[0])
page = textwrap.dedent('''
    import http.server, socketserver, sys, time
    port = int(sys.argv[1])
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<script>/* impostor */</script>IMPOSTOR"
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
    for _ in range(100):
        try:
            socketserver.TCPServer.allow_reuse_address = True
            srv = socketserver.TCPServer(("127.0.0.1", port), H); break
        except OSError:
            time.sleep(0.1)
    srv.serve_forever()
''')
proc = subprocess.Popen([sys.executable, "-c", page, str(port)], start_new_session=True,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# the server dies two seconds later, once this cell's reply is out
subprocess.Popen(["sh", "-c", f"sleep 2; kill -9 {server}"], start_new_session=True)
print(proc.pid, port)
"""


@pytest.fixture(scope="module")
def team_hub():
    with released_course_hub() as pair:
        yield pair


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_member_who_replaces_the_team_server_loses_the_impostor(team_hub, tmp_path):
    from datalit.hub.teamserver import account_name

    hub, course_dir = team_hub
    (a, pa), (b, pb) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        s_a = logged_in(hub, a, pa)
        assert open_team_server(hub, s_a, team).status_code == 200
        token = hub.user_token(a)
        # the attack: the member's kernel kills the team server and serves its own page on its port
        out = hub.run_code(account, token, IMPOSTOR)
        assert out["error"] is None, out
        pid = int(out["stdout"].split()[0])
        assert _alive(pid), "the impostor did not start: the attack was not made"
        deadline = time.time() + 20
        served = ""
        while time.time() < deadline and "IMPOSTOR" not in served:
            try:
                served = requests.get(f"{hub.url}/user/{account}/lab", timeout=5).text
            except requests.RequestException:
                pass
            time.sleep(0.5)
        assert "IMPOSTOR" in served, "the impostor never answered on the team server's port (attack not made)"

        # the hub finds the server dead at its next poll (every 30 s here): the impostor ends with it
        deadline = time.time() + 90
        while time.time() < deadline and _alive(pid):
            time.sleep(1)
        assert not _alive(pid), "the member's impostor outlived the team server it replaced"
        # and the team server starts again for a member, the real one
        s_b = logged_in(hub, b, pb)
        assert open_team_server(hub, s_b, team).status_code == 200
        page = s_b.get(f"{hub.url}/user/{account}/lab", timeout=60)
        assert page.status_code == 200 and "IMPOSTOR" not in page.text


def test_a_fifo_notebook_does_not_stall_spawns(team_hub, tmp_path):
    from datalit.hub.teamserver import account_name

    hub, course_dir = team_hub
    (a, pa), (other, _) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    with teams_made(hub, course_dir, {team: [a]}, tmp_path / "team-groups.json"):
        s_a = logged_in(hub, a, pa)
        assert open_team_server(hub, s_a, team).status_code == 200
        token = hub.user_token(a)
        out = hub.run_code(account, token, "import os; os.mkfifo('막힘.ipynb'); print('ok')")
        assert out["error"] is None and "ok" in out["stdout"], out
        url = f"{hub.url}/hub/teams/{team}/snapshot?path=%EB%A7%89%ED%9E%98.ipynb"
        with cf.ThreadPoolExecutor(12) as pool:
            started = time.time()
            burst = [pool.submit(s_a.get, url, timeout=120) for _ in range(12)]
            time.sleep(1)
            # meanwhile an unrelated learner's server starts as fast as ever
            t0 = time.time()
            hub.spawn(other, timeout=120)
            spawn_s = time.time() - t0
            answers = [f.result() for f in burst]
            burst_s = time.time() - started
        assert spawn_s < 45, f"a spawn took {spawn_s:.0f} s during the FIFO burst"
        assert burst_s < 30, f"the FIFO requests took {burst_s:.0f} s"
        assert all(r.status_code in (400, 503) for r in answers), [r.status_code for r in answers]
        assert any("노트북" in r.text or "요청" in r.text for r in answers), answers[0].text[:300]
        # the FIFO is refused, not waited on; a real notebook beside it still renders
        assert not [p for p in psutil.process_iter(["cmdline"]) if "datalit.hub.snapshot" in " ".join(
            p.info["cmdline"] or [])], "a snapshot child is still waiting"
        hub.stop_server(other)
        assert os.path.exists(os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], team, "막힘.ipynb"))
