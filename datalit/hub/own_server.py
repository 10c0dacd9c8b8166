"""Requests a root process makes to a person's own server (the workshop warm-up, datalit/hub/prewarm.py).

Why a module of its own: that server is the person's. A personal server loads the person's ``~/.jupyter``
config, so its answers -- HTTP bodies, redirects, kernel-channel frames -- are theirs to write, and whatever
this process reads whole it holds as root, outside every cgroup. Measured here: a 300 MB sessions list
read whole took 1.3 GB, one 300 MB kernel frame 860 MB (tests/security/test_workshop_day_attacks.py). So
every answer is read up to a cap, and no redirect is followed.
"""
from __future__ import annotations

import json
import time
import uuid

import requests

MAX_ANSWER_BYTES = 2**20  # what a person's server may answer the warm-up (its status, its sessions): no more is read
MAX_CHANNEL_BYTES = 16 * 2**20  # what the warm kernel's channel may send in all (a few status messages, a warning)


def capped_websocket(name: str):
    """websocket-client's WebSocket, reading at most MAX_CHANNEL_BYTES: the channel passes through NAME's own
    server, which could send one frame of any size (300 MB became 860 MB in this root process)."""
    import websocket  # websocket-client, a dependency of jupyter_server

    class Capped(websocket.WebSocket):
        received = 0

        def _recv(self, bufsize):
            data = super()._recv(bufsize)
            self.received += len(data)
            if self.received > MAX_CHANNEL_BYTES:
                raise RuntimeError(f"the kernel channel of {name}'s server sent more than "
                                   f"{MAX_CHANNEL_BYTES // 2**20} MiB: too large, not read")
            return data

    return Capped


def run_silently(ws_url: str, token: str, code: str, timeout: float, name: str = "") -> None:
    import websocket  # websocket-client, a dependency of jupyter_server

    ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout,
                                     class_=capped_websocket(name))
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": True, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": False},
        }))
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(ws.recv())
            if (msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                return
    finally:
        ws.close()


def ask(method: str, url: str, name: str, headers: dict, timeout: float, **kw) -> tuple[int, bytes]:
    """(status, body) of a request to NAME's own server, read up to MAX_ANSWER_BYTES. That server is the
    person's (a personal server loads their ~/.jupyter config): this root process never follows its redirects
    nor reads an answer larger than the sessions list can be (300 MB read whole took 1.3 GB here)."""
    with requests.request(method, url, headers=headers, timeout=timeout, stream=True, allow_redirects=False,
                          **kw) as resp:
        body = b""
        for chunk in resp.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise RuntimeError(f"the server of {name} answered {url} with more than "
                                   f"{MAX_ANSWER_BYTES // 2**20} MiB: too large, not read")
        return resp.status_code, body
