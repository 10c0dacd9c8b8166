"""The grading Jobs' own commands, run here with their environment (datalit/labs/k8s_jobs.py).

A Job's pod has two containers: ``grader`` runs ``python -m datalit.labs.k8s_jobs grade LAB --shard I --of N``
(sandbox off; the course on its volume; the hidden checks from the Secret under ``lab.checkout_dir``/grading/
labchecks), ``kernel`` runs ``python -I -m datalit.labs.kernel_sidecar serve`` under another uid and starts the
student kernels. Here both commands run as the Job spec gives them, the kernel container's as a unix account
made for the test (another uid, removed afterwards), its volumes mapped to folders: the shared emptyDir is a
folder only that account's group may read (as the read-only mount), its /tmp a folder of its own, its PID
namespace its own (the sidecar is PID 1 there, as in its container); a copy of
grading/labchecks stands in for the Secret, which the kernel's account cannot read. Every team is graded
exactly once, with every autograded point. The kernel container's memory limit is a cgroup v1 memory group
with the spec's limit, OOM-killed as a whole as cgroup v2 does (kubelet sets memory.oom.group), and restarted
as the kubelet does when the spec says ``restartPolicy: Always``. (No pod or NetworkPolicy is involved here;
those are checked on the Job spec in test_k8s_grading.py. The attacks: tests/security/test_k8s_kernel_sidecar.py,
tests/security/test_k8s_kernel_memory.py.)
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "labs"))
from labkit import LAB, answered, local_course, put_submission, write_roster  # noqa: E402

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the kernel container's uid is a unix account (root)")]
PARENT = "/var/lib/datalit-sandbox-tests"  # 0711, outside the tests' 0700 tmp folders: the account can enter


@contextlib.contextmanager
def kernel_account():
    """A unix account (a person's uid range, >= 1000) standing in for the kernel container's uid."""
    name = f"dlk8s{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
                   check=True, capture_output=True)
    pw = pwd.getpwnam(name)
    assert pw.pw_uid >= 1000
    try:
        yield pw
    finally:
        _kill_uid(pw.pw_uid)
        subprocess.run(["userdel", name], check=False, capture_output=True)
        subprocess.run(["groupdel", name], check=False, capture_output=True)


def _kill_uid(uid: int) -> None:
    """Processes of the test's own account only (the sidecar and what it started)."""
    for _ in range(100):
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


def _owner(proc: Path) -> int | None:
    try:
        return int(next(ln for ln in (proc / "status").read_text().splitlines() if ln.startswith("Uid:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return None


def sidecar_command(account, command: list[str]) -> list[str]:
    """COMMAND as the kernel container runs it: ACCOUNT's uid, its own PID namespace where it is PID 1 (a
    kernel cannot signal it), no privileges."""
    return ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc",
            "setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", "--no-new-privs",
            *command]


def _terminate_pid1(unshare_pid: int) -> None:
    """SIGTERM to the container's PID 1 (the child of ``unshare --fork``), as the kubelet sends it."""
    for task in Path(f"/proc/{unshare_pid}/task").iterdir():
        for pid in (task / "children").read_text().split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), signal.SIGTERM)


def pod_folders(account) -> tuple[Path, Path, Path]:
    """(base, shared folder, the kernel container's /tmp): the shared emptyDir as a folder only ACCOUNT's group
    may read (the read-only mount), the kernel's /tmp its own. Remove BASE afterwards."""
    base = Path(tempfile.mkdtemp(prefix="k8spod-", dir=PARENT))
    os.chmod(base, 0o711)
    share, kernel_tmp = base / "share", base / "kernel-tmp"
    share.mkdir()
    os.chown(share, 0, account.pw_gid)
    os.chmod(share, 0o2750)
    kernel_tmp.mkdir()
    os.chown(kernel_tmp, account.pw_uid, account.pw_gid)
    os.chmod(kernel_tmp, 0o700)
    return base, share, kernel_tmp


def _mapped(value: str, mounts: dict) -> str:
    for inside, here in mounts.items():
        if value == inside or value.startswith(inside + "/"):
            return here + value[len(inside):]
    return value


CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")
RESTARTED = "[kubelet] kernel container restarted"


class ContainerMemory:
    """The kernel container's memory limit: a cgroup v1 memory group with the spec's limit whose processes are
    all killed when the OOM killer strikes in it (cgroup v2's memory.oom.group, as the kubelet sets it)."""

    def __init__(self, limit: str):
        assert limit.endswith("Mi"), limit
        self.dir = CGROUP_MEMORY / f"datalit-k8spod-{uuid.uuid4().hex[:8]}"
        self.dir.mkdir()
        (self.dir / "memory.limit_in_bytes").write_text(str(int(limit[:-2]) * 1024 * 1024))
        self.kills = 0

    def join(self) -> None:  # (in the container's first process, before exec)
        (self.dir / "cgroup.procs").write_text(str(os.getpid()))

    def oom_kills(self) -> int:
        text = (self.dir / "memory.oom_control").read_text()
        return int(next((ln.split()[1] for ln in text.splitlines() if ln.startswith("oom_kill ")), 0))

    def kill_all(self) -> None:
        for _ in range(200):
            pids = [int(p) for p in (self.dir / "cgroup.procs").read_text().split()]
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)

    def remove(self) -> None:
        self.kill_all()
        for _ in range(50):
            try:
                self.dir.rmdir()
                return
            except OSError:
                time.sleep(0.1)


def run_grading_pod(job: dict, course_root: Path, checkout: Path, datasets: Path, tmp_path: Path, account,
                    timeout: int = 900) -> tuple[subprocess.CompletedProcess, str]:
    """Both containers of JOB's pod as processes: the kernel container's as ACCOUNT (in its memory limit,
    restarted as the kubelet does), the grader's as this test (root, with the Job's environment). Returns the
    grader's run and the sidecar's stderr (every start of it, with a RESTARTED line between)."""
    from datalit.labs import k8s_jobs

    pod = job["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in pod["containers"] + pod.get("initContainers", [])}
    grader, kernel = containers["grader"], containers["kernel"]
    base, share, kernel_tmp = pod_folders(account)
    grader_tmp = tmp_path / "podtmp"
    grader_tmp.mkdir(exist_ok=True)
    env = {e["name"]: e["value"] for e in grader["env"]}
    mounts = {env["DATALIT_LAB_COURSE_DIR"]: str(course_root), env["DATALIT_LAB_CHECKOUT_DIR"]: str(checkout),
              env["DATALIT_DATA_DIR"]: str(datasets), k8s_jobs.KERNEL_SHARE: str(share), "/tmp": str(grader_tmp)}
    env = {k: _mapped(v, mounts) for k, v in env.items()}
    kernel_data = next(e["value"] for e in kernel["env"] if e["name"] == "DATALIT_DATA_DIR")  # hub.data_mount
    kernel_mounts = {k8s_jobs.KERNEL_SHARE: str(share), kernel_data: str(datasets), "/tmp": str(kernel_tmp)}
    kernel_env = {e["name"]: _mapped(e["value"], kernel_mounts) for e in kernel["env"]}
    kernel_env["PATH"] = os.environ["PATH"]
    sidecar_cmd = [sys.executable, *[_mapped(a, kernel_mounts) for a in kernel["command"][1:]]]
    sidecar_log = base / "sidecar.log"
    memory = ContainerMemory(kernel["resources"]["limits"]["memory"])
    sidecar = None

    def start_sidecar():
        with open(sidecar_log, "ab") as log:
            return subprocess.Popen(sidecar_command(account, sidecar_cmd), env=kernel_env, cwd=kernel["workingDir"],
                                    stdout=log, stderr=log, preexec_fn=memory.join)

    try:
        sidecar = start_sidecar()
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATALIT_", "JUPYTER"))}  # only the Job's
        command = [sys.executable, *grader["command"][1:]]  # "python" of the image = this interpreter
        grader_proc = subprocess.Popen(command, env={**keep, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, cwd=str(tmp_path))
        out: dict = {}
        reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"), grader_proc.communicate())))
        reader.start()
        deadline, kills = time.monotonic() + timeout, 0
        while grader_proc.poll() is None:  # the kubelet, while the grader runs
            assert time.monotonic() < deadline, "the grader did not end"
            if memory.oom_kills() > kills:  # the container's OOM kill takes all of it, the sidecar too
                kills = memory.oom_kills()
                memory.kill_all()
            if sidecar.poll() is not None:
                if kernel.get("restartPolicy") != "Always":
                    break  # not restarted: the rest of the pod goes on without it
                with open(sidecar_log, "a") as log:
                    log.write(f"{RESTARTED} (exit {sidecar.returncode})\n")
                sidecar = start_sidecar()
            time.sleep(0.1)
        reader.join(timeout=max(1, deadline - time.monotonic()))
        done = subprocess.CompletedProcess(command, grader_proc.wait(), out.get("stdout", ""), out.get("stderr", ""))
        restartable = kernel.get("restartPolicy") == "Always"
        try:  # the sidecar ends when the grader has ended
            code = sidecar.wait(timeout=10 if restartable else 60)
        except subprocess.TimeoutExpired:
            code = "still running"
            if restartable:  # restarted after its end (a native sidecar): the kubelet's SIGTERM ends it
                _terminate_pid1(sidecar.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = sidecar.wait(timeout=30)
        log_text = sidecar_log.read_text(errors="replace")
        assert code == 0, f"sidecar: {code}\n{log_text}\ngrader:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        return done, log_text
    finally:
        if sidecar is not None and sidecar.poll() is None:
            sidecar.kill()
        _kill_uid(account.pw_uid)
        memory.remove()
        shutil.rmtree(base, ignore_errors=True)


def test_each_worker_grades_its_share_with_the_jobs_environment(tmp_path, monkeypatch, repo, shared_datasets):
    from datalit.labs import collect, k8s_jobs, roster
    from datalit.labs.autograde import scores_of
    from datalit.labs.course import lab_info
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, "k8s-grading")
    release(course, LAB)
    teams = {f"kt{i}": [f"m-kt{i}"] for i in range(3)}
    roster.import_csv(course, write_roster(tmp_path / "roster.csv", teams), known_users=None, known_labs=[LAB])
    for team, (member,) in teams.items():
        put_submission(course, member, answered(course))
    collect.collect(course, LAB)

    checkout = tmp_path / "checkout"  # the Secret datalit-labchecks, mounted at <checkout>/grading/labchecks
    shutil.copytree(repo / "grading" / "labchecks", checkout / "grading" / "labchecks")
    jobs = k8s_jobs.grading_jobs(LAB, "t1", workers=2, teams=len(teams))
    outputs = []
    with kernel_account() as account:
        for job in jobs:
            grader = job["spec"]["template"]["spec"]["containers"][0]
            assert {e["name"]: e["value"] for e in grader["env"]}["DATALIT_LAB_SANDBOX"] == "false"
            done, sidecar_log = run_grading_pod(job, course.root, checkout, shared_datasets, tmp_path, account)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:] + sidecar_log[-2000:]
            outputs.append(done.stdout)
            mine = [ln for ln in done.stdout.splitlines() if ln.strip().startswith(("OK", "ERR"))]
            assert sidecar_log.count(" started") == len(mine) >= 1, sidecar_log  # each notebook's kernel: there
    graded = [line.split()[1] for out in outputs for line in out.splitlines() if line.strip().startswith(("OK", "ERR"))]
    assert sorted(graded) == sorted(teams), outputs  # every team once, by one worker
    scores = scores_of(course, LAB)
    full = lab_info(LAB)["points"]["auto"]  # the reference answers: every autograded point
    assert {t: scores[t]["auto"] for t in teams} == dict.fromkeys(teams, full), scores
    for team in teams:  # the kernels found their caches (matplotlib warns in the feedback otherwise)
        graded = (course.root / "autograded" / team / LAB / f"{LAB}.ipynb").read_text(encoding="utf-8")
        assert "MPLCONFIGDIR" not in graded and "not a writable directory" not in graded, team
