"""The hub database on a real PostgreSQL server (``hub.db_url``, datalit/databases.py): users, their approvals
and groups survive a restart; nothing is written to the SQLite file; a URL with a password in it is refused."""
from __future__ import annotations

import shutil

import psutil
import pytest
from hub_fixtures import hub_base_dir, start_hub
from pgserver import pg_server  # noqa: F401 - the session's PostgreSQL server

from datalit.config import ConfigError


def test_database_urls(monkeypatch, tmp_path):
    from datalit.databases import GRADEBOOK_PASSWORD_ENV, gradebook_url, hub_db_url

    cfg = {"db_url": ""}
    assert hub_db_url(tmp_path, cfg) == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    assert gradebook_url(tmp_path, {"gradebook_url": ""}).startswith(f"sqlite:///{tmp_path / 'gradebook.db'}")
    monkeypatch.setenv(GRADEBOOK_PASSWORD_ENV, "s3cr/t@x")
    url = gradebook_url(tmp_path, {"gradebook_url": "postgresql://grader@db.local:5433/gradebook"})
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert (parsed.drivername, parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == \
        ("postgresql+psycopg", "grader", "s3cr/t@x", "db.local", 5433, "gradebook")
    for bad, says in (("postgresql://grader:inline@db/gb", GRADEBOOK_PASSWORD_ENV), ("mysql://u@db/gb", "PostgreSQL"),
                      ("not a url", "not a database URL")):
        with pytest.raises(ConfigError, match=says):
            gradebook_url(tmp_path, {"gradebook_url": bad})


@pytest.mark.hub
@pytest.mark.slow
def test_users_and_groups_survive_a_restart_on_postgres(pg_server):  # noqa: F811
    from datalit.hub.accounts import approved_signup

    database = pg_server.create_database("hub")
    env = {"DATALIT_HUB_DB_URL": pg_server.url(database), "DATALIT_HUB_DB_PASSWORD": pg_server.password}
    base = hub_base_dir()
    first = second = None
    try:
        first = start_hub(base / "state", home_base=base / "home", extra_env=env)
        name, password = first.new_user(groups=("intermediate", "analysts"))
        assert first.stop() == 0
        # the rows are in PostgreSQL, the state directory's SQLite file stayed empty
        assert pg_server.query(database, "SELECT name FROM users WHERE name = %s", (name,)) == [(name,)]
        assert pg_server.query(database, "SELECT is_authorized FROM users_info WHERE username = %s",
                               (name,)) == [(True,)]
        sqlite_file = base / "state" / "jupyterhub.sqlite"
        assert not sqlite_file.exists() or sqlite_file.stat().st_size == 0

        second = start_hub(base / "state", home_base=base / "home", extra_env=env, admin_password="not-used")
        second.created, second.admin_password = first.created, first.admin_password
        _, resp = second.login(name, password)  # the approval, read from PostgreSQL
        assert resp.status_code == 302, resp.text[:300]
        assert set(second.user_model(name)["groups"]) == {"intermediate", "analysts"}
        second.admin_session()  # the first admin was not made a second time
        # the attack: a learner looks for the database password in their server's environment and in every
        # process environment they can read; the hub's services that need no database do not hold it either
        token = second.spawn(name)
        scan = ("import os, glob\n"
                "found = [k for k, v in os.environ.items() if %r in v]\n"
                "for f in glob.glob('/proc/[0-9]*/environ'):\n"
                "    try:\n"
                "        found += [f] if %r.encode() in open(f, 'rb').read() else []\n"
                "    except OSError:\n"
                "        pass\n"
                "print(found)") % (pg_server.password, pg_server.password)
        out = second.run_code(name, token, scan)
        assert out["error"] is None and out["stdout"].strip() == "[]", out
        services = {s: [p for p in psutil.process_iter(["cmdline"]) if s in " ".join(p.info["cmdline"] or [])]
                    for s in ("datalit.exchange.service", "datalit.progress.service")}
        assert all(services.values()), services
        for procs in services.values():
            for proc in procs:
                if (proc.environ().get("DATALIT_HUB_STATE_DIR") or "").startswith(str(base)):
                    assert pg_server.password not in proc.environ().values(), proc.cmdline()
        # the admin's CLI reads the approvals from the same database (password from its environment)
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            assert approved_signup(base / "state", name)
            assert not approved_signup(base / "state", "nobody-signed-up")
    finally:
        for h in (first, second):
            if h is not None:
                h.remove_users()
                h.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.hub
def test_a_password_in_the_url_stops_the_hub_with_a_clear_error(pg_server):  # noqa: F811
    base = hub_base_dir()
    url = pg_server.url("postgres").replace("datalit@", f"datalit:{pg_server.password}@")
    try:
        with pytest.raises(RuntimeError, match="DATALIT_HUB_DB_PASSWORD"):
            start_hub(base / "state", home_base=base / "home", extra_env={"DATALIT_HUB_DB_URL": url}, timeout=60)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_grading_jobs_and_instructor_pods_get_the_gradebook_url_and_its_secret():
    from datalit.config import load_config
    from datalit.databases import GRADEBOOK_PASSWORD_ENV
    from datalit.labs import k8s_jobs

    cfg = load_config()
    cfg["lab"]["gradebook_url"] = "postgresql://datalit@10.96.0.50:5432/gradebook"
    (job,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", workers=1, teams=2, cfg=cfg)
    pod = job["spec"]["template"]["spec"]
    grader = {e["name"]: e for e in pod["containers"][0]["env"]}
    assert grader["DATALIT_LAB_GRADEBOOK_URL"]["value"] == cfg["lab"]["gradebook_url"]
    assert grader[GRADEBOOK_PASSWORD_ENV] == {"name": GRADEBOOK_PASSWORD_ENV, "valueFrom": {"secretKeyRef": {
        "name": cfg["k8s"]["gradebook_secret"], "key": "password"}}}
    for kernel in pod.get("initContainers", []):  # the student kernels' container: neither
        assert not {e["name"] for e in kernel.get("env", [])} & {"DATALIT_LAB_GRADEBOOK_URL", GRADEBOOK_PASSWORD_ENV}
    cfg["lab"]["gradebook_url"] = ""
    (job,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", workers=1, teams=2, cfg=cfg)
    assert GRADEBOOK_PASSWORD_ENV not in {e["name"] for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}


def test_a_wrong_gradebook_password_or_a_password_in_the_url_is_one_clear_line(pg_server, tmp_path, repo):  # noqa: F811
    import os
    import subprocess
    import sys
    from pathlib import Path

    course = tmp_path / "course"
    course.mkdir()
    shutil.copyfile(repo / "grading" / "nbgrader_config.py", course / "nbgrader_config.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALIT_LAB_")}
    env.update({"DATALIT_LAB_EXCHANGE_DIR": str(tmp_path / "exchange"), "DATALIT_LAB_GRADEBOOK_PASSWORD": "wrong"})
    cmd = [str(Path(sys.executable).parent / "datalit"), "lab", "export", "lab1_bike_story", "--course-dir", str(course)]
    for url, says in ((pg_server.url("postgres"), "password authentication failed"),
                      (pg_server.url("postgres").replace("datalit@", "datalit:inline@"), "DATALIT_LAB_GRADEBOOK_PASSWORD")):
        done = subprocess.run(cmd, env={**env, "DATALIT_LAB_GRADEBOOK_URL": url}, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 1 and says in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]


def test_grading_jobs_reach_the_gradebook_database_and_nothing_else(repo):
    """manifests/gradebook-db.yaml widens the Jobs' no-network policy by one rule: TCP 5432 to the database's
    pods. No DNS (a way out of the pod for a notebook in sidecar mode), no other port, no other pod."""
    import yaml

    (policy,) = list(yaml.safe_load_all((repo / "hub_config" / "k8s" / "manifests" / "gradebook-db.yaml").read_text()))
    spec = policy["spec"]
    assert policy["kind"] == "NetworkPolicy" and spec["policyTypes"] == ["Egress"]
    assert spec["podSelector"] == {"matchLabels": {"component": "datalit-autograde"}}
    assert spec["egress"] == [{"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "datalit-postgres"}}}],
                               "ports": [{"port": 5432, "protocol": "TCP"}]}]
    values = yaml.safe_load((repo / "hub_config" / "k8s" / "values.yaml").read_text())
    host = values["hub"]["extraEnv"]["DATALIT_LAB_GRADEBOOK_URL"].split("@", 1)[1].split(":")[0]
    assert all(part.isdigit() for part in host.split(".")), "the Jobs cannot resolve a name: the URL needs the IP"
