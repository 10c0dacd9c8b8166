"""The one-machine hub's configuration (the hub definition, then admin snippets) and workshop registry rules."""
from __future__ import annotations

import datetime as dt
import os

import bcrypt
import pytest
from traitlets.config import Config

from datalit.hub import layering, workshop
from datalit.hub.launch import hub_settings
from datalit.hub.state import ensure_state_dir
from datalit.config import load_config


def test_definition_then_admin_snippets_which_win(repo, tmp_path):
    state = ensure_state_dir(tmp_path / "state")
    assert oct((state / "proxy_token").stat().st_mode & 0o777) == "0o600"
    secret = (state / "jupyterhub_cookie_secret").read_text()
    ensure_state_dir(state)
    assert (state / "jupyterhub_cookie_secret").read_text() == secret  # created once
    (state / "config.d" / "90-site.py").write_text("c.Spawner.mem_limit = '3G'\nc.JupyterHub.port = 9999\n")
    (state / "config.d" / "10-first.py").write_text("c.Spawner.mem_limit = '1G'\nc.Spawner.http_timeout = 7\n")
    settings = hub_settings(load_config(), state, "127.0.0.1", 8123, tmp_path / "datasets")
    c = Config()
    loaded = layering.load_layers(c, settings)
    assert loaded[:3] == ["datalit.hub.definition (local)", str(state / "config.d" / "10-first.py"),
                          str(state / "config.d" / "90-site.py")]
    assert all(line.startswith("WARNING: ") for line in loaded[3:])  # an old-layout layer is never run
    assert c.JupyterHub.port == 9999 and c.Spawner.mem_limit == "3G"  # snippets after the definition, sorted
    assert c.Spawner.http_timeout == 7
    assert c.JupyterHub.spawner_class.__name__ == "DatalitSpawner"
    assert {g for g in c.JupyterHub.load_groups} >= {"beginner", "citizens", "instructors", "analysts", "admins"}
    assert any(s["name"] == "idle-culler" for s in c.JupyterHub.services)
    assert not (repo / "hub_config" / "local").exists()  # one definition: no platform layer folders


def test_workshop_expiry_rules(tmp_path):
    state = ensure_state_dir(tmp_path / "state")
    with pytest.raises(workshop.WorkshopError):
        workshop.create_accounts(state, 3, "2001-01-01", "beginner")
    with pytest.raises(workshop.WorkshopError):
        workshop.create_accounts(state, 3, "2099-01-01", "experts")
    made = workshop.create_accounts(state, 3, "2099-12-24", "beginner")
    entry = workshop.load_registry(state)["accounts"][made["users"][0]]
    assert entry["expires_at"] == "2099-12-24T15:00:00+00:00"  # through the whole day in Seoul, stored in UTC
    assert not workshop.is_expired(entry)
    assert workshop.is_expired(entry, dt.datetime(2099, 12, 24, 15, 0, tzinfo=dt.timezone.utc))
    row = next(r for r in made["accounts"] if r["username"] == made["users"][0])
    assert "password" not in entry and bcrypt.checkpw(row["password"].encode(), entry["password_hash"].encode())
    assert made["accounts"][0]["password"] not in (state / "workshop" / "accounts.json").read_text()
    assert oct(os.stat(state / "workshop" / "accounts.json").st_mode & 0o777) == "0o600"
    changed = workshop.set_expiry(state, [made["batch"]], "2000-01-01")
    assert sorted(changed) == sorted(made["users"]) and len(workshop.expired_accounts(state)) == 3
