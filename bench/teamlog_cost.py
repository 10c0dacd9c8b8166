"""What counting edited cells per member costs a team server (datalit/hub/teamlog.py).

One keystroke-sized Yjs update applied to a 60-cell notebook (jupyter_ydoc's YNotebook, pycrdt), 400 updates,
best of 3, without and with teamlog's cell observer: microseconds per update and the ratio. The edit-latency
budget it eats into is 1 s (issue 12: p95 with 10 teams of 3 on 2 cores, bench/team_server.py).

Run:  /opt/datalit/venv/bin/python bench/teamlog_cost.py [--cells 60] [--updates 400]
"""
from __future__ import annotations

import argparse
import time


def notebook(n: int):
    import nbformat
    from jupyter_ydoc import YNotebook

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"x = {i}") for i in range(n)]
    doc = YNotebook()
    doc.set(nb)
    return doc


def per_update(cells: int, count: int, watched: bool) -> float:
    from pycrdt import Array, Doc

    from datalit.hub import teamlog

    doc = notebook(cells)
    if watched:
        teamlog.watch_cells("json:notebook:bench", doc.ycells)
    client = Doc()
    client.apply_update(doc.ydoc.get_update())
    ccells = client.get("cells", type=Array)
    updates = []
    for i in range(count):
        state = doc.ydoc.get_state()
        ccells[i % cells]["source"].insert(0, "a")
        updates.append(client.get_update(state))
    token = teamlog._updating.set("bench")
    try:
        t0 = time.perf_counter()
        for u in updates:
            doc.ydoc.apply_update(u)
        return (time.perf_counter() - t0) / count
    finally:
        teamlog._updating.reset(token)
        teamlog._pending.pop("bench", None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=60)
    ap.add_argument("--updates", type=int, default=400)
    a = ap.parse_args()
    plain = min(per_update(a.cells, a.updates, False) for _ in range(3))
    watched = min(per_update(a.cells, a.updates, True) for _ in range(3))
    print(f"apply one update to a {a.cells}-cell notebook: {plain * 1e6:.0f} us plain, {watched * 1e6:.0f} us "
          f"with edited cells counted (+{(watched - plain) * 1e6:.0f} us, {watched / plain:.2f}x)")


if __name__ == "__main__":
    main()
