"""Issue #11 item 3: an expired workshop account's session lived on.

The attack: a citizen logs in during the workshop and keeps the browser open (or keeps the API token they
made). After the account's expiry the old cookie still started a server, ran code and created a 24-hour API
token. Now, at expiry, the workshop-expiry service stops the server and revokes every token, the hub ends
the session at the next auth refresh, and a spawn or a token request by the expired account is refused."""
from __future__ import annotations

import time

import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _api(session, hub, method, path, **kw):
    headers = {"X-XSRFToken": session.cookies.get("_xsrf", path="/hub/") or ""}
    return session.request(method, f"{hub.url}/hub/api{path}", headers=headers, timeout=60,
                           allow_redirects=False, **kw)


def test_expired_account_loses_cookie_server_and_tokens(hub):
    [(name, password)] = hub.workshop_accounts(1, prefix="exs")
    hub.created.append(name)
    browser, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[-500:]
    browser.get(f"{hub.url}/hub/home", timeout=30)  # the _xsrf cookie of a real page view

    # during the workshop: the cookie makes a token and starts a server, the token runs code
    made = _api(browser, hub, "POST", f"/users/{name}/tokens", json={"note": "mine", "expires_in": 86400})
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    started = _api(browser, hub, "POST", f"/users/{name}/server")
    assert started.status_code in (201, 202), started.text
    deadline = time.time() + 120
    while time.time() < deadline and not ((hub.user_model(name) or {}).get("server")
                                          and not hub.user_model(name).get("pending")):
        time.sleep(0.5)
    assert hub.run_code(name, token, "print(6 * 7)")["stdout"].strip() == "42"

    # the account expires
    expired = hub.workshop("expire", name)
    assert expired.returncode == 0, expired.stderr
    auth = {"Authorization": f"token {token}"}
    deadline = time.time() + 30
    while time.time() < deadline:
        model = hub.user_model(name) or {}
        gone = requests.get(f"{hub.url}/hub/api/user", headers=auth, timeout=30).status_code == 403
        if gone and not model.get("server") and not model.get("pending"):
            break
        time.sleep(0.5)
    assert not (hub.user_model(name) or {}).get("server"), "the expired account's server still runs"
    assert requests.get(f"{hub.url}/hub/api/user", headers=auth, timeout=30).status_code == 403, \
        "the expired account's API token still works"
    assert requests.get(f"{hub.url}/user/{name}/api/status", headers=auth, timeout=30,
                        allow_redirects=False).status_code != 200
    time.sleep(6)  # longer than auth_refresh_age: the session is checked again at the next request

    # the old cookie: no server, no token, no hub page
    again = _api(browser, hub, "POST", f"/users/{name}/server")
    assert again.status_code == 403, (again.status_code, again.text[:300])
    token_again = _api(browser, hub, "POST", f"/users/{name}/tokens", json={"note": "late", "expires_in": 86400})
    assert token_again.status_code == 403, (token_again.status_code, token_again.text[:300])
    spawn_page = browser.get(f"{hub.url}/hub/spawn/{name}", timeout=30, allow_redirects=False)
    assert spawn_page.status_code == 302 and "/hub/login" in spawn_page.headers["Location"], spawn_page.status_code
    assert not (hub.user_model(name) or {}).get("server")
    # nor can the admin start it by mistake
    refused = requests.post(f"{hub.url}/hub/api/users/{name}/server", headers={"Authorization": f"token {hub.token}"},
                            timeout=60)
    assert refused.status_code >= 400, refused.text[:300]
    assert not (hub.user_model(name) or {}).get("server")
