"""Issue #22 item 6: every ``datalit`` command serves the hub it is pointed at, as a new instructor finds.

With the hub on ``--state-dir``, ``datalit team import`` and ``datalit lab release`` had no ``--state-dir``
and silently wrote to /var/lib/datalit's exchange store, which no running hub served: the learners'
Assignments list stayed empty. ``workshop create --state-dir X`` ignored ``X/datalit.yaml`` (homes went to
/home), the home page printed /srv/datalit/datasets whatever ``hub.data_mount`` said, and a custom
``lab.sandbox_user_prefix`` could not grade ("uid 64800 ... already belongs to 'dlsbx0'"). Item 5: the
grader wrote its running marker in place, and test_worker_crash once read it empty.

One hub on a temporary state directory whose ``datalit.yaml`` holds the settings (nothing in the
environment), driven by the ``datalit`` commands an instructor types."""
from __future__ import annotations

import json
import os
import pwd
import random
import re
import shutil
import string
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import requests
import yaml

from hub_fixtures import hub_base_dir, start_hub
from labkit import LAB, LIMITS, answered, write_roster
from teamkit import team_ids

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.grading]

PREFIX = "dlsbhs"  # this module's grading slot accounts (removed afterwards)


def _cli_env() -> dict:
    """An instructor's shell: no datalit setting in the environment, all of it in the state dir's file."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("DATALIT_LAB_", "DATALIT_HUB_", "DATALIT_EXCHANGE")) and k != "DATALIT_CONFIG"}


def _datalit(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datalit", *args], capture_output=True, text=True,
                          env=_cli_env(), cwd="/", timeout=timeout)


@pytest.fixture(scope="module")
def instructor_hub():
    if os.geteuid() != 0:
        pytest.fail("the hub's root mode needs root (CI runs as root)")
    base = hub_base_dir()
    state, home = base / "state", base / "home"
    state.mkdir()
    home.mkdir()
    os.chmod(home, 0o755)
    course_id = f"hs-{uuid.uuid4().hex[:6]}"
    settings = {
        "hub": {"home_base": str(home), "data_mount": str(base / "datasets")},
        "lab": {"course_id": course_id, "teams_dir": str(base / "teams"),
                "team_groups_file": str(base / "team-groups.json"),
                "sandbox_dir": "/var/lib/datalit-sandbox-tests", "sandbox_user_prefix": PREFIX,
                **{k: int(v) for k, v in LIMITS.items()}},
    }
    (state / "datalit.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:  # the hub too reads only its state dir's file
        for key in [k for k in os.environ if k.startswith(("DATALIT_LAB_", "DATALIT_EXCHANGE"))]:
            mp.delenv(key)
        hub = start_hub(state)
    try:
        yield SimpleNamespace(hub=hub, base=base, state=state, home=home, course_id=course_id,
                              course=base / "course")
    finally:
        hub.remove_users()
        hub.stop()
        for n in range(4):
            subprocess.run(["userdel", f"{PREFIX}{n}"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _remove_team(hub, team: str, ctx) -> None:
    from datalit.hub.disk import release_team_folder
    from datalit.hub.teamserver import account_name, remove_account
    from datalit.labs.teams import group_name

    account = account_name(team)
    try:
        hub.stop_server(account)
        hub.api("DELETE", f"/users/{account}", expect=None)
    except (AssertionError, requests.RequestException):
        pass
    remove_account(account)
    release_team_folder(ctx.base / "teams" / team)
    subprocess.run(["groupdel", group_name(team)], capture_output=True)


def test_team_import_and_lab_release_reach_the_hub_on_its_state_dir_and_a_custom_prefix_grades(instructor_hub):
    from datalit.hub.uids import DEFAULT_SANDBOX_PREFIX, is_sandbox_uid
    from datalit.labs.sandbox import ensure_slot_user

    ctx, hub = instructor_hub, instructor_hub.hub
    # the default prefix's first slot account exists, as on any machine that has graded once
    default_uid, _ = ensure_slot_user(DEFAULT_SANDBOX_PREFIX, 0)
    (a, _), (b, _) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    roster = write_roster(ctx.base / "roster.csv", {team: [a, b]})
    try:
        imported = _datalit("team", "import", str(roster), "--course-dir", str(ctx.course),
                            "--state-dir", str(ctx.state))
        assert imported.returncode == 0, imported.stderr
        assert "hub:" in imported.stdout and "WARNING" not in imported.stdout, imported.stdout  # this hub was told
        released = _datalit("lab", "release", LAB, "--course-dir", str(ctx.course), "--state-dir", str(ctx.state))
        assert released.returncode == 0, released.stderr
        assert (ctx.state / "exchange" / ctx.course_id / "released" / f"{LAB}.json").is_file()

        # a member's Assignments panel (nbgrader's extension in their own server) lists the lab
        auth = {"Authorization": f"token {hub.spawn(a)}"}
        form = {"course_id": ctx.course_id, "assignment_id": LAB}
        listed = requests.get(f"{hub.url}/user/{a}/assignments", params={"course_id": ctx.course_id},
                              headers=auth, timeout=120)
        assert listed.status_code == 200 and listed.json()["success"], listed.text[:500]
        assert [x["assignment_id"] for x in listed.json()["value"] if x["status"] == "released"] == [LAB], listed.text
        # ... fetches it, answers, submits
        assert requests.post(f"{hub.url}/user/{a}/assignments/fetch", data=form, headers=auth, timeout=120).ok
        nb = answered(SimpleNamespace(root=ctx.course))
        put = requests.put(f"{hub.url}/user/{a}/api/contents/{LAB}/{LAB}.ipynb", headers=auth, timeout=60,
                           json={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))})
        assert put.status_code == 200, put.text[:300]
        sent = requests.post(f"{hub.url}/user/{a}/assignments/submit", data=form, headers=auth, timeout=120)
        assert sent.ok and '"success": false' not in sent.text, sent.text[:800]

        # the instructor collects and grades it, the slot accounts named by the state dir's prefix
        collected = _datalit("lab", "collect", LAB, "--course-dir", str(ctx.course), "--state-dir", str(ctx.state))
        assert collected.returncode == 0 and f"{team}: {a}" in collected.stdout, collected.stdout + collected.stderr
        graded = _datalit("lab", "autograde", LAB, "--course-dir", str(ctx.course), "--state-dir", str(ctx.state))
        assert graded.returncode == 0, graded.stdout + graded.stderr
        row = re.search(rf"OK\s+{team}\s+([\d.]+) / (\d+)", graded.stdout)
        assert row and float(row.group(1)) == 10, graded.stdout  # every autograded point of the answers
        assert "샌드박스 사용" in graded.stdout, graded.stdout
        slot = pwd.getpwnam(f"{PREFIX}0")
        assert is_sandbox_uid(slot.pw_uid) and slot.pw_uid != default_uid
    finally:
        _remove_team(hub, team, ctx)


def test_workshop_create_reads_the_state_dirs_config_and_the_home_page_its_data_mount(instructor_hub):
    from datalit.hub import workshop

    ctx, hub = instructor_hub, instructor_hub.hub
    prefix = "hs" + "".join(random.choice(string.ascii_lowercase) for _ in range(6))
    made = _datalit("workshop", "create", "--count", "1", "--expires", "2099-12-31", "--prefix", prefix,
                    "--state-dir", str(ctx.state))
    names = sorted(workshop.load_registry(ctx.state)["accounts"])
    hub.created.extend(names)
    assert made.returncode == 0, made.stderr
    (name,) = [n for n in names if n.startswith(prefix)]
    assert Path(pwd.getpwnam(name).pw_dir).parent == ctx.home  # hub.home_base of X/datalit.yaml, not /home

    page = hub.admin_session().get(f"{hub.url}/hub/home", timeout=60)
    assert page.status_code == 200
    assert f"<code>{ctx.base / 'datasets'}</code>" in page.text and "/srv/datalit/datasets" not in page.text


def test_without_state_dir_every_command_refuses_while_two_hubs_run(instructor_hub, hub, tmp_path):
    """The second hub: the session's (tests/hub_fixtures.py), already running for this unit's other tests."""
    ctx, other = instructor_hub, hub
    roster = write_roster(tmp_path / "roster.csv", {"t1": ["someone"]})
    course = tmp_path / "course"
    commands = [
        ("team", "import", str(roster), "--course-dir", str(course), "--any-user"),
        ("lab", "release", LAB, "--course-dir", str(course)),
        ("workshop", "create", "--count", "1", "--expires", "2099-12-31", "--prefix", "hsno"),
        ("progress", "export", "--out", str(tmp_path / "out.csv")),
        ("users", "list"),
    ]
    for cmd in commands:
        out = _datalit(*cmd, timeout=120)
        assert out.returncode == 1 and "Traceback" not in out.stderr, (cmd, out.stdout, out.stderr)
        assert "several hubs are running" in out.stderr, (cmd, out.stderr)
        assert str(ctx.state) in out.stderr and str(other.state) in out.stderr, (cmd, out.stderr)
    assert not course.exists() and not (tmp_path / "out.csv").exists()  # refused before anything was made


def test_the_running_marker_is_never_read_empty(tmp_path):
    """The parent polls each team's marker while the workers write theirs (datalit/labs/autograde.py)."""
    from datalit.labs import autograde

    course = SimpleNamespace(meta=tmp_path / "datalit")
    marker = autograde._running_marker(course, LAB, "wk0")
    seen, done = [], threading.Event()

    def poll():
        while not done.is_set():
            try:
                seen.append(marker.read_text())
            except FileNotFoundError:
                pass

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(500):
            autograde._mark_running(course, LAB, "wk0", "1")
    finally:
        done.set()
        reader.join()
    assert seen and all(text == f"{os.getpid()} 1" for text in seen), sorted(set(seen))
    assert sorted(p.name for p in marker.parent.iterdir()) == ["wk0"]  # no temporary left behind
