"""Filling the datasets volume on Kubernetes: the one Job that mounts ``datalit-datasets`` writable.

Every other pod (learners, team servers, instructors, grading) mounts the claim read-only. The Job runs
``python -m datalit.data.fill`` (each catalog file from its pinned URL, or kept when already there, checked
against its sha256; a file that does not match is never put in place and the Job fails naming it). It is
made by the hub pod (its service account may create Jobs) so that it runs the chart's ``singleuser.image``
with the chart's pull secrets, and waited for until it completes *or fails* (``kubectl wait
--for=condition=complete`` would sit out its whole timeout on a failed Job):

    kubectl -n datalit exec deploy/hub -- python -m datalit.hub.k8s_fill --wait
    kubectl -n datalit exec deploy/hub -- python -m datalit.hub.k8s_fill --mirror http://files.internal/datasets --wait
"""
from __future__ import annotations

import sys

from datalit.config import DEFAULTS
from datalit.hub import k8s_api
from datalit.kst import now_utc

COMPONENT = "datalit-datasets-fill"
MOUNT = DEFAULTS["hub"]["data_mount"]  # the claim's path in the fill pod (user pods: the configured one)
DEADLINE_SECONDS = 7200


def fill_job(k8s: dict, stamp: str, download: bool = True, values: dict | None = None, mirror: str = "") -> dict:
    """MIRROR: a web server in the cluster's network holding the admin's copy as <mirror>/<id>/<file>
    (``data.mirror``), for a cluster without internet; every file is still checked against its sha256."""
    env = [{"name": "DATALIT_CACHE_DIR", "value": "/tmp/datalit-cache"}, {"name": "HOME", "value": "/tmp"}]
    if mirror:
        env.append({"name": "DATALIT_DATA_MIRROR", "value": mirror})
    labels = {"app.kubernetes.io/name": "datalit", "component": COMPONENT}
    command = ["python", "-m", "datalit.data.fill", "--dest", MOUNT] + ([] if download else ["--no-download"])
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": f"{COMPONENT}-{stamp}", "namespace": k8s["namespace"], "labels": labels},
        "spec": {
            "backoffLimit": 1,
            "activeDeadlineSeconds": DEADLINE_SECONDS,
            "ttlSecondsAfterFinished": 86400,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "securityContext": dict(k8s_api.RESTRICTED_POD),
                    "imagePullSecrets": k8s_api.pull_secrets(k8s, values),
                    "containers": [{
                        "name": "fill",
                        "image": k8s_api.job_image(k8s, values),
                        "command": command,
                        "env": env,
                        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"},
                                      "limits": {"cpu": "1", "memory": "1Gi"}},
                        "securityContext": {**k8s_api.RESTRICTED_CONTAINER, "readOnlyRootFilesystem": True},
                        "volumeMounts": [{"name": "datasets", "mountPath": MOUNT},
                                         {"name": "tmp", "mountPath": "/tmp"}],
                    }],
                    "volumes": [{"name": "datasets", "persistentVolumeClaim": {"claimName": k8s["datasets_claim"]}},
                                {"name": "tmp", "emptyDir": {"sizeLimit": "4Gi"}}],
                },
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    from datalit.config import load_config

    p = argparse.ArgumentParser(prog="python -m datalit.hub.k8s_fill", description="fill the datasets volume")
    p.add_argument("--no-download", action="store_true", help="only verify a copy already in the volume")
    p.add_argument("--mirror", default="", help="base URL of the admin's copy inside the network (data.mirror)")
    p.add_argument("--wait", action="store_true", help="until the Job completed or failed")
    a = p.parse_args(argv)
    k8s = load_config()["k8s"]
    job = fill_job(k8s, now_utc().strftime("%Y%m%d%H%M%S"), not a.no_download, mirror=a.mirror)
    name = job["metadata"]["name"]
    try:
        cluster = k8s_api.Cluster(k8s["api_url"])
        cluster.send(k8s_api.create_job(k8s["namespace"], job))
        print(f"job {name} created", flush=True)
        if not a.wait:
            return 0
        state = cluster.wait_jobs(k8s["namespace"], [name], DEADLINE_SECONDS + 60)[name]
    except (k8s_api.ClusterError, OSError) as exc:  # requests' errors are OSErrors
        print(f"fill: {exc}", file=sys.stderr)
        return 2
    print(f"{name}: {state}" + ("" if state == "Complete" else f" (kubectl -n {k8s['namespace']} logs job/{name})"))
    return 0 if state == "Complete" else 1


if __name__ == "__main__":
    sys.exit(main())
