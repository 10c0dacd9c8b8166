"""Issue #11 item 4: one learner could fill the machine's disk for everyone.

The attack: from a kernel, write far more than a home should hold (2.1 GB took 4.6 s). Now each home is
its own filesystem of ``hub.disk_limit`` (here 50M, default 5G): the kernel refuses the write with ENOSPC,
the learner reads a Korean explanation, the image on the real disk holds no more than the limit, and
another learner's home is untouched and still writable."""
from __future__ import annotations

import os
import pwd
import shutil

import pytest

from hub_fixtures import running_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="homes are loop-mounted images only as root")]

LIMIT_MB = 50
FILL = f"""
import os
path = os.path.expanduser("~/fill.bin")
chunk = os.urandom(1 << 20)
with open(path, "wb") as f:
    for i in range({3 * LIMIT_MB}):
        f.write(chunk)
        f.flush()
"""


@pytest.fixture(scope="module")
def small_disk_hub():
    with running_hub(extra_env={"DATALIT_HUB_DISK_LIMIT": f"{LIMIT_MB}M"}) as h:
        yield h


def test_writing_past_the_limit_fails_in_korean_and_spares_the_others(small_disk_hub):
    hub = small_disk_hub
    attacker, _ = hub.new_user(prefix="dfa")
    neighbour, _ = hub.new_user(prefix="dfb")
    token_a, token_b = hub.spawn(attacker), hub.spawn(neighbour)
    home_a = pwd.getpwnam(attacker).pw_dir
    assert os.path.ismount(home_a), "the home is not its own filesystem"
    assert shutil.disk_usage(home_a).total <= LIMIT_MB * 1024 ** 2
    # the handed-out lessons are still in the home
    assert hub.run_code(attacker, token_a, "import os; print(os.path.isdir(os.path.expanduser('~/courses')))"
                        )["stdout"].strip() == "True"

    result = hub.run_code(attacker, token_a, FILL, timeout=120)
    assert result["error"] and "No space left on device" in result["error"], result
    assert "저장 공간" in result["stdout"] and "가득 차서" in result["stdout"], result["stdout"]
    written = int(hub.run_code(attacker, token_a, "import os; print(os.path.getsize(os.path.expanduser('~/fill.bin')))"
                               )["stdout"])
    assert written <= LIMIT_MB * 1024 ** 2, written

    # the real disk holds no more than the limit for this person
    image = hub.state / "disk" / f"{attacker}.img"
    assert os.stat(image).st_blocks * 512 <= (LIMIT_MB + 2) * 1024 ** 2
    # the neighbour's home is its own and still takes a 10 MB file
    out = hub.run_code(neighbour, token_b, "import os\nwith open(os.path.expanduser('~/ok.bin'), 'wb') as f:\n"
                       "    f.write(os.urandom(10 << 20))\nprint(os.path.getsize(os.path.expanduser('~/ok.bin')))")
    assert out["error"] is None and out["stdout"].strip() == str(10 << 20), out
    # deleting the file gives the space back to the learner
    again = hub.run_code(attacker, token_a, "import os; os.remove(os.path.expanduser('~/fill.bin'))\n"
                         "with open(os.path.expanduser('~/small.bin'), 'wb') as f: f.write(os.urandom(5 << 20))")
    assert again["error"] is None, again

    # the limit survives a server restart (the image persists, mounting is idempotent)
    hub.stop_server(attacker)
    assert os.path.ismount(home_a)
    token_a = hub.spawn(attacker)
    assert hub.run_code(attacker, token_a, "import os; print(os.path.getsize(os.path.expanduser('~/small.bin')))"
                        )["stdout"].strip() == str(5 << 20)
