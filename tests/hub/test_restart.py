"""A restart of the hub keeps users, approvals, groups and files; SIGTERM stops every user server."""
from __future__ import annotations

import shutil

import psutil
import pytest
from hub_fixtures import hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _server_pids(name: str) -> list[int]:
    return [p.pid for p in psutil.process_iter(["cmdline", "environ"])
            if "singleuser" in " ".join(p.info["cmdline"] or [])  # python -m datalit.hub.singleuser
            and (p.info["environ"] or {}).get("JUPYTERHUB_USER") == name]


def test_restart_keeps_users_groups_and_files():
    base = hub_base_dir()
    first = start_hub(base / "state", home_base=base / "home")
    try:
        name, password = first.new_user(groups=("advanced", "analysts"))
        token = first.spawn(name)
        out = first.run_code(name, token, "import os; open(os.path.expanduser('~/work.txt'),'w').write('내 작업')")
        assert out["error"] is None, out
        assert _server_pids(name)
        assert first.stop() == 0
        assert not _server_pids(name), "SIGTERM left a user server running"

        second = start_hub(base / "state", home_base=base / "home", admin_password="not-used-any-more")
        second.created = first.created
        second.admin_password = first.admin_password
        _, resp = second.login(name, password)  # approval kept
        assert resp.status_code == 302, resp.text[:300]
        assert set(second.user_model(name)["groups"]) == {"advanced", "analysts"}
        second.admin_session()  # the first admin keeps the first password
        token = second.spawn(name)
        out = second.run_code(name, token, "import os; print(open(os.path.expanduser('~/work.txt')).read())")
        assert out["stdout"].strip() == "내 작업", out
    finally:
        for h in (first, locals().get("second")):
            if h is not None:
                h.remove_users()
                h.stop()
        shutil.rmtree(base, ignore_errors=True)
