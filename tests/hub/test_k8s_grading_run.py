"""The grading Jobs' own commands, run here with their environment (datalit/labs/k8s_jobs.py).

A Job's pod has two containers: ``grader`` runs ``python -m datalit.labs.k8s_jobs grade LAB --shard I --of N``
(sandbox off; the course on its volume; the hidden checks from the Secret under ``lab.checkout_dir``/grading/
labchecks), ``kernel`` runs ``python -I -m datalit.labs.kernel_sidecar serve`` under another uid and starts the
student kernels. Here both commands run as the Job spec gives them, the kernel container's as a unix account
made for the test (another uid, removed afterwards), its volumes mapped to folders: the shared emptyDir is a
folder only that account's group may read (as the read-only mount), its /tmp a folder of its own, its PID
namespace its own (the sidecar is PID 1 there, as in its container); a copy of
grading/labchecks stands in for the Secret, which the kernel's account cannot read. Every team is graded
exactly once, with every autograded point. (No pod, NetworkPolicy or container limit is involved here; those
are checked on the Job spec in test_k8s_grading.py. The attacks: tests/security/test_k8s_kernel_sidecar.py.)
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


def run_grading_pod(job: dict, course_root: Path, checkout: Path, datasets: Path, tmp_path: Path, account,
                    timeout: int = 900) -> tuple[subprocess.CompletedProcess, str]:
    """Both containers of JOB's pod as processes: the kernel container's as ACCOUNT, the grader's as this test
    (root, with the Job's environment). Returns the grader's run and the sidecar's stderr."""
    from datalit.labs import k8s_jobs

    pod = job["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in pod["containers"]}
    grader, kernel = containers["grader"], containers["kernel"]
    base, share, kernel_tmp = pod_folders(account)
    grader_tmp = tmp_path / "podtmp"
    grader_tmp.mkdir(exist_ok=True)
    env = {e["name"]: e["value"] for e in grader["env"]}
    mounts = {env["DATALIT_LAB_COURSE_DIR"]: str(course_root), env["DATALIT_LAB_CHECKOUT_DIR"]: str(checkout),
              env["DATALIT_DATA_DIR"]: str(datasets), k8s_jobs.KERNEL_SHARE: str(share), "/tmp": str(grader_tmp)}
    env = {k: _mapped(v, mounts) for k, v in env.items()}
    kernel_mounts = {k8s_jobs.KERNEL_SHARE: str(share), "/srv/datalit/datasets": str(datasets), "/tmp": str(kernel_tmp)}
    kernel_env = {e["name"]: _mapped(e["value"], kernel_mounts) for e in kernel["env"]}
    kernel_env["PATH"] = os.environ["PATH"]
    sidecar_cmd = [sys.executable, *[_mapped(a, kernel_mounts) for a in kernel["command"][1:]]]
    sidecar_log = base / "sidecar.log"
    sidecar = None
    try:
        with open(sidecar_log, "wb") as log:
            sidecar = subprocess.Popen(sidecar_command(account, sidecar_cmd), env=kernel_env,
                                       cwd=kernel["workingDir"], stdout=log, stderr=log)
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATALIT_", "JUPYTER"))}  # only the Job's
        command = [sys.executable, *grader["command"][1:]]  # "python" of the image = this interpreter
        done = subprocess.run(command, env={**keep, **env}, capture_output=True, text=True, timeout=timeout,
                              cwd=str(tmp_path))
        try:
            code = sidecar.wait(timeout=60)  # the sidecar ends when the grader has ended
        except subprocess.TimeoutExpired:
            code = "still running"
        log_text = sidecar_log.read_text(errors="replace")
        assert code == 0, f"sidecar: {code}\n{log_text}\ngrader:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        return done, log_text
    finally:
        if sidecar is not None and sidecar.poll() is None:
            sidecar.kill()
        _kill_uid(account.pw_uid)
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
