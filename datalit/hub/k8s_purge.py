"""``datalit workshop purge`` on Kubernetes (in the hub pod): archive each expired account's home claim,
then delete the hub user and the claim.

On one machine the homes are folders the command tars itself. On Kubernetes each home is KubeSpawner's
claim ``claim-<user>`` (``k8s.home_claim_template``), mounted nowhere while the server is stopped, so:

1. every expired account's server is stopped (hub API, as on one machine);
2. one archive Job mounts every existing claim read-only at ``/homes/<user>`` and the ``datalit-archive``
   claim at ``/archive``, and writes ``/archive/purge-<time>/homes.tar.gz``; the command waits for it;
3. only when the Job completed: the registry entries (without password hashes) are archived in the state
   directory as before (datalit/hub/workshop.py), each hub user is deleted (KubeSpawner then deletes its
   claim, ``delete_pvc``) and the claim is deleted explicitly as well (a 404 is fine).

A failed or timed-out archive Job deletes nothing. The calls are built by the functions below (the tests
check them); :class:`datalit.hub.k8s_api.Cluster` sends them with the hub's service account.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from datalit.hub import k8s_api

ARCHIVE_IMAGE_COMMAND = "set -eu; mkdir -p /archive/{stamp}; tar -czf /archive/{stamp}/homes.tar.gz -C /homes .; " \
                        "ls -l /archive/{stamp}"


def claim_name(cfg: dict, user: str) -> str:
    """The home claim of USER as KubeSpawner 7 names it (its 'safe' slug scheme, default server)."""
    from kubespawner.slugs import safe_slug

    slug = safe_slug(user, max_length=48)
    return cfg["home_claim_template"].format(username=slug, user_server=slug)


def read_claim(cfg: dict, name: str) -> k8s_api.Call:
    return k8s_api.Call("GET", f"/api/v1/namespaces/{quote(cfg['namespace'])}/persistentvolumeclaims/{quote(name)}",
                        tolerate=(404,))


def archive_job(cfg: dict, claims: dict[str, str], stamp: str) -> dict:
    """The Job that tars CLAIMS ({user: claim}) into the archive claim under purge-STAMP/."""
    volumes = [{"name": "archive", "persistentVolumeClaim": {"claimName": cfg["archive_claim"]}}]
    mounts = [{"name": "archive", "mountPath": "/archive"}]
    for i, (user, claim) in enumerate(sorted(claims.items())):
        volumes.append({"name": f"home-{i}", "persistentVolumeClaim": {"claimName": claim, "readOnly": True}})
        mounts.append({"name": f"home-{i}", "mountPath": f"/homes/{user}", "readOnly": True})
    labels = {"app.kubernetes.io/name": "datalit", "component": "datalit-purge-archive"}
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": f"purge-archive-{stamp.lower()}", "namespace": cfg["namespace"], "labels": labels},
        "spec": {
            "backoffLimit": 2,
            "activeDeadlineSeconds": 3600,
            "ttlSecondsAfterFinished": 7 * 86400,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "securityContext": {"runAsUser": 1000, "runAsGroup": 100, "fsGroup": 100, "runAsNonRoot": True},
                    "containers": [{
                        "name": "archive",
                        "image": cfg["singleuser_image"],
                        "command": ["sh", "-c", ARCHIVE_IMAGE_COMMAND.format(stamp=f"purge-{stamp}")],
                        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
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
    now = now or dt.datetime.now(dt.timezone.utc)
    expired = sorted(workshop.expired_accounts(state, now))
    if not expired:
        return {"purged": [], "archive": None, "homes_archive": None}
    for name in expired:
        accounts.stop_and_wait(api, name)
    wanted = {name: claim_name(cfg, name) for name in expired}
    claims = {n: c for n, c in wanted.items() if cluster.send(read_claim(cfg, c)) is not None}
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dt%H%M%Sz")
    homes_archive = None
    if claims:
        job = archive_job(cfg, claims, stamp)
        cluster.send(k8s_api.create_job(cfg["namespace"], job))
        name = job["metadata"]["name"]
        state_of = cluster.wait_jobs(cfg["namespace"], [name], job["spec"]["activeDeadlineSeconds"] + 60)[name]
        if state_of != "Complete":
            raise RuntimeError(f"archive Job {name}: {state_of}; nothing was deleted (kubectl -n "
                               f"{cfg['namespace']} logs job/{name})")
        homes_archive = f"{cfg['archive_claim']}:/purge-{stamp}/homes.tar.gz"

    def remove(name: str) -> None:
        accounts.remove_user(api, name)  # KubeSpawner deletes claim-<name> with the user (delete_pvc)
        if name in claims:
            cluster.send(k8s_api.delete_pvc(cfg["namespace"], claims[name]))

    result = workshop.purge(state, lambda n: None, remove, now=now)
    result["homes_archive"] = homes_archive
    return result
