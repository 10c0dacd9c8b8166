"""docs/admin-guide.md §9 followed step by step against the rendered objects (issue 25, item 7), as a fresh
cluster's admin would type it:

* step 0: the mirror list is the set of images the rendered chart runs (HTTPS on, letsencrypt, off), so it
  cannot go stale; step 1: the ``sed`` that names the images edits exactly the two image names of values.yaml
  and the result still validates against the chart's schema;
* step 3: every Secret any pod refers to (chart, manifests, exchange, Jobs, imagePullSecrets, TLS) is made
  there, each by ``create --dry-run=client -o yaml | apply`` (an update, not a refused ``create``);
* steps 4-8: every manifest file exists and is applied, every Deployment waited for exists, the commands run
  in the hub pod exist; step 6's exchange objects come out of the real command with the chart's values as
  the hub pod holds them; step 7 off a cluster fails with a message, not a traceback; no wait that sits out
  its timeout on a failed Job; ``kubectl cp`` has its target's parent made first;
* the first admin's password is read back from the key the hub reads.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from datalit.config import DEFAULTS
from k8s_fixtures import (FIRST_ADMIN_SECRET, REPO, datalit_objects, https_variants, load_manifests, render,
                          secret_data)
import k8s_pss

K8S = DEFAULTS["k8s"]


@pytest.fixture(scope="module")
def section() -> str:
    doc = (REPO / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    return doc[doc.index("## 9. Moving to Kubernetes"):doc.index("## 10. Why these versions")]


@pytest.fixture(scope="module")
def steps(section) -> str:
    """The step-by-step block (the commands a fresh cluster's admin types, in order)."""
    block = section[section.index("### Step by step"):]
    return block[block.index("```bash"):block.index("```\n", block.index("```bash") + 7)]


@pytest.fixture(scope="module")
def variants(k8s_chart, k8s_values):
    return {name: render(k8s_chart, v) for name, v in https_variants(k8s_values).items()}


def images_of(objects) -> set[str]:
    return {c["image"] for o in objects if (spec := k8s_pss.pod_spec(o))
            for c in (spec.get("initContainers") or []) + spec["containers"]}


def test_the_mirror_list_is_the_rendered_charts_images(steps, variants, k8s_values):
    block = steps[steps.index("<!-- chart-images -->"):steps.index("<!-- /chart-images -->")]
    listed = {}
    for line in block.splitlines()[1:]:
        image = line.lstrip("# ").split()
        if image:
            listed[image[0]] = "letsencrypt only" in line
    ours = {f"{k8s_values[p]['image']['name']}:{k8s_values[p]['image']['tag']}" for p in ("hub", "singleuser")}
    every = set().union(*(images_of(objs) for objs in variants.values())) - ours
    assert set(listed) == every
    for image, letsencrypt_only in listed.items():
        assert (image not in images_of(variants["secret"]) | images_of(variants["off"])) == letsencrypt_only, image
    base = re.search(r"^FROM (\S+) AS hub", (REPO / "hub_config" / "k8s" / "Dockerfile").read_text(), re.M)[1]
    assert base in steps  # the hub image's base, to build it from a mirror


def test_step_1_names_the_images_in_one_place(steps, k8s_chart, tmp_path):
    import copy

    sed = next(line for line in steps.splitlines() if line.startswith("sed -i"))
    values_copy = tmp_path / "values.yaml"
    values_copy.write_text((REPO / "hub_config" / "k8s" / "values.yaml").read_text())
    script = sed.replace("hub_config/k8s/values.yaml", str(values_copy))
    subprocess.run(["bash", "-c", f"REGISTRY=reg.test.kr/lab TAG=9.9.1\n{script}"], check=True)
    before = yaml.safe_load((REPO / "hub_config" / "k8s" / "values.yaml").read_text())
    after = yaml.safe_load(values_copy.read_text())
    for part in ("hub", "singleuser"):
        assert after[part]["image"]["name"] == before[part]["image"]["name"].replace(
            "registry.example.seoul.go.kr", "reg.test.kr/lab")
        assert after[part]["image"]["tag"] == "9.9.1"
    changed = copy.deepcopy(after)
    for part in ("hub", "singleuser"):
        changed[part]["image"] = before[part]["image"]
    assert changed == before  # nothing else was touched
    k8s_chart.validate_schema(copy.deepcopy(after))


def test_step_3_makes_every_secret_a_pod_refers_to_by_apply(steps, variants, k8s_values, k8s_rendered):
    made = set(re.findall(r"^\s*secret (?:generic|tls|docker-registry) (\S+)", steps, re.M))
    assert "secret() { kubectl -n datalit create secret \"$@\" --dry-run=client -o yaml | kubectl -n datalit apply -f -; }" \
        in steps
    assert not re.search(r"^kubectl .*create secret", steps, re.M)  # never a bare create (it will not update)
    chart_made = {o["metadata"]["name"] for objs in variants.values() for o in objs if o["kind"] == "Secret"}
    objects = [o for objs in variants.values() for o in objs] + datalit_objects(k8s_values)
    wanted = set()
    for o in objects:
        spec = k8s_pss.pod_spec(o)
        if not spec:
            continue
        wanted |= {s["name"] for s in spec.get("imagePullSecrets") or []}
        wanted |= {v["secret"]["secretName"] for v in spec.get("volumes") or [] if "secret" in v}
        for c in (spec.get("initContainers") or []) + spec["containers"]:
            wanted |= {e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env") or []
                       if "secretKeyRef" in e.get("valueFrom", {})}
    wanted -= chart_made
    assert wanted and wanted <= made, wanted - made
    assert k8s_values["proxy"]["https"]["secret"]["name"] in made
    assert K8S["gradebook_secret"] in made and K8S["grading_labchecks_secret"] in made


def test_steps_4_to_8_name_what_exists(steps, section, variants, k8s_values):
    manifests_dir = REPO / "hub_config" / "k8s" / "manifests"
    applied = set(re.findall(r"hub_config/k8s/manifests/(\S+\.yaml)", section))
    assert applied == {p.name for p in manifests_dir.glob("*.yaml")}  # each file is applied somewhere in §9
    in_steps = set(re.findall(r"hub_config/k8s/manifests/(\S+\.yaml)", steps))
    assert {"namespace.yaml", "storage.yaml", "grading.yaml", "rbac.yaml", "services.yaml"} <= in_steps
    assert steps.index("manifests/namespace.yaml") < steps.index("secret generic")  # the namespace comes first
    deployments = {o["metadata"]["name"] for objs in variants.values() for o in objs if o["kind"] == "Deployment"}
    deployments |= {o["metadata"]["name"] for o in datalit_objects(k8s_values) if o["kind"] == "Deployment"}
    for name in re.findall(r"rollout status deploy/(\S+)", section):
        assert name in deployments, name
    for module in set(re.findall(r"python -m (datalit\.[\w.]+)", section)):
        done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (module, done.stderr[-500:])
    assert "--for=condition=complete" not in section  # it would wait out its timeout on a failed Job
    for target in re.findall(r"kubectl -n datalit cp \S+ [\w<>-]+:(\S+)", steps):
        parent = target.rsplit("/", 1)[0]
        assert f"mkdir -p {parent}" in steps, target
    assert f"--version {__import__('k8s_fixtures').CHART_VERSION}" in steps


def test_step_6_prints_the_exchange_with_the_hub_pods_values(tmp_path, k8s_rendered):
    """The command of step 6 as the hub pod runs it: the chart's values where the chart mounts them."""
    held = tmp_path / "values.yaml"
    held.write_text(secret_data(k8s_rendered)["values.yaml"])
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("DATALIT_")}
    env["DATALIT_K8S_CHART_VALUES"] = str(held)
    env["DATALIT_LAB_MAX_FILE_MB"] = "7"  # an override in hub.extraEnv reaches the exchange's pod too
    done = subprocess.run([sys.executable, "-m", "datalit.hub.k8s_exchange"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    objects = list(yaml.safe_load_all(done.stdout))
    assert [o["kind"] for o in objects] == ["Deployment", "Service", "NetworkPolicy"]
    values = yaml.safe_load(held.read_text())
    (c,) = objects[0]["spec"]["template"]["spec"]["containers"]
    assert c["image"] == f"{values['singleuser']['image']['name']}:{values['singleuser']['image']['tag']}"
    pod_env = {e["name"]: e.get("value") for e in c["env"]}
    assert pod_env["DATALIT_LAB_MAX_FILE_MB"] == "7" and pod_env["DATALIT_LAB_COURSE_ID"] == DEFAULTS["lab"]["course_id"]
    assert objects[0]["spec"]["template"]["spec"]["imagePullSecrets"] == [{"name": n} for n in values["imagePullSecrets"]]
    bad = subprocess.run([sys.executable, "-m", "datalit.hub.k8s_exchange", "--values", str(tmp_path / "none.yaml")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "cannot read" in bad.stderr and "Traceback" not in bad.stderr


def test_step_7_off_a_cluster_says_why_without_a_traceback():
    done = subprocess.run([sys.executable, "-m", "datalit.hub.k8s_fill", "--wait"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "no service account token" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_first_admins_password_is_read_back_from_the_key_the_hub_reads(section):
    line = next(l for l in section.splitlines() if "get secret datalit-first-admin -o jsonpath" in l)
    assert f"{{.data.{FIRST_ADMIN_SECRET['key']}}}" in line and FIRST_ADMIN_SECRET["name"] in line
    assert "base64 -d" in line
    assert ("Namespace", K8S["namespace"]) in load_manifests()
