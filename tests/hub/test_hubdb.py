"""The hub database as JupyterHub opens it with our db_kwargs: WAL mode, NORMAL sync, data committed."""
from __future__ import annotations

import sqlite3

from jupyterhub import orm

from datalit.hub import hubdb


def test_hub_sqlite_opens_in_wal_mode_and_keeps_commits(tmp_path):
    url = f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    session = orm.new_session_factory(url, **hubdb.db_kwargs(url))()
    try:
        mode = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
        session.add(orm.User(name="learner1"))
        session.commit()
    finally:
        session.close()
    assert (mode, sync) == ("wal", 1)  # 1 = NORMAL: no fsync per commit
    with sqlite3.connect(f"file:{tmp_path / 'jupyterhub.sqlite'}?mode=ro", uri=True) as db:  # a reader as datalit's
        assert db.execute("SELECT name FROM users").fetchall() == [("learner1",)]


def test_postgres_url_gets_no_sqlite_arguments():
    assert hubdb.db_kwargs("postgresql+psycopg://hub@db:5432/hub") == {}
