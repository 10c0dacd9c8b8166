"""Verification codes of 교육 이수증 and the register of issued ones.

A code is the first 80 bits of HMAC-SHA256(secret, "user|tier|hours|completed date"), in base32, in four
groups of four (``K7QM-2XWA-...``): short enough to type from paper, and nobody without the secret can
make one for a claim. The secret is ``<state>/certificate_secret`` (made once, 0600, like the hub's other
secrets). Issuing writes the claim to ``<state>/certificates/<code>.json`` (0700 folder, 0600 files): the
code alone is enough to look it up, and the lookup is trusted only if the claim still signs to the code,
so an altered, mistyped or forged code is refused.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from datalit.hub import state as hub_state

SECRET_FILE = "certificate_secret"
REGISTER = "certificates"
CODE_BYTES = 10  # 80 bits: 16 base32 characters
_CODE = re.compile(r"[A-Z2-7]{16}")


class CertificateError(Exception):
    """A certificate cannot be issued or a code is not valid: ``ko`` for people, ``en`` for logs/CLI."""

    def __init__(self, ko: str, en: str):
        super().__init__(f"{ko} / {en}")
        self.ko, self.en = ko, en


@dataclass(frozen=True)
class Claim:
    """What a certificate says; the first four fields are signed."""

    user: str
    tier: str
    hours: str            # as printed: "6" or "5.5"
    completed: str        # completion date in Korea, YYYY-MM-DD
    name: str             # the name printed (the user name unless given)
    course_title: str
    started: str          # first activity date in Korea, YYYY-MM-DD
    issued: str           # issue date in Korea, YYYY-MM-DD

    def signed_text(self) -> str:
        return f"{self.user}|{self.tier}|{self.hours}|{self.completed}"


def hours_text(hours: float) -> str:
    return f"{round(float(hours), 1):g}"


def secret(state_dir) -> bytes:
    """The hub's certificate secret, made on first use (root-only like the other secrets)."""
    state = Path(state_dir)
    if not state.is_dir():
        raise CertificateError(f"허브 상태 폴더 {state}가 없어요.", f"no hub state directory at {state}")
    return hub_state.write_secret(state / SECRET_FILE, lambda: secrets.token_hex(32)).encode()


def sign(key: bytes, claim: Claim) -> str:
    digest = hmac.new(key, claim.signed_text().encode(), hashlib.sha256).digest()[:CODE_BYTES]
    raw = base64.b32encode(digest).decode()
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def normalise(code: str) -> str | None:
    """'k7qm 2xwa-...' -> 'K7QM2XWA...'; None for anything that cannot be a code (never a path)."""
    raw = re.sub(r"[\s-]", "", str(code or "")).upper()
    return raw if _CODE.fullmatch(raw) else None


def _register(state_dir) -> Path:
    folder = Path(state_dir) / REGISTER
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def record(state_dir, claim: Claim) -> str:
    """Sign CLAIM and keep it in the register; returns the code (the same claim always gets the same code)."""
    code = sign(secret(state_dir), claim)
    hub_state.write_private(_register(state_dir) / f"{normalise(code)}.json",
                            json.dumps(asdict(claim), ensure_ascii=False, indent=1) + "\n")
    return code


INVALID = ("유효하지 않은 이수증 코드입니다. 위조되었거나 바뀌었거나 잘못 입력된 코드입니다.",
           "this certificate code is not valid: it was forged, altered or mistyped")


def verify(state_dir, code: str) -> Claim:
    """The claim behind CODE, or CertificateError (both languages) when it is not a code this hub issued."""
    raw = normalise(code)
    if raw is None:
        raise CertificateError(*INVALID)
    path = Path(state_dir) / REGISTER / f"{raw}.json"
    try:
        claim = Claim(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        raise CertificateError(*INVALID) from None
    if not hmac.compare_digest(normalise(sign(secret(state_dir), claim)), raw):
        raise CertificateError(*INVALID)
    return claim
