"""Issue #11 items 7 and 15: what the admin sees when the hub starts, and how long it takes to stop.

15: start-up printed about 90 lines before the banner, among them three `[ConfigProxy] error: 404 GET
/hub/api ECONNREFUSED` every time. Now the terminal shows the launcher's lines, the banner and real
warnings; the details are in <state>/logs/jupyterhub.log and proxy.log.
7: SIGTERM took 25 s (JupyterHub waited 10 s for each of its two services, which ignored the SIGINT it
sends first when the hub was started with SIGINT ignored, as a background job of a script is). Now the
hub stops, with a user server running, within a few seconds."""
from __future__ import annotations

import json
import shutil
import signal
import time

import psutil
import pytest
from hub_fixtures import hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]

BANNER = "hub is running:"


def test_start_shows_a_short_terminal_and_sigterm_stops_everything_quickly():
    base = hub_base_dir()
    hub = start_hub(base / "state", home_base=base / "home", sigint_ignored=True)
    try:
        time.sleep(1)  # anything printed just after the banner
        terminal = hub.terminal.read_text(errors="replace").splitlines()
        upto = next(i for i, line in enumerate(terminal) if BANNER in line)
        banner_block = [ln for ln in terminal[upto + 1:] if ln.startswith("    ")]
        shown = terminal[: upto + 1 + len(banner_block)]
        assert len(shown) <= 10, "\n".join(shown)
        assert not [ln for ln in terminal if "ConfigProxy" in ln or ln.startswith("[I ")], "\n".join(terminal)
        assert any("first admin" in ln for ln in shown)
        details = hub.log.read_text(errors="replace")
        assert "Running JupyterHub version" in details and "Starting managed service idle-culler" in details
        assert "ConfigProxy" in (hub.state / "logs" / "proxy.log").read_text(errors="replace")

        name, _ = hub.new_user(groups=("beginner",))
        token = hub.spawn(name)
        assert hub.run_code(name, token, "print(1 + 1)")["stdout"].strip() == "2"
        api = f"127.0.0.1:{json.loads((hub.state / 'ports.json').read_text())['hub_port']}/hub/api"
        proxy_pid = json.loads((hub.state / "proxy.json").read_text())["pid"]
        family = [psutil.Process(proxy_pid)] + [
            p for p in psutil.process_iter(["environ"])
            if api in (p.info["environ"] or {}).get("JUPYTERHUB_API_URL", "")  # services, the server
            or (p.info["environ"] or {}).get("DATALIT_HUB_STATE_DIR") == str(hub.state)]  # the hub
        assert len(family) >= 5, family  # proxy, hub, two services, the user's server
        t0 = time.time()
        hub.proc.send_signal(signal.SIGTERM)
        rc = hub.proc.wait(60)
        seconds = time.time() - t0
        print(f"SIGTERM to exit: {seconds:.1f} s")
        assert rc == 0, hub.log_tail()
        assert seconds < 8, f"stopping took {seconds:.1f} s\n{hub.log_tail(30)}"
        time.sleep(0.5)
        left = [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not left, f"still running after the hub stopped: {left}"
        assert not (hub.state / "proxy.json").exists()
    finally:
        hub.remove_users()
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
