"""Failed logins are throttled per account *and* client, so that nobody can lock another person out.

NativeAuthenticator counts failures per account only: seven wrong passwords typed by anyone lock the
account for everyone (a learner could lock the instructor out before class). Here:

* a browser that once logged in to an account carries a signed "known device" cookie
  (``datalit-device``: a random device id and the accounts that logged in from it, signed with the
  hub's cookie secret). Its failures count in its own bucket: nobody else's typing slows it.
* every other browser shares one bucket per account: after ``allowed`` failures they all wait
  ``wait_seconds``. Keys never use the IP address (a workshop room shares one public address).
* ``datalit users unlock NAME`` (``POST /hub/api/datalit/unlock/NAME``, scope ``admin:users``) clears
  every bucket of an account.

Buckets live in the hub's memory (like NativeAuthenticator's): a hub restart clears them.
"""
from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from urllib.parse import quote

DEVICE_COOKIE = "datalit-device"
DEVICE_DAYS = 365
NEW_CLIENT = "new"  # the bucket of every browser that never logged in to the account


class LoginThrottle:
    def __init__(self, allowed: int, wait_seconds: float):
        self.allowed, self.wait_seconds = allowed, wait_seconds
        self.failures: dict[tuple[str, str], tuple[int, float]] = {}  # (account, client) -> (count, last)

    def wait(self, account: str, client: str) -> float:
        """Seconds this client must still wait before trying this account (0: it may try now)."""
        count, last = self.failures.get((account, client), (0, 0.0))
        if not self.allowed or count < self.allowed:
            return 0.0
        return max(0.0, self.wait_seconds - (time.time() - last))

    def failed(self, account: str, client: str) -> None:
        count, _ = self.failures.get((account, client), (0, 0.0))
        self.failures[(account, client)] = (count + 1, time.time())

    def succeeded(self, account: str, client: str) -> None:
        self.failures.pop((account, client), None)

    def unlock(self, account: str) -> int:
        keys = [k for k in self.failures if k[0] == account]
        for k in keys:
            del self.failures[k]
        return len(keys)


# ---- the known-device cookie (read and written through the hub's request handler) ------------------
def _device(handler) -> dict:
    raw = handler.get_secure_cookie(DEVICE_COOKIE, max_age_days=DEVICE_DAYS)
    if raw:
        try:
            value = json.loads(raw)
            if isinstance(value.get("id"), str) and isinstance(value.get("users"), list):
                return value
        except (ValueError, AttributeError):
            pass
    return {"id": "", "users": []}


def client_key(handler, account: str) -> str:
    """The bucket of this browser for this account: its device id if it logged in to it before."""
    device = _device(handler)
    if device["id"] and account in device["users"]:
        return "device:" + device["id"]
    return NEW_CLIENT


def remember_device(handler, account: str) -> None:
    """After a successful login: this browser is a known device of ``account`` from now on."""
    device = _device(handler)
    device["id"] = device["id"] or secrets.token_urlsafe(16)
    device["users"] = [u for u in device["users"] if u != account][-19:] + [account]
    handler._set_cookie(DEVICE_COOKIE, json.dumps(device), encrypted=True, path=handler.hub.base_url,
                        expires_days=DEVICE_DAYS)


# ---- the admin's unlock --------------------------------------------------------------------------
def unlock_handler_class():
    """``POST /hub/api/datalit/unlock/<name>``: clear an account's failed logins (admin:users)."""
    from jupyterhub.apihandlers.base import APIHandler
    from jupyterhub.scopes import needs_scope

    class UnlockAPIHandler(APIHandler):
        @needs_scope("admin:users")
        async def post(self, name):
            name = self.authenticator.normalize_username(name)
            cleared = self.authenticator.throttle.unlock(name)
            self.log.info("login throttle of %s cleared by %s (%d buckets)", name,
                          getattr(self.current_user, "name", "?"), cleared)
            self.finish(json.dumps({"name": name, "cleared": cleared}))

    return UnlockAPIHandler


def unlock(state: Path, name: str) -> dict:
    """``datalit users unlock NAME``: the running hub forgets NAME's failed logins."""
    from datalit.hub.api import HubAPI

    return HubAPI.from_state(state).request("POST", f"/datalit/unlock/{quote(name)}")
