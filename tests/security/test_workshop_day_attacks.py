"""Attacks on the workshop day (issue #24): the warm-up (datalit/hub/prewarm.py) and the room (datalit/hub/room.py),
each written as the attack.

The warm-up runs as root (``datalit workshop start``, ``datalit users warm``, the workshop-prewarm service)
and talks HTTP to each person's own server, which the person controls: a personal server reads the
person's ``~/.jupyter`` config, so its answers are the person's to write. A staff member whose cohort is
warmed before every class answers the warm-up's ``api/sessions`` with a body of hundreds of MB: the root
process that reads it whole (then decodes and parses it) grows by several times that, and a few GB are
enough to bring the machine's OOM killer down on the warm-up of everyone else. And a learner sends the
instructor a room link whose ``restarted`` text the hub's page then announces as its own.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hub_fixtures import VENV_BIN

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ANSWER_MB = 300
SESSIONS_FLOOD = f'''
from jupyter_server.services.sessions import handlers as _h

async def _huge(self):  # the whole sessions list, as this server chooses to answer it
    self.set_header("Content-Type", "application/json")
    self.write(b'[{{"path": "')
    chunk = b"x" * 2**20
    for _ in range({ANSWER_MB}):
        self.write(chunk)
        await self.flush()
    self.finish(b'"}}]')

_h.SessionRootHandler.get = _huge
'''
KERNEL_FLOOD = f'''
from jupyter_server.services.kernels import websocket as _w

async def _huge(self, kernel_id):  # the warm kernel's channel answers with one frame of {ANSWER_MB} MB
    self.write_message(b"x" * ({ANSWER_MB} * 2**20), binary=True)

_w.KernelWebsocketHandler.open = _huge
'''
PROBE = ("import json, resource, subprocess, sys\n"
         "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=600)\n"
         "print(json.dumps([p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
         "p.stdout + p.stderr]))\n")


def warm_up_against(hub, prefix: str, config: str) -> tuple[str, int, int, str]:
    """A workshop account whose server runs CONFIG (written by the learner), warmed by ``datalit workshop
    start`` as root: (account, exit code, the warm-up's peak memory in KiB, what it said)."""
    (name, _), = hub.workshop_accounts(1, prefix)
    hub.created.append(name)
    batch = name[len(prefix):-2]
    token = hub.spawn(name)
    # the learner writes their own server's config from their kernel (a terminal would do the same) ...
    out = hub.run_code(name, token, "import os\nos.makedirs(os.path.expanduser('~/.jupyter'), exist_ok=True)\n"
                       f"open(os.path.expanduser('~/.jupyter/jupyter_server_config.py'), 'w').write({config!r})")
    assert out["error"] is None, out
    hub.stop_server(name)  # ... which the next start (the warm-up's) loads
    run = subprocess.run([sys.executable, "-c", PROBE, str(VENV_BIN / "datalit"), "workshop", "start", batch,
                          "--state-dir", str(hub.state)], capture_output=True, text=True, env=hub.env, timeout=900)
    hub.stop_server(name)
    code, peak_kib, said = json.loads(run.stdout)
    return name, code, peak_kib, said


def test_a_learners_server_cannot_flood_the_root_warm_up(hub):
    name, code, peak_kib, said = warm_up_against(hub, "wsflood", SESSIONS_FLOOD)
    # it did not read the answer whole: its memory stayed that of a CLI, and it said why this server is not warm
    assert peak_kib < 250 * 1024, (peak_kib, said)  # before the fix: 1.3 GB for this 300 MB answer
    assert code != 0 and name in said and "too large" in said, said


def test_a_learners_server_cannot_flood_the_warm_kernels_channel(hub):
    name, code, peak_kib, said = warm_up_against(hub, "wskflood", KERNEL_FLOOD)
    assert peak_kib < 250 * 1024, (peak_kib, said)
    assert code != 0 and name in said and "too large" in said, said

def test_a_link_cannot_put_words_into_the_instructors_room_page(hub):
    """The room says "<account>의 서버를 다시 시작합니다" after a restart; a learner who sends the instructor a
    room link with their own text in ``restarted`` makes the hub's page announce that text in its own voice."""
    (name, _), = hub.workshop_accounts(1, "wsroom")
    hub.created.append(name)
    batch = name[len("wsroom"):-2]
    instructor = hub.admin_session()
    lure = "강사 안내: 다음 주소에 비밀번호를 입력하세요 http://evil.example"
    page = instructor.get(f"{hub.url}/hub/workshop/{batch}/room", params={"restarted": lure}, timeout=60)
    assert page.status_code == 200, page.text[:300]
    assert "evil.example" not in page.text and 'id="room-restarted"' not in page.text
    # the room's own redirect after a restart names an account of the batch, and that is still said
    page = instructor.get(f"{hub.url}/hub/workshop/{batch}/room", params={"restarted": name}, timeout=60)
    assert 'id="room-restarted"' in page.text and f"{name}의 서버를 다시 시작합니다" in page.text


def test_the_landing_check_does_not_follow_a_learners_link(hub):
    """At each start the hub (root) looks for a saved JupyterLab workspace in the home, to land a first login on
    the first lesson. A learner who links ``~/.jupyter/lab/workspaces`` to a folder only root may read learns,
    from where their next start lands, whether that folder holds such a file: root must not go through the link."""
    import os
    import shutil
    import uuid

    secret = hub.state.parent / f"root-only-{uuid.uuid4().hex[:6]}"  # beside the homes (tmp_path is 0700)
    secret.mkdir(mode=0o700)  # the learner cannot list it
    (secret / "x.jupyterlab-workspace").write_text("{}")
    name, _ = hub.new_user()
    token = hub.spawn(name)
    out = hub.run_code(name, token, f"import os\nd = os.path.expanduser('~/.jupyter/lab')\nos.makedirs(d, exist_ok=True)\n"
                       f"os.symlink({str(secret)!r}, os.path.join(d, 'workspaces'))\n"
                       f"try:\n    os.listdir({str(secret)!r}); print('readable')\nexcept OSError:\n"
                       "    print('not readable')")
    assert out["error"] is None and out["stdout"].strip() == "not readable", out
    hub.stop_server(name)
    token = hub.spawn(name)
    out = hub.run_code(name, token, "import os; print(os.environ['JUPYTERHUB_DEFAULT_URL'])")
    hub.stop_server(name)
    shutil.rmtree(secret)
    assert out["stdout"].strip().startswith("/lab/tree/courses/"), out  # as if no workspace: the link was not followed
