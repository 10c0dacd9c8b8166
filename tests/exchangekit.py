"""Helpers for the attack tests on the exchange service's input (tests/security/test_exchange_*.py,
test_activity_poisoning.py): a real hub with a released lab, and what every answer must look like."""
from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def hypothesis_home_in_tmp() -> Path:
    """Hypothesis keeps caches (constants, Unicode tables) in ./.hypothesis even with database=None, and
    writes them when a test module's @given runs at import: call this at the top of a fuzz module, so that
    they go to a private temporary folder (removed at exit), never into the checkout."""
    import atexit
    import shutil
    import tempfile

    from hypothesis import configuration

    folder = Path(tempfile.mkdtemp(prefix="datalit-hypothesis-"))
    atexit.register(shutil.rmtree, folder, True)
    configuration.set_hypothesis_home_dir(folder)
    return folder


@contextmanager
def exchange_hub(extra_env: dict | None = None, course_id: str = "datalit-input"):
    """A real hub (its datalit-exchange service) with lab 1 released; yields (hub, course). EXTRA_ENV: lab
    settings for the service, e.g. a small DATALIT_LAB_TEAM_QUOTA_MB."""
    from hub_fixtures import hub_base_dir
    from labkit import LAB, course_hub, lab_env

    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = hub_base_dir()
    env = lab_env(base)
    env.update({"DATALIT_LAB_COURSE_ID": course_id, "DATALIT_LAB_COURSE_DIR": str(base / "course"), **(extra_env or {})})
    with course_hub(base, env) as hub:
        course = open_course(base / "course")
        release(course, LAB)
        yield hub, course


def refused_in_korean(resp, statuses=range(400, 500)) -> dict:
    """RESP is a refusal with a Korean ``message`` in its JSON body (never a 5xx, never a bare page)."""
    assert resp.status_code < 500, (resp.status_code, resp.text[:300])
    assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    body = resp.json()
    assert HANGUL.search(body.get("message") or ""), body
    return body


def stray(store_base: Path) -> list[str]:
    """What a request left in the store that nobody recorded: half-written folders and temp files, and
    submission or feedback folders without their record."""
    found = []
    for root, dirs, files in os.walk(store_base):
        for name in dirs + files:
            if name.endswith((".partial", ".tmp")):
                found.append(os.path.join(root, name))
    subs = store_base / "submissions"
    for folder in subs.glob("*/*/*"):
        if folder.is_dir() and not folder.with_name(folder.name + ".json").is_file():
            found.append(str(folder))
    for folder in (store_base / "feedback").glob("*/*/*"):
        if folder.is_dir() and not (subs / folder.relative_to(store_base / "feedback")).with_suffix(".json").is_file():
            found.append(str(folder))
    return found


def stored_bytes(store_base: Path) -> int:
    return sum(p.stat().st_size for p in store_base.rglob("*") if p.is_file())


def post_json(session, url: str, body, **kw):
    """BODY as JSON text (lone surrogates escaped, as any JSON client may send them), or raw bytes."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode("ascii")
    return session.post(url, data=data, headers={"Content-Type": "application/json"}, timeout=120, **kw)


@contextmanager
def team_activity_world(tmp_path_factory):
    """A hub with the exchange, one team (members a, b) whose team server is open, an instructor: what the
    activity attacks start from. Yields the names, tokens (a's, the team server's, an admin session) and the
    team's activity log path."""
    import requests
    from teamkit import logged_in, open_team_server, team_ids, teams_made

    from datalit.exchange.client import exchange_root
    from datalit.hub.teamserver import account_name

    with exchange_hub(course_id="datalit-test") as (hub, course):
        (a, pa), (b, _) = hub.new_user(), hub.new_user()
        instructor, pi = hub.new_user(groups=("instructors", "instructors-beginner"))
        (team,) = team_ids(1)
        registry = tmp_path_factory.mktemp("teams") / "team-groups.json"
        with teams_made(hub, course.root, {team: [a, b]}, registry):
            assert open_team_server(hub, logged_in(hub, a, pa), team).status_code == 200
            account = account_name(team)
            token_a = hub.user_token(a)
            out = hub.run_code(account, token_a, "import os; print(os.environ['JUPYTERHUB_API_TOKEN'])")
            assert out["error"] is None, out
            admin = requests.Session()
            admin.headers["Authorization"] = f"token {hub.token}"
            yield {"hub": hub, "course": course, "team": team, "a": a, "b": b, "account": account, "token_a": token_a,
                   "server_token": out["stdout"].strip(), "admin": admin, "instructor": (instructor, pi),
                   "url": f"{hub.url}/services/datalit-exchange/api",
                   "log": exchange_root(course.cfg) / course.course_id / "activity" / f"{team}.jsonl"}
