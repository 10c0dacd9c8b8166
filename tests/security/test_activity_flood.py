"""Attack F2 (attack-findings.md): a team member's kernel on the team server holds the server's hub token and
posts valid-looking activity to the exchange in a loop (each member 1440 minutes of a random year, 2000 random
cell keys, executed 100000: 137 kB a post). Seen: 112 MB in 40 s, and then the instructor's /hub/home took
19 s while the hub parsed it in its event loop, and every other request (logins, spawns, the proxy's API
calls) waited as long. Now the exchange answers 429 (Korean) past its per-team rate, drops future minutes,
compacts the file past its cap, and the hub reads the record in a worker thread: another request is
answered at once even while the instructor's page renders a team whose file (from before the fix) is huge.
"""
from __future__ import annotations

import json
import random
import threading
import time

import pytest
import requests

from exchangekit import HANGUL, team_activity_world
from teamkit import logged_in

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]

FLOOD = r'''
import json, os, random, requests
url = os.environ["DATALIT_EXCHANGE_URL"] + "/api/activity"
h = {"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"], "Content-Type": "application/json"}
def counts():
    year = random.randrange(2001, 2099)
    return {"executed": 100000, "minutes": [f"{year}-03-01T{m // 60:02d}:{m % 60:02d}" for m in range(1440)],
            "edited": [f"{random.getrandbits(64):016x}" for _ in range(2000)]}
out = []
for _ in range(40):
    r = requests.post(url, data=json.dumps({"members": {__A__: counts(), __B__: counts()}}), headers=h, timeout=60)
    out.append([r.status_code, r.text[:300]])
print(json.dumps(out, ensure_ascii=False))
'''


def _flood_line(a: str, b: str, rng: random.Random) -> str:
    """One line as the unprotected exchange stored each of the attacker's posts."""
    def counts():
        year = rng.randrange(2001, 2099)
        return {"executed": 100000, "minutes": [f"{year}-03-01T{m // 60:02d}:{m % 60:02d}" for m in range(1440)],
                "edited": [f"{rng.getrandbits(64):016x}" for _ in range(2000)]}
    return json.dumps({"at": "2026-12-01T00:00:00+00:00", "members": {a: counts(), b: counts()}})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with team_activity_world(tmp_path_factory) as w:
        yield w


def test_a_member_floods_the_exchange_with_activity_from_the_team_server(world):
    from datalit.exchange import activity

    code = FLOOD.replace("__A__", repr(world["a"])).replace("__B__", repr(world["b"]))
    out = world["hub"].run_code(world["account"], world["token_a"], code, timeout=300)
    assert out["error"] is None, out
    answers = json.loads(out["stdout"].strip().splitlines()[-1])
    taken = [s for s, _ in answers if s == 200]
    refused = [(s, t) for s, t in answers if s != 200]
    assert refused, f"all {len(taken)} posts stored"  # before the fix: 40 of 40 (5.5 MB in seconds)
    assert len(taken) <= activity.BYTES_PER_MINUTE // 100_000 + 1, answers[:3]  # each post stores ~140 kB
    assert all(s == 429 and HANGUL.search(json.loads(t)["message"]) for s, t in refused), refused[:2]
    size = world["log"].stat().st_size
    assert size <= activity.MAX_TEAM_BYTES + 2**20, size  # 40 posts unprotected: 5.5 MB, and 2.8 MB/s for ever
    rows = {r["member"]: r for r in activity.summary(_store(world), world["team"], [world["a"], world["b"]], [])}
    assert rows[world["a"]]["active_minutes"] <= activity.MAX_MINUTES_PER_MEMBER


def _store(world):
    from datalit.exchange.store import Store

    return Store(world["log"].parent.parent.parent, world["log"].parent.parent.name)


def test_minutes_in_the_future_are_not_stored(world, tmp_path):
    from datalit.exchange import activity
    from datalit.exchange.store import Store

    store = Store(tmp_path, "c")
    activity.record(store, "t-future", {"a"}, {"a": {"executed": 1, "minutes": ["2099-01-01T00:00", "2026-12-01T10:00"]}})
    (row,) = activity.summary(store, "t-future", ["a"], [])
    assert row["active_minutes"] == 1 and row["last_active"].year == 2026, row


def test_the_hub_answers_while_an_instructor_page_renders_a_flooded_team(world):
    """A file the attack left before the fix (here 30 MB): the home page must not stop the hub."""
    rng = random.Random(7)
    line = _flood_line(world["a"], world["b"], rng)
    with open(world["log"], "a", encoding="utf-8") as fh:
        for _ in range(30 * 2**20 // len(line)):
            fh.write(_flood_line(world["a"], world["b"], rng) + "\n")
    hub = world["hub"]
    session = logged_in(hub, *world["instructor"])
    took = {}

    def home():
        t0 = time.monotonic()
        took["page"] = session.get(f"{hub.url}/hub/home", timeout=300)
        took["home"] = time.monotonic() - t0

    page = threading.Thread(target=home)
    page.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    api = requests.get(f"{hub.url}/hub/api/", timeout=300)
    took["api"] = time.monotonic() - t0
    page.join(300)
    assert api.status_code == 200
    assert took["api"] < 1.5, took  # before the fix: as long as the whole file took to parse
    assert took["page"].status_code == 200 and f'data-member="{world["a"]}"' in took["page"].text
    assert took["home"] < 5, took
