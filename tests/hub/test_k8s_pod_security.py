"""PodSecurity "restricted" for every pod (issue 25, item 4): the namespace enforces it (manifests/namespace.yaml),
so each pod the chart renders (HTTPS on, letsencrypt, off), each pod the project makes (the exchange, the fill,
purge and grading Jobs) and each pod the real KubeSpawner would create from the rendered configuration
(learners, instructors, analysts, team servers; tests/hub/k8s_probe.py) must pass the standard's checks
(tests/hub/k8s_pss.py, written from the standard). The one privileged mode (k8s.grading_sandbox) fails them and
is sent to a namespace of its own. The checker itself is shown to catch each rule it checks.
"""
from __future__ import annotations

import copy

import pytest

from datalit.config import DEFAULTS
from datalit.labs import k8s_jobs
from k8s_fixtures import datalit_objects, https_variants, load_manifests, render, sandbox_grading_jobs
import k8s_pss

K8S = DEFAULTS["k8s"]


@pytest.fixture(scope="module")
def chart_pods(k8s_chart, k8s_values):
    objects = [o for v in https_variants(k8s_values).values() for o in render(k8s_chart, v)]
    return [o for o in objects if k8s_pss.pod_spec(o) is not None]


def test_the_namespace_enforces_restricted():
    ns = load_manifests()[("Namespace", K8S["namespace"])]["metadata"]["labels"]
    assert ns["pod-security.kubernetes.io/enforce"] == "restricted"
    assert ns["pod-security.kubernetes.io/enforce-version"] == "v1.30"  # the oldest version the guide names


def test_every_chart_pod_is_restricted(chart_pods):
    names = {(o["kind"], o["metadata"]["name"]) for o in chart_pods}
    for wanted in [("Deployment", "hub"), ("Deployment", "proxy"), ("Deployment", "autohttps"),
                   ("Deployment", "user-scheduler"), ("StatefulSet", "user-placeholder"),
                   ("DaemonSet", "continuous-image-puller"), ("DaemonSet", "hook-image-puller"),
                   ("Job", "hook-image-awaiter")]:
        assert wanted in names, wanted
    assert [e for o in chart_pods for e in k8s_pss.check(o)] == []


def test_every_pod_datalit_makes_is_restricted(k8s_values):
    objects = [o for o in datalit_objects(k8s_values) if k8s_pss.pod_spec(o) is not None]
    kinds = {o["metadata"]["labels"]["component"] for o in objects}
    assert {"datalit-exchange", "datalit-datasets-fill", "datalit-purge-archive", "datalit-autograde"} <= kinds
    assert [e for o in objects for e in k8s_pss.check(o)] == []
    for o in objects:  # seccomp is set on the pod itself, not left to each container
        assert k8s_pss.pod_spec(o)["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, o["metadata"]


def test_every_kubespawner_pod_is_restricted(k8s_hub):
    people = k8s_hub["result"]["people"]
    assert any(name.startswith("dlteam-") for name in people)  # a team server among them
    for name, person in people.items():
        pod = {"kind": "Pod", **person["pod"]}
        assert k8s_pss.check(pod) == [], name
        (c,) = pod["spec"]["containers"]
        assert c["securityContext"]["runAsUser"] == 1000 and pod["spec"]["securityContext"]["fsGroup"] == 100, name


def test_team_servers_get_resources_of_their_own(k8s_hub):
    people = k8s_hub["result"]["people"]
    team = next(p for n, p in people.items() if n.startswith("dlteam-"))
    learner = people["learner"]
    res = team["pod"]["spec"]["containers"][0]["resources"]
    mine = learner["pod"]["spec"]["containers"][0]["resources"]
    assert float(res["limits"]["cpu"]) == K8S["team_cpu_limit"] and float(mine["limits"]["cpu"]) == 1
    from jupyterhub.traitlets import ByteSpecification

    def size(v):  # KubeSpawner writes bytes or keeps "4G"
        return int(v) if str(v).isdigit() else ByteSpecification().validate(None, v)

    assert size(res["limits"]["memory"]) == size(K8S["team_mem_limit"])
    assert size(res["requests"]["memory"]) == size(K8S["team_mem_guarantee"])
    assert size(res["limits"]["memory"]) > size(mine["limits"]["memory"])


def test_the_sandbox_mode_is_refused_by_restricted_and_runs_in_its_own_namespace():
    (job,) = sandbox_grading_jobs()
    assert k8s_pss.check(job)  # root, SYS_ADMIN, AppArmor unconfined: "restricted" would refuse it
    sandbox_ns = K8S["grading_sandbox_namespace"]
    assert job["metadata"]["namespace"] == sandbox_ns != K8S["namespace"]
    manifests = load_manifests()
    ns = manifests[("Namespace", sandbox_ns)]["metadata"]["labels"]
    assert ns["pod-security.kubernetes.io/enforce"] == "privileged"
    binding = manifests[("RoleBinding", f"{sandbox_ns}/datalit-hub-jobs")]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "hub", "namespace": K8S["namespace"]}]
    policy = manifests[("NetworkPolicy", f"{sandbox_ns}/datalit-autograde")]["spec"]
    assert policy["egress"] == [] and policy["ingress"] == []
    assert policy["podSelector"]["matchLabels"].items() <= job["spec"]["template"]["metadata"]["labels"].items()
    (default,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", 1, 2)
    assert default["metadata"]["namespace"] == K8S["namespace"] and k8s_pss.check(default) == []


def _clean_pod() -> dict:
    return {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "image": "i", "securityContext": {
            "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}],
        "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "x"}}]}}


BREACHES = {
    "hostNetwork": lambda s: s.update(hostNetwork=True),
    "hostPath": lambda s: s["volumes"].append({"name": "h", "hostPath": {"path": "/"}}),
    "privileged": lambda s: s["containers"][0]["securityContext"].update(privileged=True),
    "NET_ADMIN (block-cloud-metadata)": lambda s: s.setdefault("initContainers", []).append(
        {"name": "block-cloud-metadata", "image": "i", "securityContext": {
            "runAsUser": 0, "privileged": False, "capabilities": {"add": ["NET_ADMIN"]}}}),
    "escalation": lambda s: s["containers"][0]["securityContext"].update(allowPrivilegeEscalation=True),
    "no escalation field": lambda s: s["containers"][0]["securityContext"].pop("allowPrivilegeEscalation"),
    "root": lambda s: s["containers"][0]["securityContext"].update(runAsUser=0),
    "runAsNonRoot missing": lambda s: s["securityContext"].pop("runAsNonRoot"),
    "no seccomp": lambda s: s["securityContext"].pop("seccompProfile"),
    "seccomp Unconfined": lambda s: s["containers"][0]["securityContext"].update(seccompProfile={"type": "Unconfined"}),
    "capabilities kept": lambda s: s["containers"][0]["securityContext"].pop("capabilities"),
    "SYS_ADMIN": lambda s: s["containers"][0]["securityContext"]["capabilities"].update(add=["SYS_ADMIN"]),
    "AppArmor Unconfined": lambda s: s["containers"][0]["securityContext"].update(appArmorProfile={"type": "Unconfined"}),
    "hostPort": lambda s: s["containers"][0].update(ports=[{"containerPort": 80, "hostPort": 80}]),
    "unsafe sysctl": lambda s: s["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]),
    "procMount": lambda s: s["containers"][0]["securityContext"].update(procMount="Unmasked"),
    "nfs volume": lambda s: s["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}}),
}


@pytest.mark.parametrize("breach", sorted(BREACHES))
def test_the_checker_catches_each_rule(breach):
    pod = _clean_pod()
    assert k8s_pss.check(pod) == []
    BREACHES[breach](pod["spec"])
    assert k8s_pss.check(pod), breach
    job = {"kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {"spec": copy.deepcopy(pod["spec"])}}}
    assert k8s_pss.check(job), breach  # in a workload's pod template too


def test_hub_proxy_and_scheduler_pods_request_resources(k8s_chart, k8s_values):
    """Without requests the scheduler packs them anywhere and evicts them first under pressure."""
    for variant, values in https_variants(k8s_values).items():
        objects = render(k8s_chart, values)
        names = ["hub", "proxy", "user-scheduler"] + (["autohttps"] if variant == "letsencrypt" else [])
        for name in names:
            (deploy,) = [o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == name]
            for c in deploy["spec"]["template"]["spec"]["containers"]:
                requests = (c.get("resources") or {}).get("requests") or {}
                assert {"cpu", "memory"} <= set(requests), (variant, name, c["name"])


def test_grading_jobs_go_to_their_own_pool_and_pull_with_the_registry_secret(k8s_rendered):
    import yaml

    from datalit.config import load_config
    from k8s_fixtures import secret_data

    cfg = copy.deepcopy(load_config())
    cfg["k8s"].update(grading_node_selector="datalit.seoul.go.kr/pool=grading",
                      grading_toleration="datalit.seoul.go.kr/pool=grading:NoSchedule")
    held = yaml.safe_load(secret_data(k8s_rendered)["values.yaml"])  # the hub pod's chart values
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.yaml"
        path.write_text(yaml.safe_dump(held))
        cfg["k8s"]["chart_values"] = str(path)
        jobs = k8s_jobs.grading_jobs("lab1_bike_story", "r1", 2, 4, cfg=cfg)
    for job in jobs:
        pod = job["spec"]["template"]["spec"]
        assert pod["nodeSelector"] == {"datalit.seoul.go.kr/pool": "grading"}
        assert pod["tolerations"] == [{"key": "datalit.seoul.go.kr/pool", "operator": "Equal", "value": "grading",
                                       "effect": "NoSchedule"}]
        assert pod["imagePullSecrets"] == [{"name": n} for n in held["imagePullSecrets"]]
        image = f"{held['singleuser']['image']['name']}:{held['singleuser']['image']['tag']}"
        assert {c["image"] for c in pod["containers"] + pod.get("initContainers", [])} == {image}
