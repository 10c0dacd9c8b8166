"""``datalit hub status`` / ``datalit users list`` against a hub without a local state directory (a hub on
Kubernetes): ``--hub-url/--token`` or DATALIT_HUB_URL/DATALIT_HUB_TOKEN, with the datalit-cli service's
token, against a real local hub. The commands run where no state directory exists, so nothing but the
URL and token can have told them where the hub is."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from datalit.hub import roles
from hub_fixtures import VENV_BIN

pytestmark = [pytest.mark.hub]


def datalit(tmp_path, *args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATALIT_")}
    nowhere = tmp_path / "no-state"  # never created: no hub.json, no secrets
    env.update({"DATALIT_HUB_STATE_DIR": str(nowhere), "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)})
    env.update(env_extra or {})
    return subprocess.run([str(VENV_BIN / "datalit"), *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def test_status_and_users_from_the_environment(hub, tmp_path):
    name, _ = hub.new_user(groups=("intermediate",))
    env = {"DATALIT_HUB_URL": hub.url, "DATALIT_HUB_TOKEN": hub.token}
    status = datalit(tmp_path, "hub", "status", "--json", env_extra=env)
    assert status.returncode == 0, status.stderr
    info = json.loads(status.stdout)
    assert hub.admin_user in info["admins"] and name in info["users"]
    assert set(roles.GROUPS) <= set(info["groups"]) and name in info["groups"]["intermediate"]
    listed = datalit(tmp_path, "users", "list", "--json", env_extra=env)
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows[name]["groups"] == ["intermediate"] and rows[hub.admin_user]["admin"]
    plain = datalit(tmp_path, "hub", "status", env_extra=env)
    assert plain.returncode == 0 and f"hub: {hub.url}" in plain.stdout


def test_status_and_users_from_options(hub, tmp_path):
    status = datalit(tmp_path, "hub", "status", "--json", "--hub-url", hub.url, "--token", hub.token)
    assert status.returncode == 0, status.stderr
    assert hub.admin_user in json.loads(status.stdout)["admins"]
    # the token from the environment, the URL as an option (the token stays off the command line)
    listed = datalit(tmp_path, "users", "list", "--hub-url", hub.url, env_extra={"DATALIT_HUB_TOKEN": hub.token})
    assert listed.returncode == 0, listed.stderr
    assert hub.admin_user in listed.stdout


def test_without_url_wrong_or_missing_token(hub, tmp_path):
    # the same place without a URL: no hub is found (so the URL is what made the others work)
    nothing = datalit(tmp_path, "hub", "status", env_extra={"DATALIT_HUB_TOKEN": hub.token})
    assert nothing.returncode != 0 and "no hub is running" in nothing.stderr
    wrong = datalit(tmp_path, "users", "list", "--hub-url", hub.url, "--token", "not-a-token")
    assert wrong.returncode == 1 and "HTTP 403" in wrong.stderr and "Traceback" not in wrong.stderr, wrong.stderr
    missing = datalit(tmp_path, "hub", "status", "--hub-url", hub.url)
    assert missing.returncode == 1 and "DATALIT_HUB_TOKEN" in missing.stderr, missing.stderr
