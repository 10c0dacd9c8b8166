"""Issue #11 item 10: 비밀번호 변경 as a citizen (workshop account) and as a staff member, through the real hub.

A citizen's click on 비밀번호 변경 was a 500 error (workshop accounts have no NativeAuthenticator record);
a staff member's page was English. Now a citizen reads in Korean why the printed password stays, and staff
change their password on a Korean page."""
from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.hub]


def _xsrf(page: str) -> str:
    m = re.search(r'name="_xsrf" value="([^"]+)"', page)
    assert m, page[-1500:]
    return m.group(1)


def test_citizen_reads_why_the_workshop_password_stays(hub):
    [(name, password)] = hub.workshop_accounts(1, prefix="pwc")
    hub.created.append(name)
    s, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[-800:]
    page = s.get(f"{hub.url}/hub/change-password", timeout=30)
    assert page.status_code == 200, page.text[-800:]
    assert "워크숍 계정" in page.text and "바꿀 수 없습니다" in page.text
    assert 'name="old_password"' not in page.text  # no form that cannot work
    token = s.cookies.get("_xsrf")
    posted = s.post(f"{hub.url}/hub/change-password", data={
        "_xsrf": token, "old_password": password, "new_password": "new-pass-123", "new_password_confirmation":
        "new-pass-123"}, timeout=30)
    assert posted.status_code == 403, (posted.status_code, posted.text[-800:])
    assert "바꿀 수 없습니다" in posted.text
    assert hub.login(name, password)[1].status_code == 302  # the printed password still works


def test_staff_change_their_password_on_a_korean_page(hub):
    name, password = hub.new_user()
    s, resp = hub.login(name, password)
    assert resp.status_code == 302
    page = s.get(f"{hub.url}/hub/change-password", timeout=30)
    assert page.status_code == 200
    for korean in ("비밀번호 변경", "현재 비밀번호", "새 비밀번호 확인", "비밀번호 바꾸기"):
        assert korean in page.text, korean
    for english in ("Change password", "Old password", "Confirm new password"):
        assert english not in page.text, english
    xsrf = _xsrf(page.text)

    def change(old, new, confirm):
        return s.post(f"{hub.url}/hub/change-password", data={
            "_xsrf": xsrf, "old_password": old, "new_password": new, "new_password_confirmation": confirm},
            timeout=30)

    wrong = change("not-my-password", "brand-new-pw-42", "brand-new-pw-42")
    assert wrong.status_code == 200 and "현재 비밀번호가 올바르지 않습니다" in wrong.text
    mismatch = change(password, "brand-new-pw-42", "brand-new-pw-43")
    assert "새 비밀번호와 비밀번호 확인이 다릅니다" in mismatch.text
    done = change(password, "brand-new-pw-42", "brand-new-pw-42")
    assert "비밀번호를 바꿨습니다" in done.text, done.text[-800:]
    assert hub.login(name, password)[1].status_code != 302
    assert hub.login(name, "brand-new-pw-42")[1].status_code == 302


def test_admin_sets_a_staff_password_on_a_korean_page(hub):
    name, _ = hub.new_user()
    admin = hub.admin_session()
    page = admin.get(f"{hub.url}/hub/change-password/{name}", timeout=30)
    assert page.status_code == 200 and "비밀번호 정하기" in page.text and "Change password" not in page.text
    done = admin.post(f"{hub.url}/hub/change-password/{name}", data={
        "_xsrf": _xsrf(page.text), "new_password": "set-by-admin-77", "new_password_confirmation":
        "set-by-admin-77"}, timeout=30)
    assert "비밀번호를 바꿨습니다" in done.text, done.text[-800:]
    assert hub.login(name, "set-by-admin-77")[1].status_code == 302
