"""The user-server spawner for one machine: LocalProcessSpawner plus what a shared server needs.

* root mode: every person is a unix user (created on approval, or here on first spawn); the server
  runs as that user from the shared venv (``/opt/datalit/venv``), home under ``hub.home_base``.
* non-root mode (a laptop): every server runs as the hub's own user, homes under ``<state>/homes``;
  this isolates nobody (the hub says so at start).
* ports come from ``hub.user_port_min..max`` (outside the kernel's ephemeral range) and are reserved
  per process; after start the server must answer ``/user/<name>/api/status`` itself, else it is
  killed and started again on another port -- a user never gets a server that failed to start.
* disk limit (``hub.disk_limit``): as root each home is its own loop-mounted ext4 image (datalit.hub.disk).
* cgroups (v1, datalit.hub.cgroups) per server when the hub runs as root: memory, CPU, ``hub.pids_limit``
  tasks, and a freezer; stopping a server (stop, cull, expiry, the hub's SIGTERM) kills every process in
  them, also those that left the process group (``setsid``, daemons). Not writable: not enforced (logged once).
* a private /tmp, /var/tmp (a folder in the home, within its disk limit) and /dev/shm (``hub.shm_size``)
  per server, in its own mount namespace (datalit.hub.scratch).
* course notebooks are handed out on every spawn (``datalit.hub.content``), run as the user; a server whose
  JupyterLab never saved a workspace opens on the first lesson (``datalit.hub.pages.first_lesson_url``).
* user-server settings: ``config_dirs`` (everyone) and ``learner_config_dirs`` (people who do not teach)
  are appended to ``JUPYTER_CONFIG_PATH`` (hub_config/user_server/README.md).
* kernels talk to their server over unix sockets (``KernelManager.transport=ipc``) in a private runtime
  folder (``runtime_base/<user>``, mode 0700), not over TCP ports on 127.0.0.1: a TCP kernel port is
  picked in the ephemeral range and released before the kernel binds it, so under many concurrent
  starts another socket can take it; jupyter_client then restarts the kernel on the same ports until it
  is declared dead and the learner's websocket is dropped (bench/hub_load.py, 30 users). Unix sockets
  cannot collide and no other local user can reach them. When the folder's path would be too long for
  a unix socket name, kernels stay on TCP.
* team servers (hub users ``dlteam-…``, datalit.hub.teamserver): run as the team's unix account with the
  team folder as home and notebook folder, group-writable files (umask 007), real-time collaboration
  on (``team_config_dirs``), no course hand-out; refused for a name that is no team of the roster;
  nothing a member wrote into the team folder is loaded (config, extensions, user site, trust:
  datalit.hub.teamenv).
"""
from __future__ import annotations

import asyncio
import os
import pwd
import random
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from traitlets import Bool, Integer, List, Unicode

from datalit.config import DEFAULTS
from datalit.hub import cgroups, content, disk, pages, roles, scratch, teamenv, teamserver, uids


# a kernel's socket: <runtime>/kernel-<uuid36>-ipc-<n>; a unix socket path holds at most 107 bytes
IPC_SOCKET_SUFFIX = len("/kernel-") + 36 + len("-ipc-9")
UNIX_PATH_MAX = 107


def ensure_unix_user(name: str, home_base: str, log=None) -> pwd.struct_passwd:
    """Create the unix account (home 0700 under home_base) unless it exists. Root only.

    An existing system account (uid < 1000: root, daemons, postgres ...) is refused, so that nobody can
    sign up as 'root' and get a server running as root."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        entry = None
    if entry is not None:
        if not uids.is_person_uid(entry.pw_uid):
            raise RuntimeError(f"refusing to run a server as the system account {name!r} (uid {entry.pw_uid})")
        return entry
    Path(home_base).mkdir(parents=True, exist_ok=True)
    base = ["useradd", "-m", "-b", home_base, "-s", "/bin/bash"]
    proc = subprocess.run([*base, "-U", name], capture_output=True, text=True)
    if proc.returncode != 0 and "group" in proc.stderr and "exists" in proc.stderr:
        proc = subprocess.run([*base, "-N", name], capture_output=True, text=True)  # primary group 'users'
    if proc.returncode != 0 and "already exists" not in proc.stderr:
        raise RuntimeError(f"useradd {name} failed: {proc.stderr.strip()}")
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    if log:
        log.info("created unix user %s (home %s)", name, entry.pw_dir)
    return entry


class DatalitSpawner(LocalProcessSpawner):
    state_dir = Unicode(config=True, help="hub state directory")
    content_dir = Unicode(config=True, help="built course notebooks (readable by every user); default <state>/content")
    data_mount = Unicode(DEFAULTS["hub"]["data_mount"], config=True, help="DATALIT_DATA_DIR of the servers")
    home_base = Unicode(DEFAULTS["hub"]["home_base"], config=True)
    user_env_prefix = Unicode(sys.prefix, config=True, help="venv whose bin/ runs the user servers")
    port_min = Integer(DEFAULTS["hub"]["user_port_min"], config=True)
    port_max = Integer(DEFAULTS["hub"]["user_port_max"], config=True)
    isolate = Bool(True, config=True, help="root mode: one unix user per person")
    start_attempts = Integer(3, config=True)
    config_dirs = List(Unicode(), config=True, help="JUPYTER_CONFIG_PATH folders of every user server")
    learner_config_dirs = List(Unicode(), config=True,
                               help="JUPYTER_CONFIG_PATH folders of the servers of people who do not teach")
    runtime_base = Unicode("/run/datalit", config=True,
                           help="root mode: per-user Jupyter runtime folders (kernel unix sockets) live here")
    disk_limit = Unicode("", config=True, help="root mode: size of each home (e.g. 5G); empty: no limit")
    team_config_dirs = List(Unicode(), config=True,
                            help="JUPYTER_CONFIG_PATH folders of team servers, before all others (collaboration on)")
    shm_size = Unicode("", config=True, help="root mode: size of each server's private /dev/shm; empty: the machine's")
    pids_limit = Integer(0, config=True, help="root mode: tasks (processes + threads) of one server; 0: no limit")

    _reserved_ports: set[int] = set()
    _cgroup_warned = False
    _root_shared = False
    _scratch: dict | None = None
    _directories: dict[str, teamserver.Directory] = {}

    # ---- team servers ------------------------------------------------------------------------
    @property
    def team(self) -> teamserver.Team | None:
        """The roster's team whose server this is (None for a person's server)."""
        if not uids.is_team_name(self.user.name):
            return None
        key = self.state_dir or ""
        if key not in DatalitSpawner._directories:
            DatalitSpawner._directories[key] = teamserver.Directory(self.state_dir or None)
        return DatalitSpawner._directories[key].by_account(self.user.name)

    def _team_folder(self) -> Path:
        team = self.team
        if team is None:
            raise RuntimeError(f"{self.user.name} is no team of the roster: no team server")
        return DatalitSpawner._directories[self.state_dir or ""].folder(team)

    def _lab_cfg(self) -> dict:
        key = self.state_dir or ""
        if key not in DatalitSpawner._directories:
            DatalitSpawner._directories[key] = teamserver.Directory(self.state_dir or None)
        return DatalitSpawner._directories[key].cfg

    # ---- where things are -------------------------------------------------------------------
    @property
    def home(self) -> str:
        if uids.is_team_name(self.user.name):
            return str(self._team_folder())
        if self.isolate:
            return pwd.getpwnam(self.user.name).pw_dir
        return str(Path(self.state_dir) / "homes" / self.user.name)

    @property
    def runtime_dir(self) -> str | None:
        """The server's JUPYTER_RUNTIME_DIR (kernel sockets), or None if too long for socket names."""
        base = Path(self.runtime_base) if self.isolate else Path(self.state_dir) / "run"
        path = str(base / self.user.name)
        return path if len(path) + IPC_SOCKET_SUFFIX <= UNIX_PATH_MAX else None

    def get_args(self):
        args = list(super().get_args())
        if self.runtime_dir:
            args.append("--KernelManager.transport=ipc")
        return args

    def user_env(self, env):
        env["USER"] = self.user.name
        env["HOME"] = self.home
        env["SHELL"] = "/bin/bash"
        return env

    def get_env(self):
        env = super().get_env()
        venv_bin = str(Path(self.user_env_prefix) / "bin")
        env["PATH"] = os.pathsep.join([venv_bin, "/usr/local/bin", "/usr/bin", "/bin"])
        env["VIRTUAL_ENV"] = self.user_env_prefix
        env["DATALIT_DATA_DIR"] = self.data_mount
        env.setdefault("LANG", "C.UTF-8")
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        env.pop("PYTHONPATH", None)
        if self.runtime_dir:
            env["JUPYTER_RUNTIME_DIR"] = self.runtime_dir
        dirs = [d for d in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if d]  # e.g. grading (first wins)
        if uids.is_team_name(self.user.name):
            dirs = [*self.team_config_dirs, *dirs]
            env.update(teamenv.team_env(self.runtime_dir))  # nothing a member wrote: datalit/hub/teamenv.py
        if not roles.teaches(self.user):
            dirs += self.learner_config_dirs
        dirs += self.config_dirs
        if dirs:
            env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dirs)
        return env

    def make_preexec_fn(self, name):
        cgroup_dirs = self._cgroup_dirs()
        private = self._scratch if self.isolate else None
        umask = 0o007 if uids.is_team_name(name) else None  # teammates' personal servers edit its files too
        if self.isolate:
            setuid = set_user_setuid(name)
        else:
            home = self.home

            def setuid():
                os.chdir(home)

        def preexec():
            cgroups.join(cgroup_dirs)  # the limits, and what ends every process of the server, before dropping root
            if private is not None:
                scratch.enter(private)  # private /tmp, /var/tmp, /dev/shm
            if umask is not None:
                os.umask(umask)
            setuid()

        return preexec

    # ---- limits ------------------------------------------------------------------------------
    def _cgroup_dirs(self) -> list[Path]:
        if os.geteuid() != 0:
            return []
        made, problems = cgroups.create(self.user.name, int(self.mem_limit or 0), float(self.cpu_limit or 0),
                                        self.pids_limit)
        if problems and not DatalitSpawner._cgroup_warned:
            self.log.warning("cgroup limits NOT all enforced (cgroup v1 not writable: %s)", "; ".join(problems))
            DatalitSpawner._cgroup_warned = True
        return made

    def _private_tmp(self, uid: int, gid: int) -> dict | None:
        """The server's private /tmp folder made afresh, and the plan its preexec carries out (root only)."""
        if os.geteuid() != 0 or not self.isolate:
            return None
        if not DatalitSpawner._root_shared:
            scratch.make_root_shared(self.log)
            DatalitSpawner._root_shared = True
        disk.install_kernel_hook(self.user_env_prefix)  # a full /tmp, /dev/shm or team folder explained in Korean
        scratch.prepare(self.home, uid, gid)
        needed = [self.home, self.home_base, self._lab_cfg().get("teams_dir", ""), self.user_env_prefix,
                  self.data_mount, self.content_dir, self.runtime_dir or "",
                  str(Path(content.__file__).resolve().parents[2]),
                  *self.config_dirs, *self.learner_config_dirs, *self.team_config_dirs]
        return scratch.plan(self.home, uid, disk.parse_size(self.shm_size or 0), needed)

    # ---- ports -------------------------------------------------------------------------------
    def _pick_port(self) -> int:
        for _ in range(200):
            port = random.randint(self.port_min, self.port_max)
            if port in DatalitSpawner._reserved_ports:
                continue
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
            DatalitSpawner._reserved_ports.add(port)
            return port
        raise RuntimeError(f"no free port in {self.port_min}-{self.port_max}")

    def _release_port(self):
        DatalitSpawner._reserved_ports.discard(self.port)

    # ---- lifecycle ---------------------------------------------------------------------------
    async def _prepare_team(self):
        folder = self._team_folder()
        if self.isolate:
            entry = await asyncio.to_thread(teamserver.ensure_account, self.team, folder)
            await asyncio.to_thread(self._limit_team_disk, folder, entry.pw_gid)
            await asyncio.to_thread(self._make_runtime_dir, entry.pw_uid, entry.pw_gid)
            self._scratch = await asyncio.to_thread(self._private_tmp, entry.pw_uid, entry.pw_gid)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(self._make_runtime_dir, None, None)
        self.log.info("team server %s: team %s in %s", self.user.name, self.team.id, folder)

    async def _prepare_home(self):
        if uids.is_team_name(self.user.name):
            return await self._prepare_team()
        if self.isolate:
            entry = await asyncio.to_thread(ensure_unix_user, self.user.name, self.home_base, self.log)
            uid, gid = entry.pw_uid, entry.pw_gid
            await asyncio.to_thread(self._limit_disk, entry)
            self._scratch = await asyncio.to_thread(self._private_tmp, uid, gid)
        else:
            Path(self.home).mkdir(parents=True, exist_ok=True)
            uid = gid = None
        await asyncio.to_thread(self._make_runtime_dir, uid, gid)
        groups = {g.name for g in self.user.groups}
        tiers = content.tiers_for(groups)
        content_dir = self.content_dir or str(Path(self.state_dir) / "content")
        cmd = [str(Path(self.user_env_prefix) / "bin" / "python"), "-m", "datalit.hub.content", "sync",
               "--content", content_dir,
               "--dest", str(Path(self.home) / "courses"), "--tiers", ",".join(tiers)]
        kwargs = {"user": uid, "group": gid, "extra_groups": []} if uid is not None else {}
        proc = await asyncio.to_thread(subprocess.run, cmd, capture_output=True, text=True,
                                       cwd=self.home, env={"PATH": "/usr/bin:/bin", "HOME": self.home},
                                       **kwargs)
        if proc.returncode != 0:
            self.log.error("course hand-out for %s failed: %s", self.user.name, proc.stderr[-2000:])
        else:
            self.log.info("courses for %s (%s): %s", self.user.name, ",".join(tiers), proc.stdout.strip())
        self.default_url = pages.first_lesson_url(content_dir, tiers, self.home)  # a first login: the first lesson

    def _limit_disk(self, entry: pwd.struct_passwd) -> None:
        if not self.disk_limit or os.geteuid() != 0:
            return
        disk.install_kernel_hook(self.user_env_prefix)
        try:
            disk.limit_home(Path(self.state_dir), self.user.name, Path(entry.pw_dir), entry.pw_uid, entry.pw_gid,
                            disk.parse_size(self.disk_limit), self.log)
        except (disk.DiskLimitError, OSError) as exc:
            self.log.error("disk limit NOT enforced for %s: %s", self.user.name, exc)

    def _limit_team_disk(self, folder: Path, gid: int) -> None:
        """The team folder's own image, mounted again here after a reboot or a later ``lab.team_disk_limit``."""
        try:
            disk.limit_team_folder(folder, gid, self._lab_cfg().get("team_disk_limit", ""), self.log)
        except (disk.DiskLimitError, OSError) as exc:
            self.log.error("disk limit NOT enforced for team folder %s: %s", folder, exc)

    async def delete_forever(self):
        """The hub user is deleted: their home image goes too (the unix account is removed separately)."""
        if self.isolate and os.geteuid() == 0 and self.name == "" and not uids.is_team_name(self.user.name):
            try:
                home = Path(pwd.getpwnam(self.user.name).pw_dir)
            except KeyError:
                home = None
            await asyncio.to_thread(disk.release_home, Path(self.state_dir), self.user.name, home)

    def _make_runtime_dir(self, uid: int | None, gid: int | None) -> None:
        """``runtime_base/<user>``: owned by the user, mode 0700, never a symlink."""
        if not self.runtime_dir:
            self.log.warning("runtime folder of %s too long for unix sockets: kernels use TCP", self.user.name)
            return
        path = Path(self.runtime_dir)
        path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        elif path.is_dir() and uid is not None and path.stat().st_uid != uid:  # left by an earlier account
            shutil.rmtree(path)
        path.mkdir(mode=0o700, exist_ok=True)
        if uid is not None:
            os.chown(path, uid, gid)
        os.chmod(path, 0o700)

    async def _answers(self, url: str, timeout: float) -> bool:
        """True once *this* server answers /api/status with 200; False if the process died."""
        client = AsyncHTTPClient()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if await self.poll() is not None:
                return False
            req = HTTPRequest(url, headers={"Authorization": f"token {self.api_token}"},
                              request_timeout=5, follow_redirects=False)
            try:
                resp = await client.fetch(req, raise_error=False)
                if resp.code == 200:
                    return True
            except (HTTPClientError, OSError):
                pass
            await asyncio.sleep(0.2)
        return False

    async def start(self):
        await self._end_processes()  # whatever outlived a server that died rather than stopped (an impostor)
        await self._prepare_home()
        for attempt in range(1, self.start_attempts + 1):
            self.port = self._pick_port()
            ip, port = await super().start()
            url = f"http://{ip or '127.0.0.1'}:{port}{self.server.base_url}api/status"
            if await self._answers(url, self.start_timeout):
                return ip, port
            self.log.warning("server of %s did not come up on port %s (attempt %d); retrying on another port",
                             self.user.name, port, attempt)
            await super().stop(now=True)
            await self._end_processes()
            self._release_port()
        raise RuntimeError(f"server of {self.user.name} failed to start {self.start_attempts} times")

    async def poll(self):
        """As LocalProcessSpawner's, and a server found dead leaves nothing behind: JupyterHub calls stop() only
        for a server it thinks is running, so a member who killed the team server and served their own page on
        its port would otherwise keep it (and it would outlive the next start)."""
        status = await super().poll()
        if status is not None and os.geteuid() == 0 and cgroups.pids(self.user.name):
            await self._end_processes()
        return status

    async def stop(self, now=False):
        await super().stop(now=now)
        await self._end_processes()
        self._release_port()
        if self.runtime_dir:  # the server's runtime files (kernel sockets, cookie secret) go with it
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    async def _end_processes(self) -> None:
        """Every process the server left (``setsid``, double-forked daemons) ends with it: its cgroups."""
        if os.geteuid() == 0:
            killed = await asyncio.to_thread(cgroups.kill_all, self.user.name)
            if killed:
                self.log.info("killed %d leftover processes of %s's server", killed, self.user.name)
