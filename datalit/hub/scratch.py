"""A private /tmp, /var/tmp and /dev/shm for every user server: its own mount namespace, inside its limits.

Homes have a real size limit (datalit.hub.disk), but the machine's /tmp and /var/tmp (the root disk)
and /dev/shm (a 24 GB tmpfs) took 6 GB from one learner (``fallocate -l 6G`` succeeded instantly), and
every learner could read what the others left there. Now the server's preexec, still root, calls
:func:`enter` after fork and before dropping root:

* ``unshare(CLONE_NEWNS)``; ``/`` becomes a *slave* of the machine's mounts (``make_root_shared`` makes
  the machine's ``/`` shared once, as systemd does): a home or team-folder image that the hub mounts or
  unmounts later reaches the running servers too, and nothing mounted here leaks out;
* ``<home>/.datalit-tmp`` (made afresh at every start by :func:`prepare`, owned by the server's account,
  0700) is bind-mounted ``nosuid,nodev`` on ``/tmp`` and ``/var/tmp`` (one folder for both): it lives in
  the home image, so it counts against ``hub.disk_limit`` (a team server's: inside the team folder, against
  ``lab.team_disk_limit``), and nobody else sees it;
* a tmpfs of ``hub.shm_size`` on ``/dev/shm`` (its pages count against the server's memory cgroup).

The kernels and terminals the server starts inherit the namespace. The folder is opened through
descriptors that refuse links (``O_NOFOLLOW``) and mounted from ``/proc/self/fd``: a name someone swapped
for a link meanwhile makes the start fail, it never mounts another place. A path the server needs that
itself lives under /tmp or /var/tmp (a test hub's homes, team folders or venv) is bound again at the same
path inside the private /tmp, on root-owned folders made there.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
import subprocess
from pathlib import Path

FOLDER = ".datalit-tmp"
COVERED = ("/tmp", "/var/tmp")
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC = 0x2, 0x4, 0x20, 0x1000, 0x4000
MS_SLAVE, MS_SHARED = 1 << 19, 1 << 20
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class ScratchError(RuntimeError):
    pass


def libc():
    """Loaded in the hub (the parent), never in the forked child."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def make_root_shared(log=None) -> None:
    """The machine's ``/`` shared (systemd's default; not so on a machine booted without it), so that
    mounts made after a server started propagate into its namespace. Idempotent."""
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        if fields[4] == "/":
            if any(f.startswith("shared:") for f in fields[6:fields.index("-")]):
                return
            break
    proc = subprocess.run(["mount", "--make-rshared", "/"], capture_output=True, text=True)
    if log:
        if proc.returncode:
            log.warning("cannot make / shared (%s): images mounted later are not seen by running servers",
                        proc.stderr.strip())
        else:
            log.info("made / a shared mount (mounts reach running servers' namespaces)")


def prepare(home: str | Path, uid: int, gid: int) -> None:
    """``<home>/.datalit-tmp`` empty, a real folder owned by UID:GID, 0700 (root, in the hub, before the
    start). Whatever had that name (a file, a link, a teammate's folder, last session's files) goes."""
    fd = os.open(home, _DIR)
    try:
        st = os.fstat(fd)
        if st.st_uid not in (0, uid):
            raise ScratchError(f"{home} belongs to uid {st.st_uid}, not to the server's account {uid}")
        try:
            os.lstat(FOLDER, dir_fd=fd)
            if stat.S_ISDIR(os.lstat(FOLDER, dir_fd=fd).st_mode):
                shutil.rmtree(FOLDER, dir_fd=fd)  # fd-based: never follows a link inside
            else:
                os.unlink(FOLDER, dir_fd=fd)
        except FileNotFoundError:
            pass
        os.mkdir(FOLDER, 0o700, dir_fd=fd)
        sub = os.open(FOLDER, _DIR, dir_fd=fd)
        try:
            os.fchown(sub, uid, gid)
            os.fchmod(sub, 0o700)
        finally:
            os.close(sub)
    finally:
        os.close(fd)


def plan(home: str | Path, uid: int, shm_bytes: int, needed: list[str]) -> dict:
    """What :func:`enter` does, computed in the hub: NEEDED paths that live under /tmp or /var/tmp (and are
    not inside another one; the nearest existing folder of one not made yet) are bound again inside the
    private /tmp."""
    real = sorted({_existing(os.path.realpath(p)) for p in needed if p})
    under = [p for p in real if any(p.startswith(c + "/") for c in COVERED)]
    keep = [p for p in under if not any(p != q and p.startswith(q + "/") for q in under)]
    return {"libc": libc(), "home": str(home), "uid": uid, "shm": int(shm_bytes), "keep": keep}


def _existing(path: str) -> str:
    """PATH, or its nearest folder that exists (a team folder made after the server started appears there)."""
    while not os.path.isdir(path) and path not in ("/", *COVERED):
        path = os.path.dirname(path)
    return path


def enter(p: dict) -> None:
    """In the forked child, as root: the new namespace and its mounts. Raises (the start fails) on any error."""
    lib = p["libc"]
    _check(lib, lib.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(lib, lib.mount(b"none", b"/", None, MS_REC | MS_SLAVE, None), "make / a slave")
    kept = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)) for path in p["keep"]]
    home = os.open(p["home"], _DIR)
    sub = os.open(FOLDER, _DIR, dir_fd=home)
    st = os.fstat(sub)
    if st.st_uid != p["uid"] or not stat.S_ISDIR(st.st_mode):
        raise ScratchError(f"{p['home']}/{FOLDER} was replaced")
    source = f"/proc/self/fd/{sub}".encode()
    for target in COVERED:
        _check(lib, lib.mount(source, target.encode(), None, MS_BIND, None), f"bind {target}")
        _check(lib, lib.mount(None, target.encode(), None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, None),
               f"remount {target} nosuid,nodev")
    for path, fd in kept:
        where = _root_folders(path)
        _check(lib, lib.mount(f"/proc/self/fd/{fd}".encode(), f"/proc/self/fd/{where}".encode(), None,
                              MS_BIND | MS_REC, None), f"bind {path} again")
        os.close(where)
        os.close(fd)
    if p["shm"]:
        _check(lib, lib.mount(b"datalit-shm", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV,
                              f"size={p['shm']},mode=1777".encode()), "mount /dev/shm")
    os.close(sub)
    os.close(home)


def _root_folders(path: str) -> int:
    """Folders for PATH inside the new /tmp (or /var/tmp), made by root, walked without following links;
    returns a descriptor of the last one."""
    top = next(c for c in COVERED if path.startswith(c + "/"))
    fd = os.open(top, _DIR)
    for part in Path(path).relative_to(top).parts:
        try:
            os.mkdir(part, 0o755, dir_fd=fd)
        except FileExistsError:
            pass
        nxt = os.open(part, _DIR, dir_fd=fd)
        os.close(fd)
        fd = nxt
        if os.fstat(fd).st_uid != 0:
            os.close(fd)
            raise ScratchError(f"{path}: a folder on the way is not root's")
    return fd


def _check(lib, result: int, what: str) -> None:
    if result != 0:
        raise ScratchError(f"{what}: {os.strerror(ctypes.get_errno())}")
