"""pytest plugin: a real hub started by ``datalit hub`` and a client to drive it.

Listed in tests/conftest.py ``pytest_plugins``. ``hub`` is session-scoped (one hub for all tests
that use it); ``start_hub(state_dir)`` starts more (restart test, benchmark). Test users get unique
names (``t`` + random) and are removed at teardown (hub user, unix user with ``userdel -r``).
"""
from __future__ import annotations

import atexit
from contextlib import contextmanager
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests

from datalit.hub.uids import is_person_account

VENV_BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "admin-" + secrets.token_hex(6)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HubProcess:
    """A hub subprocess plus helpers. ``api()`` uses the datalit-cli service token (admin scopes)."""

    def __init__(self, state: Path, port: int, proc: subprocess.Popen, log: Path, env: dict,
                 terminal: Path | None = None):
        # log: the hub's whole log (<state>/logs/jupyterhub.log); terminal: what `datalit hub` printed
        self.state, self.port, self.proc, self.log, self.env = state, port, proc, log, env
        self.terminal = terminal or log
        self.url = f"http://127.0.0.1:{port}"
        self.admin_password = env["DATALIT_HUB_ADMIN_PASSWORD"]
        self.admin_user = env.get("DATALIT_HUB_ADMIN_USER", "admin")  # a test with another first admin sets it
        self.created: list[str] = []

    # ---- REST API with the admin (datalit-cli service) token --------------------------------------
    @property
    def token(self) -> str:
        return (self.state / "api_token").read_text().strip()

    def api(self, method: str, path: str, expect=(200, 201, 202, 204), **kw):
        headers = {"Authorization": f"token {self.token}"}
        resp = requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kw)
        if expect and resp.status_code not in expect:
            raise AssertionError(f"{method} {path}: {resp.status_code} {resp.text[:500]}")
        return resp.json() if resp.content else None

    def user_model(self, name: str) -> dict | None:
        resp = requests.get(f"{self.url}/hub/api/users/{name}", headers={"Authorization": f"token {self.token}"},
                            timeout=30)
        return resp.json() if resp.status_code == 200 else None

    # ---- browser-like sessions -----------------------------------------------------------------
    @staticmethod
    def session() -> requests.Session:
        """A requests session that decodes the hub's pages as UTF-8 (they carry no charset)."""
        s = requests.Session()
        s.hooks["response"].append(lambda r, *a, **k: setattr(r, "encoding", "utf-8"))
        return s

    def _form(self, session: requests.Session, path: str) -> str:
        page = session.get(f"{self.url}/hub/{path}", timeout=30)
        m = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        return m.group(1) if m else session.cookies.get("_xsrf", "")

    def signup(self, name: str, password: str, cleanup: bool = True) -> str:
        s = self.session()
        xsrf = self._form(s, "signup")
        resp = s.post(f"{self.url}/hub/signup", data={"_xsrf": xsrf, "username": name, "signup_password": password,
                                                      "signup_password_confirmation": password}, timeout=30)
        if cleanup:
            self.created.append(name)
        return resp.text

    def login(self, name: str, password: str) -> tuple[requests.Session, requests.Response]:
        s = self.session()
        xsrf = self._form(s, "login")
        resp = s.post(f"{self.url}/hub/login?next=", data={"_xsrf": xsrf, "username": name, "password": password},
                      timeout=60, allow_redirects=False)
        return s, resp

    def admin_session(self) -> requests.Session:
        s, resp = self.login(self.admin_user, self.admin_password)
        assert resp.status_code == 302, resp.text[:500]
        return s

    def approve(self, name: str) -> None:
        """Click 승인 on the admin's 가입 승인 page: a POST with the page's XSRF token."""
        s = self.admin_session()
        xsrf = self._form(s, "authorize")
        resp = s.post(f"{self.url}/hub/authorize/{name}", data={"_xsrf": xsrf}, timeout=30)
        assert resp.status_code == 200, resp.text[:300]

    def new_user(self, groups=("beginner",), prefix: str = "t") -> tuple[str, str]:
        """Sign up + admin approval through the real pages; then groups through the API."""
        name = prefix + uuid.uuid4().hex[:8]
        password = "pw-" + secrets.token_hex(8)
        self.signup(name, password)
        self.approve(name)
        self.api("POST", f"/users/{name}", expect=(201, 409))
        for g in groups:
            self.api("POST", f"/groups/{g}/users", json={"users": [name]})
        return name, password

    def user_token(self, name: str) -> str:
        return self.api("POST", f"/users/{name}/tokens", json={"note": "test", "expires_in": 3600})["token"]

    # ---- servers --------------------------------------------------------------------------------
    def spawn(self, name: str, timeout: float = 150) -> str:
        """Start NAME's server; returns a user token once /user/NAME/api/status answers 200."""
        self.api("POST", f"/users/{name}/server", expect=(201, 202, 400))
        token = self.user_token(name)
        deadline = time.time() + timeout
        while time.time() < deadline:
            model = self.user_model(name) or {}
            if model.get("server") and not model.get("pending"):
                r = requests.get(f"{self.url}/user/{name}/api/status",
                                 headers={"Authorization": f"token {token}"}, timeout=10)
                if r.status_code == 200:
                    return token
            time.sleep(0.3)
        raise AssertionError(f"server of {name} not usable after {timeout}s; log tail:\n{self.log_tail()}")

    def stop_server(self, name: str) -> None:
        self.api("DELETE", f"/users/{name}/server", expect=(202, 204, 400))
        deadline = time.time() + 60
        while time.time() < deadline and (self.user_model(name) or {}).get("server"):
            time.sleep(0.3)

    def run_code(self, name: str, token: str, code: str, timeout: float = 60) -> dict:
        """Start a kernel over REST, run CODE over the websocket; returns stdout, error, kernel start time."""
        import websocket

        headers = {"Authorization": f"token {token}"}
        base = f"{self.url}/user/{name}/api"
        t0 = time.time()
        kernel = requests.post(f"{base}/kernels", json={"name": "python3"}, headers=headers, timeout=60)
        assert kernel.status_code == 201, kernel.text
        kid = kernel.json()["id"]
        ws = websocket.create_connection(f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kid}/channels",
                                         header=[f"Authorization: token {token}"], timeout=timeout)
        t_ws = time.time()
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        out, error, deadline = [], None, time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        t_done = time.time()
        ws.close()
        requests.delete(f"{base}/kernels/{kid}", headers=headers, timeout=30)
        return {"stdout": "".join(out), "error": error, "kernel_s": t_ws - t0, "cell_s": t_done - t_ws}

    def workshop(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(VENV_BIN / "datalit"), "workshop", *args, "--state-dir", str(self.state)],
                              capture_output=True, text=True, env=self.env, timeout=120)

    def workshop_accounts(self, count: int, prefix: str, tier: str = "beginner") -> list[tuple[str, str]]:
        """``datalit workshop create``: COUNT never-expiring accounts; their (username, password) from the CSV."""
        import csv

        made = self.workshop("create", "--count", str(count), "--expires", "2099-12-31", "--tier", tier,
                             "--prefix", prefix)
        assert made.returncode == 0, made.stderr
        csv_path = Path(made.stdout.split("CSV:")[1].split()[0])
        return [(r["username"], r["password"]) for r in csv.DictReader(csv_path.open(encoding="utf-8-sig"))]

    # ---- teardown --------------------------------------------------------------------------------
    def remove_users(self) -> None:
        for name in self.created:
            try:
                self.api("DELETE", f"/users/{name}", expect=None)
            except requests.RequestException:
                pass
            if os.geteuid() == 0 and is_person_account(name):  # never root, bin, nobody ...
                unmount_home(name)
                subprocess.run(["userdel", "-r", name], capture_output=True)

    def log_tail(self, n: int = 60) -> str:
        lines = []
        for path in dict.fromkeys([self.terminal, self.log]):
            try:
                lines += path.read_text(errors="replace").splitlines()[-n:]
            except OSError:
                pass
        return "\n".join(lines)

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        from datalit.hub.proxy import stop_proxy

        stop_proxy(self.state)  # a launcher that was killed leaves its proxy running (on purpose)
        return self.proc.returncode


_PROTECTED: set[str] = set()


def protect_checkout(env: dict) -> None:
    """As root, ``datalit hub`` refuses to start while other users can read the checkout's solutions,
    hidden tests, reference checks or history; do what its message tells an admin (chmod 700 those
    paths, asking the installed datalit which they are). A no-op where the checkout is already private
    (CI clones it into a folder others cannot read)."""
    key = env.get("DATALIT_LAB_CHECKOUT_DIR", "")
    if os.geteuid() != 0 or key in _PROTECTED:
        return
    listed = subprocess.run([str(VENV_BIN / "python"), "-c", "from datalit.paths import grader_only_paths\n"
                             "print('\\n'.join(map(str, grader_only_paths())))"], env=env, cwd="/",
                            capture_output=True, text=True, check=True)
    for line in listed.stdout.splitlines():
        if line and os.path.exists(line):
            os.chmod(line, os.stat(line).st_mode & 0o700)
    _PROTECTED.add(key)


def unmount_home(name: str) -> None:
    """A home still mounted (a disk-limit image the hub did not release) is unmounted before ``userdel -r``."""
    import pwd

    try:
        home = pwd.getpwnam(name).pw_dir
    except KeyError:
        return
    if os.path.ismount(home):
        subprocess.run(["umount", "-l", home], capture_output=True)


def start_hub(state: Path, home_base: Path | None = None, port: int | None = None, extra_env: dict | None = None,
              admin_password: str = ADMIN_PASSWORD, timeout: float = 90, run_as: str | None = None,
              sigint_ignored: bool = False) -> HubProcess:
    """Start ``datalit hub --ip 127.0.0.1 --port PORT --state-dir STATE`` and wait until it answers.

    ``run_as``: start it as that unix user (``runuser``), e.g. to test the non-root (laptop) mode.
    ``sigint_ignored``: start it with SIGINT ignored, as a background job of a shell script is.
    As root the course notebooks are built into ``<state>/../content`` (one folder per test hub, not the
    shared /srv/datalit/content), unless ``extra_env`` sets DATALIT_HUB_CONTENT_DIR."""
    port = port or free_port()
    state.mkdir(parents=True, exist_ok=True)
    (state / "hub.json").unlink(missing_ok=True)  # left by a hub a test killed
    env = dict(os.environ)
    env.pop("DATALIT_CONFIG", None)
    env.pop("DATALIT_HUB_STATE_DIR", None)
    if run_as is None:  # non-root hubs keep it in <state>/content
        env["DATALIT_HUB_CONTENT_DIR"] = str(state.parent / "content")
    env.update({"DATALIT_HUB_ADMIN_PASSWORD": admin_password, "PYTHONUNBUFFERED": "1",
                "DATALIT_HUB_CULL_IDLE_SECONDS": "3600", "DATALIT_HUB_EXPIRY_CHECK_SECONDS": "2",
                "DATALIT_HUB_SECONDS_BEFORE_NEXT_TRY": "2", "DATALIT_HUB_PREWARM_CHECK_SECONDS": "2"})
    if home_base is not None:
        home_base.mkdir(parents=True, exist_ok=True)
        os.chmod(home_base, 0o755)
        env["DATALIT_HUB_HOME_BASE"] = str(home_base)
    env.update(extra_env or {})
    if not run_as:
        protect_checkout(env)
    log = state.parent / f"{state.name}-launcher.log"
    fh = open(log, "ab")
    prefix = ["runuser", "-u", run_as, "--"] if run_as else []
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
    proc = subprocess.Popen([*prefix, str(VENV_BIN / "datalit"), "hub", "--ip", "127.0.0.1", "--port", str(port),
                             "--state-dir", str(state)], stdout=fh, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True, preexec_fn=ignore)
    hub = HubProcess(state, port, proc, state / "logs" / "jupyterhub.log", env, terminal=log)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"datalit hub exited with {proc.returncode}:\n{hub.log_tail()}")
        if (state / "hub.json").exists():
            return hub
        time.sleep(0.2)
    hub.stop()
    raise RuntimeError(f"hub did not start in {timeout}s:\n{hub.log_tail()}")


def hub_base_dir(prefix: str = "datalit-hubtest-") -> Path:
    """A folder for a test hub's state and homes that unix users can traverse.

    Not under pytest's tmp_path: pytest resets /tmp/pytest-of-<user> to 0700 whenever any pytest
    session starts, which would lock the test users out of their homes mid-run. Removed at teardown."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o711)
    atexit.register(_unmount_under, base)
    return base


def _unmount_under(base: Path) -> None:
    """At exit: no home image of this test run stays mounted (e.g. after a hub was killed), then the folder goes."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return
    for line in reversed(lines):
        where = line.split()[4]
        if where.startswith(f"{base}/"):
            subprocess.run(["umount", "-l", where], capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


@contextmanager
def running_hub(extra_env: dict | None = None):
    """A hub in its own base folder; afterwards its users, its processes and the folder are gone."""
    base = hub_base_dir()
    h = start_hub(base / "state", home_base=base / "home", extra_env=extra_env)
    try:
        yield h
    finally:
        h.remove_users()
        h.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def hub():
    """One real hub for the session (root mode when the tests run as root)."""
    with running_hub() as h:
        yield h
