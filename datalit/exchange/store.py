"""The exchange's storage: released labs, the roster, every submission and the feedback, root-owned.

Only the ``datalit-exchange`` service (and the instructor's commands, as root on the same machine)
read or write it; the root folder is mode 0700, so no learner uid can even list it. Layout under
``<root>/<course_id>/``::

    released/<lab>.json                 {"version", "due" (UTC ISO), "released_at"} (renamed in: atomic)
    released/<lab>/<version>/...        the released files of that version
    roster.json                         {lab: {team: [member, ...]}}
    submissions/<lab>/<team>/<id>/      the submitted files, exactly as received
    submissions/<lab>/<team>/<id>.json  who (from the hub), when (the service's clock, UTC), digest
    feedback/<lab>/<team>/<id>/*.html   feedback for that submission
    pending/<lab>/<member>.json         a submission over a teammate's newer one, waiting for confirmation

A submission id is ``<UTC timestamp>-<random>``: ids sort by time, and nothing a learner writes
becomes a path (file names inside a submission are checked by :func:`safe_relpath`).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
import unicodedata
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath

from datalit import atomic
from datalit.kst import UTC, as_utc, now_utc, to_store

NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"
NAME_MAX_BYTES = 255    # one part of a file name (the filesystem's NAME_MAX)
PATH_MAX_CHARS = 1024   # a whole name inside a submission


class StoreError(ValueError):
    """A request the store refuses (the message is shown to the person)."""


def roster_file(cfg: dict, state_dir: str | Path | None) -> Path:
    """Where a course's roster lies (``lab`` section CFG) without opening a Store (which fixes modes): the
    hub's team servers and a grading Job's submitter read it where they may not write."""
    root = Path(cfg["exchange_dir"]) if cfg.get("exchange_dir") else Path(state_dir or ".") / "exchange"
    return root / cfg["course_id"] / "roster.json"


def utcnow() -> datetime:
    return now_utc()


def nbgrader_timestamp(ts: datetime) -> str:
    """The timestamp string nbgrader writes to ``timestamp.txt`` (and parses for late penalties)."""
    return ts.astimezone(UTC).strftime(NBGRADER_TIMESTAMP)


def safe_relpath(name: str) -> PurePosixPath:
    """A file name inside a submission: relative, no '.', '..' or empty part, valid UTF-8, no control
    characters, every part short enough for the filesystem. Checked on the raw text: PurePosixPath
    quietly turns '.', 'a//b' or 'a/./b' into other names (a file named '.' was the folder itself)."""
    parts = name.split("/") if isinstance(name, str) else [""]
    try:
        encoded = [part.encode("utf-8") for part in parts]
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\udXXX" escape: no file can be named so
        encoded = None
    if (encoded is None or not name or len(name) > PATH_MAX_CHARS or "\\" in name
            or any(part in ("", ".", "..") for part in parts) or any(len(b) > NAME_MAX_BYTES for b in encoded)
            or any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in name)):
        shown = name[:60] + "…" if isinstance(name, str) and len(name) > 60 else name
        raise StoreError(f"허용되지 않는 파일 이름입니다: {shown!r}")
    return PurePosixPath(name)


def check_names(names) -> None:
    """Names that can all be written side by side: each a :func:`safe_relpath`, no two equal once
    Unicode-normalised (NFC: a Mac writes Hangul file names decomposed), and no file where another name
    needs a folder ('d' beside 'd/e')."""
    seen: dict[str, str] = {}
    for name in names:
        safe_relpath(name)
        key = unicodedata.normalize("NFC", name)
        if key in seen:
            raise StoreError(f"같은 이름의 파일이 두 번 있습니다: {seen[key]!r}, {name!r}")
        seen[key] = name
    for key, name in seen.items():
        parts = key.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in seen:
                raise StoreError(f"파일 '{'/'.join(parts[:i])}'과(와) 그 아래의 '{name}'은(는) 함께 제출할 수 "
                                 "없습니다 (같은 이름이 파일이면서 폴더일 수 없어요).")


def digest_files(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every regular file under FOLDER (no symlinks followed), keyed by its relative posix path."""
    out = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (Path(root) / d).is_symlink())
        for f in sorted(files):
            p = Path(root) / f
            if p.is_symlink() or not p.is_file():
                continue
            out[p.relative_to(folder).as_posix()] = p.read_bytes()
    return out


@contextmanager
def private():
    """Everything the store writes is the owner's only (0700 folders, 0600 files)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _write_json(path: Path, data) -> None:
    atomic.write_json(path, data)  # (mode: the umask of :func:`private`, 0600)


def write_tree(dest: Path, files: dict[str, bytes]) -> None:
    """Write FILES into DEST (made if missing); the names are checked first, and if writing fails
    anyway (disk full), DEST is removed when this call made it: no half-written folder stays."""
    check_names(files)
    made = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        for name, content in files.items():
            target = dest / safe_relpath(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except BaseException:
        if made:
            shutil.rmtree(dest, ignore_errors=True)
        raise


def remove_partials(base: Path) -> list[Path]:
    """Half-written folders (``.<id>….partial``) of requests a crash cut short: never recorded, so nobody
    would ever see or count them. Called when the service starts, before it takes any request."""
    gone = [p for p in base.glob("*/*/*/.*.partial") if p.is_dir()]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


class Store:
    def __init__(self, root: str | os.PathLike, course_id: str):
        if not course_id or "/" in course_id or course_id.startswith("."):
            raise StoreError(f"invalid course id: {course_id!r}")
        self.root = Path(root)
        self.course_id = course_id
        self.base = self.root / course_id
        self._prepare()

    def _prepare(self) -> None:
        old = os.umask(0o077)
        try:
            self.base.mkdir(parents=True, exist_ok=True)
        finally:
            os.umask(old)
        for path in (self.root, self.base):  # nobody but the exchange (root) lists or reads anything here
            if stat.S_IMODE(os.stat(path).st_mode) != 0o700:  # already so: nothing to write (a reader's read-only
                os.chmod(path, 0o700)                       # mount on Kubernetes: the hub pod's, for the roster)

    # ---- released labs ---------------------------------------------------------------------------
    def release(self, lab: str, src: Path, due: datetime | None) -> dict:
        with private():
            files = read_tree(Path(src))
            if not any(n.endswith(".ipynb") for n in files):
                raise StoreError(f"'{lab}' 실습으로 배포할 노트북이 없습니다 ({src}).")
            due = as_utc(due)  # nbgrader's naive datetimes are UTC
            version = utcnow().strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)
            dest = self.base / "released" / lab / version
            write_tree(dest, files)  # a bad name: refused before anything is written
            meta = {"lab": lab, "version": version, "released_at": utcnow().isoformat(),
                    "due": to_store(due) if due else None,
                    "notebooks": sorted(n[:-6] for n in files if n.endswith(".ipynb") and "/" not in n)}
            _write_json(self.base / "released" / f"{lab}.json", meta)  # the switch: atomic
            for old in (self.base / "released" / lab).iterdir():
                if old.name != version:
                    shutil.rmtree(old, ignore_errors=True)
            return meta

    def released(self) -> list[dict]:
        folder = self.base / "released"
        if not folder.is_dir():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]

    def released_meta(self, lab: str) -> dict:
        p = self.base / "released" / f"{safe_relpath(lab).name}.json"
        if not p.is_file():
            raise StoreError(f"'{lab}' 실습은 아직 배포되지 않았습니다.")
        return json.loads(p.read_text(encoding="utf-8"))

    def released_files(self, lab: str) -> dict[str, bytes]:
        meta = self.released_meta(lab)
        return read_tree(self.base / "released" / lab / meta["version"])

    # ---- roster ----------------------------------------------------------------------------------
    def set_roster(self, roster: dict) -> None:
        with private():
            _write_json(self.base / "roster.json", roster)

    def roster(self) -> dict:
        p = self.base / "roster.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}

    def team_of(self, lab: str, member: str) -> str | None:
        for team, members in self.roster().get(lab, {}).items():
            if member in members:
                return team
        return None

    # ---- submissions -----------------------------------------------------------------------------
    def add_submission(self, lab: str, team: str, member: str, files: dict[str, bytes],
                       when: datetime | None = None) -> dict:
        """Store one submission. ``when`` is the service's clock; only tests and benchmarks pass it."""
        with private():
            self.released_meta(lab)
            when = when or utcnow()
            sub_id = when.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(4)
            folder = self.base / "submissions" / lab / team
            tmp = folder / f".{sub_id}.partial"
            meta = {"id": sub_id, "lab": lab, "team": team, "member": member, "timestamp": when.isoformat(),
                    "nbgrader_timestamp": nbgrader_timestamp(when), "digest": digest_files(files),
                    "files": sorted(files), "bytes": sum(len(v) for v in files.values())}
            try:  # on ANY error (a bad name, a full disk) neither the folder nor a record stays
                write_tree(tmp, files)
                os.rename(tmp, folder / sub_id)
                _write_json(folder / f"{sub_id}.json", meta)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                shutil.rmtree(folder / sub_id, ignore_errors=True)
                raise
            return meta

    def team_bytes(self, team: str) -> int:
        """What TEAM's submissions of every lab take in the store (the bytes their records count)."""
        total = 0
        for p in (self.base / "submissions").glob(f"*/{team}/*.json"):
            try:
                total += int(json.loads(p.read_text(encoding="utf-8")).get("bytes", 0))
            except (OSError, ValueError, TypeError, AttributeError):
                continue
        return total

    def submissions(self, lab: str, team: str | None = None) -> list[dict]:
        """Every stored submission of LAB (of TEAM), oldest first."""
        base = self.base / "submissions" / lab
        if not base.is_dir():
            return []
        teams = [team] if team else sorted(p.name for p in base.iterdir() if p.is_dir())
        out = []
        for t in teams:
            for p in sorted((base / t).glob("*.json")):
                out.append(json.loads(p.read_text(encoding="utf-8")))
        return sorted(out, key=lambda m: (m["timestamp"], m["id"]))

    def submission(self, lab: str, team: str, sub_id: str) -> dict:
        p = self.base / "submissions" / lab / team / f"{safe_relpath(sub_id).name}.json"
        if not p.is_file():
            raise StoreError(f"팀 '{team}'의 '{lab}' 제출 중에 {sub_id!r}이(가) 없습니다.")
        return json.loads(p.read_text(encoding="utf-8"))

    def submission_dir(self, lab: str, team: str, sub_id: str) -> Path:
        self.submission(lab, team, sub_id)
        return self.base / "submissions" / lab / team / sub_id

    # ---- confirmation of a submission over a teammate's ----------------------------------------
    def pending(self, lab: str, member: str) -> dict | None:
        p = self.base / "pending" / lab / f"{member}.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None

    def set_pending(self, lab: str, member: str, data: dict | None) -> None:
        with private():
            p = self.base / "pending" / lab / f"{member}.json"
            if data is None:
                p.unlink(missing_ok=True)
                return
            p.parent.mkdir(parents=True, exist_ok=True)
            _write_json(p, data)

        # ---- feedback --------------------------------------------------------------------------------
    def put_feedback(self, lab: str, team: str, sub_id: str, files: dict[str, bytes]) -> None:
        with private():
            self.submission(lab, team, sub_id)
            dest = self.base / "feedback" / lab / team / sub_id
            tmp = dest.with_name(f".{sub_id}.{secrets.token_hex(3)}.partial")
            try:
                write_tree(tmp, files)
                shutil.rmtree(dest, ignore_errors=True)
                os.rename(tmp, dest)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)  # gone already when renamed

    def feedback(self, lab: str, team: str, sub_id: str) -> dict[str, bytes]:
        dest = self.base / "feedback" / lab / team / safe_relpath(sub_id).name
        return read_tree(dest) if dest.is_dir() else {}
