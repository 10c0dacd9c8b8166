"""Attacks on the team-activity record (issue #19, item 7): a member runs code on the team server, whose hub
token is in every kernel, and posts to the exchange's ``api/activity`` what the team server never would.
Seen: ``minutes: ["zzzz"]`` was stored, and then the instructor's table on the hub's home page was empty,
``datalit team activity`` printed a traceback and ``GET api/activity/<team>`` answered 500. Now every such
post is refused (400/413, in Korean) or cleaned before it is stored; a store written before these checks
may hold any line, and reading it skips what it cannot use. Then hypothesis posts the rest.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from exchangekit import HANGUL, hypothesis_home_in_tmp, post_json, refused_in_korean, team_activity_world
from teamkit import logged_in

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]
hypothesis_home_in_tmp()  # before the first @given below: its caches go to a temporary folder

POISON = r'''
import json, os, requests
url = os.environ["DATALIT_EXCHANGE_URL"] + "/api/activity"
h = {"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"], "Content-Type": "application/json"}
a, b = __A__, __B__
bodies = [
    {"members": {a: {"executed": 1, "minutes": ["zzzz", "2026-99-99T99:99", 5, None, "9999-12-31T23:59", "0001-01-01T00:00"],
                     "edited": [{"x": 1}, "zz", None]}, b: "x"}},
    {"members": [a, b]},
    {"members": {a: {"executed": "1e999", "minutes": "2026-12-07T10:00", "edited": 7}}},
    {"members": {a: {"executed": 10**30, "minutes": [[["deep"]]]}, b: {"executed": True}}},
    "a string", [1, 2], None,
]
out = [requests.post(url, data=json.dumps(body), headers=h, timeout=60) for body in bodies]
out.append(requests.post(url, data=b"\xff\xfe{", headers=h, timeout=60))
out.append(requests.post(url, data=b'{"members": {"' + b"x" * (3 * 2**20) + b'": {}}}', headers=h, timeout=60))
print(json.dumps([[r.status_code, r.text[:300]] for r in out], ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with team_activity_world(tmp_path_factory) as w:
        yield w


def _instructor_sees_the_table(world):
    """GET api/activity/<team> (200, one row per member), the hub's home page, and the CLI."""
    resp = world["admin"].get(f"{world['url']}/activity/{world['team']}", timeout=60)
    assert resp.status_code == 200, resp.text[:300]
    rows = {r["member"]: r for r in resp.json()["members"]}
    assert set(rows) == {world["a"], world["b"]}
    page = logged_in(world["hub"], *world["instructor"]).get(f"{world['hub'].url}/hub/home", timeout=60).text
    assert f'data-member="{world["a"]}"' in page and f'data-member="{world["b"]}"' in page
    out = subprocess.run([sys.executable, "-m", "datalit", "team", "activity", "--course-dir", str(world["course"].root),
                          "--team", world["team"]], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert world["a"] in out.stdout and "실행한 셀" in out.stdout
    return rows


def test_a_member_posts_poisoned_activity_from_the_team_server(world):
    code = POISON.replace("__A__", repr(world["a"])).replace("__B__", repr(world["b"]))
    out = world["hub"].run_code(world["account"], world["token_a"], code, timeout=180)
    assert out["error"] is None, out
    answers = json.loads(out["stdout"].strip().splitlines()[-1])
    for status, text in answers:
        assert status < 500, (status, text)
        if status >= 400:
            assert HANGUL.search(json.loads(text)["message"]), text
    assert answers[-1][0] == 413 and answers[1][0] == 400, answers
    for line in world["log"].read_text(encoding="utf-8").splitlines():  # only what the team server could send
        for counts in json.loads(line)["members"].values():
            assert all(m[:4].isdigit() and "2000" <= m[:4] < "2100" for m in counts["minutes"]), line
            assert isinstance(counts["executed"], int) and 0 <= counts["executed"] <= 100_000, line
    rows = _instructor_sees_the_table(world)
    assert rows[world["a"]]["last_active"] is None or "(KST)" in rows[world["a"]]["last_active"]


def test_an_old_store_with_bad_lines_is_still_read(world):
    """Lines a store kept before these checks (the 'zzzz' one, the rest of anything) cost only themselves."""
    a = world["a"]
    bad = [json.dumps({"at": "2026-12-01T00:00:00+00:00", "members": {a: {"executed": 1, "minutes": ["zzzz"], "edited": []}}}),
           "not json", "[1, 2]", json.dumps({"members": {a: "x"}}), json.dumps({"members": [a]}),
           json.dumps({"members": {a: {"executed": "many", "minutes": "2026", "edited": 7}}}),
           json.dumps({"members": {a: {"executed": 4, "minutes": ["9999-12-31T23:59", "2026-12-03T10:00"],
                                       "edited": ["0123456789abcdef", ["x"]]}}})]
    with open(world["log"], "a", encoding="utf-8") as fh:
        fh.write("\n".join(bad) + "\n\xff\n")
    before = world["log"].read_bytes()
    with open(world["log"], "wb") as fh:  # and one line that is not UTF-8
        fh.write(before + b"\xc3\x28 broken\n")
    rows = _instructor_sees_the_table(world)
    assert rows[a]["executed"] >= 5 and rows[a]["edited"] >= 1 and "2026" in rows[a]["last_active"], rows[a]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
MINUTE = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), st.text(max_size=20), JSON)


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_activity_posts_never_break_the_table(world, data):
    member = st.one_of(st.sampled_from([world["a"], world["b"], "outsider"]), st.text(max_size=10))
    counts = st.one_of(JSON, st.fixed_dictionaries({}, optional={
        "executed": st.one_of(st.integers(), JSON), "minutes": st.one_of(st.lists(MINUTE, max_size=5), JSON),
        "edited": st.one_of(st.lists(st.one_of(st.text("0123456789abcdef", min_size=16, max_size=16), JSON),
                                     max_size=5), JSON)}))
    body = data.draw(st.one_of(st.dictionaries(member, counts, max_size=3).map(lambda m: {"members": m}),
                               st.fixed_dictionaries({"members": JSON}), JSON, st.binary(max_size=100)))
    s = requests.Session()
    s.headers["Authorization"] = f"token {world['server_token']}"
    resp = post_json(s, f"{world['url']}/activity", body)
    if resp.status_code >= 400:
        refused_in_korean(resp)
    else:
        assert resp.status_code == 200, resp.text[:300]
    got = world["admin"].get(f"{world['url']}/activity/{world['team']}", timeout=60)
    assert got.status_code == 200, got.text[:300]
