"""The grading exchange on Kubernetes in a Deployment of its own (not in the hub pod).

The exchange (datalit/exchange/service.py) parses learners' uploads. In the hub pod it would share the hub's
service-account token (create pods and Jobs, read Secrets) and the admin CLI token in the environment, so a
flaw in parsing would be a flaw in the hub. Here it runs alone:

* no service-account token (``automountServiceAccountToken: false``), no service links, PodSecurity
  "restricted" (non-root, no capabilities, RuntimeDefault seccomp, read-only root filesystem);
* one Secret only: its own API token (``datalit-exchange``, key ``token``; the hub registers the service with
  the same token, hub_config/k8s/values.yaml), and its store (the ``datalit-exchange`` claim);
* its NetworkPolicy admits the proxy and user pods on its port and lets it reach only the hub's API and DNS;
* one replica, replaced not rolled (``Recreate``): one writer of the store.

The hub pod mounts the same claim read-only (the team roster, the teams of a grading run). The objects are
generated so that the image is the chart's ``singleuser.image`` (one name, in values.yaml): in the hub pod,

    kubectl -n datalit exec deploy/hub -- python -m datalit.hub.k8s_exchange | kubectl -n datalit apply -f -

or anywhere with the repository, ``python -m datalit.hub.k8s_exchange --values hub_config/k8s/values.yaml``.
"""
from __future__ import annotations

import sys

from datalit.hub import k8s_api

SECRET = "datalit-exchange"           # key "token": the service's API token, its only secret
COMPONENT = "datalit-exchange"
HUB_API_PORT = 8081                   # the chart's hub Service


def labels() -> dict:
    return {"app.kubernetes.io/name": "datalit", "component": COMPONENT}


# the service's own settings (datalit/exchange/service.py limits_of, the course): the hub pod's values, so that
# an override in hub.extraEnv (DATALIT_LAB_MAX_FILE_MB ...) holds in the exchange's pod as well
LAB_KEYS = ("course_id", "max_file_mb", "max_files", "team_quota_mb")


def deployment(k8s: dict, values: dict | None = None, lab: dict | None = None) -> dict:
    from datalit.hub.roles import EXCHANGE_SERVICE

    port = int(k8s["exchange_port"])
    env = {
        "JUPYTERHUB_SERVICE_NAME": EXCHANGE_SERVICE,
        "JUPYTERHUB_SERVICE_URL": f"http://0.0.0.0:{port}",
        "JUPYTERHUB_SERVICE_PREFIX": f"/services/{EXCHANGE_SERVICE}/",
        "JUPYTERHUB_API_URL": f"http://hub.{k8s['namespace']}.svc.cluster.local:{HUB_API_PORT}/hub/api",
        "DATALIT_LAB_EXCHANGE_DIR": k8s["exchange_mount"],
        "HOME": "/tmp", "TMPDIR": "/tmp",
        **{f"DATALIT_LAB_{k.upper()}": str(v) for k, v in (lab or {}).items() if k in LAB_KEYS},
    }
    container = {
        "name": "exchange",
        "image": k8s_api.job_image(k8s, values),
        "command": ["python", "-m", "datalit.exchange.service"],
        "env": [{"name": k, "value": v} for k, v in env.items()]
               + [{"name": "JUPYTERHUB_API_TOKEN", "valueFrom": {"secretKeyRef": {"name": SECRET, "key": "token"}}}],
        "ports": [{"name": "exchange", "containerPort": port}],
        "readinessProbe": {"tcpSocket": {"port": port}, "periodSeconds": 5},
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
        "securityContext": {**k8s_api.RESTRICTED_CONTAINER, "readOnlyRootFilesystem": True},
        "volumeMounts": [{"name": "store", "mountPath": k8s["exchange_mount"]}, {"name": "tmp", "mountPath": "/tmp"}],
    }
    pod_labels = {**labels(), "hub.jupyter.org/network-access-hub": "true"}  # the chart's hub policy admits it
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": k8s["exchange_service"], "labels": labels()},
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": labels()},
            "template": {
                "metadata": {"labels": pod_labels},
                "spec": {
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "securityContext": dict(k8s_api.RESTRICTED_POD),
                    "imagePullSecrets": k8s_api.pull_secrets(k8s, values),
                    "containers": [container],
                    "volumes": [{"name": "store", "persistentVolumeClaim": {"claimName": k8s["exchange_claim"]}},
                                {"name": "tmp", "emptyDir": {"sizeLimit": "2Gi"}}],
                },
            },
        },
    }


def service(k8s: dict) -> dict:
    port = int(k8s["exchange_port"])
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": k8s["exchange_service"], "labels": labels()},
            "spec": {"selector": labels(), "ports": [{"name": "exchange", "port": port, "targetPort": port}]}}


def network_policy(k8s: dict) -> dict:
    """In: the proxy (browsers' /services/datalit-exchange) and user pods (nbgrader's exchange classes, on the
    Service directly). Out: the hub's API (tokens are checked there) and DNS; nothing else."""
    port = int(k8s["exchange_port"])
    dns = [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": k8s["exchange_service"], "labels": labels()},
        "spec": {
            "podSelector": {"matchLabels": labels()},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"ports": [{"port": port, "protocol": "TCP"}],
                         "from": [{"podSelector": {"matchLabels": {"component": "proxy"}}},
                                  {"podSelector": {"matchLabels": {"component": "singleuser-server"}}}]}],
            "egress": [{"to": [{"podSelector": {"matchLabels": {"component": "hub"}}}],
                        "ports": [{"port": HUB_API_PORT, "protocol": "TCP"}]},
                       {"ports": dns}],
        },
    }


def manifests(k8s: dict, values: dict | None = None, lab: dict | None = None) -> list[dict]:
    return [deployment(k8s, values, lab), service(k8s), network_policy(k8s)]


def main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    import yaml

    from datalit.config import load_config

    p = argparse.ArgumentParser(prog="python -m datalit.hub.k8s_exchange",
                                description="print the exchange's Deployment, Service and NetworkPolicy")
    p.add_argument("--values", type=Path, default=None, help="the chart values (default: the hub pod's)")
    a = p.parse_args(argv)
    cfg = load_config()
    k8s = cfg["k8s"]
    values = None
    if a.values is not None:
        try:
            values = yaml.safe_load(a.values.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            print(f"cannot read {a.values}: {exc}", file=sys.stderr)
            return 2
    sys.stdout.write(yaml.safe_dump_all(manifests(k8s, values, cfg["lab"]), sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
