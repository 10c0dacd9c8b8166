"""Sign-in: NativeAuthenticator (staff sign up, an admin approves) plus workshop accounts.

* Workshop accounts (``datalit workshop create``) live in ``<state>/workshop/accounts.json``; after
  their expiry the login is refused with a Korean message, and an existing session or API token stops
  working too: ``refresh_user`` (every ``auth_refresh_age`` seconds, see datalit/hub/definition.py)
  ends the session of an expired account (and of a staff member whose approval was withdrawn), and
  ``pre_spawn_start`` refuses to start its server. The workshop-expiry service revokes its tokens.
* Failed logins are throttled per account *and* browser (datalit.hub.throttle), never per IP address.
* Every message on the login, sign-up and password pages is Korean (datalit.hub.password).
* Approving, un-approving or discarding a person (``/hub/authorize/<name>``, ``/hub/discard/<name>``)
  is a POST with JupyterHub's XSRF token (a GET answers 405): a cross-site link cannot approve anyone.
  Approval creates the unix account when the hub runs as root.
* The first admin is created at the first start with the password the launcher printed once (on
  Kubernetes: from a Secret, the same DATALIT_FIRST_ADMIN_PASSWORD); no sign-up can take an admin name.
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import DiscardHandler, LoginHandler, SignUpHandler, ToggleAuthorizationHandler
from nativeauthenticator.orm import UserInfo
from tornado import web
from traitlets import Unicode

from datalit.config import DEFAULTS
from datalit.hub import throttle, workshop
from datalit.hub.password import DatalitChangePasswordAdminHandler, DatalitChangePasswordHandler
from datalit.hub.state import is_root

FIRST_ADMIN_ENV = "DATALIT_FIRST_ADMIN_PASSWORD"

MSG_INVALID = "아이디 또는 비밀번호가 올바르지 않습니다."
MSG_STALE_FORM = "로그인 화면을 연 지 오래되어 확인할 수 없었습니다. 아이디와 비밀번호를 다시 입력해 주세요."
MSG_BLOCKED = "로그인에 여러 번 실패해 잠시 잠겼습니다. {seconds}초 뒤에 다시 시도하세요."
MSG_NOT_APPROVED = "{username} 계정은 아직 관리자의 승인을 기다리고 있습니다. 승인되면 로그인할 수 있습니다."
MSG_RESERVED = ("'{username}'은(는) 채점·팀 서버가 쓰는 예약된 아이디라 가입할 수 없습니다. "
                "다른 아이디로 다시 시도하세요.")
MSG_ADMIN_NAME = ("'{username}'은(는) 관리자 계정 이름이라 가입으로 만들 수 없습니다. "
                  "다른 아이디로 다시 시도하세요.")
MSG_EXPIRED = ("워크숍 계정 {username}의 사용 기간이 {until}에 끝났습니다. "
               "이 계정으로는 더 이상 로그인할 수 없습니다. 진행자에게 문의하세요.")


class DatalitLoginHandler(LoginHandler):
    _sync_render = False

    def _render(self, login_error=None, username=None, sync=False, **_error_page):
        # JupyterHub's write_error renders the login form in place of its error page (an XSRF failure on
        # POST /hub/login) with sync=True and the error page's own arguments; nativeauthenticator's _render
        # takes neither, and renders asynchronously (a bare error page, "Uncaught exception in write_error")
        if login_error:
            if "form invalid or expired" in str(login_error):
                login_error = MSG_STALE_FORM
            else:
                login_error = self.authenticator.explain_failure(username or "", login_error, self)
        self._sync_render = sync
        try:
            return super()._render(login_error=login_error, username=username)
        finally:
            self._sync_render = False

    def render_template(self, name, **ns):
        if self._sync_render and name != "error.html":
            ns["sync"] = True
        return super().render_template(name, **ns)


class DatalitSignUpHandler(SignUpHandler):
    def get_result_message(self, user, assume_user_is_human, username_already_taken,
                           confirmation_matches, user_is_admin):
        alert, message = super().get_result_message(user, assume_user_is_human, username_already_taken,
                                                    confirmation_matches, user_is_admin)
        from datalit.hub.uids import is_reserved_name

        username = self.get_body_argument("username", "", strip=True)
        if not user and is_reserved_name(username):
            message = MSG_RESERVED.format(username=username)
        elif not user and self.authenticator.normalize_username(username) in self.authenticator.admin_users:
            message = MSG_ADMIN_NAME.format(username=username)
        elif username_already_taken:
            message = "이미 사용 중인 아이디입니다. 다른 아이디로 다시 시도하세요."
        elif not confirmation_matches:
            message = "비밀번호와 비밀번호 확인이 다릅니다. 다시 입력하세요."
        elif not user:
            n = self.authenticator.minimum_password_length
            message = ("가입하지 못했습니다. 아이디는 영문 소문자로 시작하는 영문 소문자·숫자·-·_ "
                       f"2~31자여야 하고, 비밀번호는 {n}자 이상이며 흔한 비밀번호가 아니어야 합니다.")
        elif alert == "alert-success":
            message = "가입되었습니다. 이제 로그인할 수 있습니다."
        else:
            message = "가입 신청이 접수되었습니다. 관리자가 승인하면 로그인할 수 있습니다."
        return alert, message


def _refuse_reserved(slug: str) -> None:
    from datalit.hub.uids import is_reserved_name

    if is_reserved_name(slug):  # a grading sandbox name: never a person (datalit.hub.uids)
        raise web.HTTPError(400, MSG_RESERVED.format(username=slug))


class DatalitToggleAuthorizationHandler(ToggleAuthorizationHandler):
    """``POST /hub/authorize/<name>`` toggles approval (XSRF-checked by JupyterHub); GET changes nothing."""

    async def get(self, slug):
        _refuse_reserved(slug)
        raise web.HTTPError(405, "approval is a POST from the 가입 승인 page (/hub/authorize)")

    async def post(self, slug):
        _refuse_reserved(slug)
        await super().get(slug)  # NativeAuthenticator's toggle (admin:users scope), then a redirect
        info = UserInfo.find(self.db, slug)
        if info is not None and info.is_authorized and is_root():
            from datalit.hub.spawner import ensure_unix_user

            ensure_unix_user(slug, self.authenticator.home_base, self.log)


class DatalitDiscardHandler(DiscardHandler):
    """``POST /hub/discard/<name>`` removes a pending sign-up; GET changes nothing."""

    async def get(self, user_name):
        raise web.HTTPError(405, "discarding a sign-up is a POST from the 가입 승인 page (/hub/authorize)")

    async def post(self, user_name):
        await super().get(user_name)


class DatalitAuthenticator(NativeAuthenticator):
    state_dir = Unicode(config=True, help="hub state directory (workshop registry)")
    home_base = Unicode(DEFAULTS["hub"]["home_base"], config=True)

    _registry_cache: tuple[float, dict] = (-1.0, {})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.throttle = throttle.LoginThrottle(self.allowed_failed_logins, self.seconds_before_next_try)
        self._ensure_first_admin()

    # ---- first admin -----------------------------------------------------------------------------
    def _ensure_first_admin(self):
        password = os.environ.pop(FIRST_ADMIN_ENV, "")
        for name in sorted(self.admin_users):
            if self.get_user(name) is None and password:
                info = UserInfo(username=name, password=bcrypt.hashpw(password.encode(), bcrypt.gensalt()),
                                is_authorized=True)
                self.db.add(info)
                self.db.commit()
                self.log.info("created the first admin %s", name)

    # ---- workshop accounts ---------------------------------------------------------------------
    def workshop_accounts(self) -> dict:
        path = workshop.registry_path(Path(self.state_dir))
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        if mtime != self._registry_cache[0]:
            self._registry_cache = (mtime, workshop.load_registry(path.parents[1])["accounts"])
        return self._registry_cache[1]

    def workshop_entry(self, username: str) -> dict | None:
        return self.workshop_accounts().get(username)

    async def authenticate(self, handler, data):
        username = self.normalize_username(data.get("username", ""))
        password = data.get("password", "")
        client = throttle.client_key(handler, username) if handler is not None else throttle.NEW_CLIENT
        if self.throttle.wait(username, client) > 0:
            return None
        entry = self.workshop_entry(username)
        if entry is not None:
            if workshop.is_expired(entry):
                self.log.info("refused expired workshop account %s", username)
                return None
            # in a thread (bcrypt releases the GIL): 30 logins at once must not queue on the hub's event loop
            ok = await asyncio.to_thread(bcrypt.checkpw, password.encode(), entry["password_hash"].encode())
        else:
            info = self.get_user(username)
            ok = info is not None and info.is_valid_password(password)
            if ok and info.has_2fa:
                ok = info.is_valid_token(data.get("2fa"))
            if ok and not info.is_authorized:
                return None  # the right password, not approved yet: not a guess, not counted
        if not ok:
            self.throttle.failed(username, client)
            return None
        self.throttle.succeeded(username, client)
        if handler is not None:
            throttle.remember_device(handler, username)
        return {"name": username}

    # ---- sessions and tokens of accounts that may no longer sign in ------------------------------
    def still_allowed(self, username: str) -> bool:
        entry = self.workshop_entry(username)
        if entry is not None:
            return not workshop.is_expired(entry)
        info = self.get_user(username)
        return info is None or info.is_authorized  # no record: a hub user made by the API (no login)

    async def refresh_user(self, user, handler=None):
        """False ends the session (cookie or token) of an expired workshop or un-approved account."""
        if self.still_allowed(user.name):
            return True
        self.log.info("session of %s ended: the account may no longer sign in", user.name)
        return False

    async def pre_spawn_start(self, user, spawner):
        entry = self.workshop_entry(user.name)
        if entry is not None and workshop.is_expired(entry):
            raise web.HTTPError(403, MSG_EXPIRED.format(username=user.name, until=workshop.expiry_label(entry)))
        if not self.still_allowed(user.name):
            raise web.HTTPError(403, f"{user.name} 계정은 승인이 취소되어 서버를 시작할 수 없습니다.")

    def validate_username(self, username):
        # never a system account's name: as root the server would run as that account; never a name
        # reserved for the grader's sandbox accounts (they would collide with a person's account)
        from datalit.hub.uids import is_reserved_name, is_system_account, is_team_name

        if is_team_name(username):  # team-server accounts: hub users the hub makes (never signed up: create_user)
            return super().validate_username(username)
        if is_reserved_name(username):
            return False
        if is_root() and is_system_account(username) and username not in self.admin_users:
            return False
        return super().validate_username(username)

    def add_user(self, user):
        # the admin panel's and API's single-user creation do not call validate_username
        from datalit.hub.uids import is_reserved_name, is_team_name

        if is_reserved_name(user.name) and not is_team_name(user.name):
            raise ValueError(f"'{user.name}' is reserved for the grading sandbox accounts")
        return super().add_user(user)

    def create_user(self, username, password, **kwargs):
        # NativeAuthenticator approves a sign-up under an admin_users name at once: whoever signed up first
        # as 'admin' would own the hub. The first admin is made only by _ensure_first_admin.
        if self.normalize_username(username) in self.admin_users:
            self.log.warning("refused a sign-up under the admin name %s", username)
            return None
        from datalit.hub.uids import is_reserved_name

        if is_reserved_name(self.normalize_username(username)):  # a team server's or sandbox's name
            self.log.warning("refused a sign-up under the reserved name %s", username)
            return None
        return super().create_user(username, password, **kwargs)

    def user_exists(self, username):
        # a sign-up may not take a workshop account's name
        return super().user_exists(username) or self.workshop_entry(self.normalize_username(username)) is not None

    def explain_failure(self, username: str, default: str, handler=None) -> str:
        """The Korean reason a login failed (shown on the login page)."""
        username = self.normalize_username(username)
        entry = self.workshop_entry(username)
        client = throttle.client_key(handler, username) if handler is not None else throttle.NEW_CLIENT
        wait = self.throttle.wait(username, client)
        if wait > 0:
            return MSG_BLOCKED.format(seconds=max(1, int(wait)))
        if entry is not None and workshop.is_expired(entry):
            return MSG_EXPIRED.format(username=username, until=workshop.expiry_label(entry))
        if "not been authorized" in default:
            return MSG_NOT_APPROVED.format(username=username)
        return MSG_INVALID

    def get_handlers(self, app):
        replace = {"/login": DatalitLoginHandler, "/signup": DatalitSignUpHandler,
                   r"/authorize/([^/]*)": DatalitToggleAuthorizationHandler,
                   r"/discard/([^/]*)": DatalitDiscardHandler,
                   r"/change-password": DatalitChangePasswordHandler,
                   r"/change-password/([^/]+)": DatalitChangePasswordAdminHandler}
        handlers = [(path, replace.get(path, handler)) for path, handler in super().get_handlers(app)]
        return [(r"/api/datalit/unlock/([^/]+)", throttle.unlock_handler_class()), *handlers]
