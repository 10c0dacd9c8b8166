"""Files written whole or not at all, and registries changed by one process at a time.

Every file the project rewrites (registries, manifests, caches, built notebooks, certificates) goes through
:func:`replacing`: the new content is written to a temporary file in the same folder (so the final
``os.replace`` is one rename on one filesystem), flushed and fsynced, given its mode (and owner), and only
then renamed over the old one. A reader sees the old file or the new one, never half of one; a crash or a
failing serializer leaves the old file and no temporary behind (a killed process may leave a ``.NAME.*.tmp``,
never the file itself half-written).

Mode: ``None`` is what ``open()`` would give (``0o666`` minus the umask, as the code wrote before);
an int is exactly that mode, whatever the umask (the temporary is created ``0600`` and widened only
after it is written, so a secret is never readable on the way); ``keep=True`` takes the mode and owner
of the file being replaced. ``owner=(uid, gid)`` chowns the temporary before the rename.

A registry that is read, changed and written back (workshop accounts, team groups, the roster, the
pre-warm plan) is changed inside :func:`locked` (or :func:`updating_json`): a ``filelock`` lock file
beside it (``.NAME.lock``, mode 0600), so two commands, or a command and a hub service, never both read
the old registry and one of them loses its change.
"""
from __future__ import annotations

import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterator

LOCK_TIMEOUT = 60.0  # seconds: a registry update takes milliseconds; a minute means a stuck process


class LockTimeout(RuntimeError):
    """Another process held the registry's lock for longer than the timeout."""


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(path, binary: bool = False, encoding: str = "utf-8", newline: str | None = None,
              mode: int | None = None, owner: tuple[int, int] | None = None, keep: bool = False,
              durable: bool = True) -> Iterator[IO]:
    """``with replacing(path) as fh: fh.write(...)``: PATH gets what was written only if the block ends
    without an error. DURABLE=False skips the fsyncs (caches: a lost write is only recomputed)."""
    path = Path(path)
    if keep:
        try:
            st = os.stat(path)
            mode, owner = st.st_mode & 0o7777, (st.st_uid, st.st_gid)
        except FileNotFoundError:
            pass
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600 if mode is not None else 0o666)
    try:
        text = {} if binary else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, "wb" if binary else "w", **text) as fh:
            yield fh
            fh.flush()
            if owner is not None:
                os.fchown(fh.fileno(), *owner)
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)


def write_bytes(path, data: bytes, **opts) -> Path:
    with replacing(path, binary=True, **opts) as fh:
        fh.write(data)
    return Path(path)


def write_text(path, text: str, encoding: str = "utf-8", **opts) -> Path:
    with replacing(path, encoding=encoding, **opts) as fh:
        fh.write(text)
    return Path(path)


def write_json(path, data: Any, indent: int | None = 1, sort_keys: bool = False, ensure_ascii: bool = False,
               default: Callable | None = None, **opts) -> Path:
    """DATA as JSON; serialized first, so an unserializable value raises before anything is written."""
    text = json.dumps(data, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii, default=default)
    return write_text(path, text, **opts)


def lock_path(path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold PATH's lock (blocking other processes' and threads' ``locked(PATH)``) for the block."""
    import filelock

    lock = filelock.FileLock(str(lock_path(path)), timeout=timeout, mode=0o600, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise LockTimeout(f"{path} is locked by another process ({lock_path(path)}) for over {timeout:.0f} s") from None
    try:
        yield Path(path)
    finally:
        lock.release()


def read_json(path, default: Callable[[], Any] = dict) -> Any:
    """PATH's JSON, or ``default()`` when there is no file."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default()


@contextmanager
def updating_json(path, default: Callable[[], Any] = dict, timeout: float = LOCK_TIMEOUT,
                  **write_opts) -> Iterator[Any]:
    """``with updating_json(p) as data: data[k] = v``: read, change and write back under PATH's lock; an
    error in the block writes nothing. WRITE_OPTS go to :func:`write_json` (mode, indent, sort_keys ...)."""
    with locked(path, timeout):
        data = read_json(path, default)
        yield data
        write_json(path, data, **write_opts)
