"""Attacks on what the exchange service reads (issue #19, items 4 and 5): a learner, with their own hub token
against the real ``datalit-exchange`` service of a real hub, sends submissions no client would: a file
named ``.``, a file beside a folder of the same name, notebooks whose cells are not objects, and then
whatever hypothesis makes of file names, nesting, types, sizes and encodings; an instructor's feedback gets
the same. Every answer must be below 500, every refusal must say why in Korean, and nothing that was
refused may stay in the store (a half-written ``.partial`` folder took 70 MB per request that nobody saw).
"""
from __future__ import annotations

import base64
import json
import os
from urllib.parse import quote

import nbformat
import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from exchangekit import exchange_hub, hypothesis_home_in_tmp, post_json, refused_in_korean, stored_bytes, stray
from labkit import LAB, answered, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]
hypothesis_home_in_tmp()  # before the first @given below: its caches go to a temporary folder

FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The hub, the course, a learner alone in a team, a stored submission of theirs, the store."""
    from datalit.exchange.client import exchange_root
    from datalit.labs import roster

    with exchange_hub() as (hub, course):
        learner, _ = hub.new_user(groups=("beginner",))
        csv = write_roster(tmp_path_factory.mktemp("roster") / "r.csv", {"fuzzers": [learner]})
        roster.import_csv(course, csv, known_users=None, known_labs=[LAB])
        s = requests.Session()
        s.headers["Authorization"] = f"token {hub.user_token(learner)}"
        admin = requests.Session()
        admin.headers["Authorization"] = f"token {hub.token}"  # datalit-cli: an instructor
        nb = json.loads(nbformat.writes(answered(course)))
        url = f"{hub.url}/services/datalit-exchange/api"
        first = post_json(s, f"{url}/labs/{LAB}/submissions", {"files": {f"{LAB}.ipynb": _b64(nb)}})
        assert first.status_code == 201, first.text
        yield {"hub": hub, "url": url, "learner": s, "admin": admin, "nb": nb, "sub_id": first.json()["id"],
               "store": exchange_root(course.cfg) / course.course_id}


def _b64(obj) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.b64encode(raw).decode()


def _variant(nb: dict, n: int) -> dict:
    """The answered notebook with one more line in an answer: a new submission (not 'unchanged')."""
    nb = json.loads(json.dumps(nb))
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    src = cell["source"]
    cell["source"] = ("".join(src) if isinstance(src, list) else src) + f"\n# {n}"
    return nb


def _submit(world, body):
    return post_json(world["learner"], f"{world['url']}/labs/{LAB}/submissions", body)


def test_a_file_named_dot_is_refused_and_leaves_nothing_behind(world):
    """Seen: a submission whose last file is named '.' answered 500 after the others were written, and left
    an unrecorded .partial folder each time (four requests: 280 MB). Now: 400 with the reason, nothing kept."""
    before = stored_bytes(world["store"])
    big = _b64(os.urandom(12 * 2**20))
    for n in range(4):
        files = {f"{LAB}.ipynb": _b64(_variant(world["nb"], n)), "data.bin": big, ".": _b64(b"x")}
        body = refused_in_korean(_submit(world, {"files": files}), {400})
        assert "파일 이름" in body["message"], body
    assert stray(world["store"]) == []
    assert stored_bytes(world["store"]) - before < 2**20


@pytest.mark.parametrize("names", [["d", "d/e"], ["d/e", "d"], ["가.txt", "\u1100\u1161.txt"], ["a//b"], ["a/./b"],
                                   ["/etc/cron.d/x"], ["..", "x"], ["\ud800"], ["x" * 256], ["nul\x00"]])
def test_names_that_cannot_be_written_side_by_side_are_refused(world, names):
    """Seen: 'd' beside 'd/e' answered 500 (a folder where a file was). Every such set of names: 400."""
    files = {f"{LAB}.ipynb": _b64(_variant(world["nb"], 99)), **{n: _b64(b"1") for n in names}}
    refused_in_korean(_submit(world, {"files": files}), {400})
    assert stray(world["store"]) == []


@pytest.mark.parametrize("cells", [[1, "x", None], [[]], [{"metadata": []}], [{"metadata": {"nbgrader": 5}}],
                                   [{"source": 7, "metadata": {}}], {"not": "a list"}])
def test_a_notebook_whose_cells_are_not_objects_is_refused(world, cells):
    """Seen: non-dict cells answered 500 (the exchange read cell.get). Now: 400, the notebook is not valid."""
    nb = dict(world["nb"], cells=cells)
    body = refused_in_korean(_submit(world, {"files": {f"{LAB}.ipynb": _b64(nb)}}), {400})
    assert "노트북" in body["message"], body


# ---- fuzz ---------------------------------------------------------------------------------------------
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=10)
SEGMENT = st.one_of(st.sampled_from([".", "..", "", " ", "d", "e", "가", "x.ipynb", "a\\b", "\x00", "\x1b", "\x7f",
                                     "\u0085", "\ud800", "\udcff", "가" * 90, "x" * 256, "\u1100\u1161", "\uac00",
                                     "feedback", ".ipynb_checkpoints", ".datalit", f"{LAB}.ipynb"]),
                    st.text(max_size=10))
NAME = st.one_of(st.lists(SEGMENT, min_size=1, max_size=4).map("/".join), st.text(max_size=30),
                 st.sampled_from(["/etc/passwd", "x" * 1100, "d/e/f"]))
B64 = st.binary(max_size=3000).map(lambda b: base64.b64encode(b).decode())
CONTENT = st.one_of(B64, B64, st.text(max_size=16), JSON, st.just("!!!not base64"))
CELL = st.one_of(JSON, st.fixed_dictionaries({"cell_type": st.just("code"), "source": JSON, "metadata": JSON}))


def _notebooks(nb: dict):
    return st.one_of(st.integers(0, 10**9).map(lambda n: _b64(_variant(nb, n))),
                     st.lists(CELL, max_size=4).map(lambda cells: _b64(dict(nb, cells=cells))),
                     JSON.map(_b64), st.binary(max_size=64).map(_b64), CONTENT)


GOOD_PART = st.from_regex(r"[A-Za-z0-9가-힣_][A-Za-z0-9가-힣_. -]{0,15}", fullmatch=True)
GOOD_NAME = st.lists(GOOD_PART, min_size=1, max_size=5).map("/".join)  # nested folders, Hangul, spaces


def _bodies(nb: dict):
    extra = st.dictionaries(st.sampled_from(["confirm", "member", "team", "timestamp", "files2"]), JSON, max_size=2)
    files = st.builds(lambda main, more: {f"{LAB}.ipynb": main, **more}, _notebooks(nb),
                      st.dictionaries(NAME, CONTENT, max_size=5))
    # half of the bodies are good enough to be stored (the write path, nesting, sizes), some of them with
    # one bad name or content among good ones (refused after others were checked: nothing may stay)
    good = st.builds(lambda n, more: {"files": {f"{LAB}.ipynb": _b64(_variant(nb, n)), **more}},
                     st.integers(0, 10**9), st.dictionaries(GOOD_NAME, B64, max_size=6))
    spoiled = st.builds(lambda body, name, content: {"files": {**body["files"], name: content}}, good, NAME, CONTENT)
    return st.one_of(good, good, spoiled, st.builds(lambda f, e: {**e, "files": f}, files, extra),
                     st.builds(lambda f: {"files": f}, JSON), JSON, st.binary(max_size=200))


@FUZZ
@given(data=st.data())
def test_fuzzed_submissions_never_break_the_exchange(world, data):
    body = data.draw(_bodies(world["nb"]))
    resp = _submit(world, body)
    if resp.status_code >= 400:
        refused_in_korean(resp)
    else:
        assert resp.status_code == 201 and resp.json()["team"] == "fuzzers", resp.text[:300]
    assert stray(world["store"]) == []


@FUZZ
@given(data=st.data())
def test_fuzzed_feedback_and_lookups_never_break_the_exchange(world, data):
    """The instructor's feedback upload (the same names and contents), and the learner's look-ups of
    feedback with any id in the URL."""
    sub_id = data.draw(st.one_of(st.just(world["sub_id"]), st.text(max_size=20).map(lambda t: quote(t, safe=""))))
    body = data.draw(st.one_of(st.dictionaries(NAME, CONTENT, max_size=5).map(lambda f: {"files": f}), JSON,
                               st.binary(max_size=100)))
    resp = world["admin"].put(f"{world['url']}/labs/{LAB}/teams/fuzzers/{sub_id}/feedback",
                              data=body if isinstance(body, bytes) else json.dumps(body), timeout=120)
    if resp.status_code >= 400:
        refused_in_korean(resp)
    got = world["learner"].get(f"{world['url']}/labs/{LAB}/submissions/{sub_id}/feedback", timeout=120)
    if got.status_code >= 400:
        refused_in_korean(got)
    assert stray(world["store"]) == []


def test_the_fuzz_reached_the_store(world):
    """The fuzz above is worth something only if some of its submissions were good enough to be stored
    (the write path, not only the name checks): hypothesis found many."""
    subs = list((world["store"] / "submissions" / LAB / "fuzzers").glob("*.json"))
    assert len(subs) > 10, len(subs)
