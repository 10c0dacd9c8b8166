"""Admin tools on Kubernetes (issue 15, part 3).

* ``kubectl exec deploy/hub -- datalit ...``: the rendered hub container has the hub's address in the same
  pod and the datalit-cli service's token from the chart's Secret, which the loaded hub gives admin scopes;
* ``workshop create`` with only that address and token (a state directory without hub.json, as on the hub's
  volume): the accounts join ``citizens`` and their tier through the hub API, in a real (one-machine) hub;
  ``users move`` by address and token too;
* ``workshop purge`` on Kubernetes (datalit/hub/k8s_purge.py): the archive Job of the expired homes
  (``claim-<user>`` as the real KubeSpawner names them) is built and validated, then run against a real hub
  for the hub side. There is no Kubernetes API here: a recording stand-in answers the few calls the purge
  makes to it (claim look-ups, the Job, its state) and every call is checked. A failed archive deletes nothing.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tarfile

import pytest

from datalit.config import DEFAULTS
from datalit.hub import k8s_api, k8s_purge, roles, workshop
from k8s_fixtures import k8s_schema_errors, load_manifests, secret_data

K8S = DEFAULTS["k8s"]


def test_hub_pod_gives_the_cli_the_hub_and_the_cli_token(k8s_rendered, k8s_hub):
    env = k8s_hub["pod_env"]
    token = secret_data(k8s_rendered)[f"hub.services.{roles.CLI_SERVICE}.apiToken"]
    assert env["DATALIT_HUB_TOKEN"] == token and len(token) >= 32
    assert env["DATALIT_HUB_URL"] == "http://127.0.0.1:8081"
    got = k8s_hub["result"]
    assert got["hub_bind_url"].startswith("http://:8081") or ":8081" in got["hub_bind_url"], got["hub_bind_url"]
    assert {"admin:users", "admin:groups", "admin:servers"} <= set(got["roles"][roles.CLI_SERVICE])
    for name, person in got["people"].items():  # the admin token stays in the hub pod
        assert "DATALIT_HUB_TOKEN" not in person["pod_env"] and token not in person["pod_env"].values(), name
    assert got["role_services"][roles.CLI_SERVICE] == [roles.CLI_SERVICE]
    # the config the datalit commands read in that pod
    code = "import json; from datalit.config import load_config; print(json.dumps(load_config()['hub']))"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                         check=True)
    hub = json.loads(out.stdout)
    assert (hub["url"], hub["token"]) == ("http://127.0.0.1:8081", token)


def test_archive_job_reads_each_home_claim_and_has_no_network(k8s_hub):
    people = k8s_hub["result"]["people"]
    for name in ("learner", "citizen", "member"):  # the claim names of the real KubeSpawner
        assert k8s_purge.claim_name(K8S, name) == people[name]["pvc_name"]
    claims = {"wsab01": "claim-wsab01", "wsab02": "claim-wsab02"}
    job = k8s_purge.archive_job(K8S, claims, "20261224t150000z", 0, values={})
    assert k8s_schema_errors([job]) == []
    pod = job["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m for m in pod["containers"][0]["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for user, claim in claims.items():
        m = mounts[f"/homes/{user}"]
        assert m["readOnly"] is True and volumes[m["name"]]["persistentVolumeClaim"] == {"claimName": claim, "readOnly": True}
    assert volumes[mounts["/archive"]["name"]]["persistentVolumeClaim"]["claimName"] == K8S["archive_claim"]
    assert "tar -czf /archive/purge-20261224t150000z/homes-0.tar.gz -C /homes ." in pod["containers"][0]["command"][-1]
    assert pod["automountServiceAccountToken"] is False
    policy = load_manifests()[("NetworkPolicy", "datalit-purge-archive")]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= job["spec"]["template"]["metadata"]["labels"].items()
    assert policy["egress"] == [] and policy["ingress"] == []
    assert k8s_api.delete_pvc("datalit", "claim-wsab01").path == "/api/v1/namespaces/datalit/persistentvolumeclaims/claim-wsab01"


def test_purge_archives_in_batches_per_node_and_size():
    """A pod cannot mount volumes of two zones, nor more than its node's attach limit: one zone's (node's)
    claims per archive Job, at most k8s.purge_batch in one."""
    cfg = {**K8S, "purge_batch": 2}

    def claim(name, node=None):
        meta = {"name": name, **({"annotations": {k8s_purge.SELECTED_NODE: node}} if node else {})}
        return {"metadata": meta}

    found = {"u1": claim("claim-u1", "node-a"), "u2": claim("claim-u2", "node-b"), "u3": claim("claim-u3", "node-a"),
             "u4": claim("claim-u4", "node-a"), "u5": claim("claim-u5")}
    got = k8s_purge.batches(cfg, found)
    assert got == [{"u5": "claim-u5"}, {"u1": "claim-u1", "u3": "claim-u3"}, {"u4": "claim-u4"}, {"u2": "claim-u2"}]
    jobs = [k8s_purge.archive_job(cfg, b, "20261224t150000z", i, values={}) for i, b in enumerate(got)]
    assert len({j["metadata"]["name"] for j in jobs}) == len(jobs)  # one Job per batch, own archive file
    assert len({j["spec"]["template"]["spec"]["containers"][0]["command"][-1] for j in jobs}) == len(jobs)
    assert sum(len(b) for b in got) == len(found)


class RecordingCluster:
    """Stands in for the Kubernetes API (none exists here): answers claim look-ups from EXISTING, accepts the
    archive Job, reports it as JOB_STATE, and records every call in order."""

    def __init__(self, existing: set[str], job_state: str = "Complete"):
        self.existing, self.job_state, self.calls = existing, job_state, []

    def send(self, call: k8s_api.Call):
        self.calls.append(call)
        if call.method == "GET" and "/persistentvolumeclaims/" in call.path:
            name = call.path.rsplit("/", 1)[1]
            return {"metadata": {"name": name}} if name in self.existing else None
        return {}

    def wait_jobs(self, namespace, names, timeout, every=5):
        self.calls.append(k8s_api.Call("WAIT", ",".join(names)))
        return dict.fromkeys(names, self.job_state)


def _create(hub, state, tier: str, prefix: str) -> list[str]:
    """`datalit workshop create` as in the hub pod: a state directory without hub.json, the hub by URL + token."""
    env = {k: v for k, v in hub.env.items() if not k.startswith("DATALIT_HUB")}
    env.update({"DATALIT_HUB_URL": hub.url, "DATALIT_HUB_TOKEN": hub.token, "DATALIT_HUB_STATE_DIR": str(state)})
    expires = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    made = subprocess.run([sys.executable, "-m", "datalit", "workshop", "create", "--count", "2", "--expires", expires,
                           "--tier", tier, "--prefix", prefix, "--state-dir", str(state)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert made.returncode == 0, made.stderr
    assert "hub not running" not in made.stdout  # registered through the API at once
    names = sorted(workshop.load_registry(state)["accounts"])
    hub.created.extend(names)
    return names


@pytest.mark.hub
def test_workshop_accounts_join_groups_and_purge_archives_first(hub, tmp_path):
    from datalit.hub.api import HubAPI

    state = tmp_path / "state"  # the hub PVC's datalit folder: registry and sheets, no hub.json
    state.mkdir()
    names = _create(hub, state, "beginner", "tk")
    for name in names:
        assert set(hub.user_model(name)["groups"]) == {"citizens", "beginner"}
    # `datalit users move` in the hub pod: by URL and token, no state directory
    env = {k: v for k, v in hub.env.items() if not k.startswith("DATALIT_HUB")}
    env.update({"DATALIT_HUB_URL": hub.url, "DATALIT_HUB_TOKEN": hub.token})
    moved = subprocess.run([sys.executable, "-m", "datalit", "users", "move", names[1], "intermediate"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert moved.returncode == 0, moved.stderr
    assert set(hub.user_model(names[1])["groups"]) == {"citizens", "intermediate"}
    workshop.set_expiry(state, names, "2020-01-01")
    api = HubAPI(hub.url, hub.token)

    # the archive Job fails: nothing is deleted
    failing = RecordingCluster({k8s_purge.claim_name(K8S, names[0])}, job_state="Failed")
    with pytest.raises(RuntimeError, match="nothing was deleted"):
        k8s_purge.purge(state, api, failing, K8S)
    assert all(hub.user_model(n) for n in names) and set(workshop.load_registry(state)["accounts"]) == set(names)
    assert not any(c.method == "DELETE" for c in failing.calls)

    # names[0] used a server (its claim exists), names[1] never did
    cluster = RecordingCluster({k8s_purge.claim_name(K8S, names[0])})
    result = k8s_purge.purge(state, api, cluster, K8S)
    assert result["purged"] == names
    kinds = [(c.method, c.path.rsplit("/", 1)[-1]) for c in cluster.calls]
    claim = k8s_purge.claim_name(K8S, names[0])
    assert kinds[:2] == [("GET", claim), ("GET", k8s_purge.claim_name(K8S, names[1]))]
    assert kinds[2][0] == "POST" and kinds[3][0] == "WAIT" and kinds[4:] == [("DELETE", claim)]
    job = cluster.calls[2].body
    assert [v["persistentVolumeClaim"]["claimName"] for v in job["spec"]["template"]["spec"]["volumes"]] == \
        [K8S["archive_claim"], claim]  # only claims that exist: a missing one would keep the pod pending
    assert result["homes_archive"].startswith(f"{K8S['archive_claim']}:/purge-")
    for name in names:
        assert hub.user_model(name) is None
    assert workshop.load_registry(state)["accounts"] == {}
    with tarfile.open(result["archive"]) as tar:
        meta = json.load(tar.extractfile("accounts.json"))
    assert sorted(meta) == names and not any("password_hash" in e for e in meta.values())
