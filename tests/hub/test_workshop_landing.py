"""Every learner lands in JupyterLab at login (roster or not, workshop or staff), on the first lesson the first
time; a server that never ran is not explained as one the idle culler stopped (issue #24)."""
from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def test_a_first_login_is_not_told_its_server_was_culled(hub):
    name, password = hub.new_user(groups=("beginner",))
    session, resp = hub.login(name, password)
    assert resp.status_code == 302
    page = session.get(f"{hub.url}/hub/user/{name}/lab", timeout=30)  # e.g. a bookmarked Lab link, server never started
    assert page.status_code == 424, (page.status_code, page.text[-800:])
    assert "내 서버를 아직 시작하지 않았습니다" in page.text and "첫 수업이 열립니다" in page.text, page.text[-1500:]
    assert "꺼져 있습니다" not in page.text and "오래 쓰지 않으면" not in page.text
    assert f'href="/hub/spawn/{name}' in page.text and "내 서버 시작" in page.text


def _land(hub, session, name, timeout: float = 180):
    """Follow the login landing like a browser: past the spawn-pending page until the server's page opens."""
    deadline = time.time() + timeout
    while True:
        landed = session.get(f"{hub.url}/hub/", timeout=60)
        if "/spawn-pending/" not in landed.url or time.time() > deadline:
            return landed
        time.sleep(1)


def test_staff_land_on_their_first_lesson_then_on_lab_once_it_saved_a_workspace(hub):
    name, password = hub.new_user(groups=("beginner",))
    first = sorted((hub.state.parent / "content" / "beginner").glob("*.ipynb"))[0].name
    session, resp = hub.login(name, password)
    landed = _land(hub, session, name)  # /hub/spawn starts the server, then its default_url opens
    assert landed.status_code == 200 and landed.url.endswith(f"/user/{name}/lab/tree/courses/beginner/{first}"), \
        landed.url
    # JupyterLab saved the person's workspace (it does so as soon as Lab opens): the next start opens /lab
    token = hub.user_token(name)
    out = hub.run_code(name, token, "import os, json\nd = os.path.expanduser('~/.jupyter/lab/workspaces')\n"
                       "os.makedirs(d, exist_ok=True)\nopen(os.path.join(d, 'default-37a8.jupyterlab-workspace'), 'w')"
                       ".write(json.dumps({'data': {}, 'metadata': {'id': 'default'}}))")
    assert out["error"] is None, out
    hub.stop_server(name)
    landed = _land(hub, session, name)
    assert landed.status_code == 200 and landed.url.endswith(f"/user/{name}/lab"), landed.url
    hub.stop_server(name)
