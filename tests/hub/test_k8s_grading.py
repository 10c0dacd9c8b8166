"""Grading on Kubernetes (issue 15, part 1), against the real chart 4.1.0 and a real hub loaded from it.

* the exchange service runs in the hub pod with its own volume (``datalit-exchange``), and the rendered
  Deployment mounts it where the service's store is configured;
* the pre-spawn hook of the loaded hub (datalit/hub/k8s_spawn.py, run by the real KubeSpawner, then the pod
  it would create): every pod gets ``grading/`` on JUPYTER_CONFIG_PATH, the course id and the exchange URL;
  only people who teach get the course volume (directory and gradebook) and the formgrader extension;
* autograding Jobs (datalit/labs/k8s_jobs.py): limits, no network (the NetworkPolicy selects them and
  allows nothing), the hidden checks and the course only there;
* every manifest is read into the Kubernetes API models (a misspelt field fails).
No cluster: what was not checked on one is listed in docs/admin-guide.md §9.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from datalit.config import DEFAULTS
from datalit.hub import roles
from k8s_fixtures import hub_container, k8s_schema_errors, load_manifests, manifest

K8S = DEFAULTS["k8s"]
GRADING = "/opt/datalit/src/grading"
PEOPLE_WHO_LEARN = ("learner", "mid", "citizen", "analyst", "member")


@pytest.fixture(scope="module")
def manifests():
    return load_manifests()


def test_manifests_are_valid_kubernetes_objects(manifests):
    assert k8s_schema_errors(list(manifests.values())) == []
    from datalit.labs.k8s_jobs import grading_jobs

    assert k8s_schema_errors(grading_jobs("lab1_bike_story", "r1", 2, 5)) == []
    broken = grading_jobs("lab1_bike_story", "r1", 1, 1)[0]
    broken["spec"]["template"]["spec"]["containers"][0]["resource"] = {}  # a typo is caught
    assert len(k8s_schema_errors([broken])) == 1


def test_claims_exist_with_the_configured_names_and_modes(manifests):
    # the exchange: its Deployment writes, the hub pod reads; datasets: read-only mounts, one writable fill;
    # archive: purge batches on several nodes at once
    modes = {K8S["exchange_claim"]: ["ReadWriteMany"], K8S["course_claim"]: ["ReadWriteMany"],
             K8S["teams_claim"]: ["ReadWriteMany"], K8S["datasets_claim"]: ["ReadWriteMany"],
             K8S["archive_claim"]: ["ReadWriteMany"]}
    for claim, mode in modes.items():
        assert manifests[("PersistentVolumeClaim", claim)]["spec"]["accessModes"] == mode, claim


def test_hub_pod_reads_the_exchange_volume_that_the_exchange_deployment_writes(k8s_rendered, k8s_hub):
    from datalit.hub import k8s_exchange

    pod = manifest(k8s_rendered, "Deployment", "hub")["spec"]["template"]["spec"]
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v}
    container = hub_container(k8s_rendered)
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert claims["datalit-exchange"] == K8S["exchange_claim"] and mounts["datalit-exchange"] == K8S["exchange_mount"]
    # the hub only reads it (the team roster); the exchange's own pod writes it where its store is configured
    assert {m["name"]: m for m in container["volumeMounts"]}["datalit-exchange"]["readOnly"] is True
    deployment = k8s_exchange.deployment(K8S, values={})["spec"]["template"]["spec"]
    (exchange,) = deployment["containers"]
    env = {e["name"]: e.get("value") for e in exchange["env"]}
    store = {m["name"]: m for m in exchange["volumeMounts"]}["store"]
    assert store["mountPath"] == env["DATALIT_LAB_EXCHANGE_DIR"] == K8S["exchange_mount"] and not store.get("readOnly")
    assert {v["name"]: v for v in deployment["volumes"]}["store"]["persistentVolumeClaim"] == {
        "claimName": K8S["exchange_claim"]}
    assert exchange["command"][-2:] == ["-m", "datalit.exchange.service"]
    assert claims["datalit-teams"] == K8S["teams_claim"] and mounts["datalit-teams"] == K8S["teams_mount"]
    assert K8S["course_claim"] not in claims.values()  # the hub never needs the course
    env = k8s_hub["pod_env"]
    assert env["DATALIT_LAB_EXCHANGE_DIR"] == K8S["exchange_mount"]
    assert env["DATALIT_K8S_NAMESPACE"] == "datalit"


def test_every_pod_gets_the_course_id_and_the_exchanges_own_service(k8s_hub):
    people = k8s_hub["result"]["people"]
    url = f"http://{K8S['exchange_service']}.datalit.svc.cluster.local:8090/services/{roles.EXCHANGE_SERVICE}"
    for name in (*PEOPLE_WHO_LEARN, "teacher"):
        env = people[name]["pod_env"]  # the container of the pod KubeSpawner would create
        assert env["DATALIT_LAB_COURSE_ID"] == DEFAULTS["lab"]["course_id"], name
        assert env["DATALIT_EXCHANGE_URL"] == url, name
        assert env["JUPYTER_CONFIG_PATH"].split(":")[:2] in ([GRADING, "/opt/datalit/src/hub_config/user_server/learners"],
                                                              [f"{GRADING}/instructor", GRADING]), name
        assert env["DATALIT_TIERS"] == people[name]["profiles"][0]  # the profile's environment is merged in
        assert "DATALIT_LAB_EXCHANGE_DIR" not in env  # the store is the service's
        assert roles.EXCHANGE_ACCESS in people[name]["server_token_scopes"], name


def test_only_people_who_teach_get_the_course_volume(k8s_hub):
    people = k8s_hub["result"]["people"]
    teacher = people["teacher"]
    course = teacher["pod_volumes"]["datalit-course"]
    assert course["persistentVolumeClaim"]["claimName"] == K8S["course_claim"]
    assert {"name": "datalit-course", "mountPath": K8S["course_mount"]} in teacher["pod_mounts"]
    assert teacher["pod_env"]["DATALIT_LAB_COURSE_DIR"] == K8S["course_mount"]
    assert teacher["pod_env"]["DATALIT_LAB_CHECKOUT_DIR"] == f"{K8S['course_mount']}/.checkout"  # lab sources
    assert "DATALIT_LAB_EXCHANGE_URL" not in teacher["pod_env"]  # one name: DATALIT_EXCHANGE_URL is lab.exchange_url
    for name in PEOPLE_WHO_LEARN:
        p = people[name]
        claims = {v.get("persistentVolumeClaim", {}).get("claimName") for v in p["pod_volumes"].values()}
        assert K8S["course_claim"] not in claims and "datalit-course" not in p["pod_volumes"], name
        assert not {"DATALIT_LAB_COURSE_DIR", "DATALIT_LAB_CHECKOUT_DIR", "DATALIT_LAB_EXCHANGE_URL"} & set(p["pod_env"]), name
        assert not any("labchecks" in json.dumps(v) for v in p["pod_volumes"].values()), name
        assert p["pod_volumes"][f"volume-{name}"]["persistentVolumeClaim"]["claimName"] == p["pvc_name"] == f"claim-{name}"
        assert p["pod_volumes"]["datalit-datasets"]["persistentVolumeClaim"] == {"claimName": K8S["datasets_claim"],
                                                                                 "readOnly": True}


def _server_extensions(config_path: str) -> dict:
    """The jupyter_server extensions a server would load with CONFIG_PATH (the images hold the repository at
    /opt/datalit/src, as the install here does): jupyter_server's own config loading, in a subprocess."""
    code = ("import json; from jupyter_server.serverapp import ServerApp; a = ServerApp(); a.load_config_file(); a.find_server_extensions(); "
            "print(json.dumps({k: bool(v) for k, v in a.jpserver_extensions.items()}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update({"JUPYTER_CONFIG_PATH": config_path, "JUPYTER_CONFIG_DIR": "/nonexistent", "JUPYTER_PLATFORM_DIRS": "1"})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_formgrader_may_be_framed_in_instructors_pods_only(k8s_hub):
    from datalit.labs.formgrader_frame import FRAME_POLICY

    assert os.path.isdir(GRADING), "the install at /opt/datalit/src (./run install) stands in for the image"
    people = k8s_hub["result"]["people"]
    teacher = _server_extensions(people["teacher"]["pod_env"]["JUPYTER_CONFIG_PATH"])
    learner = _server_extensions(people["learner"]["pod_env"]["JUPYTER_CONFIG_PATH"])
    assert teacher.get("datalit.labs.formgrader_frame") is True  # frame-ancestors 'self' on formgrader pages
    assert "datalit.labs.formgrader_frame" not in learner or learner["datalit.labs.formgrader_frame"] is False
    assert teacher.get("nbgrader.server_extensions.formgrader") is not False
    assert learner.get("nbgrader.server_extensions.formgrader") is False  # learners: no formgrader at all
    assert FRAME_POLICY == "frame-ancestors 'self'"


def test_grading_jobs_have_the_sandbox_limits_and_no_network(manifests):
    from datalit.labs import k8s_jobs

    jobs = k8s_jobs.grading_jobs("lab1_bike_story", "r1", workers=3, teams=7, notebooks=2)
    assert len(jobs) == 3 and len({j["metadata"]["name"] for j in jobs}) == 3
    lab = DEFAULTS["lab"]
    policy = manifests[("NetworkPolicy", "datalit-autograde")]["spec"]
    assert policy["policyTypes"] == ["Ingress", "Egress"] and policy["ingress"] == [] and policy["egress"] == []
    for i, job in enumerate(jobs):
        spec = job["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"]["labels"]
        assert policy["podSelector"]["matchLabels"].items() <= labels.items()  # no ingress, no egress, no DNS
        assert spec["backoffLimit"] == 0
        assert spec["activeDeadlineSeconds"] == k8s_jobs.SETUP_SECONDS + lab["timeout"] * 2 * 3  # 7 teams / 3
        assert pod["automountServiceAccountToken"] is False and pod["enableServiceLinks"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        (c,), (kernel,) = pod["containers"], pod["initContainers"]
        assert (c["name"], kernel["name"]) == ("grader", "kernel")
        # the kernel container is restarted alone (a native sidecar); the grader never runs twice
        assert kernel["restartPolicy"] == "Always" and pod["restartPolicy"] == "Never"
        assert c["securityContext"] == {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                        "capabilities": {"drop": ["ALL"]}}
        assert c["resources"]["limits"] == c["resources"]["requests"]
        assert kernel["resources"]["limits"] == kernel["resources"]["requests"]
        # the kernel's memory and CPU are its own container's (lab.memory_mb + its libraries + the sidecar), the
        # grader's beside it
        assert kernel["resources"]["limits"]["memory"] == \
            f"{lab['memory_mb'] + k8s_jobs.KERNEL_LIBS_MB + k8s_jobs.SIDECAR_MEMORY_MB}Mi"
        assert kernel["resources"]["limits"]["cpu"] == K8S["grading_cpu"]
        assert c["resources"]["limits"]["memory"] == f"{k8s_jobs.GRADER_MEMORY_MB}Mi"
        assert c["command"][-4:] == ["--shard", str(i), "--of", "3"]
        env = {e["name"]: e["value"] for e in c["env"]}
        assert env["DATALIT_LAB_SANDBOX"] == "false" and env["DATALIT_LAB_COURSE_DIR"] == K8S["course_mount"]
        assert env["DATALIT_KERNEL_SIDECAR_DIR"] == k8s_jobs.KERNEL_SHARE
        assert env["DATALIT_LAB_MEMORY_MB"] == str(lab["memory_mb"])  # the kernel's cap: the hub's, not the image's
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes["labchecks"]["secret"]["secretName"] == K8S["grading_labchecks_secret"]
        assert volumes["course"]["persistentVolumeClaim"]["claimName"] == K8S["course_claim"]
        mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
        assert mounts["labchecks"] == f"{env['DATALIT_LAB_CHECKOUT_DIR']}/grading/labchecks"
    # every collected team is graded by exactly one worker
    teams = [f"team-{n}" for n in range(7)]
    shards = [k8s_jobs.shard(teams, i, 3) for i in range(3)]
    assert sorted(t for s in shards for t in s) == teams and all(shards)


def test_student_kernels_run_in_their_own_container_without_the_graders_mounts():
    """The default grading Job: a second container "kernel" (datalit/labs/kernel_sidecar.py) under another
    non-root uid, without privileges, that mounts neither the hidden checks (Secret) nor the course and gradebook:
    only the shared folder read-only, its own /tmp and the datasets."""
    from datalit.labs import k8s_jobs

    (job,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", 1, 3)
    pod = job["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in pod["containers"] + pod["initContainers"]}
    assert set(containers) == {"grader", "kernel"}
    grader, kernel = containers["grader"], containers["kernel"]
    volumes = {v["name"]: v for v in pod["volumes"]}

    def uid(c):
        return c.get("securityContext", {}).get("runAsUser", pod["securityContext"]["runAsUser"])

    assert uid(kernel) != uid(grader) and uid(kernel) == k8s_jobs.KERNEL_UID and uid(kernel) != 0
    sec = kernel["securityContext"]
    assert sec["runAsNonRoot"] is True and sec["allowPrivilegeEscalation"] is False
    assert sec["capabilities"] == {"drop": ["ALL"]} and "add" not in sec["capabilities"]
    assert sec["readOnlyRootFilesystem"] is True and "privileged" not in sec
    assert pod["securityContext"]["runAsNonRoot"] is True and "shareProcessNamespace" not in pod  # own PID 1
    mounts = {m["name"]: m for m in kernel["volumeMounts"]}
    assert set(mounts) == {"kernel-share", "kernel-tmp", "datasets"}
    assert not any("secret" in volumes[m] for m in mounts)  # no Secret at all, the checks' least of all
    assert not any(volumes[m].get("persistentVolumeClaim", {}).get("claimName") == K8S["course_claim"] for m in mounts)
    assert mounts["kernel-share"]["readOnly"] is True and mounts["datasets"]["readOnly"] is True
    assert mounts["kernel-tmp"]["mountPath"] == "/tmp" and "emptyDir" in volumes["kernel-tmp"]
    assert "emptyDir" in volumes["kernel-share"]
    share = {m["name"]: m for m in grader["volumeMounts"]}["kernel-share"]
    assert share["mountPath"] == mounts["kernel-share"]["mountPath"] == k8s_jobs.KERNEL_SHARE and not share.get("readOnly")
    grader_mounts = {m["name"] for m in grader["volumeMounts"]}
    assert {"labchecks", "course"} <= grader_mounts and "kernel-tmp" not in grader_mounts
    assert kernel["command"][:5] == ["python", "-I", "-m", "datalit.labs.kernel_sidecar", "serve"]
    assert kernel["workingDir"] == "/"  # nothing writable on the sidecar's import path
    assert kernel["command"][kernel["command"].index("--share") + 1] == k8s_jobs.KERNEL_SHARE
    env = {e["name"]: e["value"] for e in kernel["env"]}
    assert not any(k.startswith("DATALIT_LAB_") for k in env)  # nothing about the course or the checkout
    # PodSecurity "restricted" admits the whole pod (what the admin guide says the default needs)
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for c in containers.values():
        assert c["securityContext"]["allowPrivilegeEscalation"] is False, c["name"]
        assert c["securityContext"]["capabilities"] == {"drop": ["ALL"]}, c["name"]
        assert uid(c) != 0 and not c["securityContext"].get("privileged"), c["name"]
    assert all(set(v) - {"name"} <= {"emptyDir", "persistentVolumeClaim", "secret"} for v in pod["volumes"])
    # the Job's pod, not only its kernel container, has the deny-all NetworkPolicy's label (one network namespace)
    assert job["spec"]["template"]["metadata"]["labels"]["component"] == k8s_jobs.COMPONENT


def test_the_hub_may_run_jobs_and_nothing_else_new(k8s_rendered, manifests):
    sa = manifest(k8s_rendered, "ServiceAccount", "hub")["metadata"]["name"]
    binding = manifests[("RoleBinding", "datalit-hub-jobs")]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": sa}]
    rules = manifests[("Role", binding["roleRef"]["name"])]["rules"]
    assert rules == [{"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["create", "get"]}]  # test_k8s_rbac.py


def test_user_pods_reach_the_exchange_on_its_own_service(k8s_rendered):
    """The path of DATALIT_EXCHANGE_URL in the rendered NetworkPolicies: user pod -> the exchange pod's 8090 (its
    Service), not the proxy (its plain-HTTP port only redirects once HTTPS is on); the proxy -> the exchange pod
    for browsers; the learning record (8091) in the hub pod the same way. tests/hub/test_k8s_https.py renders
    both ways."""
    from datalit.hub import k8s_exchange

    def spec(name):
        return manifest(k8s_rendered, "NetworkPolicy", name)["spec"]

    singleuser, proxy = spec("singleuser"), spec("proxy")
    exchange = {"podSelector": {"matchLabels": {"component": k8s_exchange.COMPONENT}}}
    hub = {"podSelector": {"matchLabels": {"component": "hub"}}}
    assert {"to": [exchange], "ports": [{"port": 8090, "protocol": "TCP"}]} in singleuser["egress"]
    assert {"to": [hub], "ports": [{"port": 8091, "protocol": "TCP"}]} in singleuser["egress"]
    assert {"to": [exchange], "ports": [{"port": 8090}]} in proxy["egress"]
    assert {"to": [hub], "ports": [{"port": 8091}]} in proxy["egress"]
    policy = k8s_exchange.network_policy(K8S)["spec"]
    (ingress,) = policy["ingress"]
    assert {"podSelector": {"matchLabels": {"component": "singleuser-server"}}} in ingress["from"]
    assert {"podSelector": {"matchLabels": {"component": "proxy"}}} in ingress["from"]
    assert ingress["ports"] == [{"port": 8090, "protocol": "TCP"}]
    pod_labels = manifest(k8s_rendered, "Deployment", "proxy")["spec"]["template"]["metadata"]["labels"]
    assert pod_labels["component"] == "proxy"


def test_grading_jobs_with_datalits_sandbox_in_the_pod(tmp_path):
    """k8s.grading_sandbox: the grader as root with only the capabilities datalit/labs/sandbox.py needs, which
    then confines each kernel as on one machine; what it wrote goes back to the course's owner."""
    import copy

    from datalit.config import load_config
    from datalit.labs import k8s_jobs

    cfg = copy.deepcopy(load_config())
    cfg["k8s"]["grading_sandbox"] = True
    (job,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", 1, 2, cfg=cfg)
    assert k8s_schema_errors([job]) == []
    pod = job["spec"]["template"]["spec"]
    (c,) = pod["containers"]  # the alternative: no kernel container, the sandbox confines each kernel instead
    assert pod["securityContext"]["runAsUser"] == 0 and "runAsNonRoot" not in pod["securityContext"]
    assert c["securityContext"]["capabilities"] == {"drop": ["ALL"], "add": list(k8s_jobs.SANDBOX_CAPABILITIES)}
    assert "SYS_ADMIN" in k8s_jobs.SANDBOX_CAPABILITIES and c["securityContext"]["allowPrivilegeEscalation"] is True
    env = {e["name"]: e["value"] for e in c["env"]}
    assert env["DATALIT_LAB_SANDBOX"] == "true" and env["DATALIT_LAB_SANDBOX_DIR"] == k8s_jobs.SANDBOX_DIR
    assert {"name": "sandbox", "mountPath": k8s_jobs.SANDBOX_DIR} in c["volumeMounts"]
    assert pod["automountServiceAccountToken"] is False  # the rest as in the default Job
    assert c["resources"]["limits"] == c["resources"]["requests"]
    assert c["resources"]["limits"]["memory"] == f"{DEFAULTS['lab']['memory_mb'] + k8s_jobs.GRADER_MEMORY_MB}Mi"
    # ownership handed back (the tests run as root, as the grader would)
    if os.geteuid() != 0:
        pytest.skip("needs root")
    course = tmp_path / "course"
    (course / "autograded" / "t1").mkdir(parents=True)
    (course / "gradebook.db").write_text("x")
    os.chown(course, 1000, 100)
    k8s_jobs.give_back(course)
    for p in [course / "autograded", course / "autograded" / "t1", course / "gradebook.db"]:
        assert (p.stat().st_uid, p.stat().st_gid) == (1000, 100), p
