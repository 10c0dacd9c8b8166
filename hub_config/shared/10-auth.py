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
