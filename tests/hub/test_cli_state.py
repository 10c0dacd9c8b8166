"""Issue #11 item 11: the admin's configuration file and the `datalit` commands find the running hub.

* `<state dir>/datalit.yaml` was documented but ignored (only DATALIT_CONFIG was read): the lab quietly
  fell back to the shared /srv paths. Now the hub, its layers and the servers' settings follow it.
* `datalit hub status` / `datalit users list` without --state-dir ended in a FileNotFoundError traceback.
  Now they find the running hub (DATALIT_HUB_STATE_DIR, the running hubs, the default) and say plainly
  when no hub runs.
* An approved staff member who had not logged in yet could not be moved into a group
  ("no hub user named ..."). Now the approval is enough."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import uuid

import pytest
from hub_fixtures import VENV_BIN, hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _datalit(*args, env=None):
    env = dict(os.environ if env is None else env)
    env.pop("DATALIT_CONFIG", None)
    return subprocess.run([str(VENV_BIN / "datalit"), *args], capture_output=True, text=True, env=env, timeout=120)


def test_state_dir_config_file_cli_without_state_dir_and_moving_an_approved_signup(tmp_path):
    base = hub_base_dir()
    state = base / "state"
    state.mkdir()
    (state / "datalit.yaml").write_text(f"hub:\n  admin_user: chief\nlab:\n  course_id: yaml-course\n")
    hub = start_hub(state, home_base=base / "home")
    hub.admin_user = "chief"  # the first admin named in the state dir's datalit.yaml
    try:
        # the file is honoured: the first admin is 'chief', the servers get the lab's course id
        assert (hub.user_model("chief") or {}).get("admin") is True, hub.log_tail(30)
        assert hub.user_model("admin") is None
        name, _ = hub.new_user(groups=("beginner",))
        token = hub.spawn(name)
        out = hub.run_code(name, token, "import os; print(os.environ.get('DATALIT_LAB_COURSE_ID'))")
        assert out["stdout"].strip() == "yaml-course", out

        # the commands find the hub without --state-dir
        env = dict(os.environ, DATALIT_HUB_STATE_DIR=str(state))
        status = _datalit("hub", "status", env=env)
        assert status.returncode == 0 and name in status.stdout, status.stderr
        env.pop("DATALIT_HUB_STATE_DIR")
        found = _datalit("users", "list", env=env)  # this hub, or a list of the running ones with it
        assert "Traceback" not in found.stderr, found.stderr
        assert (found.returncode == 0 and name in found.stdout) or str(state) in found.stderr, found
        nothing = tmp_path / "no-hub-here"
        nothing.mkdir()
        for cmd in (("hub", "status"), ("users", "list")):
            none = _datalit(*cmd, env=dict(env, DATALIT_HUB_STATE_DIR=str(nothing)))
            assert none.returncode == 1 and "Traceback" not in none.stderr, none.stderr
            assert "no hub is running" in none.stderr and str(nothing) in none.stderr, none.stderr

        # a staff member signs up, the admin approves; before their first login the admin moves them
        staff = "s" + uuid.uuid4().hex[:8]
        hub.signup(staff, "pw-" + secrets.token_hex(8))
        s, resp = hub.login("chief", hub.admin_password)
        assert resp.status_code == 302, resp.text[:300]
        xsrf = hub._form(s, "authorize")
        assert s.post(f"{hub.url}/hub/authorize/{staff}", data={"_xsrf": xsrf}, timeout=30).status_code == 200
        assert hub.user_model(staff) is None  # approved, never logged in
        moved = _datalit("users", "move", staff, "intermediate", "analysts", "--state-dir", str(state))
        assert moved.returncode == 0, moved.stderr
        assert set(hub.user_model(staff)["groups"]) == {"intermediate", "analysts"}
        stranger = _datalit("users", "move", "nobody-signed-up", "beginner", "--state-dir", str(state))
        assert stranger.returncode == 1 and "no hub user named" in stranger.stderr
    finally:
        hub.remove_users()
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
