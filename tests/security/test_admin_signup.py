"""Issue 15: NativeAuthenticator approves a sign-up under an ``admin_users`` name at once, so whoever
signed up first as ``admin`` owned the hub: on Kubernetes before the first admin existed, and on one
machine whenever the configured admin had no account (state restored, the marker of a first start kept).
Now no sign-up can take an admin name; the first admin comes only from DATALIT_FIRST_ADMIN_PASSWORD
(the launcher's printed password, or the Kubernetes Secret: tests/hub/test_k8s_config.py)."""
from __future__ import annotations

import secrets
import shutil
import sqlite3

import pytest

from hub_fixtures import hub_base_dir, start_hub

pytestmark = [pytest.mark.hub]


def _claim(h, name: str) -> tuple[str, int]:
    password = "pw-" + secrets.token_hex(8)
    page = h.signup(name, password, cleanup=False)
    _, login = h.login(name.lower(), password)
    return page, login.status_code


def test_admin_name_cannot_be_claimed_before_the_admin_exists():
    """A hub that starts without a first-admin password (like a pod without the Secret): 'admin' has no
    account yet, and the attacker signs up under it first."""
    base = hub_base_dir()
    state = base / "state"
    state.mkdir(parents=True)
    (state / ".first-admin-created").write_text("1\n")  # the launcher hands out no password
    h = start_hub(state, home_base=base / "home")
    try:
        for name in ("admin", "ADMIN"):
            page, login = _claim(h, name)
            assert "관리자 계정 이름이라 가입으로 만들 수 없습니다" in page, page[-2000:]
            assert login != 302, f"signed in as {name}"
        assert "refused a sign-up under the admin name admin" in h.log.read_text()
        with sqlite3.connect(state / "jupyterhub.sqlite") as db:  # no sign-up record, approved or pending
            rows = db.execute("SELECT username FROM users_info WHERE lower(username) = 'admin'").fetchall()
        assert rows == []
    finally:
        h.remove_users()
        h.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_admin_name_cannot_be_claimed_on_a_running_hub(hub):
    page, login = _claim(hub, hub.admin_user)
    assert "관리자 계정 이름이라 가입으로 만들 수 없습니다" in page, page[-2000:]
    assert login != 302
    hub.admin_session()  # the real admin's password still works
