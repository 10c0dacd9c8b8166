"""A real hub: sign-up, approval, login, spawn, a cell over REST + websocket, isolation."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def test_signup_approval_login_spawn_and_run_a_cell(hub):
    import uuid

    name, password = "t" + uuid.uuid4().hex[:8], "pw-" + uuid.uuid4().hex[:10]
    page = hub.signup(name, password)
    assert "가입 신청이 접수되었습니다" in page  # Korean sign-up page
    if os.geteuid() == 0:  # a system account's name is refused (its server would run as that account)
        for system_name in ("bin", "nobody"):
            refused = hub.signup(system_name, password, cleanup=False)  # never userdel a system account
            assert "가입하지 못했습니다" in refused, re.findall(r'role="alert"><p>(.*?)</p>', refused, re.S)

    # before approval: refused, with the Korean reason
    _, resp = hub.login(name, password)
    assert resp.status_code == 200 and "승인을 기다리고" in resp.text
    _, resp = hub.login(name, "wrong-password")
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in resp.text

    hub.approve(name)
    session, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[:300]
    home = session.get(f"{hub.url}/hub/home", timeout=30)
    assert "서울 데이터 리터러시 랩" in home.text and "내 서버 시작" in home.text and "과정 안내" in home.text

    hub.api("POST", "/groups/beginner/users", json={"users": [name]})
    token = hub.spawn(name)
    status = requests.get(f"{hub.url}/user/{name}/api/status", headers={"Authorization": f"token {token}"}, timeout=10)
    assert status.status_code == 200 and "started" in status.json()

    result = hub.run_code(name, token, "import os, pwd\n"  # the process's real uid, not $USER
                          "print(pwd.getpwuid(os.getuid()).pw_name, os.environ['DATALIT_DATA_DIR'], os.path.expanduser('~'))\n"
                          "print(sorted(os.listdir(os.path.expanduser('~/courses'))))\n"
                          "import pandas, matplotlib, datalit.hangul\n"
                          "print('seoul_cctv_by_gu' in os.listdir(os.environ['DATALIT_DATA_DIR']))")
    assert result["error"] is None, result
    user, data_dir, home_dir, *rest = result["stdout"].split()
    if os.geteuid() == 0:
        assert user == name  # a real unix user
    from datalit.config import DEFAULTS

    assert data_dir == DEFAULTS["hub"]["data_mount"] or data_dir.endswith("/datasets")
    assert "'beginner'" in result["stdout"]
    assert rest[-1] == "True"  # the shared datasets are visible at the fixed path


@pytest.mark.skipif(os.geteuid() != 0, reason="isolation needs the hub to run as root")
def test_isolation_between_users_and_readonly_datasets(hub):
    a, _ = hub.new_user()
    b, _ = hub.new_user()
    token_a = hub.spawn(a)
    token_b = hub.spawn(b)
    secret = hub.run_code(b, token_b, "import os\nopen(os.path.expanduser('~/secret.txt'),'w').write('b')\n"
                          "print(os.path.expanduser('~'))")
    assert secret["error"] is None, secret
    home_b = secret["stdout"].strip()
    probe = hub.run_code(a, token_a, f"""
import os, pathlib
results = []
for what, fn in [
    ("read_b", lambda: open({home_b!r} + '/secret.txt').read()),
    ("list_b", lambda: os.listdir({home_b!r})),
    ("write_data", lambda: open(os.environ['DATALIT_DATA_DIR'] + '/intruder.txt', 'w').write('x')),
    ("change_data", lambda: open(next(pathlib.Path(os.environ['DATALIT_DATA_DIR']).glob('*/SOURCE.md')), 'a').write('x')),
]:
    try:
        fn()
        results.append(what + ':ALLOWED')
    except PermissionError:
        results.append(what + ':PermissionError')
    except OSError as exc:
        results.append(what + ':' + type(exc).__name__ + ':' + str(exc.errno))
print(' '.join(results))
""")
    assert probe["error"] is None, probe
    assert probe["stdout"].split() == ["read_b:PermissionError", "list_b:PermissionError",
                                       "write_data:PermissionError", "change_data:PermissionError"], probe

    # memory/CPU limits: the kernel runs inside the user's cgroups when they are writable here
    limits = Path("/sys/fs/cgroup/memory/datalit") / a / "memory.limit_in_bytes"
    if limits.exists():
        cg = hub.run_code(a, token_a, "print(open('/proc/self/cgroup').read())")
        assert f"/datalit/{a}" in cg["stdout"], cg
        assert int(limits.read_text()) == 2 * 1024**3 - (2 * 1024**3) % 4096


def test_users_and_status_commands(hub):
    name, _ = hub.new_user(groups=("beginner",))
    datalit = [str(Path(sys.executable).parent / "datalit")]
    state = ["--state-dir", str(hub.state)]
    moved = subprocess.run([*datalit, "users", "move", name, "intermediate", "analysts", *state],
                           capture_output=True, text=True, env=hub.env)
    assert moved.returncode == 0, moved.stderr
    assert set(hub.user_model(name)["groups"]) == {"intermediate", "analysts"}  # the tier was replaced
    bad = subprocess.run([*datalit, "users", "move", name, "wizards", *state], capture_output=True, text=True,
                         env=hub.env)
    assert bad.returncode != 0 and "unknown group" in bad.stderr
    listed = subprocess.run([*datalit, "users", "list", "--json", *state], capture_output=True, text=True, env=hub.env)
    assert any(r["name"] == name and r["groups"] == ["analysts", "intermediate"] for r in json.loads(listed.stdout))
    status = subprocess.run([*datalit, "hub", "status", "--json", *state], capture_output=True, text=True,
                            env=hub.env)
    info = json.loads(status.stdout)
    assert name in info["users"] and name in info["groups"]["analysts"] and "admin" in info["admins"]
