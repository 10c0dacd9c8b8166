"""Root writing into a folder that a learner or a team can write, without following what they put there.

``mkdir(exist_ok=True)``, ``shutil.copy2``, ``os.chown`` and ``os.chmod`` all follow a symbolic link, and
checking ``os.lstat`` first loses the race against a member who swaps the folder between the check and
the write. So root (``datalit lab feedback``, ``datalit team import``) never names a learner-writable path
again after it was checked: it opens a trusted **anchor** (a folder whose path no learner can change), then
walks one component at a time with ``open(name, O_NOFOLLOW | O_DIRECTORY, dir_fd=parent)`` and acts on
what it holds:

* a symbolic link or a non-folder where a folder is expected is refused (:class:`UnsafePath`), never
  followed; a missing folder is made with ``mkdir(name, dir_fd=parent)`` and opened the same way;
* ownership and mode are set through the open descriptor (``fchown``/``fchmod``), never by path;
* a file is written to a fresh name (``O_CREAT | O_EXCL | O_NOFOLLOW``) and renamed over the old one
  inside the held folder: whatever a member left at that name (a link, a hard link to a file of someone
  else, a file of theirs) is replaced, never written through, chowned or chmodded.

A member may still move a held folder to another place they can write; root then writes into that
folder wherever it is, which gives them nothing they did not have.
"""
from __future__ import annotations

import errno
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafePath(OSError):
    """Root refused to go through a path a learner controls (a link, a non-folder, an untrusted anchor)."""


def _check_name(name: str, where: str) -> None:
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise UnsafePath(f"{where}: {name!r} is not a plain file or folder name")


def _trusted_by(st: os.stat_result) -> bool:
    return st.st_uid in (0, os.geteuid())


def open_anchor(path: str | Path) -> int:
    """An O_DIRECTORY descriptor of PATH, refused unless no other user can swap any folder on its way.

    Every folder from ``/`` to PATH (after resolving the administrator's own links) must be owned by root
    (or by this process's user), and each folder above must be writable by nobody else, or be sticky
    (``/tmp``: others cannot rename a root-owned entry there). PATH itself may be writable by a team: what
    is below it is walked with :func:`walk`."""
    real = os.path.realpath(path)
    fd = os.open("/", DIR_FLAGS)
    try:
        st = os.fstat(fd)
        for part in [p for p in real.split("/") if p]:
            shared = st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX
            if shared:
                raise UnsafePath(f"{path}: a folder on its way is writable by other users; refusing to use it "
                                 "as a root anchor")
            nxt = _open_dir(fd, part, path)
            os.close(fd)
            fd = nxt
            st = os.fstat(fd)
            if not _trusted_by(st):
                raise UnsafePath(f"{path}: {part} (on its way) is owned by uid {st.st_uid}; refusing to use it as "
                                 "a root anchor")
        return fd
    except BaseException:
        os.close(fd)
        raise


def _open_dir(parent: int, name: str, shown: str | Path) -> int:
    try:
        return os.open(name, DIR_FLAGS, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            try:
                kind = "a symbolic link" if stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode) \
                    else "not a folder"
            except OSError:
                kind = "not a folder"
            raise UnsafePath(f"{shown}: {name} is {kind}; root does not follow it (nothing was written)") from None
        raise


def walk(anchor_fd: int, parts: list[str], shown: str | Path, create_mode: int | None = None) -> int:
    """A new descriptor of ANCHOR/PARTS..., opened component by component without following links.

    With CREATE_MODE, missing folders are made (mode CREATE_MODE, before the umask: set the final mode
    with :func:`set_owner`). The caller closes the descriptor."""
    fd = os.dup(anchor_fd)
    try:
        for part in parts:
            _check_name(part, str(shown))
            try:
                nxt = _open_dir(fd, part, shown)
            except FileNotFoundError:
                if create_mode is None:
                    raise
                try:
                    os.mkdir(part, create_mode, dir_fd=fd)
                except FileExistsError:
                    pass  # made meanwhile (by a member, perhaps as a link): opened below, refused if a link
                nxt = _open_dir(fd, part, shown)
            os.close(fd)
            fd = nxt
        return fd
    except BaseException:
        os.close(fd)
        raise


def set_owner(fd: int, uid: int, gid: int, mode: int) -> None:
    """Owner, group and mode of the folder or file held by FD (never looked up by path again)."""
    os.fchown(fd, uid, gid)
    os.fchmod(fd, mode)


@contextmanager
def folder(anchor: str | Path, parts: list[str] | tuple[str, ...] = (), create_mode: int | None = None):
    """``with folder(anchor, ["피드백", lab], 0o700) as fd:`` the descriptor of that folder, closed after."""
    anchor_fd = open_anchor(anchor)
    try:
        fd = walk(anchor_fd, list(parts), Path(anchor, *parts), create_mode)
    finally:
        os.close(anchor_fd)
    try:
        yield fd
    finally:
        os.close(fd)


def write_file(dir_fd: int, name: str, data: bytes, uid: int, gid: int, mode: int) -> None:
    """NAME in the folder held by DIR_FD holds DATA, owned UID:GID with MODE, replaced atomically.

    The bytes go to a fresh file root made (O_EXCL, O_NOFOLLOW), whose owner and mode are set through its
    descriptor; it is then renamed over NAME. A link or a hard-linked file at NAME is replaced, never
    written through; a folder at NAME is refused."""
    _check_name(name, name)
    tmp = f".{name}.datalit-{secrets.token_hex(6)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=dir_fd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            set_owner(fd, uid, gid, mode)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except IsADirectoryError:
        os.unlink(tmp, dir_fd=dir_fd)
        raise UnsafePath(f"{name} is a folder where root writes a file; it was left alone") from None
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dir_fd)
        except OSError:
            pass
        raise
