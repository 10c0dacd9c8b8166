"""Helpers for the team-server tests (tests/labs/test_team_server*.py, tests/security/test_team_server_attacks.py).

Teams get fresh random ids (their unix groups and team-server accounts are machine-wide); ``teams_made``
removes the team-server accounts and the team groups again. The team-group registry goes to a temp file.
"""
from __future__ import annotations

import os
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

from labkit import LAB, write_roster


def team_ids(n: int) -> list[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"tw{tag}{chr(ord('a') + i)}" for i in range(n)]


@contextmanager
def teams_made(hub, course_dir: Path, teams: dict[str, list[str]], registry: Path):
    """Import TEAMS as the lab's roster (pushed to the exchange), make their groups and folders;
    afterwards the team servers are stopped and the team accounts, groups and hub users removed."""
    from datalit.hub.disk import release_team_folder
    from datalit.hub.teamserver import account_name, remove_account
    from datalit.labs import roster, teams as team_folders
    from datalit.labs.course import open_course

    saved = os.environ.get("DATALIT_LAB_TEAM_GROUPS_FILE")
    os.environ["DATALIT_LAB_TEAM_GROUPS_FILE"] = str(registry)
    course = open_course(course_dir)
    try:
        result = roster.import_csv(course, write_roster(registry.parent / f"roster-{uuid.uuid4().hex[:6]}.csv", teams),
                                   known_users=roster.system_users(), known_labs=[LAB])
        team_folders.ensure_folders(course, result)
        yield course
    finally:
        for team in teams:
            account = account_name(team)
            try:
                hub.stop_server(account)
                hub.api("DELETE", f"/users/{account}", expect=None)
            except (AssertionError, requests.RequestException):
                pass  # the hub is gone (a failed restart): the accounts and groups still go
            remove_account(account)
            release_team_folder(team_folders.team_folder(course, team))  # its image, if lab.team_disk_limit made one
            subprocess.run(["groupdel", team_folders.group_name(team)], capture_output=True)
        if saved is None:
            os.environ.pop("DATALIT_LAB_TEAM_GROUPS_FILE", None)
        else:
            os.environ["DATALIT_LAB_TEAM_GROUPS_FILE"] = saved


def open_team_server(hub, session: requests.Session, team: str, timeout: float = 150) -> requests.Response:
    """What 팀 서버 열기 does in a browser: /hub/teams/<team>, reloaded until the team's JupyterLab answers."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        resp = session.get(f"{hub.url}/hub/teams/{team}", timeout=60)
        if resp.status_code != 200 or "/lab" in resp.url and "/user/" in resp.url:
            return resp
        time.sleep(1)
    raise AssertionError(f"team server of {team} not open after {timeout}s:\n{hub.log_tail(40)}")


def logged_in(hub, name: str, password: str) -> requests.Session:
    s, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[:300]
    return s


def ws_refused(hub, path: str, token: str) -> int | None:
    """The HTTP status of a refused websocket handshake to PATH with TOKEN (None: it was accepted)."""
    import websocket

    try:
        ws = websocket.create_connection(f"ws://127.0.0.1:{hub.port}{path}",
                                         header=[f"Authorization: token {token}"], timeout=30)
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    ws.close()
    return None


@contextmanager
def released_course_hub(extra_env: dict | None = None):
    """A released lab 1 (real nbgrader) and a real hub whose servers use it; yields (hub, course_dir).
    For test modules outside tests/labs (their conftest's ``released_hub`` is not visible there).
    EXTRA_ENV: more settings of the hub (e.g. ``DATALIT_HUB_SUBDOMAIN_HOST``)."""
    from hub_fixtures import hub_base_dir
    from labkit import course_hub, lab_env

    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = hub_base_dir()
    env = lab_env(base)
    env["DATALIT_LAB_COURSE_DIR"] = str(base / "course")
    env.update(extra_env or {})
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        release(open_course(base / "course"), LAB)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    with course_hub(base, env) as hub:
        yield hub, base / "course"
