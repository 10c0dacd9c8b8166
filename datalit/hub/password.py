"""비밀번호 변경 pages in Korean (``/hub/change-password`` and the admin's ``/hub/change-password/<name>``).

NativeAuthenticator's own handlers answer a workshop account with a 500 error (workshop accounts have no
NativeAuthenticator record: ``'NoneType' object has no attribute 'is_valid_password'``) and speak English.
Workshop passwords are printed on the workshop sheet and cannot be changed: the page says so. Staff change
their password after typing the current one; the admin sets anyone's (staff) password.
"""
from __future__ import annotations

from jupyterhub.scopes import needs_scope
from nativeauthenticator.handlers import ChangePasswordAdminHandler, ChangePasswordHandler
from tornado import web

MSG_WORKSHOP = ("워크숍 계정({username})의 비밀번호는 바꿀 수 없습니다. 워크숍 안내지에 적힌 비밀번호를 "
                "그대로 쓰세요. 비밀번호를 잃어버렸다면 진행자에게 문의하세요.")
MSG_NO_ACCOUNT = "{username} 계정은 이 허브의 비밀번호로 로그인하지 않아 여기서 비밀번호를 바꿀 수 없습니다."
MSG_WRONG_OLD = "현재 비밀번호가 올바르지 않습니다. 다시 입력하세요."
MSG_MISMATCH = "새 비밀번호와 비밀번호 확인이 다릅니다. 다시 입력하세요."
MSG_WEAK = "비밀번호를 바꾸지 못했습니다. 새 비밀번호는 {n}자 이상이어야 하고 흔한 비밀번호가 아니어야 합니다."
MSG_DONE = "비밀번호를 바꿨습니다. 다음 로그인부터 새 비밀번호를 쓰세요."
MSG_DONE_ADMIN = "{username}의 비밀번호를 바꿨습니다."


def _refusal(authenticator, username: str) -> str | None:
    """Why USERNAME's password cannot be changed here, or None if it can."""
    if authenticator.workshop_entry(username) is not None:
        return MSG_WORKSHOP.format(username=username)
    if authenticator.get_user(username) is None:
        return MSG_NO_ACCOUNT.format(username=username)
    return None


class DatalitChangePasswordHandler(ChangePasswordHandler):
    async def _page(self, user_name, message=None, alert="alert-info", refused=False):
        html = await self.render_template("change-password.html", user_name=user_name, result_message=message,
                                          alert=alert, refused=refused)
        self.finish(html)

    @web.authenticated
    async def get(self):
        name = self.current_user.name
        refusal = _refusal(self.authenticator, name)
        await self._page(name, refusal, "alert-warning", refused=refusal is not None)

    @web.authenticated
    async def post(self):
        name = self.current_user.name
        refusal = _refusal(self.authenticator, name)
        if refusal:
            self.set_status(403)
            return await self._page(name, refusal, "alert-warning", refused=True)
        old = self.get_body_argument("old_password", "", strip=False)
        new = self.get_body_argument("new_password", "", strip=False)
        confirmation = self.get_body_argument("new_password_confirmation", "", strip=False)
        if not self.authenticator.get_user(name).is_valid_password(old):
            return await self._page(name, MSG_WRONG_OLD, "alert-danger")
        if new != confirmation:
            return await self._page(name, MSG_MISMATCH, "alert-danger")
        if not self.authenticator.change_password(name, new):
            return await self._page(name, MSG_WEAK.format(n=self.authenticator.minimum_password_length),
                                    "alert-danger")
        self.log.info("%s changed their password", name)
        await self._page(name, MSG_DONE, "alert-success")


class DatalitChangePasswordAdminHandler(ChangePasswordAdminHandler):
    async def _page(self, user_name, message=None, alert="alert-info", refused=False):
        html = await self.render_template("change-password-admin.html", user_name=user_name,
                                          result_message=message, alert=alert, refused=refused)
        self.finish(html)

    @needs_scope("admin:users")
    async def get(self, user_name):
        refusal = _refusal(self.authenticator, user_name)
        if refusal and self.authenticator.workshop_entry(user_name) is None:
            raise web.HTTPError(404)
        await self._page(user_name, refusal, "alert-warning", refused=refusal is not None)

    @needs_scope("admin:users")
    async def post(self, user_name):
        refusal = _refusal(self.authenticator, user_name)
        if refusal:
            self.set_status(403)
            return await self._page(user_name, refusal, "alert-warning", refused=True)
        new = self.get_body_argument("new_password", "", strip=False)
        if new != self.get_body_argument("new_password_confirmation", "", strip=False):
            return await self._page(user_name, MSG_MISMATCH, "alert-danger")
        if not self.authenticator.change_password(user_name, new):
            return await self._page(user_name, MSG_WEAK.format(n=self.authenticator.minimum_password_length),
                                    "alert-danger")
        self.log.info("the password of %s was changed by %s", user_name, self.current_user.name)
        await self._page(user_name, MSG_DONE_ADMIN.format(username=user_name), "alert-success")
