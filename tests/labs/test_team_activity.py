"""The team-server contribution record without a hub: what the exchange keeps of a posted batch
(datalit/exchange/activity.py) and how the team server tells which member edited which cell
(datalit/hub/teamlog.py, on real pycrdt documents as jupyter_ydoc builds them). Through a real hub and
real browsers: test_team_server.py and test_team_server_browser.py."""
from __future__ import annotations

import asyncio
import json

import nbformat
import pytest

KEY_A, KEY_B = "0123456789abcdef", "fedcba9876543210"


@pytest.fixture
def store(tmp_path):
    from datalit.exchange.store import Store

    return Store(tmp_path / "exchange", "datalit-unit")


def test_record_keeps_only_members_and_clamps_every_field(store):
    from datalit.exchange import activity

    batch = {
        "a": {"executed": 10**9, "minutes": ["2026-12-03T10:00:59Z", 7, "2026-12-03T10:01"],
              "edited": [KEY_A, KEY_A, KEY_B.upper(), "x" * 16, 12, KEY_B + "00", KEY_B]},
        "b": {"executed": "many", "edited": 5},
        "c": {"executed": -3, "edited": [f"{i:016x}" for i in range(activity.MAX_CELLS_PER_POST + 50)]},
        "outsider": {"executed": 1, "edited": [KEY_A]},
        "d": "not a mapping",
    }
    assert activity.record(store, "t1", {"a", "b", "c", "d"}, batch) == 3
    (line,) = (store.base / "activity" / "t1.jsonl").read_text(encoding="utf-8").splitlines()
    kept = json.loads(line)["members"]
    assert kept["a"] == {"executed": 100_000, "minutes": ["2026-12-03T10:00", "2026-12-03T10:01"],
                         "edited": [KEY_A, KEY_B]}
    assert kept["b"] == {"executed": 0, "minutes": [], "edited": []}
    assert kept["c"]["executed"] == 0 and len(kept["c"]["edited"]) == activity.MAX_CELLS_PER_POST
    assert set(kept) == {"a", "b", "c"}


def test_summary_counts_each_edited_cell_once_over_all_posts(store):
    from datalit.exchange import activity

    activity.record(store, "t1", {"a", "b"}, {"a": {"executed": 2, "minutes": ["2026-12-03T10:00"], "edited": [KEY_A]},
                                              "b": {"executed": 1, "edited": [KEY_A]}})
    activity.record(store, "t1", {"a", "b"}, {"a": {"executed": 1, "minutes": ["2026-12-03T10:05"],
                                                    "edited": [KEY_A, KEY_B]}})
    rows = {r["member"]: r for r in activity.summary(store, "t1", ["a", "b", "c"], [])}
    assert (rows["a"]["edited"], rows["a"]["executed"], rows["a"]["active_minutes"]) == (2, 3, 2)
    assert (rows["b"]["edited"], rows["b"]["executed"]) == (1, 1)
    assert (rows["c"]["edited"], rows["c"]["executed"], rows["c"]["last_active"]) == (0, 0, None)


def _notebook(n: int = 3):
    from jupyter_ydoc import YNotebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"x = {i}") for i in range(n)] + [nbformat.v4.new_markdown_cell("# 제목")]
    doc = YNotebook()
    doc.set(nb)
    return doc


def _client(doc):
    from pycrdt import Array, Doc

    client = Doc()
    client.apply_update(doc.ydoc.get_update())
    return client, client.get("cells", type=Array)


def _update(server_doc, client, change) -> bytes:
    state = server_doc.ydoc.get_state()
    change()
    return client.get_update(state)


def test_source_edits_count_for_the_member_whose_update_is_applied_and_nothing_else(monkeypatch):
    """Two members' updates applied by two tasks at once (as the room serves each websocket in its own task):
    each edit counts for the member of its own task; outputs and execution counts are not edits; a change
    made outside any member's update (the server reloading the file) counts for nobody; no text is kept."""
    from pycrdt import Array, Map, Text

    from datalit.hub import teamlog

    monkeypatch.setattr(teamlog, "_pending", type(teamlog._pending)(teamlog._pending.default_factory))
    doc = _notebook()
    teamlog.watch_cells("json:notebook:f1", doc.ycells)
    ids = [doc.ycells[i]["id"] for i in range(4)]
    ca, cells_a = _client(doc)
    cb, cells_b = _client(doc)

    a1 = _update(doc, ca, lambda: cells_a[0]["source"].insert(0, "비밀 "))
    b1 = _update(doc, cb, lambda: cells_b[3]["source"].insert(0, "요약 "))
    b2 = _update(doc, cb, lambda: cells_b[1].update({"execution_count": 4, "outputs": Array([Map({"x": 1})])}))
    new = Map({"id": "new-cell", "cell_type": "code", "source": Text(""), "metadata": Map(), "outputs": Array(),
               "execution_count": None})
    b3 = _update(doc, cb, lambda: cells_b.append(new))

    async def apply(member, updates):
        teamlog._updating.set(member)
        for u in updates:
            await asyncio.sleep(0)  # the other member's task runs in between
            doc.ydoc.apply_update(u)

    async def both():
        await asyncio.gather(apply("a", [a1]), apply("b", [b1, b2, b3]))

    asyncio.run(both())
    doc.ycells[2]["source"].insert(0, "# 다시 읽음\n")  # outside a member's update: nobody's edit
    key = teamlog.cell_key
    assert teamlog._pending["a"]["edited"] == {key("json:notebook:f1", ids[0])}
    assert teamlog._pending["b"]["edited"] == {key("json:notebook:f1", ids[3])}
    assert set(teamlog._pending) == {"a", "b"}
    batch = json.dumps({m: sorted(e["edited"]) for m, e in teamlog._pending.items()})
    assert "비밀" not in batch and "요약" not in batch and ids[0] not in batch
