"""Where the hub database and the nbgrader gradebook live: SQLite files, or a PostgreSQL server.

On one machine both are SQLite files (``<state>/jupyterhub.sqlite``, ``<course>/gradebook.db``): nothing to
run. On Kubernetes they must not be: SQLite locks do not hold on network storage (RWX volumes), and N
grading Jobs on N nodes write the gradebook at once. ``hub.db_url`` and ``lab.gradebook_url`` then name a
PostgreSQL database (``postgresql://USER@HOST:PORT/DB``). The password never sits in a file a learner's
server could read (the config file, nbgrader_config.py, a Jupyter config folder): a URL with one is refused,
and it is read from the environment of the processes that need it (``DATALIT_HUB_DB_PASSWORD``,
``DATALIT_LAB_GRADEBOOK_PASSWORD``; on Kubernetes from a Secret). Those two names are kept out of every
kernel's environment (:data:`SECRET_ENV`).
"""
from __future__ import annotations

import os
from pathlib import Path

from datalit.config import ConfigError, load_config

HUB_PASSWORD_ENV = "DATALIT_HUB_DB_PASSWORD"
GRADEBOOK_PASSWORD_ENV = "DATALIT_LAB_GRADEBOOK_PASSWORD"
SECRET_ENV = (HUB_PASSWORD_ENV, GRADEBOOK_PASSWORD_ENV)
# psycopg 3 is the driver we ship (SQLAlchemy's plain postgresql:// would mean psycopg2)
DRIVER = "postgresql+psycopg"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def server_url(url: str, password_env: str, key: str) -> str:
    """URL (from the config key KEY) as SQLAlchemy opens it: the psycopg driver, the password from
    PASSWORD_ENV. A password in the URL itself, or another kind of database, is a configuration error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"{key}: not a database URL: {url!r} (expected postgresql://USER@HOST:PORT/DATABASE)") from None
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(f"{key}: only PostgreSQL is supported besides the built-in SQLite, got {url!r}")
    if parsed.password:
        raise ConfigError(f"{key}: the URL holds a password; remove it and set {password_env} in the "
                          "environment instead (config files are not the place for secrets)")
    parsed = parsed.set(drivername=DRIVER)
    password = os.environ.get(password_env)
    if password:
        parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)


def hub_db_url(state: str | Path, cfg: dict | None = None) -> str:
    """``c.JupyterHub.db_url``: ``hub.db_url``, else the SQLite file in the state directory."""
    url = (cfg if cfg is not None else load_config(state_dir=state)["hub"])["db_url"]
    if not url:
        return f"sqlite:///{Path(state) / 'jupyterhub.sqlite'}"
    return server_url(url, HUB_PASSWORD_ENV, "hub.db_url")


def gradebook_url(root: str | Path, cfg: dict | None = None) -> str:
    """nbgrader's ``CourseDirectory.db_url``: ``lab.gradebook_url``, else ``<course>/gradebook.db``. Parallel
    graders share a SQLite gradebook, so they wait for its lock (120 s) instead of failing after 5 s."""
    url = (cfg if cfg is not None else load_config()["lab"])["gradebook_url"]
    if not url:
        return f"sqlite:///{Path(root) / 'gradebook.db'}?timeout=120"
    return server_url(url, GRADEBOOK_PASSWORD_ENV, "lab.gradebook_url")


def without_secrets(env: dict) -> dict:
    """ENV minus the database passwords: for every process that runs a learner's code."""
    return {k: v for k, v in env.items() if k not in SECRET_ENV}
