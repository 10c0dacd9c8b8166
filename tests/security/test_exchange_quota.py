"""Attacks on the exchange's disk and memory (issue #19, item 5): every submission is archived, so a team that
submits again and again (each time a little different) could fill the store's disk, and one request body
could be larger than anything the service means to take. A real hub's ``datalit-exchange`` with small limits
(1 MB per file, 3 MB per team): the team's submissions stop at its quota with a Korean 413 naming the limit,
another team is unaffected, and a body over Tornado's own buffer (seen: the proxy's 503) or over our limit,
declared or sent in chunks, gets our Korean 413 before anything is stored.
"""
from __future__ import annotations

import base64
import json
import os

import nbformat
import pytest
import requests

from exchangekit import exchange_hub, post_json, refused_in_korean, stray
from labkit import LAB, answered, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]

QUOTA_MB, FILE_MB = 3, 1


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.labs import roster

    env = {"DATALIT_LAB_TEAM_QUOTA_MB": str(QUOTA_MB), "DATALIT_LAB_MAX_FILE_MB": str(FILE_MB)}
    with exchange_hub(env, course_id="datalit-quota") as (hub, course):
        hoarder, _ = hub.new_user(groups=("beginner",))
        neighbour, _ = hub.new_user(groups=("beginner",))
        csv = write_roster(tmp_path_factory.mktemp("roster") / "r.csv", {"hoarders": [hoarder], "others": [neighbour]})
        roster.import_csv(course, csv, known_users=None, known_labs=[LAB])
        sessions = {}
        for name in (hoarder, neighbour):
            sessions[name] = requests.Session()
            sessions[name].headers["Authorization"] = f"token {hub.user_token(name)}"
        yield {"url": f"{hub.url}/services/datalit-exchange/api/labs/{LAB}/submissions", "course": course, "hub": hub,
               "hoarder": sessions[hoarder], "neighbour": sessions[neighbour],
               "store": Store(exchange_root(course.cfg), course.course_id), "nb": nbformat.writes(answered(course))}


def _files(world, n: int, pad: int) -> dict:
    nb = world["nb"].replace('"nbformat"', f'"x_{n}": {n}, "nbformat"', 1).encode()
    return {f"{LAB}.ipynb": base64.b64encode(nb).decode(), "pad.bin": base64.b64encode(os.urandom(pad)).decode()}


def test_a_team_cannot_fill_the_disk_by_submitting_again_and_again(world):
    statuses = []
    for n in range(6):  # each 0.9 MB (under the 1 MB file limit), the team's quota is 3 MB
        resp = post_json(world["hoarder"], world["url"], {"files": _files(world, n, 900 * 2**10)})
        statuses.append(resp.status_code)
        if resp.status_code != 201:
            body = refused_in_korean(resp, {413})
            assert body["code"] == "quota" and f"{QUOTA_MB} MB" in body["message"] and "hoarders" in body["message"]
    assert statuses[:3] == [201, 201, 201] and set(statuses[3:]) == {413}, statuses
    assert world["store"].team_bytes("hoarders") <= QUOTA_MB * 2**20
    assert len(world["store"].submissions(LAB, "hoarders")) == 3
    # the quota is the team's: another team still submits
    assert post_json(world["neighbour"], world["url"], {"files": _files(world, 0, 10)}).status_code == 201
    assert stray(world["store"].base) == []


def test_a_body_larger_than_tornados_buffer_gets_our_413_not_the_proxys_503(world):
    """Seen: a body over Tornado's 100 MB default buffer was dropped (the proxy answered 503), before
    max_file_mb was ever checked."""
    big = b'{"files": {"pad.bin": "' + b"A" * (120 * 2**20) + b'"}}'
    body = refused_in_korean(post_json(world["hoarder"], world["url"], big), {413})
    assert f"{FILE_MB:,} MB" in body["message"], body
    assert stray(world["store"].base) == []


def test_a_body_just_over_the_limit_is_413_declared_or_chunked(world):
    """Over what max_file_mb allows in one request (base64 of 1 MB plus the JSON around it): our 413 for a
    body that says its size and for one sent in chunks without a Content-Length."""
    files = _files(world, 50, 3 * 2**20)
    raw = json.dumps({"files": files}).encode()
    refused_in_korean(post_json(world["hoarder"], world["url"], raw), {413})

    def chunks():
        for i in range(0, len(raw), 2**16):
            yield raw[i:i + 2**16]

    resp = world["hoarder"].post(world["url"], data=chunks(), headers={"Content-Type": "application/json"},
                                 timeout=120)
    assert "Content-Length" not in resp.request.headers
    refused_in_korean(resp, {413})
    assert stray(world["store"].base) == []


def test_the_exchange_listens_on_the_internal_port_the_hub_keeps(world):
    """Not a random ephemeral port (a kernel's port could take it): the one in <state>/ports.json, inside
    hub.internal_port_min..max, where the service itself answers (401/403 without a token, in Korean)."""
    from datalit.config import load_config

    h = load_config()["hub"]
    port = json.loads((world["hub"].state / "ports.json").read_text())["exchange_port"]
    assert h["internal_port_min"] <= port <= h["internal_port_max"]
    refused_in_korean(requests.post(f"http://127.0.0.1:{port}/services/datalit-exchange/api/activity", timeout=30),
                      {401, 403})
