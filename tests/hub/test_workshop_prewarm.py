"""Pre-warmed workshop servers (datalit/hub/prewarm.py) on a real hub: `datalit workshop start` refuses what
memory cannot hold, warms a batch (lesson handed out, a kernel for the first lesson with its imports done),
the person lands on that lesson at login, the batch's servers nobody opened stop after the workshop, and a
warm-up scheduled with --at starts at its time even after a hub restart."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from datalit import kst
from datalit.hub import prewarm
from datalit.hub.api import HubAPI
from hub_fixtures import VENV_BIN, hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _batch(hub, count: int, prefix: str) -> tuple[str, list[tuple[str, str]]]:
    made = hub.workshop("create", "--count", str(count), "--expires", "2099-12-31", "--prefix", prefix)
    assert made.returncode == 0, made.stderr
    batch = re.search(r"batch (\w+):", made.stdout).group(1)
    rows = list(csv.DictReader(Path(made.stdout.split("CSV:")[1].split()[0]).open(encoding="utf-8-sig")))
    hub.created.extend(r["username"] for r in rows)
    return batch, [(r["username"], r["password"]) for r in rows]


def _start(hub, *args: str, env: dict | None = None):
    return subprocess.run([str(VENV_BIN / "datalit"), "workshop", "start", *args, "--state-dir", str(hub.state)],
                          capture_output=True, text=True, env={**hub.env, **(env or {})}, timeout=600)


def _wait_running(hub, name: str, timeout: float) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        model = hub.user_model(name) or {}
        if model.get("server") and not model.get("pending"):
            return
        time.sleep(1)
    raise AssertionError(f"{name}'s server not started in {timeout}s:\n{hub.log_tail(80)}")


def _wait_stopped(hub, name: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline and (hub.user_model(name) or {}).get("server"):
        time.sleep(0.5)
    assert not (hub.user_model(name) or {}).get("server"), f"{name}'s server still runs"


def test_start_refuses_more_servers_than_memory_holds(hub):
    batch, accounts = _batch(hub, 2, "tpm")
    out = _start(hub, batch, env={"DATALIT_HUB_MEM_LIMIT": "4000G"})
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "2 servers do not fit" in out.stderr and "warm at most 0" in out.stderr, out.stderr
    assert not any((hub.user_model(n) or {}).get("server") for n, _ in accounts)
    unknown = _start(hub, "zzzz")
    assert unknown.returncode != 0 and "no workshop batch 'zzzz'" in unknown.stderr
    bad = _start(hub, batch, "--at", "next tuesday")
    assert bad.returncode != 0 and "Korea time" in bad.stderr and "Traceback" not in bad.stderr


def test_a_warm_batch_lands_on_its_first_lesson_and_unused_servers_stop_after_the_workshop(hub):
    batch, accounts = _batch(hub, 2, "tpw")
    (a, pa), (b, _) = accounts
    out = _start(hub, batch, "--until", "2099-12-31 12:00")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "more servers of" in out.stdout and "2 servers warm, 0 failed" in out.stdout, out.stdout
    assert "2099-12-31 12:00 (KST)" in out.stdout
    first = sorted((hub.state.parent / "content" / "citizen").glob("*.ipynb"))[0].name
    lesson = f"courses/citizen/{first}"

    # the kernel of the first lesson runs, as the person, with the lesson's imports already done
    token = hub.user_token(a)
    headers = {"Authorization": f"token {token}"}
    sessions = requests.get(f"{hub.url}/user/{a}/api/sessions", headers=headers, timeout=30).json()
    (warm,) = [s for s in sessions if s["path"] == lesson]
    assert warm["kernel"]["execution_state"] == "idle"
    import websocket

    ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{a}/api/kernels/{warm['kernel']['id']}/channels",
                                     header=[f"Authorization: token {token}"], timeout=60)
    msg_id = "probe"
    ws.send(json.dumps({"header": {"msg_id": msg_id, "username": a, "session": "s", "msg_type": "execute_request",
                                   "version": "5.3", "date": ""}, "parent_header": {}, "metadata": {},
                        "channel": "shell", "buffers": [],
                        "content": {"code": "import os, sys; print(os.getuid(), 'pandas' in sys.modules)",
                                    "silent": False, "store_history": False, "user_expressions": {},
                                    "allow_stdin": False}}))
    out_text = ""
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out_text += msg["content"]["text"]
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    ws.close()
    import pwd

    assert out_text.split() == [str(pwd.getpwnam(a).pw_uid), "True"], out_text

    # the warm-up's token is gone; nobody opened the servers yet
    api = HubAPI.from_state(hub.state)
    notes = [t["note"] for t in api.get(f"/users/{a}/tokens")["api_tokens"]]
    assert prewarm.TOKEN_NOTE not in notes
    assert not prewarm.opened(api, a) and not prewarm.opened(api, b)

    # a logs in: straight into JupyterLab on the first lesson, on the running server
    session, resp = hub.login(a, pa)
    assert resp.status_code == 302
    landed = session.get(f"{hub.url}/hub/", timeout=60)
    assert landed.status_code == 200 and landed.url.endswith(f"/user/{a}/lab/tree/{lesson}"), landed.url
    assert prewarm.opened(api, a) and not prewarm.opened(api, b)

    # during the workshop both are kept (a warm server waits for its person); after it, b's (never opened) stops
    content = hub.state.parent / "content"
    now = kst.now_utc()
    prewarm.check_once(api, hub.state, content, 2, now=now, log=lambda line: None)
    assert (hub.user_model(a) or {}).get("server") and (hub.user_model(b) or {}).get("server")
    seen = hub.user_model(b)["servers"][""]["last_activity"]
    assert dt.datetime.fromisoformat(seen.replace("Z", "+00:00")) >= now - dt.timedelta(seconds=5)  # culler leaves it
    # a pass within the service's refresh interval sends no refresh (no hub requests during a login wave)
    prewarm.check_once(api, hub.state, content, 2, now=now + dt.timedelta(minutes=1), log=lambda line: None,
                       refresh_seconds=900)
    assert hub.user_model(b)["servers"][""]["last_activity"] == seen
    # the batch's own idle rule (here 1 minute): a's opened server, idle since, stops; b's unopened one waits on
    prewarm.update(hub.state, batch, idle_minutes=1)
    lines = []
    prewarm.check_once(api, hub.state, content, 2, now=now + dt.timedelta(minutes=3), log=lines.append)
    assert any(line.startswith(f"{batch}: stopped {a}: idle") and "batch rule 1 min" in line for line in lines), lines
    _wait_stopped(hub, a)
    assert (hub.user_model(b) or {}).get("server")
    # after the workshop: b's server, never opened, stops
    lines = []
    prewarm.check_once(api, hub.state, content, 2, now=dt.datetime(2099, 12, 31, 3, 1, tzinfo=dt.timezone.utc),
                       log=lines.append)
    assert any("stopped 1 servers nobody opened" in line for line in lines), lines
    _wait_stopped(hub, b)
    assert prewarm.load(hub.state)["warmups"][batch]["stopped_unused"] == [b]


def test_a_scheduled_warm_up_starts_at_its_time_after_a_hub_restart():
    base = hub_base_dir()
    hubs = [start_hub(base / "state", home_base=base / "home")]
    try:
        batch, ((name, _),) = _batch(hubs[0], 1, "tps")
        at = (kst.now_utc() + dt.timedelta(seconds=40)).astimezone(kst.SEOUL).strftime("%Y-%m-%d %H:%M:%S")
        out = _start(hubs[0], batch, "--at", at)
        assert out.returncode == 0 and "scheduled: 1 servers at" in out.stdout, out.stdout + out.stderr
        assert not (hubs[0].user_model(name) or {}).get("server")
        hubs[0].stop()  # the hub goes down before the time; the plan is in the state directory
        hubs.append(start_hub(base / "state", home_base=base / "home", admin_password="unused"))
        hubs[-1].created, hubs[-1].admin_password = hubs[0].created, hubs[0].admin_password
        _wait_running(hubs[-1], name, 240)
        deadline = time.time() + 120
        while time.time() < deadline and prewarm.load(base / "state")["warmups"][batch]["state"] != "warm":
            time.sleep(1)
        entry = prewarm.load(base / "state")["warmups"][batch]
        assert entry["state"] == "warm" and entry["warmed"] == [name], entry
        assert "[workshop-prewarm]" in hubs[-1].log_tail(400)

        # a staff cohort: `datalit users warm --group` warms its members the same way, now
        staff, _ = hubs[-1].new_user(groups=("intermediate",))
        out = subprocess.run([str(VENV_BIN / "datalit"), "users", "warm", "--group", "intermediate",
                              "--state-dir", str(base / "state")], capture_output=True, text=True,
                             env=hubs[-1].env, timeout=600)
        assert out.returncode == 0 and "group-intermediate: 1 servers warm, 0 failed" in out.stdout, out.stdout + out.stderr
        token = hubs[-1].user_token(staff)
        first = sorted((base / "content" / "intermediate").glob("*.ipynb"))[0].name
        sessions = requests.get(f"{hubs[-1].url}/user/{staff}/api/sessions", timeout=30,
                                headers={"Authorization": f"token {token}"}).json()
        assert [s["path"] for s in sessions] == [f"courses/intermediate/{first}"], sessions
        bad = subprocess.run([str(VENV_BIN / "datalit"), "users", "warm", "--group", "nosuch",
                              "--state-dir", str(base / "state")], capture_output=True, text=True,
                             env=hubs[-1].env, timeout=60)
        assert bad.returncode != 0 and "unknown group 'nosuch'" in bad.stderr
    finally:
        for h in reversed(hubs):
            h.remove_users()
            h.stop()
        shutil.rmtree(base, ignore_errors=True)
