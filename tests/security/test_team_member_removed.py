"""A member moved to another team tries to keep the old team (datalit/hub/membership.py), written as the attack.

Member M of team A has A's team server open: a kernel websocket, a collaboration websocket and the
browser session; in their own personal server a kernel thread and a ``setsid`` daemon keep writing into
A's folder. The instructor imports a roster that moves M to team B (``datalit team import``). Within
seconds all of it must be over: both websockets closed, code sent on the old kernel websocket never
run, M's token and browser session refused by A's server, nothing of M's writing into A's folder, no
process of M's uid still carrying A's unix group, a fresh personal kernel of M refused by A's folder.
The remaining member reaches the restarted team server.
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from labkit import write_roster
from teamkit import logged_in, open_team_server, released_course_hub, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def course_hub_for_moves():
    with released_course_hub() as pair:
        yield pair


def _ws(hub, path: str, token: str):
    import websocket

    return websocket.create_connection(f"ws://127.0.0.1:{hub.port}{path}", header=[f"Authorization: token {token}"],
                                       timeout=30)


def _execute(ws, code: str, wait: bool = True, timeout: float = 60) -> dict:
    """Send CODE as an execute_request on a kernel websocket; with WAIT, its output once the kernel is idle."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "m", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    out, error, deadline = [], None, time.time() + timeout
    while wait and time.time() < deadline:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return {"stdout": "".join(out), "error": error}


def _kernel(hub, server: str, token: str) -> str:
    r = requests.post(f"{hub.url}/user/{server}/api/kernels", json={"name": "python3"},
                      headers={"Authorization": f"token {token}"}, timeout=60)
    assert r.status_code == 201, r.text[:300]
    return r.json()["id"]


def _closed(ws, within: float) -> bool:
    """True if the server closes WS within WITHIN seconds (whatever it still sends before that is read)."""
    import websocket

    deadline = time.time() + within
    while time.time() < deadline:
        ws.settimeout(max(0.1, deadline - time.time()))
        try:
            opcode, _ = ws.recv_data(control_frame=True)
        except websocket.WebSocketTimeoutException:
            return False
        except (websocket.WebSocketConnectionClosedException, OSError):
            return True
        if opcode == websocket.ABNF.OPCODE_CLOSE or not ws.connected:
            return True
    return False


def _processes_with_group(uid: int, gid: int) -> list[str]:
    """Processes of UID that carry GID (supplementary or primary), as 'pid cmdline'."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = dict(line.split(":", 1) for line in (d / "status").read_text().splitlines() if ":" in line)
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if fields.get("State", "").split()[:1] == ["Z"]:
            continue  # killed, not yet reaped: it runs nothing
        uid_set = {int(v) for v in fields.get("Uid", "").split()}
        gid_set = {int(v) for v in (fields.get("Groups", "") + " " + fields.get("Gid", "")).split()}
        if uid in uid_set and gid in gid_set:
            found.append(f"{d.name} {cmd[:120]}")
    return found


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return -1


def _kill_all_of(uid: int) -> None:
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and d.stat().st_uid == uid:
                os.kill(int(d.name), signal.SIGKILL)
        except OSError:
            pass


def test_member_moved_to_another_team_loses_the_old_team_at_once(course_hub_for_moves, tmp_path):
    from datalit.hub.teamserver import account_name
    from datalit.labs.teams import group_name

    hub, course_dir = course_hub_for_moves
    (m, pm), (p, pp), (q, _) = hub.new_user(), hub.new_user(), hub.new_user()
    team_a, team_b = team_ids(2)
    account = account_name(team_a)
    folder = os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], team_a)
    m_uid = pwd.getpwnam(m).pw_uid
    with teams_made(hub, course_dir, {team_a: [m, p], team_b: [q]}, tmp_path / "team-groups.json"):
        gid_a = grp.getgrnam(group_name(team_a)).gr_gid
        try:
            # ---- M, still in team A: the team server open in every way a browser has it ----------------
            s_m = logged_in(hub, m, pm)
            assert open_team_server(hub, s_m, team_a).status_code == 200
            tok_m = hub.user_token(m)
            auth_m = {"Authorization": f"token {tok_m}"}
            team_api = f"{hub.url}/user/{account}/api"
            kid = _kernel(hub, account, tok_m)
            kernel_ws = _ws(hub, f"/user/{account}/api/kernels/{kid}/channels", tok_m)
            assert _execute(kernel_ws, "print('M은 아직 팀 A')")["stdout"].strip() == "M은 아직 팀 A"
            r = requests.put(f"{team_api}/contents/공동.ipynb", headers=auth_m, timeout=60,
                             json={"type": "notebook", "format": "json",
                                   "content": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}})
            assert r.status_code in (200, 201), r.text[:300]
            doc = requests.put(f"{team_api}/collaboration/session/공동.ipynb", headers=auth_m, timeout=60,
                               json={"format": "json", "type": "notebook"})
            assert doc.status_code in (200, 201), doc.text[:300]
            room_ws = _ws(hub, f"/user/{account}/api/collaboration/room/json:notebook:{doc.json()['fileId']}"
                               f"?sessionId={doc.json()['sessionId']}", tok_m)
            room_ws.recv()  # the server's first sync message: the room is open
            assert s_m.get(f"{team_api}/contents", timeout=60).status_code == 200  # the browser session

            # ---- M's own server: a kernel thread and a setsid daemon writing into A's folder ---------
            tok_personal = hub.spawn(m)
            loop_file, daemon_file = f"{folder}/loop-{m}.txt", f"{folder}/daemon-{m}.txt"
            writer = ("import time\n"
                      "while True:\n"
                      "    try:\n"
                      "        with open(PATH, 'a') as f: f.write(f'{time.time()}\\n')\n"
                      "    except OSError: pass\n"
                      "    time.sleep(0.2)\n")
            daemon = f"PATH = {daemon_file!r}\n{writer}"  # its own session: not the kernel's child any more
            personal_ws = _ws(hub, f"/user/{m}/api/kernels/{_kernel(hub, m, tok_personal)}/channels", tok_personal)
            started = _execute(personal_ws, (
                "import subprocess, sys, threading\n"
                f"WRITER = {writer!r}\n"
                f"threading.Thread(target=exec, args=(WRITER, {{'PATH': {loop_file!r}}}), daemon=True).start()\n"
                f"subprocess.Popen(['setsid', sys.executable, '-c', {daemon!r}],\n"
                "                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,\n"
                "                 start_new_session=True)\n"
                "print('started')"))
            assert started["stdout"].strip() == "started", started
            deadline = time.time() + 30
            while time.time() < deadline and (_size(loop_file) <= 0 or _size(daemon_file) <= 0):
                time.sleep(0.3)
            assert _size(loop_file) > 0 and _size(daemon_file) > 0, "M's writers never reached A's folder"
            assert _processes_with_group(m_uid, gid_a), "M's personal server does not carry A's group"

            # ---- the instructor moves M to team B -------------------------------------------------------
            csv_path = write_roster(tmp_path / "moved.csv", {team_a: [p], team_b: [q, m]})
            t0 = time.monotonic()
            importing = subprocess.Popen([str(VENV_BIN / "datalit"), "team", "import", str(csv_path),
                                          "--course-dir", str(course_dir)], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True,
                                         env={**os.environ, "DATALIT_HUB_STATE_DIR": str(hub.state)})
            # ---- within seconds, M has nothing of team A left -------------------------------------------
            # (bound for a loaded 2-core machine; before the fix they stayed open for good)
            assert _closed(kernel_ws, within=60), "M's kernel websocket on A's server is still open"
            closed_s = time.monotonic() - t0
            assert _closed(room_ws, within=5), "M's collaboration websocket on A's server is still open"
            out, err = importing.communicate(timeout=300)
            took = time.monotonic() - t0
            assert importing.returncode == 0, err[-2000:]
            print(f"websockets closed {closed_s:.1f} s after the import started; the import (with the hub's sync) "
                  f"took {took:.1f} s:\n{out}")
            marker = f"{folder}/after-{m}.txt"
            try:
                _execute(kernel_ws, f"open({marker!r}, 'w').write('M은 이제 팀 B')", wait=False)
            except Exception:  # noqa: BLE001 - a closed websocket refuses to send: the point of the test
                pass
            grown = (_size(loop_file), _size(daemon_file))
            time.sleep(3)
            assert (_size(loop_file), _size(daemon_file)) == grown, "M's processes still write into A's folder"
            assert not _processes_with_group(m_uid, gid_a), _processes_with_group(m_uid, gid_a)

            # the remaining member gets the restarted team server; M's token and session are refused by it
            tok_p = hub.user_token(p)
            deadline = time.time() + 150
            while time.time() < deadline:
                r = requests.get(f"{team_api}/status", headers={"Authorization": f"token {tok_p}"}, timeout=30)
                if r.status_code == 200:
                    break
                time.sleep(1)
            assert r.status_code == 200, f"A's server did not come back for {p}:\n{hub.log_tail(40)}"
            kernels = requests.get(f"{team_api}/kernels", headers={"Authorization": f"token {tok_p}"}, timeout=30)
            assert kid not in kernels.text, "the kernel M used survived the restart"
            assert not os.path.exists(marker), "code M sent on the old kernel websocket was run"
            for path in ("status", "contents", f"kernels/{kid}", "sessions"):
                r = requests.get(f"{team_api}/{path}", headers=auth_m, timeout=30)
                assert r.status_code == 403, (path, r.status_code)
            page = s_m.get(f"{team_api}/contents", timeout=60)
            assert page.status_code in (403, 404) and "공동.ipynb" not in page.text, (page.status_code, page.url)
            import websocket

            with pytest.raises(websocket.WebSocketBadStatusException):
                _ws(hub, f"/user/{account}/api/kernels/{_kernel(hub, account, tok_p)}/channels", tok_m)
            gone = s_m.get(f"{hub.url}/hub/teams/{team_a}", timeout=30)
            assert gone.status_code == 404 and "팀을 찾을 수 없습니다" in gone.text, gone.text[gone.text.find("<h1"):][:600]

            # M's personal server was stopped; the one M starts again cannot touch A's folder
            assert not (hub.user_model(m) or {}).get("server"), "M's personal server kept running with A's group"
            tok_personal = hub.spawn(m)
            again = hub.run_code(m, tok_personal, f"open({folder + '/again.txt'!r}, 'w').write('x')")
            assert again["error"] and "PermissionError" in again["error"], again
        finally:
            _kill_all_of(m_uid)  # nothing of the test user may outlive it (userdel refuses a busy account)


def test_a_roster_replaced_by_other_means_still_closes_the_old_team(course_hub_for_moves, tmp_path):
    """The roster file changes without ``datalit team import`` telling the hub (here: the library call that
    writes it): the hub's 30-second sync must still close M's open kernel websocket and refuse M's token."""
    from datalit.hub.teamserver import account_name
    from datalit.labs import roster
    from labkit import LAB

    hub, course_dir = course_hub_for_moves
    (m, pm), (p, _) = hub.new_user(), hub.new_user()
    team_a, team_b = team_ids(2)
    account = account_name(team_a)
    with teams_made(hub, course_dir, {team_a: [m, p], team_b: []}, tmp_path / "team-groups.json") as course:
        assert open_team_server(hub, logged_in(hub, m, pm), team_a).status_code == 200
        tok_m = hub.user_token(m)
        kernel_ws = _ws(hub, f"/user/{account}/api/kernels/{_kernel(hub, account, tok_m)}/channels", tok_m)
        assert _execute(kernel_ws, "print(1 + 1)")["stdout"].strip() == "2"
        roster.import_csv(course, write_roster(tmp_path / "moved.csv", {team_a: [p], team_b: [m]}),
                          known_users=roster.system_users(), known_labs=[LAB])
        t0 = time.monotonic()
        # the sync runs every 30 s; then the team server is stopped (killed after a 3 s grace)
        assert _closed(kernel_ws, within=90), "M's kernel websocket outlived the roster change"
        print(f"kernel websocket closed {time.monotonic() - t0:.1f} s after the roster file changed")
        r = requests.get(f"{hub.url}/user/{account}/api/status", headers={"Authorization": f"token {tok_m}"},
                         timeout=30)
        assert r.status_code in (403, 404), r.status_code  # 404: the hub's answer while the server restarts


def test_a_process_that_keeps_a_lost_team_group_outside_any_server_is_killed(tmp_path):
    """M's daemon, started while M was in the team and detached from every server (here: started straight
    as M, with M's groups of that time), outlives the move; the sync's last step finds it by the group it
    carries and kills it, and nothing else: not M's process without the group, not a teammate's."""
    from datalit.hub import membership

    tag = uuid.uuid4().hex[:8]
    member, mate, group = f"tm{tag}", f"tn{tag}", f"dlteam-zz{tag}"
    made = []
    procs = []
    try:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        for name in (member, mate):
            subprocess.run(["useradd", "-M", "-N", "-s", "/bin/false", "-G", group, name], check=True,
                           capture_output=True)
            made.append(name)
        gid = grp.getgrnam(group).gr_gid

        def as_user(name, groups=True):
            flags = ["--init-groups"] if groups else ["--clear-groups"]
            return subprocess.Popen(["setpriv", "--reuid", name, "--regid", str(pwd.getpwnam(name).pw_gid), *flags,
                                     "sleep", "300"], start_new_session=True)

        daemon, plain, mates = as_user(member), as_user(member, groups=False), as_user(mate)
        procs += [daemon, plain, mates]
        deadline = time.time() + 10
        while time.time() < deadline and not _processes_with_group(pwd.getpwnam(member).pw_uid, gid):
            time.sleep(0.1)
        subprocess.run(["gpasswd", "-d", member, group], check=True, capture_output=True)  # the move
        assert membership.stale_processes({member, mate}) == {member: {daemon.pid: {gid}}}
        assert membership.kill_stale({member, mate}) == [daemon.pid]
        assert daemon.wait(10) == -signal.SIGKILL
        assert plain.poll() is None and mates.poll() is None, "a process that kept no lost group was killed"
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(10)
        for name in made:
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
