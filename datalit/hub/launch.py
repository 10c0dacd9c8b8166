"""``datalit hub``: prepare the machine and run JupyterHub in the foreground.

Preparation (idempotent): state directory and secrets (datalit/hub/state.py), the read-only dataset
path, JupyterLab's Korean default locale, the course notebooks (``hub.content_dir``, outside the state
directory), the proxy (datalit/hub/proxy.py: started, or adopted after a crash). Then
``jupyterhub -f hub_config/jupyterhub_config.py`` runs as a child on the hub API port kept in
``<state>/ports.json``. Everything logs into ``<state>/logs/jupyterhub.log``; the terminal shows the
banner and real problems only (datalit/hub/console.py).

Stopping: SIGTERM, SIGINT or SIGHUP is passed on as SIGTERM; the hub stops the services and every user
server, then this launcher stops the proxy (within a few seconds, tests/hub/test_restart.py).
Crashing: if the hub dies, the proxy and the user servers keep running and the next ``datalit hub``
takes them over; if this launcher dies, the kernel kills the hub (``PR_SET_PDEATHSIG``) and the hub's
services die with the hub (datalit/hub/tether.py).
"""
from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from datalit.config import load_config
from datalit.hub.console import Follower
from datalit.hub.content import build_content
from datalit.hub.origins import OriginError, subdomain_url
from datalit.hub.proxy import ensure_proxy, stop_proxy
from datalit.hub.state import (content_dir, ensure_state_dir, is_root, protect_files, register_hub,
                               resolve_state_dir, write_hub_info, write_private)
from datalit.hub.sweep import end_leftover_servers
from datalit.hub.tether import die_with_parent
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
    return Path(config["data"]["data_dir"] or shared_data_dir())  # data.data_dir: DATALIT_DATA_DIR too


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


def hub_settings(config: dict, state: Path, ip: str, port: int, data_mount: Path,
                 ports: dict | None = None, content: Path | None = None) -> dict:
    h = config["hub"]
    ports = ports or {"hub_port": free_port(), "proxy_api_port": free_port(), "exchange_port": free_port()}
    return {
        "ip": ip, "port": port, "hub_port": ports["hub_port"], "proxy_api_port": ports["proxy_api_port"],
        "exchange_port": ports["exchange_port"],
        "state_dir": str(state), "data_mount": str(data_mount), "isolate": is_root(),
        "content_dir": str(content or content_dir(config, state)),
        "home_base": h["home_base"], "admin_user": h["admin_user"],
        "user_port_min": h["user_port_min"], "user_port_max": h["user_port_max"],
        "cull_idle_seconds": h["cull_idle_seconds"], "cull_every_seconds": h["cull_every_seconds"], "mem_limit": h["mem_limit"], "cpu_limit": h["cpu_limit"],
        "expiry_check_seconds": h["expiry_check_seconds"],
        "allowed_failed_logins": h["allowed_failed_logins"],
        "seconds_before_next_try": h["seconds_before_next_try"],
        "user_env": h["user_env"] or sys.prefix,
        "proxy_cmd": proxy_command(),
        # one origin per server (datalit/hub/origins.py): c.JupyterHub.subdomain_host, "" = off
        "subdomain_host": subdomain_url(h["subdomain_host"], port, h["public_url"]),
    }


def _port_free(port: int) -> bool:
    """Nobody listens on PORT (connections of an earlier run in TIME_WAIT do not count, as for tornado)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def internal_ports(config: dict, state: Path) -> dict:
    """Hub API, proxy API and exchange service ports: configured, else chosen once from the internal range
    and kept in ``<state>/ports.json``.

    Running user servers know the hub only by ``JUPYTERHUB_API_URL``; a hub that came back on another
    port after a crash would answer them with nothing (HTTP 500 in every open notebook)."""
    h = config["hub"]
    path = state / "ports.json"
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):
        kept = {}
    ports = {}
    for key in ("hub_port", "proxy_api_port", "exchange_port"):
        if h[key]:
            ports[key] = h[key]
        elif isinstance(kept.get(key), int) and kept[key] > 0:
            ports[key] = kept[key]
        else:
            candidates = [p for p in range(h["internal_port_min"], h["internal_port_max"] + 1)
                          if p not in ports.values()]
            random.shuffle(candidates)
            ports[key] = next((p for p in candidates if _port_free(p)), None) or free_port()
    if ports != kept:
        write_private(path, json.dumps(ports) + "\n")
    return ports


def proxy_command() -> str:
    """configurable-http-proxy: on PATH, else where ./run installs it (<prefix>/node beside the venv)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    beside = Path(sys.prefix).parent / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(beside) if beside.exists() else "configurable-http-proxy"


RUNNING_LINE = "JupyterHub is now running"


def wait_until_started(log_path: Path, offset: int, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """True once the hub logged that it runs (after OFFSET in its log). JupyterHub answers its API before it has
    started its services, and installs its SIGTERM handler only as the last step of start() (app.py
    ``init_signal``): a SIGTERM before that killed it outright, with no cleanup, and the user servers it had
    just taken over after a crash kept running (seen in CI). So the launcher says "running" only after this,
    and holds a stop asked for meanwhile until then."""
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            with open(log_path, "rb") as fh:
                fh.seek(offset)
                if RUNNING_LINE.encode() in fh.read():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def wait_for_hub(url: str, proc: subprocess.Popen, timeout: float = 120, hub_url: str | None = None) -> bool:
    """True once the hub's own API answers (HUB_URL, not through the proxy) and then URL through the proxy."""
    deadline = time.time() + timeout
    for target in ([hub_url] if hub_url else []) + [url]:
        while True:
            if time.time() > deadline or proc.poll() is not None:
                return False
            try:
                if requests.get(target + "/hub/api", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
    return True


class Launcher:
    """One run of ``datalit hub``: the proxy (adopted or started), the hub child, the terminal, the stop."""

    def __init__(self, state: Path):
        self.state = state
        self.log_path = state / "logs" / "jupyterhub.log"
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.chmod(self.log_path, 0o600)
        self.log_fd = fd
        self.console = Follower(self.log_path).start()
        self.proc: subprocess.Popen | None = None
        self.stopping = False
        self.started = False

    def say(self, msg: str) -> None:
        os.write(self.log_fd, (f"[datalit hub] {msg}\n").encode())

    def on_signal(self, signum, frame):
        self.stopping = True
        if self.started and self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # before `started`, _run passes it on (see wait_until_started)

    def pass_on_stop(self) -> None:
        """The hub has started (or never will): a stop asked for meanwhile reaches it now."""
        self.started = True
        if self.stopping and self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def start_hub(self, cmd: list[str], env: dict) -> subprocess.Popen:
        # the hub dies with this launcher (SIGKILL: user servers stay up and the next start reattaches
        # them); it logs straight into the log file, which outlives both
        self.proc = subprocess.Popen(cmd, cwd=self.state, env=env, stdin=subprocess.DEVNULL, stdout=self.log_fd,
                                     stderr=self.log_fd, start_new_session=True,
                                     preexec_fn=die_with_parent(signal.SIGKILL))
        return self.proc

    def close(self) -> None:
        self.console.stop()
        os.close(self.log_fd)


def run_hub(ip: str | None = None, port: int | None = None, state_dir: str | None = None) -> int:
    state = resolve_state_dir(state_dir, load_config(overrides={"hub": {"state_dir": state_dir}}))
    config = load_config(overrides={"hub": {"ip": ip, "port": port}}, state_dir=state)
    state = ensure_state_dir(state)
    launcher = Launcher(state)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, launcher.on_signal)
    try:
        return _run(launcher, config, state)
    finally:
        launcher.close()


def _run(launcher: Launcher, config: dict, state: Path) -> int:
    say = launcher.say
    try:  # hub.db_url: a mistake is one line here, not a traceback in the hub's log (datalit/databases.py)
        from datalit.databases import hub_db_url

        hub_db_url(state, config["hub"])
    except ValueError as exc:
        say(f"ERROR: {exc}")
        return 1
    if is_root():
        refuse_exposed_checkout()
    if not is_root():
        import getpass

        say(WARNING_NON_ROOT.format(user=getpass.getuser()).strip())
        (state / "homes").mkdir(exist_ok=True)
    (state / "hub.json").unlink(missing_ok=True)  # left by a hub that was killed
    data_mount = prepare_data_mount(config, state, say)
    ensure_lab_locale(Path(config["hub"]["user_env"] or sys.prefix))
    t0 = time.time()
    content = content_dir(config, state)
    built = build_content(content, log=say)
    say(f"course content: {sum(len(v) for v in built.values())} notebooks in {time.time() - t0:.1f} s ({content})")
    ports = internal_ports(config, state)
    if not _port_free(ports["hub_port"]):
        say(f"ERROR: the hub API port {ports['hub_port']} (kept in {state / 'ports.json'}) is in use: is another "
            "hub running on this state directory? Stop it, or set hub.hub_port to another port.")
        return 1
    try:
        settings = hub_settings(config, state, config["hub"]["ip"], config["hub"]["port"], data_mount, ports, content)
    except OriginError as exc:
        say(f"ERROR: {exc}")
        return 1
    try:
        ensure_proxy(state, settings["proxy_cmd"], settings["ip"], settings["port"], ports["proxy_api_port"],
                     ports["hub_port"], log=say, host_routing=bool(settings["subdomain_host"]))
    except (OSError, RuntimeError) as exc:
        say(f"ERROR: the proxy did not start: {exc}")
        return 1
    env = dict(os.environ, **{SETTINGS_ENV: json.dumps(settings), "DATALIT_HUB_STATE_DIR": str(state)})
    env["PATH"] = os.pathsep.join([str(Path(sys.prefix) / "bin"), env.get("PATH", "")])
    marker = state / ".first-admin-created"
    password = None
    if not marker.exists():
        password = config["hub"]["admin_password"] or secrets.token_urlsafe(12)
        env["DATALIT_FIRST_ADMIN_PASSWORD"] = password
    cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(repo_path("hub_config", "jupyterhub_config.py"))]
    if launcher.stopping:
        return 0
    offset = launcher.log_path.stat().st_size
    proc = launcher.start_hub(cmd, env)
    url = f"http://{settings['ip']}:{settings['port']}"
    registered = None
    up = (wait_for_hub(url, proc, hub_url=f"http://127.0.0.1:{ports['hub_port']}")
          and wait_until_started(launcher.log_path, offset, proc))
    launcher.pass_on_stop()
    if up:
        write_hub_info(state, {"url": url, "pid": os.getpid(), "hub_pid": proc.pid, "hub_port": ports["hub_port"]})
        protect_files(state)
        address = settings["subdomain_host"] or url
        banner = [f"서울 데이터 리터러시 랩 hub is running: {address}/hub/login",
                  f"state directory: {state} (log: {launcher.log_path})"]
        if settings["subdomain_host"]:
            banner.append(f"one origin per server: user and team servers at <name>.{address.split('://')[1]} "
                          "(hub.subdomain_host)")
        try:  # lets 'datalit' commands find this hub; a convenience, never a reason to stop the hub
            registered = register_hub(state, url)
        except OSError as exc:
            banner.append(f"WARNING: could not register this hub for 'datalit' commands ({exc}): "
                          f"pass them --state-dir {state}")
        if password is not None:
            write_private(marker, "1\n")
            banner.append(f"first admin: user '{settings['admin_user']}', password '{password}' "
                          "(printed only this once; change it at /hub/change-password)")
        banner.append("approve staff sign-ups at /hub/authorize; 'datalit hub status' lists users and servers")
        say("\n    ".join(banner))
    rc = proc.wait()
    (state / "hub.json").unlink(missing_ok=True)
    if registered is not None:
        registered.unlink(missing_ok=True)
    if launcher.stopping:
        end_leftover_servers(ports["hub_port"], say)  # a server the hub had lost track of (datalit/hub/sweep.py)
        stop_proxy(state)
        from datalit.hub.disk import release_homes  # every server is stopped: no home image stays mounted

        release_homes(state, say)
        say("stopped (hub, user servers and proxy)")
        return 0 if rc in (0, -signal.SIGTERM) else rc
    say(f"ERROR: the hub exited unexpectedly (code {rc}); the proxy and running user servers are kept: "
        f"run 'datalit hub --state-dir {state}' again and they are taken over. Log: {launcher.log_path}")
    return rc if rc > 0 else 1
