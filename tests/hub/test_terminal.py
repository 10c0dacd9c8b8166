"""Issue #11 item 8: in a hub terminal `datalit` and `python` were not found.

A learner (or an analyst following the analyst guide §1) opens a terminal in JupyterLab and types
`datalit ...`: the login shell's /etc/profile had reset PATH to /usr/local/bin:/usr/bin:/bin. Now the
terminal sees the same PATH as the kernel, with the servers' venv first."""
from __future__ import annotations

import json
import time

import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def terminal_output(hub, name: str, token: str, command: str, marker: str, timeout: float = 30) -> str:
    """Open a terminal through the server's REST API, type COMMAND, return the output up to MARKER."""
    import websocket

    headers = {"Authorization": f"token {token}"}
    made = requests.post(f"{hub.url}/user/{name}/api/terminals", headers=headers, timeout=30)
    assert made.status_code == 200, made.text
    term = made.json()["name"]
    ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/{name}/terminals/websocket/{term}",
                                     header=[f"Authorization: token {token}"], timeout=timeout)
    try:
        ws.send(json.dumps(["stdin", command + "\r"]))
        text, deadline = "", time.time() + timeout
        while time.time() < deadline and marker not in text:  # the echo shows $((6*7)), the output 42
            msg = json.loads(ws.recv())
            if msg[0] == "stdout":
                text += msg[1]
        return text
    finally:
        ws.close()
        requests.delete(f"{hub.url}/user/{name}/api/terminals/{term}", headers=headers, timeout=30)


def test_terminal_finds_datalit_and_python_like_the_kernel(hub):
    name, _ = hub.new_user(groups=("beginner",))
    token = hub.spawn(name)
    kernel = hub.run_code(name, token, "import os, shutil; print(os.environ['PATH']); print(shutil.which('datalit'))")
    assert kernel["error"] is None, kernel
    kernel_path, kernel_datalit = kernel["stdout"].split()

    text = terminal_output(hub, name, token, "echo BEGIN-$((6*7)); command -v datalit python; echo PATH=$PATH; "
                           "echo END-$((6*7))", "END-42")
    body = text.split("BEGIN-42", 1)[-1].split("END-42")[0]
    lines = [ln.strip() for ln in body.replace("\r", "").splitlines() if ln.strip()]
    found = [ln for ln in lines if ln.startswith("/")]
    assert kernel_datalit in found, f"datalit not found in the terminal: {lines}"
    assert any(ln.endswith("/python") and ln.startswith(kernel_datalit.rsplit("/", 1)[0]) for ln in found), lines
    path = next(ln for ln in lines if ln.startswith("PATH="))[len("PATH="):]
    assert path == kernel_path, (path, kernel_path)
