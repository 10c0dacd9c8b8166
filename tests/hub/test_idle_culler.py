"""The idle culler (a hub service) stops a server that nobody uses."""
from __future__ import annotations

import shutil
import time

import pytest
from hub_fixtures import hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def test_idle_server_is_culled():
    base = hub_base_dir()
    hub = start_hub(base / "state", home_base=base / "home",
                    extra_env={"DATALIT_HUB_CULL_IDLE_SECONDS": "5", "DATALIT_HUB_CULL_EVERY_SECONDS": "5"})
    try:
        name, _ = hub.new_user(groups=("beginner",))
        hub.spawn(name)
        assert hub.user_model(name)["servers"], "the server did not start"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and hub.user_model(name)["servers"]:
            time.sleep(2)
        assert not hub.user_model(name)["servers"], "idle server still running:\n" + hub.log_tail()
        assert "idle-culler" in hub.log.read_text(errors="replace")
    finally:
        hub.remove_users()
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
