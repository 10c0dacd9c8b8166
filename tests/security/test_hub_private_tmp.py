"""Issue #19 item 4: a learner put 6 GB into /tmp, /var/tmp and /dev/shm, which had no limit at all.

The attack, from the learner's kernel: fill /tmp far past the home's limit, ``fallocate`` 6 GB in
/var/tmp (it succeeded instantly before), fill /dev/shm (a 24 GB tmpfs here), and leave a file in /tmp
for the neighbour to read. Now every server has its own /tmp and /var/tmp (a folder inside the home image,
``hub.disk_limit``, here 60M) and its own /dev/shm (``hub.shm_size``, here 32M): each write fails with
ENOSPC and a Korean explanation naming the place, nothing reaches the machine's /tmp, and the
neighbour's /tmp and /dev/shm neither show the attacker's files nor lose any space."""
from __future__ import annotations

import os
import pwd
import secrets

import pytest

from hub_fixtures import running_hub

pytestmark = [pytest.mark.hub, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="private /tmp and disk images only as root")]

LIMIT_MB, SHM_MB = 60, 32
FILL = """
import os
chunk = os.urandom(1 << 20)
with open({path!r}, "wb") as f:
    for i in range({mb}):
        f.write(chunk)
        f.flush()
"""


@pytest.fixture(scope="module")
def small_hub():
    with running_hub(extra_env={"DATALIT_HUB_DISK_LIMIT": f"{LIMIT_MB}M",
                                "DATALIT_HUB_SHM_SIZE": f"{SHM_MB}M"}) as h:
        yield h


def size_of(hub, name, token, path):
    out = hub.run_code(name, token, f"import os; print(os.path.getsize({path!r}))")
    assert out["error"] is None, out
    return int(out["stdout"])


def test_filling_tmp_var_tmp_and_shm_stops_at_the_limits_and_spares_the_neighbour(small_hub):
    hub = small_hub
    attacker, _ = hub.new_user(prefix="pta")
    neighbour, _ = hub.new_user(prefix="ptb")
    token_a, token_b = hub.spawn(attacker), hub.spawn(neighbour)
    home_a = pwd.getpwnam(attacker).pw_dir

    # /tmp: three times the home's limit, written from the kernel
    filled = hub.run_code(attacker, token_a, FILL.format(path="/tmp/fill.bin", mb=3 * LIMIT_MB), timeout=120)
    assert filled["error"] and "No space left on device" in filled["error"], filled
    assert "저장 공간" in filled["stdout"] and "가득 차서" in filled["stdout"] and "/tmp" in filled["stdout"], filled
    assert size_of(hub, attacker, token_a, "/tmp/fill.bin") <= LIMIT_MB * 1024 ** 2
    # it went into the attacker's own home image, not onto the machine's disk
    assert os.path.getsize(os.path.join(home_a, ".datalit-tmp", "fill.bin")) <= LIMIT_MB * 1024 ** 2
    image = hub.state / "disk" / f"{attacker}.img"
    assert os.stat(image).st_blocks * 512 <= (LIMIT_MB + 2) * 1024 ** 2
    assert not os.path.exists("/tmp/fill.bin")

    # /var/tmp: the 6 GB fallocate of the incident is refused at once
    fall = hub.run_code(attacker, token_a, "import os\nos.remove('/tmp/fill.bin')\n"
                        "fd = os.open('/var/tmp/big.bin', os.O_CREAT | os.O_WRONLY, 0o600)\n"
                        "os.posix_fallocate(fd, 0, 6 << 30)", timeout=60)
    assert fall["error"] and "No space left on device" in fall["error"], fall
    assert "저장 공간" in fall["stdout"] and "/var/tmp" in fall["stdout"], fall
    # ext4 keeps what fallocate got before it failed: the home and /tmp are full now, so a new kernel's first
    # cell fails for want of a temporary folder -- explained too, with the way out: a restart empties /tmp
    stuck = hub.run_code(attacker, token_a, "print('ok')")
    assert stuck["error"] and "임시 폴더" in stuck["stdout"] and "다시 시작" in stuck["stdout"], stuck
    hub.stop_server(attacker)
    token_a = hub.spawn(attacker)
    fresh = hub.run_code(attacker, token_a, "import os; print(' '.join(os.listdir('/tmp') + os.listdir('/dev/shm')))")
    # a test hub keeps its homes under /tmp: their path is bound again inside the private /tmp (root's folder)
    assert fresh["error"] is None and set(fresh["stdout"].split()) <= {hub.state.parent.name}, fresh

    # /dev/shm: a tmpfs of its own, 32M
    shm = hub.run_code(attacker, token_a, FILL.format(path="/dev/shm/fill.bin", mb=4 * SHM_MB), timeout=120)
    assert shm["error"] and "No space left on device" in shm["error"], shm
    assert "/dev/shm" in shm["stdout"] and "가득 차서" in shm["stdout"], shm
    assert size_of(hub, attacker, token_a, "/dev/shm/fill.bin") <= SHM_MB * 1024 ** 2
    assert not os.path.exists("/dev/shm/fill.bin")  # the machine's /dev/shm never saw it

    # a secret left in /tmp is the attacker's alone; the machine's /tmp is invisible to the learners
    secret = secrets.token_hex(8)
    canary = f"/tmp/datalit-canary-{secrets.token_hex(4)}"
    with open(canary, "w") as fh:
        fh.write("machine's /tmp")
    os.chmod(canary, 0o644)
    try:
        left = hub.run_code(attacker, token_a, f"open('/tmp/secret.txt', 'w').write({secret!r})\n"
                            f"import os; print(os.path.exists({canary!r}))")
        assert left["error"] is None and left["stdout"].strip() == "False", left
        probe = hub.run_code(neighbour, token_b, f"""
import os, shutil
seen = sorted(os.listdir('/tmp')) + sorted(os.listdir('/var/tmp')) + sorted(os.listdir('/dev/shm'))
print('secret.txt' in seen, 'fill.bin' in seen, 'big.bin' in seen, os.path.exists({canary!r}))
print(shutil.disk_usage('/dev/shm').used)
with open('/tmp/ok.bin', 'wb') as f:
    f.write(os.urandom(10 << 20))
print(os.path.getsize('/tmp/ok.bin'))
""")
    finally:
        os.unlink(canary)
    assert probe["error"] is None, probe
    flags, shm_used, written = probe["stdout"].split("\n")[:3]
    assert flags.split() == ["False", "False", "False", "False"], probe
    assert int(shm_used) < 1024 ** 2, probe  # the attacker's 32 MB are not in the neighbour's /dev/shm
    assert int(written) == 10 << 20, probe

