"""The hub's SQLite database in write-ahead-log mode, synced to disk at checkpoints, not at every commit.

Why: nearly every hub request of a login commits (the login itself, the OAuth authorization code, the
server's token, its user lookup, activity), and in SQLite's default rollback-journal mode with
``synchronous=FULL`` each commit waits for fsyncs of the state directory's disk while the hub's one event
loop waits with it. Sampled with py-spy during 10 warm logins at once (bench/workshop_day.py), COMMIT was
about a quarter of the hub's busy time. With ``journal_mode=WAL`` and ``synchronous=NORMAL`` a commit appends
to ``jupyterhub.sqlite-wal`` without an fsync (SQLite syncs at checkpoints); the database stays consistent
after a crash or a power cut, and at worst the last transactions before a power cut are lost (a login or
a token then made again). Readers (``datalit`` commands reading approvals, tests) see committed data as
before. The ``-wal`` and ``-shm`` files get the database file's mode (0600) and live in the 0700 state
directory; a copy of the state directory for a backup takes them too (or stops the hub first).

A PostgreSQL ``hub.db_url`` is left alone (:func:`db_kwargs` returns nothing for it).
"""
from __future__ import annotations

import sqlite3


class WalConnection(sqlite3.Connection):
    """A sqlite3 connection that switches its database to WAL mode and NORMAL sync when it opens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA journal_mode=WAL")  # kept in the file; cheap when already set
        self.execute("PRAGMA synchronous=NORMAL")  # per connection: WAL's safe setting


def db_kwargs(url: str) -> dict:
    """``c.JupyterHub.db_kwargs`` for the hub database at URL (SQLAlchemy ``create_engine`` keywords)."""
    if not url.startswith("sqlite:"):
        return {}
    # check_same_thread=False is what JupyterHub itself sets for SQLite (connect_args replaces its default)
    return {"connect_args": {"check_same_thread": False, "factory": WalConnection}}
