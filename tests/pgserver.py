"""A real PostgreSQL server for the tests that run the hub database and the gradebook on one.

Debian's ``postgresql`` package (./run install and .ci/run install it); the tests start their own cluster:
``initdb`` and ``pg_ctl`` run as a unix account made for the session (uid >= 1000, removed afterwards: the
server refuses to run as root), the data folder under /tmp (mode 0700, that account's), TCP on 127.0.0.1 on a
free port, password authentication (scram-sha-256) for every connection, so the password path of
datalit/databases.py is what the tests use. Stopped and removed at the end of the session.

Import the fixture into a test module: ``from pgserver import pg_server  # noqa: F401``.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "datalit"


def pg_bin() -> Path | None:
    """The newest installed server's bin folder (/usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


@dataclass
class PgServer:
    port: int
    password: str
    base: Path

    def url(self, database: str) -> str:
        """The URL as an admin writes it in the config (no password: that comes from the environment)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, password=self.password,
                               dbname=database, autocommit=True, connect_timeout=10)

    def create_database(self, prefix: str) -> str:
        """A new, empty database (one per test: tests never share rows)."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def query(self, database: str, sql: str, params: tuple = ()) -> list[tuple]:
        with self.connect(database) as conn:
            return conn.execute(sql, params).fetchall()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as(account: str | None, cmd: list[str], **kw) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", account, "--"] if account else []
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120, **kw)


def _kill_uid(uid: int) -> None:
    import psutil

    for proc in psutil.process_iter(["uids"]):
        if proc.info["uids"] and proc.info["uids"].real == uid:
            try:
                proc.kill()
            except psutil.Error:
                pass


@pytest.fixture(scope="session")
def pg_server():
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed (/usr/lib/postgresql/*/bin): apt-get install postgresql "
                    "(./run install does it)")
    account = None
    if os.geteuid() == 0:  # the server refuses root: a unix account of its own
        account = f"dlpg{uuid.uuid4().hex[:8]}"
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", account],
                       check=True, capture_output=True)
        assert pwd.getpwnam(account).pw_uid >= 1000
    base = Path(tempfile.mkdtemp(prefix="datalit-pg-", dir="/tmp"))
    data = base / "data"
    password = secrets.token_urlsafe(16)
    port = _free_port()
    started = False
    try:
        pwfile = base / "pw"
        pwfile.write_text(password + "\n")
        if account:
            entry = pwd.getpwnam(account)
            for p in (base, pwfile):
                os.chown(p, entry.pw_uid, entry.pw_gid)
        os.chmod(base, 0o700)
        os.chmod(pwfile, 0o600)
        done = _as(account, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                             "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])
        assert done.returncode == 0, done.stdout + done.stderr
        pwfile.unlink()
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        done = _as(account, [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"),
                             "-w", "-t", "60", "start"])
        started = True
        assert done.returncode == 0, done.stdout + done.stderr + (base / "log").read_text(errors="replace")
        server = PgServer(port, password, base)
        deadline = time.time() + 30
        while True:
            try:
                server.query("postgres", "SELECT 1")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        yield server
    finally:
        if started:
            _as(account, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)
        if account:
            _kill_uid(pwd.getpwnam(account).pw_uid)  # whatever the server left (this session's own account)
            subprocess.run(["userdel", account], capture_output=True)
            subprocess.run(["groupdel", account], capture_output=True)
