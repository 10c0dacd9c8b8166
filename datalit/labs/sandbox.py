"""Sandbox for student kernels during autograding.

The grader (nbgrader, as root) keeps the gradebook, the source notebooks with hidden tests and
every team's work in a course directory of mode 0700. Only the *kernel* runs sandboxed:

* as an unprivileged user, one per worker slot (``<prefix><slot>``), so concurrent kernels
  cannot see each other's working copies and a slot's leftovers can be killed by uid;
* in new network and mount namespaces (``unshare -n -m``): no network at all, and the course
  directory, the exchange, the team folders and the checkout's ``labs/``/``grading/`` are hidden
  under empty tmpfs mounts;
* with rlimits (CPU seconds, processes, file size, core dumps) and cgroup v1 memory/pids limits
  where cgroups are writable, plus a wall-clock watchdog per notebook;
* talking to the grader over unix sockets (``transport = "ipc"``), which work across network
  namespaces where TCP loopback does not.

The confinement is one spec (:meth:`SandboxKernelManager.confine_spec`), applied either by a shell
wrapper (unshare, mount, prlimit, setpriv) around ``python -m ipykernel_launcher`` or, in
``datalit lab autograde``'s workers, in-process by a kernel forked from the worker's pre-warmed fork
server (``datalit.kernels``): the same limits without ~1 s of imports per notebook.

The working copy of the submission is copied into the slot's own directory, so the kernel sees
only its team's files (small ones: big files are never collected).
"""
from __future__ import annotations

import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Integer, List, Unicode, default

from datalit.config import DEFAULTS
from datalit.kernels.confine import kernel_rlimits
from datalit.labs.reach import blocking_folder

CGROUP_ROOT = Path("/sys/fs/cgroup")


def can_sandbox() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("unshare") is not None


def slot_user(prefix: str, slot: int) -> str:
    return f"{prefix}{slot}"


class SlotUserError(RuntimeError):
    """An account or group with a sandbox name that the grader did not create: never reused."""


def sandbox_group(prefix: str) -> str:
    from datalit.hub.uids import SANDBOX_GROUP

    return SANDBOX_GROUP


def ensure_sandbox_group(prefix: str) -> int:
    """The group of all slot users (gid FIRST_SANDBOX_UID), created once; returns its gid."""
    import grp

    from datalit.hub.uids import FIRST_SANDBOX_UID

    name = sandbox_group(prefix)
    try:
        gid = grp.getgrnam(name).gr_gid
    except KeyError:
        try:
            other = grp.getgrgid(FIRST_SANDBOX_UID).gr_name
        except KeyError:
            other = None
        if other is not None:
            raise SlotUserError(f"gid {FIRST_SANDBOX_UID} (reserved for the grading sandbox group '{name}') "
                                f"already belongs to group '{other}': remove or renumber it")
        subprocess.run(["groupadd", "--system", "--gid", str(FIRST_SANDBOX_UID), name], check=True,
                       capture_output=True)
        return FIRST_SANDBOX_UID
    if gid != FIRST_SANDBOX_UID:
        raise SlotUserError(f"group '{name}' exists with gid {gid}, not the grader's {FIRST_SANDBOX_UID}: "
                            f"the grader did not create it and will not use it (groupdel {name} if it is not needed)")
    return gid


def ensure_slot_user(prefix: str, slot: int) -> tuple[int, int]:
    """Create (once) the unprivileged system user of a worker slot; return (uid, gid).

    A uid of the sandbox range (datalit.hub.uids.new_sandbox_uid: graders with different
    ``lab.sandbox_user_prefix`` on one machine get different uids), primary group the sandbox group, GECOS
    marker, no home, no shell. An existing account of that name that does not carry all of these was not
    made by the grader (e.g. a person approved under that name): SlotUserError, nobody is graded under it."""
    from datalit.hub.uids import (FIRST_SANDBOX_UID, LAST_SANDBOX_UID, SANDBOX_GECOS, is_sandbox_uid,
                                  new_sandbox_uid)

    name = slot_user(prefix, slot)
    if not 0 <= slot <= LAST_SANDBOX_UID - FIRST_SANDBOX_UID:
        raise SlotUserError(f"slot {slot}: at most {LAST_SANDBOX_UID - FIRST_SANDBOX_UID + 1} grading slots")
    gid = ensure_sandbox_group(prefix)
    for attempt in range(6):  # another grader may take the same free uid at the same moment: useradd refuses it
        try:
            pw = pwd.getpwnam(name)
            break
        except KeyError:
            if attempt == 5:
                raise SlotUserError(f"could not create the grading slot user '{name}' (useradd kept failing)") from None
        uid = new_sandbox_uid(slot)
        if uid is None:
            raise SlotUserError(f"no free uid left in the grading sandbox range {FIRST_SANDBOX_UID}-"
                                f"{LAST_SANDBOX_UID} for '{name}': remove slot accounts of prefixes no longer "
                                "used (userdel)")
        subprocess.run(["useradd", "--system", "--uid", str(uid), "--gid", str(gid), "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "--comment", SANDBOX_GECOS,
                        name], capture_output=True)
    if not is_sandbox_uid(pw.pw_uid) or (pw.pw_gid, pw.pw_gecos) != (gid, SANDBOX_GECOS):
        raise SlotUserError(
            f"an account named '{name}' exists (uid {pw.pw_uid}, gid {pw.pw_gid}, comment {pw.pw_gecos!r}) that the "
            f"grader did not create (its slot users have a uid in {FIRST_SANDBOX_UID}-{LAST_SANDBOX_UID}, gid {gid}, "
            f"comment {SANDBOX_GECOS!r}): refusing to grade under it. Names starting with '{prefix}' are reserved "
            f"for the grading sandbox; move that person to another name, then 'userdel {name}'")
    return pw.pw_uid, pw.pw_gid


LABCHECKS = "labchecks"


def prepare_sandbox_dir(sandbox_dir: str) -> Path:
    """Make the sandbox folder (root-owned, 0711) and check that a slot user can reach it: every folder
    above it must let others through (x). The hub's state folder is 0700, so a sandbox inside it would
    give every kernel 'Permission denied' and every team 0 points; refuse that before grading starts."""
    base = Path(sandbox_dir).absolute()
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o711)
    parent = blocking_folder(base, read=False)
    if parent is not None:
        raise SlotUserError(f"lab.sandbox_dir {base} is inside {parent} (mode "
                            f"{oct(os.stat(parent).st_mode & 0o777)}), which the sandbox users cannot enter; "
                            "choose a sandbox_dir outside the hub's state folder (default /var/lib/datalit-sandbox)")
    return base


def labchecks_root(sandbox_dir: str) -> Path:
    """The folder put on sandboxed kernels' PYTHONPATH (it holds the package ``labchecks``)."""
    return Path(sandbox_dir) / LABCHECKS


def install_labchecks(sandbox_dir: str, prefix: str) -> Path:
    """Copy the checkout's reference checks (grading/labchecks) into the sandbox folder, readable by the
    sandbox group only (root:<group>, 0750/0640): the kernels being graded import them, nobody else can.

    Content-addressed (``.labchecks-<digest>``, never changed once made) behind the ``labchecks``
    symlink, replaced atomically: a kernel starting meanwhile sees the old or the new copy, whole."""
    import hashlib

    from datalit.paths import checkout_path

    src = checkout_path("grading", LABCHECKS)
    files = sorted(p for p in src.rglob("*.py") if "__pycache__" not in p.parts) if src.is_dir() else []
    if not (src / "__init__.py").exists():
        raise SlotUserError(f"no reference checks at {src} (set lab.checkout_dir to the checkout)")
    gid = ensure_sandbox_group(prefix)
    digest = hashlib.sha256(b"pyc")  # (copies made before they carried compiled files are not reused)
    for f in files:
        digest.update(str(f.relative_to(src)).encode() + b"\0" + f.read_bytes() + b"\0")
    base = prepare_sandbox_dir(sandbox_dir)
    target = base / f".{LABCHECKS}-{digest.hexdigest()[:16]}"
    if not target.is_dir():
        tmp = base / f".{LABCHECKS}-tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / LABCHECKS).mkdir(parents=True)
        for f in files:
            dest = tmp / LABCHECKS / f.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
        # compiled here, by root: kernels run with PYTHONDONTWRITEBYTECODE and import the checks afresh
        # before every test cell, so each import compiled the source again
        import compileall

        compileall.compile_dir(str(tmp / LABCHECKS), quiet=2)
        for p in [tmp, *tmp.rglob("*")]:
            os.lchown(p, 0, gid)
            os.chmod(p, 0o750 if p.is_dir() else 0o640)
        try:
            tmp.rename(target)
        except OSError:  # another grader made the same copy meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    root = labchecks_root(sandbox_dir)
    if not (root.is_symlink() and os.readlink(root) == target.name):
        link = base / f".{LABCHECKS}-link-{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(target.name)
        os.replace(link, root)
    return root


def kill_user_processes(uid: int, gid: int, patience: float = 5.0) -> list[int]:
    """SIGKILL every process of a sandbox uid (its kernel, forked children, fork bombs); returns the pids
    still alive after PATIENCE seconds (zombies aside), which the caller must not write next to.

    Each round starts with ``kill -KILL -1`` run *as that uid*: the kernel signals every process of the uid
    while no fork can slip in between (one pid at a time, a fork bomb could outrun the loop); then each pid
    seen in /proc, as before."""
    deadline = time.monotonic() + patience
    while True:
        pids = [p for p in _uid_pids(uid) if not _is_zombie(p)]
        if not pids or time.monotonic() > deadline:
            return pids
        try:
            subprocess.run(["kill", "-KILL", "-1"], user=uid, group=gid, extra_groups=[], capture_output=True,
                           env={"PATH": "/usr/bin:/bin"}, timeout=10)
        except (OSError, subprocess.SubprocessError):
            pass  # no kill(1) here: the loop below still kills pid by pid
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.02)


def _is_zombie(pid: int) -> bool:
    """A process that has ended and waits for its parent to reap it: it can do nothing any more."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True  # gone


def _uid_pids(uid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _uid_has_processes(uid: int) -> bool:
    return bool(_uid_pids(uid))


class Cgroup:
    """A cgroup v1 memory + pids group for one slot account, ``memory|pids/datalit/<prefix><slot>``: named by
    the prefix, so two graders at once never share a slot's limits (silently absent if cgroups are read-only)."""

    def __init__(self, name: str, memory_mb: int, max_pids: int):
        self.dirs = {}
        for ctrl in ("memory", "pids"):
            d = CGROUP_ROOT / ctrl / "datalit" / name
            try:
                d.mkdir(parents=True, exist_ok=True)
                if ctrl == "memory":
                    (d / "memory.limit_in_bytes").write_text(str(memory_mb * 1024 * 1024))
                    try:
                        (d / "memory.memsw.limit_in_bytes").write_text(str(memory_mb * 1024 * 1024))
                    except OSError:
                        pass
                else:
                    (d / "pids.max").write_text(str(max_pids))
                self.dirs[ctrl] = d
            except OSError:
                continue

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs.values()]

    def counter(self) -> dict:
        out = {}
        mem = self.dirs.get("memory")
        if mem:
            try:
                out["oom"] = int((mem / "memory.failcnt").read_text())
                text = (mem / "memory.oom_control").read_text()
                for line in text.splitlines():
                    if line.startswith("oom_kill "):
                        out["oom_kill"] = int(line.split()[1])
            except OSError:
                pass
        pids = self.dirs.get("pids")
        if pids:
            try:
                out["pids_max_hits"] = int((pids / "pids.events").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                pass
        return out


class SandboxKernelManager(AsyncKernelManager):
    """An AsyncKernelManager that launches the kernel inside the sandbox described above."""

    slot = Integer(0).tag(config=True)
    user_prefix = Unicode(DEFAULTS["lab"]["sandbox_user_prefix"]).tag(config=True)
    sandbox_dir = Unicode(DEFAULTS["lab"]["sandbox_dir"]).tag(config=True)
    hidden_paths = List(Unicode()).tag(config=True)
    cpu_seconds = Integer(DEFAULTS["lab"]["cpu_seconds"]).tag(config=True)
    memory_mb = Integer(DEFAULTS["lab"]["memory_mb"]).tag(config=True)
    max_processes = Integer(DEFAULTS["lab"]["max_processes"]).tag(config=True)
    wall_seconds = Integer(DEFAULTS["lab"]["timeout"]).tag(config=True)
    max_file_mb = Integer(DEFAULTS["lab"]["max_file_mb"]).tag(config=True)
    data_cache = Unicode("").tag(config=True)
    extra_env = Dict().tag(config=True)
    enabled = Bool(True).tag(config=True)
    forked = Bool(False, help="Fork the kernel from the worker's sandboxed fork server if one runs").tag(config=True)

    @default("client_class")
    def _client_class_default(self):  # the same client, without a 0.2 s wait per kernel start (kernel_client.py)
        return "datalit.labs.kernel_client.GradingKernelClient"

    @default("client_factory")
    def _client_factory_default(self):
        from datalit.labs.kernel_client import GradingKernelClient

        return GradingKernelClient

    def __init__(self, **kw):
        super().__init__(**kw)
        self.events: list[str] = []
        self._watchdog: threading.Timer | None = None
        self._ids: tuple[int, int] | None = None
        self._cgroup: Cgroup | None = None
        self._cg_before: dict = {}

    # -- launch -------------------------------------------------------------------------------
    async def _async_pre_start_kernel(self, **kw):
        if not self.enabled:  # unsandboxed (not root): the kernel imports the checks from the checkout
            from datalit.paths import checkout_path

            env = dict(kw.get("env") or os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout_path("grading")), env.get("PYTHONPATH")]))
            kw["env"] = env
            return await super()._async_pre_start_kernel(**kw)
        uid, gid = self._ids = ensure_slot_user(self.user_prefix, self.slot)
        checks = install_labchecks(self.sandbox_dir, self.user_prefix)
        left = kill_user_processes(uid, gid)
        if left:  # root is about to write the next team's files where these could plant links or read them
            raise SlotUserError(f"processes {left[:10]} of slot user {slot_user(self.user_prefix, self.slot)} "
                                "survived SIGKILL; not starting the next kernel in that slot")
        base = prepare_sandbox_dir(self.sandbox_dir)
        home = base / slot_user(self.user_prefix, self.slot)  # by prefix: two graders never share it
        if home.exists():
            shutil.rmtree(home, ignore_errors=True)
        work = home / "work"
        work.mkdir(parents=True)
        src = kw.get("cwd")
        if src and os.path.isdir(src):
            self._copy_small(Path(src), work)
        for p in [home, *home.rglob("*")]:
            os.lchown(p, uid, gid)
        os.chmod(home, 0o700)
        kw["cwd"] = str(work)
        self.transport = "ipc"
        self.ip = str(home / "k")
        self.cache_ports = False
        self.connection_file = str(home / "kernel.json")
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(home), "USER": slot_user(self.user_prefix, self.slot),
            "LANG": "C.UTF-8", "MPLCONFIGDIR": str(home / "mpl"),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "NBGRADER_EXECUTION": "autograde",
            "TMPDIR": str(home),
            "PYTHONPATH": str(checks),  # the reference checks: only here, readable only by the sandbox group
        }
        if self.data_cache:
            env["DATALIT_CACHE_DIR"] = self.data_cache
        for key in ("DATALIT_DATA_DIR", "DATALIT_CATALOG_DIR"):
            if os.environ.get(key):
                env[key] = os.environ[key]
        env.update(self.extra_env)
        kw["env"] = env
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        os.chown(self.connection_file, uid, gid)
        self._cgroup = Cgroup(slot_user(self.user_prefix, self.slot), self.memory_mb, self.max_processes)
        self._cg_before = self._cgroup.counter()
        spec = self.confine_spec(uid, gid)
        wrapped = self._wrap(cmd, spec)
        if self.forked:  # a pre-warmed kernel from the worker's fork server; the wrapper if it is gone
            from datalit.kernels.forkserver import client_cmd

            return client_cmd(self.connection_file, wrapped, spec) or wrapped, kw
        return wrapped, kw

    def _copy_small(self, src: Path, dest: Path) -> None:
        limit = self.max_file_mb * 1024 * 1024
        for root, dirs, files in os.walk(src):
            rel = Path(root).relative_to(src)
            (dest / rel).mkdir(parents=True, exist_ok=True)
            for f in files:
                p = Path(root) / f
                try:
                    if p.is_symlink() or p.stat().st_size > limit:
                        continue
                    shutil.copy2(p, dest / rel / f)
                except OSError:
                    continue

    def confine_spec(self, uid: int, gid: int) -> dict:
        """The confinement of one kernel, as data: applied by the shell wrapper below, or in-process by a
        kernel forked from the worker's pre-warmed fork server (datalit.kernels.confine)."""
        needed = self._needed_paths()
        return {
            "uid": uid, "gid": gid,
            "cgroup_procs": self._cgroup.procs_files() if self._cgroup else [],
            "hidden": [p for p in self.hidden_paths if p and os.path.isdir(p)],
            # a private /tmp: teams graded one after another in a slot leave nothing to each other
            "private_tmp": not any(p.startswith("/tmp/") for p in needed),
            "rlimits": kernel_rlimits(self.cpu_seconds, self.max_file_mb, self.max_processes,
                                      None if self._cgroup_ok() else self.memory_mb * 3),
        }

    def _wrap(self, cmd: list[str], spec: dict) -> list[str]:
        mounts = [f"mount -t tmpfs -o size=4k,mode=0555 datalit-hidden {shlex.quote(path)}" for path in spec["hidden"]]
        if spec["private_tmp"]:
            mounts.append("mount -t tmpfs -o size=64m,mode=1777 datalit-tmp /tmp")
        mounts.append("mount -t tmpfs -o size=16m,mode=1777 datalit-shm /dev/shm || true")
        lim = spec["rlimits"]
        inner = " && ".join(mounts) + " && exec " + shlex.join([
            "prlimit", f"--cpu={lim['cpu'][0]}:{lim['cpu'][1]}", f"--nproc={lim['nproc']}", f"--fsize={lim['fsize']}",
            f"--core={lim['core']}", f"--nofile={lim['nofile']}", *([f"--as={lim['as']}"] if lim["as"] else []),
            "setpriv", f"--reuid={spec['uid']}", f"--regid={spec['gid']}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--bounding-set=-all", *cmd])
        join = "".join(f"echo $$ > {shlex.quote(p)} && " for p in spec["cgroup_procs"])
        outer = join + "exec " + shlex.join(["unshare", "--mount", "--net", "--propagation", "private",
                                             "/bin/sh", "-c", inner])
        return ["/bin/sh", "-c", outer]

    def _needed_paths(self) -> list[str]:
        """What the kernel must still see: a private /tmp would hide any of these that live under /tmp
        (a CI clone, a venv or the data in /tmp)."""
        import datalit
        from datalit.paths import catalog_dir, shared_data_dir

        paths = [self.sandbox_dir, sys.prefix, str(Path(datalit.__file__).parent), str(catalog_dir()),
                 str(shared_data_dir()), os.environ.get("DATALIT_DATA_DIR", ""), self.data_cache or ""]
        return [os.path.realpath(p) + "/" for p in paths if p]

    def _cgroup_ok(self) -> bool:
        return bool(self._cgroup and "memory" in self._cgroup.dirs)

    async def _async_wait(self, pollinterval: float = 0.01) -> None:
        """After a kill, whether the kernel is gone: asked every 10 ms, not every 100 ms (a killed kernel is
        gone at once; the first answer was still "alive", and the worker then slept 0.1 s per team)."""
        await super()._async_wait(pollinterval=pollinterval)

    async def _async_post_start_kernel(self, **kw):
        await super()._async_post_start_kernel(**kw)
        if self.enabled and self.wall_seconds > 0:
            self._watchdog = threading.Timer(self.wall_seconds, self._on_wall_timeout)
            self._watchdog.daemon = True
            self._watchdog.start()

    def _on_wall_timeout(self) -> None:
        self.events.append("wall_timeout")
        if self._ids:
            kill_user_processes(*self._ids)

    # -- diagnosis + teardown -------------------------------------------------------------------
    def diagnose(self) -> list[str]:
        """Why did the kernel die? Returns event names (wall_timeout, memory, processes)."""
        events = list(self.events)
        proc = getattr(self.provisioner, "process", None) if self.provisioner else None
        if proc is not None and proc.poll() is not None and proc.returncode == -signal.SIGXCPU:
            events.append("cpu")
        if not self.enabled and proc is not None and proc.poll() is not None:
            from datalit.labs.kernel_sidecar import MEMORY_EXIT

            if proc.returncode == MEMORY_EXIT:  # the Kubernetes kernel sidecar's connect: killed for memory
                events.append("memory")
        if self._cgroup:
            now = self._cgroup.counter()
            if now.get("oom_kill", 0) > self._cg_before.get("oom_kill", 0) or \
                    now.get("oom", 0) > self._cg_before.get("oom", 0):
                events.append("memory")
            if now.get("pids_max_hits", 0) > self._cg_before.get("pids_max_hits", 0):
                events.append("processes")
        return events

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if self._watchdog:
            self._watchdog.cancel()
        if self.enabled and self._ids:
            kill_user_processes(*self._ids)
        try:
            await super()._async_cleanup_resources(restart=restart)
        except OSError:
            pass
        if self.enabled and not restart:
            shutil.rmtree(Path(self.sandbox_dir) / slot_user(self.user_prefix, self.slot), ignore_errors=True)
