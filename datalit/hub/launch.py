"""``datalit hub``: prepare the machine and run JupyterHub in the foreground.

Preparation (idempotent): state directory and secrets, the read-only dataset path, JupyterLab's
Korean default locale, the course notebooks. Then ``jupyterhub -f hub_config/jupyterhub_config.py``
runs as a child; its log goes to the terminal and ``<state>/logs/jupyterhub.log``. SIGTERM or
Ctrl-C is passed on: the hub stops the proxy and every user server.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from datalit.config import load_config
from datalit.hub import content
from datalit.hub.state import ensure_state_dir, is_root, resolve_state_dir, write_hub_info
from datalit.paths import repo_path, shared_data_dir

SETTINGS_ENV = "DATALIT_HUB_SETTINGS"
LOCALE_PLUGIN = "@jupyterlab/translation-extension:plugin"
NEWS_PLUGIN = "@jupyterlab/apputils-extension:notification"

WARNING_NON_ROOT = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! NON-ROOT MODE: every user server runs as '{user}'. This isolates NOBODY:     !!
!! any user can read and change every other user's files and the hub's state.   !!
!! Use it only on an instructor's own laptop; run as root on a shared server.    !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def real_data_dir(config: dict) -> Path:
    return Path(os.environ.get("DATALIT_DATA_DIR") or config["data"]["data_dir"] or shared_data_dir())


def readable_by_nobody(path: Path) -> bool:
    probe = subprocess.run(["runuser", "-u", "nobody", "--", "test", "-r", str(path / ".")],
                           capture_output=True)
    return probe.returncode == 0


def refuse_exposed_checkout() -> None:
    """As root, do not start while other users can read the checkout's solutions, hidden tests, reference
    checks or history (datalit.paths.grader_only_paths): the hub's users would reach them."""
    from datalit.paths import REPO_ROOT, checkout_dir, grader_only_paths

    exposed = [p for p in grader_only_paths() if p.exists() and readable_by_nobody(p)]
    if exposed:
        whole = "" if checkout_dir().resolve() == REPO_ROOT.resolve() else \
            f" (or the whole checkout: chmod 700 {checkout_dir()}; learners use the copy in {REPO_ROOT})"
        raise SystemExit(
            f"datalit hub: refusing to start as root: other users can read {', '.join(map(str, exposed))}, which "
            f"hold the labs' solutions, hidden tests or reference checks. Run: chmod 700 "
            f"{' '.join(map(str, exposed))}{whole}")


def prepare_data_mount(config: dict, state: Path, log=print) -> Path:
    """One read-only dataset folder at a fixed path for every server; never a copy per user.

    Root: ``hub.data_mount`` (default /srv/datalit/datasets) is a symlink to the real data when every
    user can read it there, else one root-owned read-only copy. Non-root: ``<state>/datasets``."""
    source = real_data_dir(config).resolve()
    if not source.is_dir():
        log(f"WARNING: no datasets at {source} (set DATALIT_DATA_DIR): lessons will fail to load data")
    mount = Path(config["hub"]["data_mount"]) if is_root() else state / "datasets"
    mount.parent.mkdir(parents=True, exist_ok=True)
    if is_root() and source.is_dir() and not readable_by_nobody(source):
        log(f"{source} is not readable by other users: keeping one read-only copy at {mount}")
        if mount.is_symlink():
            mount.unlink()
        shutil.copytree(source, mount, dirs_exist_ok=True)
        for root, dirs, files in os.walk(mount):
            os.chown(root, 0, 0)
            os.chmod(root, 0o555)
            for f in files:
                p = os.path.join(root, f)
                os.chown(p, 0, 0)
                os.chmod(p, 0o444)
        return mount
    if mount.is_symlink() or not mount.exists():
        if mount.is_symlink() and mount.resolve() == source:
            return mount
        if mount.is_symlink():
            mount.unlink()
        mount.symlink_to(source, target_is_directory=True)
    return mount


def ensure_lab_locale(prefix: Path = Path(sys.prefix)) -> None:
    """JupyterLab opens in Korean by default (language pack ko_KR); users can switch to English."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    try:
        data = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        data = {}
    if data.get(LOCALE_PLUGIN, {}).get("locale") == "ko_KR" and NEWS_PLUGIN in data:
        return
    data.setdefault(LOCALE_PLUGIN, {})["locale"] = "ko_KR"
    # no English "Jupyter news" pop-up (and no request to the internet) for learners
    data.setdefault(NEWS_PLUGIN, {}).update({"fetchNews": "false", "checkForUpdates": False})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        os.chmod(path, 0o644)
    except OSError as exc:
        print(f"cannot set JupyterLab's default locale ({exc}); Lab stays English", file=sys.stderr)


def hub_settings(config: dict, state: Path, ip: str, port: int, data_mount: Path) -> dict:
    h = config["hub"]
    return {
        "ip": ip, "port": port, "hub_port": free_port(), "proxy_api_port": free_port(),
        "state_dir": str(state), "data_mount": str(data_mount), "isolate": is_root(),
        "home_base": h["home_base"], "admin_user": h["admin_user"],
        "user_port_min": h["user_port_min"], "user_port_max": h["user_port_max"],
        "cull_idle_seconds": h["cull_idle_seconds"], "cull_every_seconds": h["cull_every_seconds"], "mem_limit": h["mem_limit"], "cpu_limit": h["cpu_limit"],
        "expiry_check_seconds": h["expiry_check_seconds"],
        "allowed_failed_logins": h["allowed_failed_logins"],
        "seconds_before_next_try": h["seconds_before_next_try"],
        "user_env": h["user_env"] or sys.prefix,
        "proxy_cmd": proxy_command(),
    }


def proxy_command() -> str:
    """configurable-http-proxy: on PATH, else where ./run installs it (<prefix>/node beside the venv)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    beside = Path(sys.prefix).parent / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(beside) if beside.exists() else "configurable-http-proxy"


def _tee(stream, log_path: Path):
    with open(log_path, "ab") as log:
        for line in iter(stream.readline, b""):
            sys.stderr.buffer.write(line)
            sys.stderr.flush()
            log.write(line)
            log.flush()


def wait_for_hub(url: str, proc: subprocess.Popen, timeout: float = 120) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            if requests.get(url + "/hub/api", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def run_hub(ip: str | None = None, port: int | None = None, state_dir: str | None = None) -> int:
    config = load_config(overrides={"hub": {"ip": ip, "port": port}})
    state = ensure_state_dir(resolve_state_dir(state_dir, config))
    say = lambda msg: print(f"[datalit hub] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    if is_root():
        refuse_exposed_checkout()
    if not is_root():
        import getpass

        print(WARNING_NON_ROOT.format(user=getpass.getuser()), file=sys.stderr, flush=True)
        (state / "homes").mkdir(exist_ok=True)
    data_mount = prepare_data_mount(config, state, say)
    ensure_lab_locale(Path(config["hub"]["user_env"] or sys.prefix))
    t0 = time.time()
    built = content.build_content(state / "content", log=say)
    say(f"course content: {sum(len(v) for v in built.values())} notebooks in {time.time() - t0:.1f} s")
    settings = hub_settings(config, state, config["hub"]["ip"], config["hub"]["port"], data_mount)
    env = dict(os.environ, **{SETTINGS_ENV: json.dumps(settings)})
    env["PATH"] = os.pathsep.join([str(Path(sys.prefix) / "bin"), env.get("PATH", "")])
    marker = state / ".first-admin-created"
    password = None
    if not marker.exists():
        password = config["hub"]["admin_password"] or secrets.token_urlsafe(12)
        env["DATALIT_FIRST_ADMIN_PASSWORD"] = password
    cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(repo_path("hub_config", "jupyterhub_config.py"))]
    proc = subprocess.Popen(cmd, cwd=state, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    threading.Thread(target=_tee, args=(proc.stdout, state / "logs" / "jupyterhub.log"), daemon=True).start()

    def forward(signum, frame):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    url = f"http://{settings['ip']}:{settings['port']}"
    if wait_for_hub(url, proc):
        write_hub_info(state, {"url": url, "pid": os.getpid(), "hub_pid": proc.pid,
                               "hub_port": settings["hub_port"]})
        banner = [f"서울 데이터 리터러시 랩 hub is running: {url}/hub/login",
                  f"state directory: {state}"]
        if password is not None:
            marker.write_text("1\n")
            banner.append(f"first admin: user '{settings['admin_user']}', password '{password}' "
                          "(printed only this once; change it at /hub/change-password)")
        banner.append("approve staff sign-ups at /hub/authorize; 'datalit hub status' lists users and servers")
        say("\n    ".join(banner))
    rc = proc.wait()
    try:
        (state / "hub.json").unlink()
    except FileNotFoundError:
        pass
    return rc
