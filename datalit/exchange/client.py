"""Talking to the exchange: over HTTP with a hub token (learners' servers, remote instructors), or
straight to the store as root on the hub machine (the instructor's ``datalit lab`` commands).

Both backends have the same methods, so ``datalit lab release/collect/feedback`` do not care which
one they use (:func:`instructor_backend` picks). Learners only ever use :class:`ExchangeClient`.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import requests

from datalit.config import env_name
from datalit.exchange.policy import Refused
from datalit.exchange.intake import decode, encode
from datalit.exchange.store import Store, StoreError, read_tree
from datalit.hub.state import find_hub_state

URL_ENV = env_name("lab", "exchange_url")  # the one name of the service URL (the hub sets it in servers)
TOKEN_ENV = "DATALIT_EXCHANGE_TOKEN"


def exchange_root(cfg: dict) -> Path:
    """Where the store lives: ``lab.exchange_dir``, else ``<hub state dir>/exchange`` of the hub found as
    every command finds it (never a default store no hub serves: NoHubRunning, an OSError, says why)."""
    if cfg.get("exchange_dir"):
        return Path(cfg["exchange_dir"])
    return find_hub_state(None, require_running=False) / "exchange"


class ExchangeUnavailable(StoreError):
    pass


class ExchangeClient:
    """The service's API with one person's hub token (their identity is the token's, nothing else)."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 120):
        self.url = (url or os.environ.get(URL_ENV, "")).rstrip("/")
        token = token or os.environ.get(TOKEN_ENV) or os.environ.get("JUPYTERHUB_API_TOKEN", "")
        if not self.url or not token:
            raise ExchangeUnavailable("과제 교환 서비스에 연결할 수 없습니다: 허브의 서버에서 실행하세요 "
                                      f"({URL_ENV} / JUPYTERHUB_API_TOKEN 없음).")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.timeout = timeout

    def _call(self, method: str, path: str, **kw):
        try:
            r = self.session.request(method, f"{self.url}/api/{path}", timeout=self.timeout, **kw)
        except requests.ConnectionError as exc:
            raise ExchangeUnavailable(f"과제 교환 서비스({self.url})가 응답하지 않습니다: {exc}") from None
        try:
            data = r.json()
        except ValueError:
            data = {"error": r.text[:300]}
        if r.status_code >= 400:
            raise Refused(data.get("code", str(r.status_code)), data.get("error") or f"HTTP {r.status_code}")
        return data

    # learners
    def labs(self) -> dict:
        return self._call("GET", "labs")

    def fetch(self, lab: str) -> tuple[dict, dict[str, bytes]]:
        data = self._call("GET", f"labs/{lab}")
        return data["meta"], decode(data["files"])

    def submit(self, lab: str, files: dict[str, bytes], confirm: bool = False, member: str | None = None) -> dict:
        """MEMBER: on a team server, the member who clicked (the exchange takes it only from a team
        server's token, and only a member of that team; a person's own token always submits as that person)."""
        body = {"files": encode(files), "confirm": confirm}
        if member:
            body["member"] = member
        return self._call("POST", f"labs/{lab}/submissions", json=body)

    def team_submissions(self, lab: str) -> dict:
        return self._call("GET", f"labs/{lab}/submissions")

    def feedback(self, lab: str, sub_id: str) -> dict[str, bytes]:
        return decode(self._call("GET", f"labs/{lab}/submissions/{sub_id}/feedback")["files"])

    # instructors (same methods as LocalBackend)
    def release(self, lab: str, src: Path, due: datetime | None) -> dict:
        return self._call("PUT", f"labs/{lab}", json={"files": encode(read_tree(Path(src))),
                                                      "due": due.isoformat() if due else None})

    def set_roster(self, roster: dict) -> None:
        self._call("PUT", "roster", json={"roster": roster})

    def submissions(self, lab: str) -> list[dict]:
        return self._call("GET", f"labs/{lab}/all")["submissions"]

    def submission_files(self, lab: str, team: str, sub_id: str) -> dict[str, bytes]:
        return decode(self._call("GET", f"labs/{lab}/teams/{team}/{sub_id}")["files"])

    def put_feedback(self, lab: str, team: str, sub_id: str, files: dict[str, bytes]) -> None:
        self._call("PUT", f"labs/{lab}/teams/{team}/{sub_id}/feedback", json={"files": encode(files)})


class LocalBackend:
    """The instructor's side straight on the store (root, on the hub machine)."""

    def __init__(self, store: Store):
        self.store = store

    def release(self, lab: str, src: Path, due: datetime | None) -> dict:
        return self.store.release(lab, src, due)

    def set_roster(self, roster: dict) -> None:
        self.store.set_roster(roster)

    def submissions(self, lab: str) -> list[dict]:
        return self.store.submissions(lab)

    def submission_files(self, lab: str, team: str, sub_id: str) -> dict[str, bytes]:
        return read_tree(self.store.submission_dir(lab, team, sub_id))

    def put_feedback(self, lab: str, team: str, sub_id: str, files: dict[str, bytes]) -> None:
        self.store.put_feedback(lab, team, sub_id, files)


def instructor_backend(cfg: dict):
    """HTTP when ``lab.exchange_url`` is set (a hub elsewhere, e.g. Kubernetes), else the local store."""
    if cfg.get("exchange_url"):
        return ExchangeClient(cfg["exchange_url"])
    return LocalBackend(Store(exchange_root(cfg), cfg["course_id"]))
