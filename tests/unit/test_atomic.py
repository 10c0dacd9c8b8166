"""datalit.atomic: a file is replaced whole or not at all, and a registry changed under its lock loses no update.

Written as what went wrong before: a process killed between writing and renaming, a serializer that fails
half way, two ``workshop create`` (or a command beside a hub service) reading the same old registry, a
secret readable while it was written, a link planted where root writes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from datalit import atomic

PY = sys.executable
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(atomic.__file__)))  # the datalit this test imported


def _child(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([PY, "-c", textwrap.dedent(code), *map(str, args)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT})


def test_a_process_killed_between_write_and_replace_leaves_the_old_file(tmp_path):
    path = tmp_path / "accounts.json"
    atomic.write_json(path, {"accounts": {"ws01": 1}})
    child = _child("""
        import sys, time
        from datalit import atomic
        with atomic.replacing(sys.argv[1]) as fh:
            fh.write('{"accounts": {"ws01": 1, "ws02"')   # half of the new registry, flushed
            fh.flush()
            print("written", flush=True)
            time.sleep(60)                                 # killed here, before the rename
    """, path)
    assert child.stdout.readline().strip() == "written"
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert json.loads(path.read_text()) == {"accounts": {"ws01": 1}}
    # what the killed writer left is a hidden temporary beside it, never the file itself
    assert [p.name for p in tmp_path.iterdir() if p.name != "accounts.json"] \
        and all(p.name.startswith(".accounts.json.") for p in tmp_path.iterdir() if p.name != "accounts.json")


def test_a_failing_serializer_or_writer_changes_nothing_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "manifest.json"
    atomic.write_json(path, {"v": 1})
    with pytest.raises(TypeError):
        atomic.write_json(path, {"v": object()})
    with pytest.raises(RuntimeError):
        with atomic.replacing(path) as fh:
            fh.write('{"v": 2')
            raise RuntimeError("disk full half way")
    assert json.loads(path.read_text()) == {"v": 1} and os.listdir(tmp_path) == ["manifest.json"]
    with pytest.raises(KeyError):
        with atomic.updating_json(path) as data:
            data["v"] = 3
            raise KeyError("an error in the change")
    assert json.loads(path.read_text()) == {"v": 1}


INCREMENT = """
    import sys
    from datalit import atomic
    path, n = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    for i in range(n):
        with atomic.updating_json(path, lambda: {"n": 0, "seen": []}) as data:
            data["n"] += 1
            data["seen"].append(f"{sys.argv[3]}{i}")
"""


def test_two_processes_updating_one_registry_lose_no_update(tmp_path):
    path, n = tmp_path / "registry.json", 100
    kids = [_child(INCREMENT, path, n, who) for who in "ab"]
    for kid in kids:
        assert kid.stdout.readline().strip() == "ready"
    for kid in kids:
        assert kid.wait(120) == 0
    data = json.loads(path.read_text())
    assert data["n"] == 2 * n and len(set(data["seen"])) == 2 * n


def test_the_lock_excludes_another_process_while_held(tmp_path):
    path = tmp_path / "team-groups.json"
    holder = _child("""
        import sys, time
        from datalit import atomic
        with atomic.locked(sys.argv[1]):
            print("held", flush=True)
            time.sleep(60)
    """, path)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(atomic.LockTimeout):
            with atomic.locked(path, timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait(30)
    with atomic.locked(path, timeout=5):  # the holder's death released it
        pass
    assert oct(os.stat(atomic.lock_path(path)).st_mode & 0o777) == "0o600"


def test_modes_exact_whatever_the_umask_and_a_secret_never_readable_on_the_way(tmp_path):
    old = os.umask(0)
    try:
        seen = []
        with atomic.replacing(tmp_path / "cert.pdf", binary=True, mode=0o644) as fh:
            fh.write(b"%PDF")
            seen += [os.stat(p).st_mode & 0o777 for p in tmp_path.iterdir()]
        assert seen == [0o600]  # the temporary, while written: only its owner
        assert os.stat(tmp_path / "cert.pdf").st_mode & 0o777 == 0o644
        atomic.write_text(tmp_path / "secret", "s", mode=0o600)
        assert os.stat(tmp_path / "secret").st_mode & 0o777 == 0o600
        atomic.write_text(tmp_path / "plain", "p")  # no mode: what open() gives, 0666 minus the umask
        assert os.stat(tmp_path / "plain").st_mode & 0o777 == 0o666
    finally:
        os.umask(old)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root")
def test_keep_takes_the_mode_and_owner_of_the_file_replaced(tmp_path):
    path = tmp_path / "graded.json"
    path.write_text("{}")
    os.chown(path, 61234, 61234)  # no such account needed; never a uid below 1000
    os.chmod(path, 0o640)
    atomic.write_json(path, {"v": 2}, keep=True)
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (61234, 61234, 0o640)
    atomic.write_json(path, {"v": 3}, owner=(0, 0), mode=0o600)
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (0, 0, 0o600)


def test_a_link_planted_at_the_name_is_replaced_not_written_through(tmp_path):
    canary = tmp_path / "canary"
    canary.write_text("root's file")
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "roster.json").symlink_to(canary)
    atomic.write_json(folder / "roster.json", {"t": ["a"]})
    assert canary.read_text() == "root's file"
    assert not (folder / "roster.json").is_symlink() and json.loads((folder / "roster.json").read_text())
