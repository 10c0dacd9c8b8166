"""What the exchange accepts as a team's submission, with the Korean reasons it gives when it refuses.

The member comes from the hub (never from the request); the team from the roster the instructor
imported; the time from the service's clock. From a team server (datalit/hub/teamserver.py) the hub
names the team, and the member is the one whose click the team server handled (its hub-authenticated
request), accepted only if a member of that team (datalit/exchange/service.py). A submission is refused when:

* the member is in no team of the lab;
* a name is not a plain relative path (or clashes with another), there are too many files, a file is
  too big, or the team's stored submissions would pass its quota (``lab.team_quota_mb``);
* a released notebook is missing, is not a notebook, or is handed in exactly as released (empty);
* it is byte-for-byte the team's latest submission (unchanged);
* the team's latest submission is a teammate's, and the member has not confirmed (the same
  submission again within ``CONFIRM_SECONDS``, or ``confirm`` from the command line).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from datalit.exchange.store import Store, StoreError, check_names, digest_files, utcnow
from datalit.kst import shown

CONFIRM_SECONDS = 600
IGNORED_PARTS = (".ipynb_checkpoints", "__pycache__", "feedback")


class Refused(StoreError):
    """A submission the exchange does not take; ``code`` tells the client what to do."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def wanted(name: str) -> bool:
    """Files of a lab folder that belong in a submission (nbgrader's own ignore list, plus ours)."""
    parts = name.split("/")
    return not any(p in IGNORED_PARTS or p.startswith(".datalit") for p in parts) and not name.endswith(".pyc")


def _is_notebook(nb) -> bool:
    """Enough of nbformat's shape for what the exchange reads: a list of cells, each a mapping whose
    metadata is a mapping and whose source is text (or a list of text)."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return False
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else None
        if not isinstance(meta, dict) or not isinstance(meta.get("nbgrader", {}), dict):
            return False
        src = cell.get("source", "")
        if not (isinstance(src, str) or isinstance(src, list) and all(isinstance(x, str) for x in src)):
            return False
    return True


def _answers(nb: dict) -> dict[str, str]:
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            src = cell.get("source", "")
            out[str(meta.get("grade_id", ""))] = "".join(src) if isinstance(src, list) else src
    return out


def check_notebooks(released: dict[str, bytes], files: dict[str, bytes]) -> None:
    answered = False
    for name, blank in released.items():
        if not name.endswith(".ipynb") or "/" in name:
            continue
        if name not in files:
            raise Refused("missing", f"제출에 노트북 {name}이(가) 없습니다. 받은 실습 폴더 그대로 제출하세요.")
        try:
            mine = json.loads(files[name].decode("utf-8"))
            if not _is_notebook(mine):
                raise ValueError("not a notebook")
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Refused("invalid", f"{name}이(가) 올바른 노트북 파일이 아닙니다 (파일이 손상되었어요). "
                                     "JupyterLab에서 열어 저장한 뒤 다시 제출하세요.") from None
        base = _answers(json.loads(blank.decode("utf-8")))
        got = _answers(mine)
        if any(got.get(gid, src).strip() != src.strip() for gid, src in base.items()):
            answered = True
    if not answered:
        raise Refused("empty", "받은 그대로인(답을 하나도 쓰지 않은) 노트북은 제출할 수 없습니다. "
                               "답을 작성하고 저장한 뒤 제출하세요.")


class TooBig(Refused):
    """Over a size limit: the service answers 413."""


def check_sizes(files: dict[str, bytes], max_file_bytes: int, max_files: int | None) -> None:
    """Names first (nothing is written before they all pass), then how many files and how big."""
    check_names(files)
    if max_files is not None and len(files) > max_files:
        raise TooBig("too_many", f"파일이 너무 많습니다 ({len(files):,}개, 한도 {max_files:,}개). "
                                 "실습 폴더에 필요한 파일만 남기고 제출하세요.")
    for name, content in files.items():
        if len(content) > max_file_bytes:
            raise TooBig("too_big", f"{name} 파일이 너무 큽니다 ({len(content) / 2**20:,.1f} MB, "
                                    f"한도 {max_file_bytes / 2**20:,.0f} MB). 큰 데이터 파일은 빼고 제출하세요.")


def check_quota(store: Store, team: str, files: dict[str, bytes], quota_bytes: int) -> None:
    """Every submission is kept (the archive), so a team could fill the disk by submitting again and again:
    what the team already stores plus this one must stay within ``lab.team_quota_mb``."""
    used, size = store.team_bytes(team), sum(len(c) for c in files.values())
    if used + size > quota_bytes:
        raise TooBig("quota", f"팀 '{team}'의 제출 저장 한도({quota_bytes / 2**20:,.0f} MB)를 넘습니다: 이미 "
                              f"{used / 2**20:,.1f} MB를 저장했고 이번 제출은 {size / 2**20:,.1f} MB입니다. "
                              "큰 데이터 파일은 빼고 제출하거나 강사에게 문의하세요.")


def submit(store: Store, lab: str, member: str, files: dict[str, bytes], confirm: bool = False,
           max_file_bytes: int = 50 * 2**20, now: datetime | None = None, max_files: int | None = None,
           quota_bytes: int | None = None) -> dict:
    """Check and store MEMBER's submission of LAB for their team; returns the stored record.
    The service passes the limits from the configuration (``lab.max_file_mb``, ``lab.max_files``,
    ``lab.team_quota_mb``)."""
    team = store.team_of(lab, member)
    if team is None:
        raise Refused("no_team", f"{member}님은 '{lab}' 실습의 팀 명단에 없습니다. 강사에게 팀 배정을 요청하세요.")
    files = {n: c for n, c in files.items() if wanted(n)}
    check_sizes(files, max_file_bytes, max_files)
    check_notebooks(store.released_files(lab), files)
    now = now or utcnow()
    digest = digest_files(files)
    history = store.submissions(lab, team)
    latest = history[-1] if history else None
    if latest and latest["digest"] == digest:
        raise Refused("unchanged", f"팀의 마지막 제출({latest['member']}, {shown(latest['timestamp'])})과 "
                                   "똑같은 내용입니다. 바뀐 것이 없어 제출하지 않았습니다.")
    if latest and latest["member"] != member and not confirm:
        pending = store.pending(lab, member)
        fresh = pending and pending.get("digest") == digest and \
            now - datetime.fromisoformat(pending["at"]) < timedelta(seconds=CONFIRM_SECONDS)
        if not fresh:
            store.set_pending(lab, member, {"digest": digest, "at": now.isoformat(), "over": latest["id"]})
            raise Refused("confirm", f"팀원 {latest['member']}님이 {shown(latest['timestamp'])}에 제출한 것이 지금 "
                                     "채점될 제출입니다. 내 제출로 바꾸려면 10분 안에 한 번 더 제출하세요 "
                                     "(명령줄: datalit lab submit --yes). 팀원의 제출도 기록에 남습니다.")
    if quota_bytes is not None:
        check_quota(store, team, files, quota_bytes)
    store.set_pending(lab, member, None)
    return store.add_submission(lab, team, member, files, when=now)
