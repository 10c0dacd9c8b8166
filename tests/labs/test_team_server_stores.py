"""A team server's collaboration stores stay out of the team folder (hub_config/user_server/team/).

The team folder is the server's home and working folder; on Kubernetes it is a ReadWriteMany network volume,
where SQLite's locks do not hold. A real jupyter server with the team servers' config file and collaboration
on opens a shared notebook (the REST session, then the document's websocket, as JupyterLab does): the
document history (SQLiteYStore), the file-id database and the session record are in the runtime folder,
none of them anywhere in the team folder. JUPYTER_DATA_DIR points into the team folder, as on Kubernetes
(no JUPYTER_DATA_DIR of datalit's there)."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
TEAM_CONFIG = REPO / "hub_config" / "user_server" / "team" / "jupyter_server_config.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def team_like_server(tmp_path):
    team, runtime = tmp_path / "team", tmp_path / "runtime"
    team.mkdir()
    runtime.mkdir(mode=0o700)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), team / "함께.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JUPYTERHUB"))}
    env.update({"HOME": str(team), "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
                "JUPYTER_DATA_DIR": str(team / ".local" / "share" / "jupyter"), "JUPYTER_CONFIG_PATH": ""})
    proc = subprocess.Popen([sys.executable, "-m", "jupyter_server", f"--config={TEAM_CONFIG}", "--allow-root",
                             "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={team}", "--YDocExtension.disable_rtc=False"],
                            cwd=team, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if requests.get(f"{url}/api/status", params={"token": token}, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None and time.time() < deadline, (tmp_path / "server.log").read_text()[-3000:]
            time.sleep(0.3)
        yield url, token, team, runtime, tmp_path / "server.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_collaboration_stores_are_in_the_runtime_folder_not_the_team_folder(team_like_server):
    import websocket

    url, token, team, runtime, log = team_like_server
    headers = {"Authorization": f"token {token}"}
    session = requests.put(f"{url}/api/collaboration/session/함께.ipynb", headers=headers, timeout=30,
                           json={"format": "json", "type": "notebook"})
    assert session.status_code in (200, 201), session.text
    room = f"json:notebook:{session.json()['fileId']}"
    ws = websocket.create_connection(f"{url.replace('http', 'ws')}/api/collaboration/room/{room}"
                                     f"?sessionId={session.json()['sessionId']}", header=[f"Authorization: token {token}"],
                                     timeout=30)
    try:
        ws.send_binary(bytes([0, 0, 1, 0]))  # y-sync step 1 with an empty state vector: the room loads the file
        ws.recv()
        deadline = time.time() + 30
        while not (runtime / "jupyter_ystore.db").exists() and time.time() < deadline:
            time.sleep(0.3)
    finally:
        ws.close()
    made = sorted(p.name for p in runtime.iterdir())
    assert {"jupyter_ystore.db", "file_id_manager.db", "collaboration_sessions.json"} <= set(made), \
        (made, log.read_text()[-2000:])
    in_team = [str(p.relative_to(team)) for p in team.rglob("*")
               if "ystore" in p.name or "file_id" in p.name or "collaboration_sessions" in p.name]
    assert in_team == [], in_team
    assert json.loads((runtime / "collaboration_sessions.json").read_text() or "{}") is not None
