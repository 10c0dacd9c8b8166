"""``datalit workshop purge`` on Kubernetes (in the hub pod): archive each expired account's home claim,
then delete the hub user and the claim.

On one machine the homes are folders the command tars itself. On Kubernetes each home is KubeSpawner's
claim ``claim-<user>`` (``k8s.home_claim_template``), mounted nowhere while the server is stopped, so:

1. every expired account's server is stopped (hub API, as on one machine);
2. archive Jobs in batches: claims of one zone together (the node a claim was provisioned for,
   ``volume.kubernetes.io/selected-node``: a pod cannot mount volumes of two zones), at most
   ``k8s.purge_batch`` per pod (a node's volume-attach limit). Each mounts its claims read-only at
   ``/homes/<user>`` and the ``datalit-archive`` claim at ``/archive``, and writes
   ``/archive/purge-<time>/homes-<batch>.tar.gz``; the command waits for all of them (a failed one ends the wait);
3. only when every Job completed: the registry entries (without password hashes) are archived in the state
   directory as before (datalit/hub/workshop.py), each hub user is deleted (KubeSpawner then deletes its
   claim, ``delete_pvc``) and the claim is deleted explicitly as well (a 404 is fine).

A failed or timed-out archive Job deletes nothing (its log names what failed; the next purge tries again). The calls are built by the functions below (the tests
check them); :class:`datalit.hub.k8s_api.Cluster` sends them with the hub's service account.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from datalit.hub import k8s_api
from datalit.kst import now_utc

ARCHIVE_IMAGE_COMMAND = "set -eu; mkdir -p /archive/{stamp}; tar -czf /archive/{stamp}/homes-{batch}.tar.gz -C /homes .; " \
                        "ls -l /archive/{stamp}"
SELECTED_NODE = "volume.kubernetes.io/selected-node"  # set by the provisioner (WaitForFirstConsumer): the claim's zone


def claim_name(cfg: dict, user: str) -> str:
    """The home claim of USER as KubeSpawner 7 names it (its 'safe' slug scheme, default server)."""
    from kubespawner.slugs import safe_slug

    slug = safe_slug(user, max_length=48)
    return cfg["home_claim_template"].format(username=slug, user_server=slug)


def read_claim(cfg: dict, name: str) -> k8s_api.Call:
    return k8s_api.Call("GET", f"/api/v1/namespaces/{quote(cfg['namespace'])}/persistentvolumeclaims/{quote(name)}",
                        tolerate=(404,))


def batches(cfg: dict, found: dict[str, dict]) -> list[dict[str, str]]:
    """FOUND ({user: claim object}) as batches of {user: claim name}: one node's (zone's) claims together,
    at most ``k8s.purge_batch`` in one."""
    size = max(1, int(cfg["purge_batch"]))
    by_node: dict[str, list[str]] = {}
    for user, claim in sorted(found.items()):
        node = ((claim.get("metadata") or {}).get("annotations") or {}).get(SELECTED_NODE, "")
        by_node.setdefault(node, []).append(user)
    out = []
    for node in sorted(by_node):
        users = by_node[node]
        for i in range(0, len(users), size):
            out.append({u: found[u]["metadata"]["name"] for u in users[i:i + size]})
    return out


def archive_job(cfg: dict, claims: dict[str, str], stamp: str, batch: int = 0, values: dict | None = None) -> dict:
    """The Job that tars CLAIMS ({user: claim}) into the archive claim as purge-STAMP/homes-BATCH.tar.gz."""
    volumes = [{"name": "archive", "persistentVolumeClaim": {"claimName": cfg["archive_claim"]}}]
    mounts = [{"name": "archive", "mountPath": "/archive"}]
    for i, (user, claim) in enumerate(sorted(claims.items())):
        volumes.append({"name": f"home-{i}", "persistentVolumeClaim": {"claimName": claim, "readOnly": True}})
        mounts.append({"name": f"home-{i}", "mountPath": f"/homes/{user}", "readOnly": True})
    labels = {"app.kubernetes.io/name": "datalit", "component": "datalit-purge-archive"}
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": f"purge-archive-{stamp.lower()}-{batch}", "namespace": cfg["namespace"], "labels": labels},
        "spec": {
            "backoffLimit": 2,
            "activeDeadlineSeconds": 3600,
            "ttlSecondsAfterFinished": 7 * 86400,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    "securityContext": dict(k8s_api.RESTRICTED_POD),
                    "imagePullSecrets": k8s_api.pull_secrets(cfg, values),
                    "containers": [{
                        "name": "archive",
                        "image": k8s_api.job_image(cfg, values),
                        "command": ["sh", "-c", ARCHIVE_IMAGE_COMMAND.format(stamp=f"purge-{stamp}", batch=batch)],
                        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                                      "limits": {"cpu": "1", "memory": "512Mi"}},
                        "securityContext": dict(k8s_api.RESTRICTED_CONTAINER),
                        "volumeMounts": mounts,
                    }],
                    "volumes": volumes,
                },
            },
        },
    }


def deletions(cfg: dict, claims: dict[str, str]) -> list[k8s_api.Call]:
    return [k8s_api.delete_pvc(cfg["namespace"], claim) for _, claim in sorted(claims.items())]


def purge(state: Path, api, cluster: k8s_api.Cluster, cfg: dict, now: dt.datetime | None = None) -> dict:
    """Stop, archive (Job), then remove expired workshop accounts; ``{"purged", "archive", "homes_archive"}``."""
    from datalit.hub import accounts, workshop

    # one instant for the whole purge: an account expiring while the archive runs waits for the next purge
    # (its home is not in this archive)
    now = now or now_utc()
    expired = sorted(workshop.expired_accounts(state, now))
    if not expired:
        return {"purged": [], "archive": None, "homes_archive": None}
    for name in expired:
        accounts.stop_and_wait(api, name)
    found = {}
    for name in expired:
        claim = cluster.send(read_claim(cfg, claim_name(cfg, name)))
        if claim is not None:
            found[name] = claim
    claims = {n: c["metadata"]["name"] for n, c in found.items()}
    stamp = now_utc().strftime("%Y%m%dt%H%M%Sz")
    homes_archive = None
    if claims:
        jobs = [archive_job(cfg, batch, stamp, i) for i, batch in enumerate(batches(cfg, found))]
        for job in jobs:
            cluster.send(k8s_api.create_job(cfg["namespace"], job))
        names = [job["metadata"]["name"] for job in jobs]
        states = cluster.wait_jobs(cfg["namespace"], names, jobs[0]["spec"]["activeDeadlineSeconds"] + 60)
        failed = sorted(n for n, state_of in states.items() if state_of != "Complete")
        if failed:
            raise RuntimeError(", ".join(f"archive Job {n}: {states[n]}" for n in failed) + "; nothing was deleted "
                               f"(kubectl -n {cfg['namespace']} logs job/{failed[0]})")
        homes_archive = f"{cfg['archive_claim']}:/purge-{stamp}/homes-*.tar.gz"

    def remove(name: str) -> None:
        accounts.remove_user(api, name)  # KubeSpawner deletes claim-<name> with the user (delete_pvc)
        if name in claims:
            cluster.send(k8s_api.delete_pvc(cfg["namespace"], claims[name]))

    result = workshop.purge(state, lambda n: None, remove, now=now)
    result["homes_archive"] = homes_archive
    return result
