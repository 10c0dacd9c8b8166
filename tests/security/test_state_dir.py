"""Issue #11 item 1: the hub database was world-readable.

The attack: from their own kernel, a learner opened ``<state>/jupyterhub.sqlite`` with sqlite3 (the state
directory was 0711 so that learners could reach ``content/``; the database 0644) and listed every bcrypt
password hash, API-token hashes, OAuth client secrets and server ports; hub.json and the pid files were
readable too. Now the state directory is 0700 with 0600 files, and the course notebooks learners read live
outside it (``hub.content_dir``)."""
from __future__ import annotations

import json
import os
import stat

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ATTACK = r'''
import json, os, sqlite3
state = STATE
found = {}
targets = ["jupyterhub.sqlite", "jupyterhub_cookie_secret", "proxy_token", "api_token", "hub.json",
           "jupyterhub.pid", "proxy.json", "ports.json", "logs/jupyterhub.log", "logs/proxy.log",
           "workshop/accounts.json"]
for rel in targets:
    try:
        with open(os.path.join(state, rel), "rb") as fh:
            found[rel] = "READ %d bytes" % len(fh.read())
    except OSError as exc:
        found[rel] = type(exc).__name__
try:
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(state, "jupyterhub.sqlite"), uri=True)
    found["sqlite users_info"] = "READ %d rows" % len(con.execute("select username, password from users_info").fetchall())
except Exception as exc:
    found["sqlite users_info"] = type(exc).__name__
try:
    found["listdir"] = "READ " + ",".join(sorted(os.listdir(state)))
except OSError as exc:
    found["listdir"] = type(exc).__name__
courses = os.path.expanduser("~/courses/beginner")
found["courses"] = sorted(n for n in os.listdir(courses) if n.endswith(".ipynb"))
print(json.dumps(found))
'''


@pytest.mark.skipif(os.geteuid() != 0, reason="root mode: learners are other unix users")
def test_learner_kernel_cannot_read_the_hub_state_but_gets_the_courses(hub):
    name, _ = hub.new_user(groups=("beginner",))
    token = hub.spawn(name)
    out = hub.run_code(name, token, ATTACK.replace("STATE", repr(str(hub.state))))
    assert out["error"] is None, out
    found = json.loads(out["stdout"])
    leaked = {k: v for k, v in found.items() if k != "courses" and v.startswith("READ")}
    assert not leaked, f"a learner's kernel read the hub's state: {leaked}"
    assert found["sqlite users_info"] in ("OperationalError", "DatabaseError"), found

    # what the hub keeps is private on disk too (a file moved elsewhere keeps its mode)
    mode = stat.S_IMODE(hub.state.stat().st_mode)
    assert mode == 0o700, oct(mode)
    for path in [*hub.state.iterdir(), *(hub.state / "logs").iterdir()]:
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path, oct(path.stat().st_mode))

    # and the learner still gets every beginner lesson, from the content folder outside the state
    content = hub.state.parent / "content" / "beginner"
    lessons = sorted(p.name for p in content.glob("*.ipynb"))
    assert lessons and found["courses"] == lessons, (found["courses"], lessons)
