"""Content and data on Kubernetes (issue 15, part 4).

* the images (hub_config/k8s/Dockerfile): a maintained base for the single-user image (the official Python
  3.11 image, the Python every test runs), exactly what ``./run install`` gives learners (no labs/, no
  grading/labchecks: .dockerignore), pyproject.toml's pins, the course content built into both images where
  the hub's pages and the postStart hand-out read it;
* the datasets volume: its claim, read-only in every pod but the fill Job (datalit/hub/k8s_fill.py running
  python -m datalit.data.fill), the image names written once (values.yaml); the fill run
  here for real on the datasets beside the checkout (a copy the admin provides), every file sha256-checked.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datalit.config import DEFAULTS
from k8s_fixtures import REPO, load_manifests, load_values

K8S = DEFAULTS["k8s"]
DOCKERFILE = REPO / "hub_config" / "k8s" / "Dockerfile"


def _stages() -> dict[str, str]:
    text = DOCKERFILE.read_text()
    parts = re.split(r"^FROM ", text, flags=re.M)[1:]
    return {p.split("\n", 1)[0].split()[-1]: "FROM " + p for p in parts}


def _pins(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.]*)", text)}


def test_images_have_a_maintained_base_and_the_pinned_versions():
    stages = _stages()
    assert list(stages) == ["singleuser", "hub"]
    base = stages["singleuser"].split("\n", 1)[0].split()[1]
    assert base == f"python:{sys.version_info.major}.{sys.version_info.minor}-slim-bookworm"  # the tests' Python
    assert "minimal-notebook" not in DOCKERFILE.read_text().split("\nFROM", 1)[1]  # the frozen base is gone
    assert stages["hub"].split("\n", 1)[0].split()[1] == "quay.io/jupyterhub/k8s-hub:4.1.0"  # the chart's version
    pyproject = _pins((REPO / "pyproject.toml").read_text())
    for name, version in _pins(DOCKERFILE.read_text()).items():
        assert pyproject.get(name) == version, (name, version, pyproject.get(name))
    for stage in stages.values():
        assert "pip install --no-cache-dir -e /opt/datalit/src" in stage  # every pin of pyproject.toml
        assert 'build_content(Path("/opt/datalit/content"))' in stage   # content built into the image
    from datalit.hub import k8s_spawn

    assert k8s_spawn.CONTENT == "/opt/datalit/content"  # what the hub pages list (datalit/hub/definition.py)
    assert "--content /opt/datalit/content" in " ".join(load_values()["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"])


def test_images_hold_only_what_learners_may_read():
    run = (REPO / "run").read_text()
    parts = re.search(r'^LEARNER_PARTS="([^"]+)"', run, flags=re.M).group(1).split()
    for stage in _stages().values():
        copied = [line.split()[1:-1] for line in stage.splitlines() if line.startswith("COPY ")]
        assert sorted(p for c in copied for p in c) == sorted(parts)  # the same parts as ./run install
    ignored = {line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {"grading/labchecks", "labs", "tests", ".git", "bench"} <= ignored
    assert "':!:grading/labchecks'" in run  # the same exclusion as the one-machine install


def test_image_names_are_written_once(k8s_rendered):
    """singleuser.image in values.yaml is the one place: the Jobs and the exchange read it from the chart's
    values as the hub pod holds them (the rendered Secret), with the chart's pull secrets."""
    import yaml

    from datalit.hub import k8s_api, k8s_exchange, k8s_fill, k8s_purge
    from datalit.labs import k8s_jobs
    from k8s_fixtures import secret_data

    values = load_values()
    held = yaml.safe_load(secret_data(k8s_rendered)["values.yaml"])  # /usr/local/etc/jupyterhub/secret/values.yaml
    renamed = {**held, "singleuser": {**held["singleuser"], "image": {"name": "reg.example/su", "tag": "9.9"}}}
    assert k8s_api.job_image(K8S, held) == f"{values['singleuser']['image']['name']}:{values['singleuser']['image']['tag']}"
    assert k8s_api.job_image(K8S, renamed) == "reg.example/su:9.9"   # follows the values, not the default
    assert k8s_api.pull_secrets(K8S, held) == [{"name": n} for n in values["imagePullSecrets"]]
    text = (REPO / "hub_config" / "k8s" / "values.yaml").read_text()
    assert text.count(values["singleuser"]["image"]["name"]) == 1 and text.count(values["hub"]["image"]["name"]) == 1
    for path in (REPO / "hub_config" / "k8s" / "manifests").glob("*.yaml"):
        assert "image:" not in path.read_text(), path  # no manifest names an image
    pods = [k8s_fill.fill_job(K8S, "t", values=renamed), k8s_purge.archive_job(K8S, {"a": "claim-a"}, "t", 0, renamed),
            k8s_exchange.deployment(K8S, renamed)]
    cfg = {**DEFAULTS, "k8s": {**K8S, "chart_values": "/nonexistent"}}
    for pod in pods:
        spec = pod["spec"]["template"]["spec"]
        assert {c["image"] for c in spec["containers"]} == {"reg.example/su:9.9"}, pod["metadata"]["name"]
        assert spec["imagePullSecrets"] == [{"name": n} for n in values["imagePullSecrets"]]
    (job,) = k8s_jobs.grading_jobs("lab1_bike_story", "r1", 1, 1, cfg=cfg)  # off-cluster: k8s.singleuser_image
    spec = job["spec"]["template"]["spec"]
    assert {c["image"] for c in spec["containers"] + spec.get("initContainers", [])} == {K8S["singleuser_image"]}
    assert "imagePullSecrets" in spec


def test_datasets_volume_is_read_only_everywhere_but_its_fill_job(k8s_hub):
    from datalit.hub import k8s_fill
    from datalit.labs import k8s_jobs

    values = load_values()
    manifests = load_manifests()
    claim = manifests[("PersistentVolumeClaim", K8S["datasets_claim"])]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]  # a ReadOnlyMany claim could not be filled
    volumes = {v["name"]: v for v in values["singleuser"]["storage"]["extraVolumes"]}
    assert volumes["datalit-datasets"]["persistentVolumeClaim"] == {"claimName": K8S["datasets_claim"], "readOnly": True}
    mount = next(m for m in values["singleuser"]["storage"]["extraVolumeMounts"] if m["name"] == "datalit-datasets")
    assert mount["readOnly"] is True
    for person in k8s_hub["result"]["people"].values():  # the hub definition's DATALIT_DATA_DIR is the mount
        assert person["environment"]["DATALIT_DATA_DIR"] == mount["mountPath"]
    # every pod that mounts the claim: read-only, both on the volume and on each mount, except the fill
    pods = [p["pod"]["spec"] for p in k8s_hub["result"]["people"].values()]
    pods += [j["spec"]["template"]["spec"] for j in k8s_jobs.grading_jobs("lab1_bike_story", "r1", 2, 4)]
    seen = 0
    for spec in pods:
        names = {v["name"] for v in spec["volumes"]
                 if v.get("persistentVolumeClaim", {}).get("claimName") == K8S["datasets_claim"]}
        for v in spec["volumes"]:
            if v["name"] in names:
                assert v["persistentVolumeClaim"].get("readOnly") is True, v
        for c in spec["containers"] + spec.get("initContainers", []):
            for m in c.get("volumeMounts", []):
                if m["name"] in names:
                    seen += 1
                    assert m.get("readOnly") is True, (c["name"], m)
    assert seen >= len(pods)
    job = k8s_fill.fill_job(K8S, "t", values={})["spec"]["template"]["spec"]
    (c,) = job["containers"]
    assert c["command"][:3] == ["python", "-m", "datalit.data.fill"]
    dest = c["command"][c["command"].index("--dest") + 1]
    fill_mount = next(m for m in c["volumeMounts"] if m["mountPath"] == dest)
    fill_volume = next(v for v in job["volumes"] if v["name"] == fill_mount["name"])
    assert fill_volume["persistentVolumeClaim"] == {"claimName": K8S["datasets_claim"]} and not fill_mount.get("readOnly")
    assert dest == mount["mountPath"]
    assert "--no-download" in k8s_fill.fill_job(K8S, "t", download=False, values={})["spec"]["template"]["spec"][
        "containers"][0]["command"]


SMALL = ["seoul_cctv_by_gu", "seoul_crime_by_police_station"]  # a few files, a few tens of KB


def _fill(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datalit.data.fill", *args], capture_output=True, text=True,
                          timeout=300)


def test_fill_from_the_admins_copy_checks_every_file(tmp_path, shared_datasets):
    from datalit.data.catalog import get

    dest, source = tmp_path / "volume", tmp_path / "copy"
    for ds in SMALL:
        shutil.copytree(shared_datasets / ds, source / ds)
    files = [f"{ds}/{f.name}" for ds in SMALL for f in get(ds).files]
    done = _fill("--dest", str(dest), "--from", str(source), "--no-download", *SMALL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"copied={len(files)}" in done.stdout and "failed=0" in done.stdout
    again = _fill("--dest", str(dest), "--from", str(source), "--no-download", *SMALL)
    assert f"kept={len(files)}" in again.stdout and again.returncode == 0
    # a damaged file in the volume is replaced from the copy; a damaged copy is never put in place
    first = dest / files[0]
    first.write_bytes(b"damaged")
    (source / files[0]).write_bytes(b"also damaged")
    broken = _fill("--dest", str(dest), "--from", str(source), "--no-download", *SMALL)
    assert broken.returncode == 1 and "failed=1" in broken.stdout and files[0] in broken.stdout
    assert first.read_bytes() == b"damaged"  # left as found, reported
    shutil.copyfile(shared_datasets / files[0], source / files[0])
    fixed = _fill("--dest", str(dest), "--from", str(source), "--no-download", *SMALL)
    assert fixed.returncode == 0 and "copied=1" in fixed.stdout
    from datalit.data.locate import sha256_of

    assert sha256_of(first) == get(SMALL[0]).file(Path(files[0]).name).sha256
    assert _fill("--dest", str(dest), "no_such_dataset").returncode != 0


@pytest.mark.slow
def test_built_content_lists_every_course(tmp_path):
    from datalit.hub import content, pages, roles

    content.build_content(tmp_path / "content", log=lambda *a: None)
    listed = pages.courses_for(content.course_list(tmp_path / "content"))
    courses = content.course_list(tmp_path / "content")
    assert set(courses) == set(roles.TIERS) and all(courses.values()), courses
    assert listed is not None
