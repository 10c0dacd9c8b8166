"""Workshop accounts on a real hub: created (by default for the citizen course), usable, refused after expiry
(server stopped), purged."""
from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from datalit.lessons.courses import lesson_paths

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def test_workshop_accounts_lifecycle(hub):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    made = hub.workshop("create", "--count", "2", "--expires", tomorrow, "--prefix", "tw")  # --tier citizen by default
    assert made.returncode == 0, made.stderr
    csv_path = Path(made.stdout.split("CSV:")[1].split()[0])
    html_path = Path(made.stdout.split("HTML:")[1].split()[0])
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    hub.created.extend(r["username"] for r in rows)
    assert len(rows) == 2 and all(r["tier"] == "citizen" for r in rows)
    assert oct(csv_path.stat().st_mode & 0o777) == "0o600"
    sheet = html_path.read_text(encoding="utf-8")
    assert "워크숍 계정" in sheet and rows[0]["password"] in sheet and "까지 사용할 수 있습니다" in sheet
    assert "시민 과정" in sheet

    name, password = rows[0]["username"], rows[0]["password"]
    assert set(hub.user_model(name)["groups"]) == {"citizens", "citizen"}

    # usable: login, server, the citizen course handed out in learner form (no solutions, no instructor notes)
    _, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[:300]
    token = hub.spawn(name)
    out = hub.run_code(name, token, "import os; print(sorted(os.listdir(os.path.expanduser('~/courses'))))")
    assert out["error"] is None and out["stdout"].strip() == "['.datalit-handout.json', 'citizen']", out
    out = hub.run_code(name, token, """
import json, os
folder = os.path.expanduser('~/courses/citizen')
files = sorted(f for f in os.listdir(folder) if f.endswith('.ipynb'))
cells = [c for f in files for c in json.load(open(os.path.join(folder, f)))['cells']]
tags = {t for c in cells for t in c['metadata'].get('tags', [])}
print(len(files), 'instructor' in tags, any('강사 노트' in ''.join(c['source']) for c in cells),
      any('여기에 코드를 작성하세요' in ''.join(c['source']) for c in cells), sorted(os.listdir(folder)) == files)
""")
    n_lessons = str(len(lesson_paths("citizen")) + 1)  # and the glossary, 용어집.ipynb (datalit.lessons.glossary)
    assert out["error"] is None and out["stdout"].split() == [n_lessons, "False", "False", "True", "True"], out

    # wrong passwords are throttled with a Korean message
    for _ in range(5):
        _, resp = hub.login(rows[1]["username"], "wrong")
    assert "잠시 잠겼습니다" in resp.text

    # expiry (a few seconds ahead): the workshop-expiry service stops the server, login is refused. Far enough
    # ahead that `datalit workshop expire` has returned before it (on a loaded machine the command itself can
    # take seconds, and an expiry already past when it checks makes the command stop the server instead)
    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=15)).isoformat(timespec="seconds")
    assert hub.workshop("expire", name, "--at", soon).returncode == 0
    assert hub.user_model(name).get("server"), "the server stopped before the expiry"
    deadline = time.time() + 60
    while time.time() < deadline and (hub.user_model(name).get("server") or hub.user_model(name).get("pending")):
        time.sleep(0.5)
    assert not hub.user_model(name).get("server"), "expired account's server was not stopped"
    assert f"stopped the server of expired account {name}" in hub.log_tail(400)
    _, resp = hub.login(name, password)
    assert resp.status_code == 200 and "사용 기간이" in resp.text and "끝났습니다" in resp.text

    # purge: archive with the home, then hub user, unix user and home are gone
    home = Path(os.path.expanduser(f"~{name}")) if os.geteuid() == 0 else hub.state / "homes" / name
    assert home.is_dir()
    purged = hub.workshop("purge")
    assert purged.returncode == 0 and name in purged.stdout, purged.stderr
    archive = Path(purged.stdout.split("archive:")[1].split()[0])
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "accounts.json" in names and any(n.startswith(f"homes/{name}/courses") for n in names)
    assert hub.user_model(name) is None
    assert not home.exists()
    if os.geteuid() == 0:
        assert subprocess.run(["id", name], capture_output=True).returncode != 0
    # the other account (not expired) is untouched
    assert hub.user_model(rows[1]["username"]) is not None
