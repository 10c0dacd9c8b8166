"""Issue #11 item 2: a cross-site request with the admin's cookie approved a pending account.

The attack: the admin, logged in to the hub, opens a page of the attacker's that links or embeds
``/hub/authorize/<name>`` (a GET, no XSRF token); the account was approved and its unix user created.
Now approval, withdrawal and discarding are POSTs that JupyterHub checks for its XSRF token, and the
hub's cookies are SameSite=Lax (a browser does not send them with a cross-site sub-request or POST)."""
from __future__ import annotations

import os
import pwd
import re
import secrets
import uuid

import pytest

pytestmark = [pytest.mark.hub]


def _unix_user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _pending(hub) -> tuple[str, str]:
    name, password = "t" + uuid.uuid4().hex[:8], "pw-" + secrets.token_hex(8)
    page = hub.signup(name, password)
    assert "승인" in page, page[-1500:]
    return name, password


def _approved(hub, name: str, password: str) -> bool:
    _, resp = hub.login(name, password)
    return resp.status_code == 302


def test_cross_site_get_does_not_approve(hub):
    name, password = _pending(hub)
    admin = hub.admin_session()
    # what an <img src> or a link on the attacker's page makes the admin's browser send
    resp = admin.get(f"{hub.url}/hub/authorize/{name}", headers={"Sec-Fetch-Site": "cross-site",
                                                                 "Referer": "https://evil.example/"},
                     timeout=30, allow_redirects=False)
    assert resp.status_code == 405, (resp.status_code, resp.text[:300])
    assert not _approved(hub, name, password)
    if os.geteuid() == 0:
        assert not _unix_user_exists(name), "a unix account was created by a cross-site GET"


def test_post_without_the_xsrf_token_is_refused(hub):
    name, password = _pending(hub)
    admin = hub.admin_session()
    # a cross-site form POST carries the cookies (if the browser sent them) but never the page's token
    for path in (f"authorize/{name}", f"discard/{name}"):
        resp = admin.post(f"{hub.url}/hub/{path}", data={}, timeout=30, allow_redirects=False)
        assert resp.status_code == 403, (path, resp.status_code, resp.text[:300])
    assert admin.get(f"{hub.url}/hub/discard/{name}", timeout=30, allow_redirects=False).status_code == 405
    assert not _approved(hub, name, password)
    assert name in admin.get(f"{hub.url}/hub/authorize", timeout=30).text  # not discarded either
    # the 승인 button of the real page (a form with the token) still works
    hub.approve(name)
    assert _approved(hub, name, password)


def test_hub_cookies_are_same_site_lax(hub):
    s = hub.session()
    s.get(f"{hub.url}/hub/login", timeout=30)
    _, resp = hub.login("admin", hub.admin_password)
    assert resp.status_code == 302
    cookies = resp.raw.headers.getlist("Set-Cookie")
    login = [c for c in cookies if c.startswith("jupyterhub-hub-login=")]
    assert login, cookies
    for cookie in cookies:
        assert "samesite=lax" in cookie.lower(), cookie


def test_cookies_are_secure_behind_https(tmp_path):
    """Behind a TLS proxy the hub sees plain HTTP; with hub.public_url https:// its cookies say Secure."""
    import shutil

    from hub_fixtures import hub_base_dir, start_hub

    base = hub_base_dir()
    h = start_hub(base / "state", home_base=base / "home",
                  extra_env={"DATALIT_HUB_PUBLIC_URL": "https://lab.example.org"})
    try:
        # The login page's _xsrf cookie is Secure, so requests (speaking plain HTTP to the hub, as the TLS
        # proxy does) would not send it back; without it the hub signs a fresh token whose timestamp
        # differs once a second has passed (it did under load: 403). A browser behind HTTPS sends it.
        s = h.session()
        page = s.get(f"{h.url}/hub/login", timeout=30)
        assert "; secure" in page.headers.get("Set-Cookie", "").lower(), page.headers
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        resp = s.post(f"{h.url}/hub/login?next=", headers={"Cookie": f"_xsrf={s.cookies['_xsrf']}"},
                      data={"_xsrf": xsrf, "username": "admin", "password": h.admin_password},
                      timeout=60, allow_redirects=False)
        assert resp.status_code == 302, resp.text[:300]
        cookies = resp.raw.headers.getlist("Set-Cookie")
        assert any(c.startswith("jupyterhub-hub-login=") for c in cookies), cookies
        for cookie in cookies:
            assert "; secure" in cookie.lower() and "samesite=lax" in cookie.lower(), cookie
    finally:
        h.stop()
        shutil.rmtree(base, ignore_errors=True)
