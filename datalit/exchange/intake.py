"""What the exchange service takes from a request, and the Korean reason when it refuses.

Every field a request carries is checked here before the store sees it: the JSON body (its size, its
encoding, its shape), base64 file contents and their names, the roster, a due date, a team server's
member and activity batch. A refusal is a :class:`Refused` (HTTP 400, or 413 for sizes) whose message is
shown to the person as it is; nothing a request sends can make the service answer 500 or leave a folder
behind (tests/security/test_exchange_fuzz.py sends it everything hypothesis can think of).
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime

from datalit.exchange.policy import Refused, TooBig
from datalit.exchange.store import check_names

NAME_RE = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"  # labs, teams and submission ids in the URLs
MEMBER_MAX_CHARS = 128
SLACK_BYTES = 2**20  # JSON around the files: names, quotes, other fields
DRAIN_BYTES = 2**30  # a body over its limit is still read (and dropped) up to this, to answer 413 through the proxy


def encoded_limit(file_bytes: int) -> int:
    """The largest request body that carries at most FILE_BYTES of files (base64: 4 characters per 3 bytes)."""
    return 4 * -(-file_bytes // 3) + SLACK_BYTES


def too_big(sent: int, limit: int) -> TooBig:
    mb = max(1, (limit - SLACK_BYTES) * 3 // 4 // 2**20)
    return TooBig("body_too_big", f"보낸 내용이 너무 큽니다 ({sent / 2**20:,.1f} MB). 한 번에 파일을 모두 합쳐 "
                                  f"{mb:,} MB까지 받습니다. 큰 데이터 파일은 빼고 다시 보내세요.")


def body_json(raw: bytes) -> dict:
    """The request's JSON object (an empty body is ``{}``)."""
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except UnicodeDecodeError:
        raise Refused("invalid", "요청 본문이 UTF-8이 아닙니다.") from None
    except (ValueError, RecursionError):
        raise Refused("invalid", "요청 본문이 올바른 JSON이 아닙니다.") from None
    if not isinstance(data, dict):
        raise Refused("invalid", "요청 본문은 JSON 객체({...})여야 합니다.")
    return data


def encode(files: dict[str, bytes]) -> dict[str, str]:
    """``{name: bytes}`` -> ``{name: base64}``: how files travel both ways (service replies, client requests)."""
    return {n: base64.b64encode(c).decode("ascii") for n, c in files.items()}


def decode(files: dict) -> dict[str, bytes]:
    """Files as the service sends them (the clients' side); what requests send: :func:`files_of`."""
    return files_of({"files": files})


def files_of(data: dict, key: str = "files") -> dict[str, bytes]:
    """``{name: base64}`` -> ``{name: bytes}``, every name checked (:func:`check_names`) before any is used."""
    files = data.get(key, {})
    if not isinstance(files, dict):
        raise Refused("invalid", "files는 {파일 이름: base64 내용} 형태여야 합니다.")
    check_names(files)
    out = {}
    for name, content in files.items():
        if not isinstance(content, str):
            raise Refused("invalid", f"{name[:60]!r}의 내용이 base64 문자열이 아닙니다.")
        try:
            out[name] = base64.b64decode(content.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error, ValueError):
            raise Refused("invalid", f"{name[:60]!r}의 내용이 올바른 base64가 아닙니다.") from None
    return out


def member_name(value) -> str:
    """A hub user name as a team server sends it (who clicked Submit)."""
    if (not isinstance(value, str) or not value or len(value) > MEMBER_MAX_CHARS
            or any(ord(ch) < 32 or ord(ch) == 0x7f for ch in value)):
        raise Refused("invalid", "member는 팀원의 허브 사용자 이름(문자열)이어야 합니다.")
    return value


def roster_of(data: dict) -> dict[str, dict[str, list[str]]]:
    """``{lab: {team: [member, ...]}}``; lab and team ids as in the URLs, members hub user names."""
    roster = data.get("roster")
    shape = "roster는 {실습: {팀: [팀원, ...]}} 형태여야 합니다"
    if not isinstance(roster, dict):
        raise Refused("invalid", shape + ".")
    for lab, teams in roster.items():
        if not re.fullmatch(NAME_RE, lab) or not isinstance(teams, dict):
            raise Refused("invalid", f"{shape}: 실습 {lab[:60]!r}")
        for team, members in teams.items():
            if not re.fullmatch(NAME_RE, team) or not isinstance(members, list):
                raise Refused("invalid", f"{shape}: 팀 {team[:60]!r}")
            for m in members:
                member_name(m)
    return roster


def due_of(data: dict) -> datetime | None:
    due = data.get("due")
    if due in (None, ""):
        return None
    try:
        if not isinstance(due, str):
            raise TypeError
        return datetime.fromisoformat(due)
    except (TypeError, ValueError):
        raise Refused("invalid", f"마감 시각 {str(due)[:40]!r}을(를) 읽을 수 없습니다 (ISO 형식, 예: "
                                 "2026-12-01T18:00:00+09:00).") from None


def activity_batch(data: dict) -> dict:
    """A team server's ``{"members": {member: counts}}``; what each count may hold is
    :func:`datalit.exchange.activity.clean`'s business."""
    batch = data.get("members") or {}
    if not isinstance(batch, dict):
        raise Refused("invalid", "members는 {팀원: {executed, minutes, edited}} 형태여야 합니다.")
    return batch
