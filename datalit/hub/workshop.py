"""Workshop accounts for citizens: created in batches, expire on a date, purged with an archive.

The registry ``<state>/workshop/accounts.json`` (mode 0600) holds per account the bcrypt hash of the
password, the tier, the batch and ``expires_at``. The hub's authenticator checks it at every login
(refusing expired accounts with a Korean message); the ``workshop-expiry`` hub service stops their
servers. Credentials are written once, as CSV, a printable Korean HTML sheet and a PDF of cut-out
cards with a QR code to the login page (datalit/hub/cards.py), in ``<state>/workshop/<batch>/``.

Times: ``--expires 2026-12-24`` means the account works through the end of that day in Korea. The
registry stores the instant it stops working in UTC (``2026-12-24T15:00:00+00:00``); people read it
as ``2026-12-24 23:59 (KST)`` (``datalit.kst.until``) in the CSV, the sheet and the login refusal.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import tarfile
from contextlib import contextmanager
from pathlib import Path

import bcrypt

from datalit import atomic, templating
from datalit.hub.roles import TIER_NAMES, TIERS
from datalit.kst import TimeFormatError, now_utc, parse_day_or_kst, shown, to_store, until
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
PROGRAMME = "서울 데이터 리터러시 랩"
# bcrypt's cost protects guessable, human-chosen passwords; these are random (12 of 31 symbols, 59 bits), so
# 2^8 rounds (a quarter of bcrypt's default 2^10) leave a stolen registry unguessable while 30 logins at once cost the hub's
# 2 cores well under a second instead of several (bench/workshop_day.py). Older accounts keep their cost.
BCRYPT_ROUNDS = 8


class WorkshopError(ValueError):
    pass


def registry_path(state: Path) -> Path:
    return state / "workshop" / "accounts.json"


def load_registry(state: Path) -> dict:
    return atomic.read_json(registry_path(state), lambda: {"accounts": {}})


@contextmanager
def updating_registry(state: Path):
    """``with updating_registry(state) as registry:`` read, change, write back (mode 0600) under the
    registry's lock: two ``workshop create`` at once, or a purge beside a ``set_expiry``, lose no account."""
    path = registry_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.updating_json(path, lambda: {"accounts": {}}, mode=0o600, indent=1, sort_keys=True,
                              ensure_ascii=True) as registry:
        yield registry


def save_registry(state: Path, registry: dict) -> None:
    """Replace the whole registry (under its lock); changes go through :func:`updating_registry`."""
    path = registry_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.locked(path):
        atomic.write_json(path, registry, mode=0o600, indent=1, sort_keys=True, ensure_ascii=True)


def parse_expiry(text: str) -> dt.datetime:
    """The instant (UTC) an account stops working.

    ``2026-12-24`` = usable through that day in Korea (until the next Korean midnight); a date with a
    time is that instant, read by the one rule of :func:`datalit.kst.parse_kst` (Korea time without a zone)."""
    try:
        return parse_day_or_kst(text)
    except TimeFormatError as exc:
        raise WorkshopError(f"expiry must be YYYY-MM-DD or a date and time such as '2026-12-24 18:00' "
                            f"(Korea time unless it says +00:00 or UTC), got {text!r}") from exc


def is_expired(entry: dict, now: dt.datetime | None = None) -> bool:
    now = now or now_utc()
    return now >= dt.datetime.fromisoformat(entry["expires_at"])


def expiry_label(entry: dict) -> str:
    """The last minute the account works, as people read it: ``2026-12-24 23:59 (KST)``."""
    return until(entry["expires_at"])


def _password() -> str:
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def create_accounts(state: Path, count: int, expires: str, tier: str = "citizen", prefix: str = "ws",
                    hub_url: str = "") -> dict:
    """Create ``count`` accounts; returns ``{"batch", "users", "csv", "html", "accounts"}``.

    Passwords exist in clear only in the CSV/HTML written here (mode 0600)."""
    if tier not in TIERS:
        raise WorkshopError(f"unknown tier {tier!r} (one of {', '.join(TIERS)})")
    if not 1 <= count <= 500:
        raise WorkshopError("count must be between 1 and 500")
    if not prefix.isascii() or not prefix.isalpha() or not prefix.islower() or len(prefix) > 12:
        raise WorkshopError("prefix: up to 12 lowercase ascii letters")
    from datalit.hub.uids import is_reserved_name

    if is_reserved_name(prefix):
        raise WorkshopError(f"prefix {prefix!r}: names starting with it are reserved for the grading sandbox")
    when = parse_expiry(expires)
    if when <= now_utc():
        raise WorkshopError(f"expiry {shown(when)} is already in the past")
    with updating_registry(state) as registry:
        while True:
            batch = secrets.token_hex(2)
            if not any(a["batch"] == batch for a in registry["accounts"].values()):
                break
        created_at = to_store(timespec="seconds")
        rows = []
        for i in range(1, count + 1):
            name = f"{prefix}{batch}{i:02d}"
            password = _password()
            registry["accounts"][name] = {
                "batch": batch,
                "tier": tier,
                "expires_at": to_store(when),
                "created_at": created_at,
                "password_hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode(),
            }
            rows.append({"username": name, "password": password, "tier": tier, "expires": until(when)})
    out = state / "workshop" / batch
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    csv_path, html_path = out / "accounts.csv", out / "accounts.html"
    fd = os.open(csv_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens Hangul right
        writer = csv.DictWriter(fh, fieldnames=["username", "password", "tier", "expires"])
        writer.writeheader()
        writer.writerows(rows)
    fd = os.open(html_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(credential_sheet(rows, registry["accounts"][rows[0]["username"]], hub_url))
    from datalit.hub import cards

    pdf_path = out / "cards.pdf"
    fd = os.open(pdf_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(cards.render(rows, hub_url, until(when)))
    return {"batch": batch, "users": [r["username"] for r in rows], "csv": csv_path, "html": html_path,
            "pdf": pdf_path, "accounts": rows}


TIER_KO = TIER_NAMES


def credential_sheet(rows: list[dict], entry: dict, hub_url: str) -> str:
    """A printable A4 page of cut-out cards, one per account, in Korean (datalit/templates/workshop_sheet.html)."""
    return templating.render("workshop_sheet.html", programme=PROGRAMME, rows=rows, last=expiry_label(entry),
                             hub_url=hub_url, tier_names=TIER_KO)


def set_expiry(state: Path, names: list[str], expires: str) -> list[str]:
    """Change the expiry of accounts (by user name or batch id); returns the user names changed."""
    when = parse_expiry(expires)
    with updating_registry(state) as registry:  # an error in the block writes nothing
        changed = []
        for name, entry in registry["accounts"].items():
            if name in names or entry["batch"] in names:
                entry["expires_at"] = to_store(when)
                changed.append(name)
        if not changed:
            raise WorkshopError(f"no workshop account or batch named {', '.join(names)}")
    return changed


def expired_accounts(state: Path, now: dt.datetime | None = None) -> dict[str, dict]:
    return {n: e for n, e in load_registry(state)["accounts"].items() if is_expired(e, now)}


def purge(state: Path, home_of, remove_user, stop_server=lambda name: None,
          now: dt.datetime | None = None) -> dict:
    """Stop, archive, then remove expired accounts.

    ``stop_server(name)`` returns once the server is stopped; ``home_of(name) -> Path | None`` finds
    a home; ``remove_user(name)`` deletes the hub user and the unix account. The archive ``<state>/workshop/archive/purge-<time>.tar.gz`` holds each home and
    the registry entries (without password hashes), so nothing is lost before it is removed.
    """
    expired = expired_accounts(state, now)
    if not expired:
        return {"purged": [], "archive": None}
    for name in sorted(expired):
        stop_server(name)
    archive_dir = state / "workshop" / "archive"
    archive_dir.mkdir(parents=True, exist_ok=True)
    stamp = now_utc().strftime("%Y%m%dT%H%M%SZ")
    archive = archive_dir / f"purge-{stamp}.tar.gz"
    homes = {}
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        meta = {n: {k: v for k, v in e.items() if k != "password_hash"} for n, e in expired.items()}
        info_path = archive_dir / f".{stamp}.json"
        info_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False))
        tar.add(info_path, arcname="accounts.json")
        info_path.unlink()
        for name in sorted(expired):
            home = home_of(name)
            if home and home.is_dir():
                tar.add(home, arcname=f"homes/{name}")
                homes[name] = home
    for name in sorted(expired):
        remove_user(name)
        home = homes.get(name)
        if home and home.exists():
            shutil.rmtree(home, ignore_errors=True)
    with updating_registry(state) as registry:
        for name in expired:
            registry["accounts"].pop(name, None)
    return {"purged": sorted(expired), "archive": archive}


def remove_unix_user(name: str) -> None:
    """``userdel -r`` when the account exists (root mode)."""
    from datalit.hub.uids import is_person_account

    if os.geteuid() == 0 and is_person_account(name):  # never a system account (root, bin, nobody ...)
        subprocess.run(["userdel", "-r", name], capture_output=True)
