"""Finding 4 of issue #10: grading sandbox accounts collided with people.

A learner approved under a slot user's name (``dlsbx0``) had other teams graded under their own uid.
Now the names are reserved (sign-up, approval, the API, workshop accounts refuse them), the grader
creates its accounts itself in a uid range no person gets, and an existing account of that name that
it did not create stops grading with a clear error: nobody is graded under it."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import uuid
from pathlib import Path

import nbformat
import pytest
import requests

from datalit.config import DEFAULTS
from datalit.hub import uids

pytestmark = [pytest.mark.skipif(os.geteuid() != 0, reason="unix accounts need root (CI runs as root)")]

SLOT_PREFIX = DEFAULTS["lab"]["sandbox_user_prefix"]  # what a real grader's slot users are called
TEST_PREFIX = "dlsbtest"  # a sandbox prefix of this module only, so real slot users are never touched


def _userdel(name: str) -> None:
    subprocess.run(["userdel", "-r", name], capture_output=True)
    subprocess.run(["userdel", name], capture_output=True)


def _uid_of(name: str) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


@pytest.mark.hub
@pytest.mark.parametrize("name", [f"{SLOT_PREFIX}0", f"{SLOT_PREFIX}7", f"{SLOT_PREFIX.upper()}3", SLOT_PREFIX])
def test_signup_as_a_slot_user_is_refused(hub, name):
    password = "pw-" + uuid.uuid4().hex[:12]
    page = hub.signup(name, password, cleanup=False)
    assert "예약된 아이디" in page, page[-2000:]
    norm = name.lower()
    # the admin cannot approve it, nor create it through the API, and no person's account appears
    approve = hub.admin_session().get(f"{hub.url}/hub/authorize/{norm}", timeout=30)
    assert approve.status_code == 400
    created = requests.post(f"{hub.url}/hub/api/users/{norm}", headers={"Authorization": f"token {hub.token}"},
                            timeout=30)
    assert created.status_code == 400, created.text
    assert hub.user_model(norm) is None
    uid = _uid_of(norm)
    assert uid is None or uids.is_sandbox_uid(uid), f"{norm} got a person's uid {uid}"
    # nor can it log in
    _, login = hub.login(norm, password)
    assert login.status_code != 302


@pytest.mark.hub
def test_workshop_accounts_never_take_reserved_names(hub):
    made = hub.workshop("create", "--count", "2", "--expires", "2099-12-31", "--prefix", SLOT_PREFIX)
    assert made.returncode != 0 and "reserved" in made.stderr, made.stdout + made.stderr


def test_created_slot_users_are_in_the_reserved_range():
    from datalit.labs.sandbox import SlotUserError, ensure_slot_user

    slot = 97
    name = f"{TEST_PREFIX}{slot}"
    _userdel(name)
    try:
        uid, gid = ensure_slot_user(TEST_PREFIX, slot)
        entry = pwd.getpwnam(name)
        assert uid == entry.pw_uid == uids.FIRST_SANDBOX_UID + slot and uids.is_sandbox_uid(uid)
        assert not uids.is_person_uid(uid) and gid == uids.FIRST_SANDBOX_UID
        assert entry.pw_gecos == uids.SANDBOX_GECOS and entry.pw_shell.endswith("nologin")
        assert ensure_slot_user(TEST_PREFIX, slot) == (uid, gid)  # the grader's own account is reused
        # every slot account on this machine (made by any test or grading run) is in the range
        for p in pwd.getpwall():
            if p.pw_name.startswith(uids.DEFAULT_SANDBOX_PREFIX):
                assert uids.is_sandbox_uid(p.pw_uid), p
    finally:
        _userdel(name)
    # the right name and a uid in the range are not enough: the account must carry the grader's marker
    forged = f"{TEST_PREFIX}{slot + 1}"
    _userdel(forged)
    subprocess.run(["useradd", "--system", "--uid", str(uids.FIRST_SANDBOX_UID + slot + 1), "--no-create-home",
                    forged], check=True, capture_output=True)
    try:
        with pytest.raises(SlotUserError, match="did not create"):
            ensure_slot_user(TEST_PREFIX, slot + 1)
    finally:
        _userdel(forged)


@pytest.fixture
def course_with_a_team(tmp_path, monkeypatch):
    """A released lab-1 course (real nbgrader) with one team's work collected into submitted/."""
    from labkit import LAB, answered, lab_env

    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = tmp_path / "lab"
    for key, value in lab_env(base).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("DATALIT_LAB_SANDBOX_USER_PREFIX", TEST_PREFIX)
    course = open_course(tmp_path / "course")
    release(course, LAB, to_exchange=False)
    work = course.root / "submitted" / "team1" / LAB
    work.mkdir(parents=True)
    nbformat.write(answered(course), work / f"{LAB}.ipynb")
    (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")
    return course


@pytest.mark.grading
def test_autograde_refuses_a_person_named_like_a_slot_user(course_with_a_team):
    """The attack: a person's account named like slot 0's user exists (created here with a person's uid)."""
    from labkit import LAB

    from datalit.labs.autograde import autograde
    from datalit.labs.course import LabError

    course = course_with_a_team
    name = f"{TEST_PREFIX}0"
    _userdel(name)
    subprocess.run(["useradd", "-m", "-s", "/bin/bash", name], check=True, capture_output=True)
    uid = pwd.getpwnam(name).pw_uid
    assert uids.is_person_uid(uid)
    sandbox = Path(course.cfg["sandbox_dir"])
    try:
        with pytest.raises(LabError) as err:
            autograde(course, LAB, workers=1, progress=False)
        message = str(err.value)
        assert name in message and "did not create" in message and "userdel" in message
        # nobody was graded, nothing ran or was written under the person's uid
        assert not (course.root / "autograded" / "team1").exists()
        owned = [p for p in sandbox.rglob("*") if p.lstat().st_uid == uid] if sandbox.exists() else []
        assert owned == []
        assert pwd.getpwnam(name).pw_uid == uid  # the person's account is left as it was
    finally:
        _userdel(name)
        shutil.rmtree(Path(f"/home/{name}"), ignore_errors=True)
