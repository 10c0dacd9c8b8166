"""Autograding on Kubernetes: one Job per worker, each pod the sandbox (hub_config/k8s/manifests/grading.yaml).

On one machine ``datalit lab autograde`` runs N workers, each kernel confined by datalit/labs/sandbox.py
(no network, CPU seconds, memory, processes, wall clock, course and checks hidden). On Kubernetes the
same run is N Jobs (``submit``, in the hub pod: its service account may create Jobs); worker I grades
every N-th collected team from I (``grade``, in the Job's pod, the same nbgrader code as one machine).
The pod replaces the per-kernel sandbox:

* network: the NetworkPolicy ``datalit-autograde`` (manifests/grading.yaml) selects the Jobs' label
  ``component: datalit-autograde`` and allows no ingress and no egress at all; no service account token,
  no service links (no cluster addresses in the environment);
* CPU and memory: each container's requests = limits (the kernel container: ``k8s.grading_cpu`` and
  ``lab.memory_mb`` per kernel plus the sidecar; the grader its own share); time: ``activeDeadlineSeconds`` from ``lab.timeout`` per notebook and team;
  ``backoffLimit: 0`` (a hostile notebook is not graded twice by Kubernetes);
* processes: the pod spec has no pids field; the grading nodes' kubelet ``podPidsLimit``
  (``k8s.grading_pids``) limits each pod; ``k8s.grading_node_selector`` puts the Jobs on those nodes;
* the hidden tests: the course volume (sources with hidden tests, gradebook) and the reference checks
  (Secret ``datalit-labchecks``, under ``lab.checkout_dir``/grading/labchecks) are mounted only in the
  grading pod's ``grader`` container and,
  for the course, in instructors' pods (datalit/hub/k8s_spawn.py); never in learners' pods or images;
* non-root (the image's jovyan, like the instructors' pods that own the course files), no privilege
  escalation, no capabilities, RuntimeDefault seccomp, read-only root filesystem (``/tmp`` is an emptyDir).

By default the kernel runs in a second container of the pod, ``kernel`` (datalit/labs/kernel_sidecar.py): another
non-root uid (``KERNEL_UID``), no capability, and none of the grader's mounts (no Secret, no course, no gradebook);
it shares only an emptyDir with the grader (read-only there: connection files, this lab's check module, the
team's files), its own ``/tmp`` and the datasets. The containers share localhost, so the grader talks ZMQ to the
kernel; the NetworkPolicy still denies everything else. CPU of the kernel is its container's (``k8s.grading_cpu``);
its data (``lab.memory_mb``, RLIMIT_DATA), CPU seconds, file size and the wall clock (``lab.timeout``) are set by
the sidecar per kernel, nbgrader's per-cell timeout stays in the grader. The kernel container is a native sidecar
(an init container with ``restartPolicy: Always``, Kubernetes >= 1.29, or 1.28 with the SidecarContainers
gate): a notebook that still brings it to its memory limit gets it OOM-killed and restarted, alone, while the
pod's ``restartPolicy: Never`` and ``backoffLimit: 0`` keep the grader from running twice; the later teams of
that worker are graded by the restarted sidecar.

With ``k8s.grading_sandbox`` instead, the grader runs as root with the few capabilities datalit's sandbox needs
and confines each kernel exactly as on one machine (own uid, no network namespace, course and checks hidden,
rlimits); the namespace must then allow such pods (PodSecurity "privileged" for the grading Jobs), and what
the grader wrote is handed back to the course's owner afterwards. See docs/admin-guide.md §9.
"""
from __future__ import annotations

import math
import re
import sys

from datalit.config import DEFAULTS, load_config
from datalit.exchange.store import roster_file
from datalit.hub.k8s_api import Cluster, create_job, job_image as chart_image, pull_secrets
from datalit.kst import now_utc

COMPONENT = "datalit-autograde"
LABELS = {"app.kubernetes.io/name": "datalit", "component": COMPONENT}
CHECKOUT = "/srv/datalit/checkout"   # lab.checkout_dir in the Job: grading/labchecks from the Secret
GRADER_MEMORY_MB = 768               # nbgrader, the notebook in memory, the gradebook: beside the kernel
SETUP_SECONDS = 300                  # image pull, imports, gradebook
# k8s.grading_sandbox: the grader runs as root in the pod and confines each kernel with datalit/labs/sandbox.py
# (unshare needs SYS_ADMIN; slot users need SETUID/SETGID; the slot's files CHOWN/FOWNER/DAC_OVERRIDE; KILL)
SANDBOX_DIR = DEFAULTS["lab"]["sandbox_dir"]  # the path in the Job's pod
SANDBOX_CAPABILITIES = ("SYS_ADMIN", "SETUID", "SETGID", "SETPCAP", "CHOWN", "FOWNER", "DAC_OVERRIDE", "KILL")
# the kernel container (default): datalit/labs/kernel_sidecar.py
KERNEL_UID = 1001                    # not the grader's 1000; group 100 (fsGroup) reads the shared folder
KERNEL_SHARE = "/srv/datalit/kernel"  # the same path in both containers (read-only in the kernel's)
SIDECAR_MEMORY_MB = 64               # the sidecar itself, beside the kernel's lab.memory_mb
KERNEL_LIBS_MB = 256                 # the kernel's shared libraries and page cache, outside its data cap (RLIMIT_DATA)
LAB_LIMITS = ("memory_mb", "cpu_seconds", "max_processes", "timeout", "cell_timeout", "max_file_mb", "max_output_bytes")
GRADER_CPU = "500m"                  # nbgrader waits for the kernel most of the time


def job_name(lab: str, run: str, worker: int) -> str:
    """DNS-1123 (lowercase, '-', at most 63 characters)."""
    base = re.sub(r"[^a-z0-9-]", "-", lab.lower()).strip("-")[:36]
    return f"autograde-{base}-{run}-{worker}"[:63].rstrip("-")


def deadline_seconds(lab_cfg: dict, teams: int, workers: int, notebooks: int) -> int:
    per_worker = math.ceil(max(teams, 1) / max(workers, 1))
    return SETUP_SECONDS + int(lab_cfg["timeout"]) * max(notebooks, 1) * per_worker


def grading_job(lab: str, run: str, worker: int, workers: int, teams: int, notebooks: int = 1,
                cfg: dict | None = None) -> dict:
    """The batch/v1 Job of worker WORKER (0-based) of WORKERS grading LAB (TEAMS collected teams)."""
    cfg = cfg or load_config()
    lab_cfg, k8s = cfg["lab"], cfg["k8s"]
    sidecar = not k8s["grading_sandbox"]
    memory = f"{GRADER_MEMORY_MB if sidecar else int(lab_cfg['memory_mb']) + GRADER_MEMORY_MB}Mi"
    resources = {"cpu": GRADER_CPU if sidecar else str(k8s["grading_cpu"]), "memory": memory,
                 "ephemeral-storage": "2Gi"}
    env = {
        "DATALIT_LAB_SANDBOX": "false",              # the pod and its kernel container are (module docstring)
        "DATALIT_LAB_COURSE_DIR": k8s["course_mount"],
        "DATALIT_LAB_COURSE_ID": lab_cfg["course_id"],
        "DATALIT_LAB_CHECKOUT_DIR": CHECKOUT,
        "DATALIT_DATA_DIR": cfg["hub"]["data_mount"],
        "DATALIT_CACHE_DIR": "/tmp/datalit-cache",
        "MPLCONFIGDIR": "/tmp/mpl", "HOME": "/tmp",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        # the limits the hub's configuration gave this Job (its kernel container's memory is sized from them):
        # the grader passes them to each kernel and reads them in its notes, not the image's own defaults
        **{f"DATALIT_LAB_{key.upper()}": str(lab_cfg[key]) for key in LAB_LIMITS},
    }
    secret_env = []
    if lab_cfg["gradebook_url"]:  # N Jobs on N nodes write one gradebook: PostgreSQL, its password from a Secret
        from datalit.databases import GRADEBOOK_PASSWORD_ENV

        env["DATALIT_LAB_GRADEBOOK_URL"] = lab_cfg["gradebook_url"]
        secret_env = [{"name": GRADEBOOK_PASSWORD_ENV, "valueFrom": {"secretKeyRef": {
            "name": k8s["gradebook_secret"], "key": "password"}}}]
    pod_security = {"runAsUser": 1000, "runAsGroup": 100, "fsGroup": 100, "runAsNonRoot": True,
                    "seccompProfile": {"type": "RuntimeDefault"}}
    container_security = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                          "capabilities": {"drop": ["ALL"]}}
    extra_mounts, extra_volumes, pod_extra = [], [], {}
    if sidecar:
        from datalit.labs.kernel_sidecar import SHARE_ENV

        env[SHARE_ENV] = KERNEL_SHARE
        extra_mounts = [{"name": "kernel-share", "mountPath": KERNEL_SHARE}]
        extra_volumes = [{"name": "kernel-share", "emptyDir": {"sizeLimit": "2Gi"}},
                         {"name": "kernel-tmp", "emptyDir": {"sizeLimit": "1Gi"}}]
        pod_extra = {"initContainers": [kernel_container(cfg)]}
    else:  # datalit's own sandbox around each kernel, inside the pod (as one machine)
        env["DATALIT_LAB_SANDBOX"] = "true"
        env["DATALIT_LAB_SANDBOX_DIR"] = SANDBOX_DIR
        pod_security = {"runAsUser": 0, "runAsGroup": 0, "fsGroup": 100, "seccompProfile": {"type": "RuntimeDefault"}}
        # (the API refuses allowPrivilegeEscalation: false beside SYS_ADMIN; each kernel gets no_new_privs itself)
        container_security = {"allowPrivilegeEscalation": True, "readOnlyRootFilesystem": False,
                              "appArmorProfile": {"type": "Unconfined"},  # the sandbox mounts tmpfs over paths
                              "capabilities": {"drop": ["ALL"], "add": list(SANDBOX_CAPABILITIES)}}
        extra_mounts = [{"name": "sandbox", "mountPath": SANDBOX_DIR}]
        extra_volumes = [{"name": "sandbox", "emptyDir": {"sizeLimit": "1Gi"}}]
    pod = {
        "restartPolicy": "Never",
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": pod_security,
        "containers": [{
            "name": "grader",
            "image": job_image(k8s),
            "command": ["python", "-m", "datalit.labs.k8s_jobs", "grade", lab, "--shard", str(worker),
                        "--of", str(workers)],
            "env": [{"name": k, "value": v} for k, v in env.items()] + secret_env,
            "resources": {"requests": dict(resources), "limits": dict(resources)},
            "securityContext": container_security,
            "volumeMounts": [
                {"name": "course", "mountPath": k8s["course_mount"]},
                {"name": "labchecks", "mountPath": f"{CHECKOUT}/grading/labchecks", "readOnly": True},
                {"name": "datasets", "mountPath": cfg["hub"]["data_mount"], "readOnly": True},
                {"name": "tmp", "mountPath": "/tmp"},
                *extra_mounts,
            ],
        }],
        "volumes": [
            {"name": "course", "persistentVolumeClaim": {"claimName": k8s["course_claim"]}},
            {"name": "labchecks", "secret": {"secretName": k8s["grading_labchecks_secret"], "defaultMode": 0o440}},
            {"name": "datasets", "persistentVolumeClaim": {"claimName": k8s["datasets_claim"], "readOnly": True}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
            *extra_volumes,
        ],
    }
    pod.update(pod_extra)
    pod["imagePullSecrets"] = pull_secrets(k8s)
    if k8s["grading_node_selector"]:
        key, _, value = k8s["grading_node_selector"].partition("=")
        pod["nodeSelector"] = {key: value}
    if k8s["grading_toleration"]:  # the grading pool's taint keeps learners' pods off it
        key, _, rest = k8s["grading_toleration"].partition("=")
        value, _, effect = rest.partition(":")
        pod["tolerations"] = [{"key": key, "operator": "Equal", "value": value, "effect": effect or "NoSchedule"}]
    labels = {**LABELS, "datalit.seoul.go.kr/lab": re.sub(r"[^A-Za-z0-9_.-]", "-", lab)[:63],
              "datalit.seoul.go.kr/run": run}
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": job_name(lab, run, worker), "namespace": job_namespace(k8s), "labels": labels},
        "spec": {
            "backoffLimit": 0,
            "activeDeadlineSeconds": deadline_seconds(lab_cfg, teams, workers, notebooks),
            "ttlSecondsAfterFinished": 86400,
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def job_image(k8s: dict) -> str:
    return chart_image(k8s)


def job_namespace(k8s: dict) -> str:
    """The grading Jobs' namespace: the hub's ("restricted"), or with ``k8s.grading_sandbox`` a namespace of
    their own that admits root pods with capabilities (manifests/sandbox.yaml), so no other pod may be one."""
    return k8s["grading_sandbox_namespace"] if k8s["grading_sandbox"] else k8s["namespace"]


def kernel_container(cfg: dict) -> dict:
    """The student kernels' container: the sidecar as PID 1, another uid, nothing of the grader's mounted; an
    init container that is restarted when it dies (a native sidecar: started before the grader, ended after it)."""
    lab_cfg, k8s = cfg["lab"], cfg["k8s"]
    memory = int(lab_cfg["memory_mb"]) + KERNEL_LIBS_MB + SIDECAR_MEMORY_MB
    resources = {"cpu": str(k8s["grading_cpu"]), "memory": f"{memory}Mi",
                 "ephemeral-storage": "1Gi"}
    env = {"DATALIT_DATA_DIR": cfg["hub"]["data_mount"], "HOME": "/tmp", "LANG": "C.UTF-8"}
    return {
        "name": "kernel",
        "restartPolicy": "Always",
        "image": job_image(k8s),
        "command": ["python", "-I", "-m", "datalit.labs.kernel_sidecar", "serve", "--share", KERNEL_SHARE,
                    "--work", "/tmp"],
        "workingDir": "/",
        "env": [{"name": k, "value": v} for k, v in env.items()],
        "resources": {"requests": dict(resources), "limits": dict(resources)},
        "securityContext": {"runAsUser": KERNEL_UID, "runAsGroup": 100, "runAsNonRoot": True,
                            "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [
            {"name": "kernel-share", "mountPath": KERNEL_SHARE, "readOnly": True},
            {"name": "kernel-tmp", "mountPath": "/tmp"},
            {"name": "datasets", "mountPath": cfg["hub"]["data_mount"], "readOnly": True},
        ],
    }


def grading_jobs(lab: str, run: str, workers: int, teams: int, notebooks: int = 1, cfg: dict | None = None) -> list[dict]:
    workers = max(1, min(workers, max(teams, 1)))
    return [grading_job(lab, run, i, workers, teams, notebooks, cfg) for i in range(workers)]


def give_back(root) -> None:
    """As root (k8s.grading_sandbox), hand what the grader wrote back to the course's owner (the instructors'
    uid): the formgrader and `datalit lab feedback` in their pods write to the same files."""
    import os

    if os.geteuid() != 0:
        return
    st = os.stat(root)
    for base, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(base, name)
            if os.lstat(path).st_uid != st.st_uid:
                os.lchown(path, st.st_uid, st.st_gid)


def shard(teams: list[str], index: int, count: int) -> list[str]:
    """The teams worker INDEX of COUNT grades: every COUNT-th from INDEX (sorted: the same on every pod)."""
    return sorted(teams)[index::count]


# ---- command line: `submit` in the hub pod, `grade` in each Job's pod ----------------------------------
def _submit(lab: str, workers: int, wait: bool) -> int:
    import json

    cfg = load_config()
    try:  # the hub pod mounts the exchange's store read-only: read the roster, open no Store (it chmods)
        roster = json.loads(roster_file(cfg["lab"], None).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        roster = {}
    teams = len(roster.get(lab, {}))
    run = now_utc().strftime("%m%d%H%M%S")
    jobs = grading_jobs(lab, run, workers, teams, cfg=cfg)
    cluster = Cluster(cfg["k8s"]["api_url"])
    namespace = job_namespace(cfg["k8s"])
    for job in jobs:
        cluster.send(create_job(namespace, job))
        print(f"job {job['metadata']['name']} created", flush=True)
    if wait:
        limit = jobs[0]["spec"]["activeDeadlineSeconds"] + 120
        states = cluster.wait_jobs(namespace, [j["metadata"]["name"] for j in jobs], limit)
        for name, state in sorted(states.items()):
            print(f"{name}: {state}")
        return 0 if set(states.values()) == {"Complete"} else 1
    return 0


def _grade(lab: str, index: int, count: int) -> int:
    import contextlib
    import os
    from pathlib import Path

    import yaml

    from datalit.labs.autograde import autograde, format_summary, teams_to_grade
    from datalit.labs.course import open_course
    from datalit.labs.kernel_request import grader_side, warm_cache
    from datalit.labs.kernel_sidecar import SHARE_ENV

    share = os.environ.get(SHARE_ENV)  # the kernel container's shared folder (default), else no sidecar
    with grader_side(Path(share)) if share else contextlib.nullcontext():
        course = open_course(None)
        mine = shard(teams_to_grade(course, lab), index, count)
        if not mine:
            print(f"worker {index}/{count}: no team to grade")
            return 0
        if share:  # lab.yaml comes with the course's source (the checkout in the pod holds only the checks)
            info = course.root / "source" / lab / "lab.yaml"
            warm_cache(Path(share), yaml.safe_load(info.read_text(encoding="utf-8")).get("datasets", [])
                       if info.is_file() else [])
        try:
            report = autograde(course, lab, workers=1, teams=mine, progress=False)
        finally:
            give_back(course.root)
    print(format_summary(report))
    return 0 if all(r["success"] for r in report["results"]) else 1


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m datalit.labs.k8s_jobs")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("submit", help="in the hub pod: one grading Job per worker")
    s.add_argument("lab")
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--wait", action="store_true")
    g = sub.add_parser("grade", help="in a grading Job: this worker's share of the teams")
    g.add_argument("lab")
    g.add_argument("--shard", type=int, required=True)
    g.add_argument("--of", type=int, required=True)
    a = p.parse_args(argv)
    if a.cmd == "submit":
        return _submit(a.lab, a.workers, a.wait)
    return _grade(a.lab, a.shard, a.of)


if __name__ == "__main__":
    sys.exit(main())
