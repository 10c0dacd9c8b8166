"""Kubernetes API calls of the datalit commands, as data first (:class:`Call`), sent second (:class:`Cluster`).

The commands that act on the cluster (grading Jobs, workshop purge) run in the hub pod, with the hub's
service account (the chart's Role plus ``hub_config/k8s/manifests/rbac.yaml``: create and read Jobs). They build a list of
calls; tests check those calls (no cluster is needed to know what would be sent), the hub pod sends them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SERVICE_ACCOUNT = Path("/var/run/secrets/kubernetes.io/serviceaccount")


@dataclass(frozen=True)
class Call:
    method: str              # GET, POST, DELETE
    path: str                # /api/v1/namespaces/<ns>/persistentvolumeclaims/<name>
    body: dict | None = None
    params: dict = field(default_factory=dict)
    tolerate: tuple[int, ...] = ()  # e.g. 409 for a create that may already exist, 404 for a delete


def create_job(namespace: str, job: dict) -> Call:
    return Call("POST", f"/apis/batch/v1/namespaces/{quote(namespace)}/jobs", job, tolerate=(409,))


def read_job(namespace: str, name: str) -> Call:
    return Call("GET", f"/apis/batch/v1/namespaces/{quote(namespace)}/jobs/{quote(name)}")


def delete_pvc(namespace: str, name: str) -> Call:
    return Call("DELETE", f"/api/v1/namespaces/{quote(namespace)}/persistentvolumeclaims/{quote(name)}",
                {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}, tolerate=(404,))


# What every pod the datalit commands create carries (PodSecurity "restricted": non-root, no capabilities, no
# privilege escalation, RuntimeDefault seccomp); tests/hub/test_k8s_pod_security.py checks each against the rules.
RESTRICTED_POD = {"runAsUser": 1000, "runAsGroup": 100, "fsGroup": 100, "runAsNonRoot": True,
                  "seccompProfile": {"type": "RuntimeDefault"}}
RESTRICTED_CONTAINER = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


def chart_values(k8s: dict) -> dict:
    """The chart's values as the hub pod holds them (the Secret ``hub`` mounted at ``k8s.chart_values``), or {}
    off-cluster. Read so that an image name and its pull secrets are written once, in values.yaml."""
    import yaml

    try:
        return yaml.safe_load(Path(k8s["chart_values"]).read_text(encoding="utf-8")) or {}
    except OSError:
        return {}


def job_image(k8s: dict, values: dict | None = None) -> str:
    """The image of the Jobs (grading, fill, purge, the exchange): the chart's ``singleuser.image``."""
    values = chart_values(k8s) if values is None else values
    image = (values.get("singleuser") or {}).get("image") or {}
    if image.get("name"):
        return f"{image['name']}:{image['tag']}" if image.get("tag") else image["name"]
    return k8s["singleuser_image"]


def pull_secrets(k8s: dict, values: dict | None = None) -> list[dict]:
    """``imagePullSecrets`` for a Job's pod: the same as the chart gives its own pods (``imagePullSecrets``,
    ``imagePullSecret.create`` as the chart's Secret ``image-pull-secret``, ``singleuser.image.pullSecrets``)."""
    values = chart_values(k8s) if values is None else values
    names = []
    if (values.get("imagePullSecret") or {}).get("create"):
        names.append("image-pull-secret")
    for item in [*(values.get("imagePullSecrets") or []),
                 *(((values.get("singleuser") or {}).get("image") or {}).get("pullSecrets") or [])]:
        name = item.get("name") if isinstance(item, dict) else item
        if name and name not in names:
            names.append(name)
    return [{"name": n} for n in names]


def job_finished(job: dict) -> str | None:
    """'Complete', 'Failed' or None (still running) from a Job's status conditions."""
    for cond in (job.get("status") or {}).get("conditions") or []:
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return cond["type"]
    return None


class ClusterError(RuntimeError):
    pass


class Cluster:
    """Sends calls to the API server with the pod's service account (in-cluster only)."""

    def __init__(self, api_url: str, account: Path = SERVICE_ACCOUNT, timeout: float = 30):
        import requests

        self.api_url = api_url.rstrip("/")
        self.session = requests.Session()
        try:
            self.session.headers["Authorization"] = "Bearer " + (account / "token").read_text().strip()
        except OSError as exc:
            raise ClusterError(f"no service account token at {account} (not in a pod of the cluster?)") from exc
        self.session.verify = str(account / "ca.crt")
        self.timeout = timeout

    def send(self, call: Call) -> dict | None:
        resp = self.session.request(call.method, self.api_url + call.path, json=call.body, params=call.params,
                                    timeout=self.timeout)
        if resp.status_code in call.tolerate:
            return None
        if resp.status_code >= 400:
            raise ClusterError(f"{call.method} {call.path}: HTTP {resp.status_code} {resp.text[:300]}")
        return resp.json() if resp.content else None

    def wait_jobs(self, namespace: str, names: list[str], timeout: float, every: float = 5) -> dict[str, str]:
        """{job: 'Complete' | 'Failed' | 'Timeout'} once every job has finished (or TIMEOUT seconds passed)."""
        deadline = time.monotonic() + timeout
        left, done = list(names), {}
        while left and time.monotonic() < deadline:
            for name in list(left):
                state = job_finished(self.send(read_job(namespace, name)) or {})
                if state:
                    done[name] = state
                    left.remove(name)
            if left:
                time.sleep(every)
        return {**done, **dict.fromkeys(left, "Timeout")}
