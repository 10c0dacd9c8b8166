# Sign-in: staff sign up and are approved by an admin; workshop accounts from the state directory.
from pathlib import Path

from datalit.hub.authenticator import DatalitAuthenticator

c.JupyterHub.authenticator_class = DatalitAuthenticator
c.DatalitAuthenticator.state_dir = settings["state_dir"]
c.DatalitAuthenticator.home_base = settings["home_base"]
c.Authenticator.admin_users = {settings["admin_user"]}
c.Authenticator.allow_all = True  # only approved (or workshop) accounts can authenticate at all
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{1,30}$"  # valid unix user names
c.NativeAuthenticator.enable_signup = True
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = settings["allowed_failed_logins"]
c.NativeAuthenticator.seconds_before_next_try = settings["seconds_before_next_try"]
# refresh_user (cheap: the workshop registry is cached by mtime) ends the session and tokens of an expired
# workshop account or an un-approved staff member within this many seconds
c.Authenticator.auth_refresh_age = 5
c.Authenticator.refresh_pre_spawn = True
# no cookie of the hub (nor of the user servers: JupyterHub passes these options on) is sent with a
# cross-site request (CSRF). Secure: JupyterHub adds it when a request arrives over HTTPS, which it cannot
# see behind a TLS proxy plus configurable-http-proxy (X-Forwarded-Proto "https,http"): hub.public_url says so.
from datalit.config import load_config

_public_url = settings.get("public_url") or load_config(state_dir=settings["state_dir"])["hub"]["public_url"]
_cookie_options = {"samesite": "Lax"}
if _public_url.lower().startswith("https://"):
    _cookie_options["secure"] = True
c.JupyterHub.tornado_settings.update({"cookie_options": _cookie_options})
