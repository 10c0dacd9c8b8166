"""Issue #11 item 5: anyone could lock any account by typing wrong passwords.

The attack: before class a learner types ten wrong passwords for the instructor's account. With
NativeAuthenticator's per-account counter the instructor was locked out for everyone. Now failures are
counted per account *and* browser: the attacker's browser (and every browser that never logged in to the
account) waits, the instructor's browser, which logged in before, still logs in at once; nothing is keyed
by the IP address (here every browser comes from 127.0.0.1, like a workshop room behind one address).
``datalit users unlock NAME`` lets the admin clear the wait."""
from __future__ import annotations

import subprocess

import pytest

from hub_fixtures import VENV_BIN, running_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


@pytest.fixture(scope="module")
def lock_hub():
    """A hub whose lock lasts long enough to be seen (the session hub waits only 2 s)."""
    with running_hub(extra_env={
        "DATALIT_HUB_SECONDS_BEFORE_NEXT_TRY": "300", "DATALIT_HUB_ALLOWED_FAILED_LOGINS": "5"}) as h:
        yield h


def _login(hub, session, name, password):
    xsrf = hub._form(session, "login")
    return session.post(f"{hub.url}/hub/login?next=", data={"_xsrf": xsrf, "username": name, "password": password},
                        timeout=60, allow_redirects=False)


def test_attacker_cannot_lock_the_instructor_out(lock_hub):
    hub = lock_hub
    name, password = hub.new_user(groups=("instructors",), prefix="ins")
    instructor = hub.session()  # the instructor's own browser logged in yesterday
    assert _login(hub, instructor, name, password).status_code == 302
    instructor.get(f"{hub.url}/hub/logout", timeout=30)
    assert not instructor.cookies.get("jupyterhub-hub-login"), "still logged in after logout"

    attacker = hub.session()
    for i in range(10):
        page = _login(hub, attacker, name, f"guess-{i}")
        assert page.status_code == 200
    assert "잠시 잠겼습니다" in page.text, page.text[-1500:]
    # the attacker is slowed: even the right password is not tried now
    assert _login(hub, attacker, name, password).status_code == 200

    # the instructor, from the browser that logged in before, logs in at once
    assert _login(hub, instructor, name, password).status_code == 302
    # a browser that never logged in to the account waits like the attacker ...
    new_laptop = hub.session()
    assert _login(hub, new_laptop, name, password).status_code == 200
    # ... until the admin unlocks the account
    done = subprocess.run([str(VENV_BIN / "datalit"), "users", "unlock", name, "--state-dir", str(hub.state)],
                          capture_output=True, text=True, env=hub.env, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unlocked" in done.stdout
    assert _login(hub, new_laptop, name, password).status_code == 302


def test_a_forged_device_cookie_does_not_skip_the_wait(lock_hub):
    hub = lock_hub
    name, password = hub.new_user(prefix="frg")
    attacker = hub.session()
    for i in range(6):
        _login(hub, attacker, name, f"guess-{i}")
    attacker.cookies.set("datalit-device", '{"id": "x", "users": ["%s"]}' % name, path="/hub/")
    assert _login(hub, attacker, name, password).status_code == 200
