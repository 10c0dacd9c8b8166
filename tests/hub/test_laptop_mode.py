"""Non-root (laptop) mode: all servers run as the hub's own user with separate homes, and the hub
warns loudly that this isolates nobody. Run here as 'nobody' through runuser."""
from __future__ import annotations

import os
import pwd
import shutil

import pytest
from hub_fixtures import hub_base_dir, start_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"), reason="needs root to become another user")
def test_non_root_mode_runs_everyone_as_the_hub_user():
    base = hub_base_dir()
    nobody = pwd.getpwnam("nobody")
    state = base / "state"
    state.mkdir()
    (base / "nobody-home").mkdir()
    for p in (state, base / "nobody-home"):
        os.chown(p, nobody.pw_uid, nobody.pw_gid)
    hub = start_hub(state, run_as="nobody", extra_env={"HOME": str(base / "nobody-home")})
    try:
        assert "NON-ROOT MODE" in hub.log.read_text() and "isolates NOBODY" in hub.log.read_text()
        name, _ = hub.new_user(groups=("advanced",))
        token = hub.spawn(name)
        out = hub.run_code(name, token, "import os, pwd\nprint(pwd.getpwuid(os.getuid()).pw_name)\nprint(os.path.expanduser('~'))\n"
                           "print(sorted(os.listdir(os.path.expanduser('~/courses'))))\n"
                           "print(os.path.realpath(os.environ['DATALIT_DATA_DIR']))")
        assert out["error"] is None, out
        lines = out["stdout"].splitlines()
        assert len(lines) == 4, out
        user, home, tiers, data = lines  # the process runs as the hub's user, with its own home
        assert user == "nobody" and home == str(state / "homes" / name)
        assert "'advanced'" in tiers
        assert os.path.isdir(os.path.join(data, "seoul_cctv_by_gu"))
    finally:
        hub.remove_users()
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
