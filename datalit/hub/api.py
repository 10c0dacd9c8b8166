"""A small client of the hub's REST API for the ``datalit`` commands (token of the datalit-cli service)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import requests

from datalit.hub.state import read_hub_info, read_secret


class HubUnavailable(RuntimeError):
    pass


class HubAPI:
    def __init__(self, url: str, token: str, timeout: float = 30):
        self.url = url.rstrip("/") + "/hub/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.timeout = timeout

    @classmethod
    def from_state(cls, state: Path) -> "HubAPI":
        info = read_hub_info(state)
        return cls(info["url"], read_secret(state, "api_token"))

    def request(self, method: str, path: str, **kwargs):
        try:
            resp = self.session.request(method, self.url + path, timeout=self.timeout, **kwargs)
        except requests.ConnectionError as exc:
            raise HubUnavailable(f"the hub at {self.url} does not answer: is 'datalit hub' running?") from exc
        if resp.status_code >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {resp.status_code} {resp.text[:300]}")
        return resp.json() if resp.content else None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def users(self) -> list[dict]:
        return self.get("/users", params={"limit": 10000})

    def groups(self) -> list[dict]:
        return self.get("/groups", params={"limit": 1000})

    def user(self, name: str) -> dict | None:
        try:
            return self.get(f"/users/{quote(name)}")
        except RuntimeError as exc:
            if "HTTP 404" in str(exc):
                return None
            raise

    def ensure_user(self, name: str) -> None:
        if self.user(name) is None:
            self.request("POST", f"/users/{quote(name)}")

    def add_to_group(self, group: str, names: list[str]) -> None:
        self.request("POST", f"/groups/{quote(group)}/users", json={"users": names})

    def remove_from_group(self, group: str, names: list[str]) -> None:
        self.request("DELETE", f"/groups/{quote(group)}/users", json={"users": names})

    def stop_server(self, name: str) -> None:
        self.request("DELETE", f"/users/{quote(name)}/server")

    def delete_user(self, name: str) -> None:
        self.request("DELETE", f"/users/{quote(name)}")
