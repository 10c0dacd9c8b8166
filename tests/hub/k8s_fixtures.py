"""The real Zero to JupyterHub chart 4.1.0 rendered with hub_config/k8s/values.yaml, and a real JupyterHub
(with the real KubeSpawner) initialised from the rendered configuration (tests/hub/k8s_probe.py): shared by
tests/hub/test_k8s_*.py, once per session (tests/hub/conftest.py imports the fixtures).

The chart is read from ../shared/charts/jupyterhub-4.1.0 (see its SOURCE.md), never copied into the repo."""
from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CHART_VERSION = "4.1.0"
RELEASE, NAMESPACE = "datalit", "datalit"
FIRST_ADMIN_SECRET = {"name": "datalit-first-admin", "key": "password"}
EXCHANGE_SECRET = {"name": "datalit-exchange", "key": "token"}  # the exchange Deployment's only secret
EXCHANGE_TOKEN = "exchange-" + "7" * 40
POD_IP = "10.0.0.7"
REPO = Path(__file__).resolve().parents[2]
# the roster the probe's hub reads from the exchange's volume: one team of one member in a beginner lab
ROSTER = {"lab1_bike_story": {"team-a": ["member"]}}
COURSE_ID = "seoul-datalit"


def chart_dir(repo: Path = REPO) -> Path:
    path = repo.parent / "shared" / "charts" / f"jupyterhub-{CHART_VERSION}"
    if not (path / "Chart.yaml").is_file():
        pytest.fail(f"the Zero to JupyterHub chart {CHART_VERSION} is not at {path}: put the chart there "
                    "(see ../shared/charts/SOURCE.md); these checks never run without it", pytrace=False)
    return path


def load_values(repo: Path = REPO) -> dict:
    return yaml.safe_load((repo / "hub_config" / "k8s" / "values.yaml").read_text(encoding="utf-8"))


def load_manifests(repo: Path = REPO) -> dict[tuple[str, str], dict]:
    """{(kind, name): manifest} of hub_config/k8s/manifests/*.yaml (applied in the hub's namespace); an object
    that names another namespace (manifests/sandbox.yaml) is keyed (kind, "namespace/name")."""
    out = {}
    for path in sorted((repo / "hub_config" / "k8s" / "manifests").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                ns = doc["metadata"].get("namespace")
                key = (doc["kind"], f"{ns}/{doc['metadata']['name']}" if ns else doc["metadata"]["name"])
                assert key not in out, key
                out[key] = doc
    return out


@pytest.fixture(scope="session")
def k8s_values() -> dict:
    return load_values()


@pytest.fixture(scope="session")
def k8s_chart():
    import helm_python as helm

    c = helm.Chart.load(str(chart_dir()))
    yield c
    c.close()


@pytest.fixture(scope="session")
def k8s_rendered(k8s_chart, k8s_values) -> dict[str, list[dict]]:
    """{template path: [manifest, ...]} of the chart rendered with our values (a fresh install)."""
    out = k8s_chart.render(copy.deepcopy(k8s_values), name=RELEASE, namespace=NAMESPACE, is_install=True)
    assert "jupyterhub/templates/NOTES.txt" in out  # the only template that is not a manifest
    return {path: [d for d in yaml.safe_load_all(text) if d] for path, text in out.items() if path.endswith(".yaml")}


def manifest(rendered, kind: str, name: str) -> dict:
    found = [d for docs in rendered.values() for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} rendered"
    return found[0]


def hub_container(rendered) -> dict:
    pod = manifest(rendered, "Deployment", "hub")["spec"]["template"]["spec"]
    return next(c for c in pod["containers"] if c["name"] == "hub")


def secret_data(rendered) -> dict[str, str]:
    return {k: base64.b64decode(v).decode() for k, v in manifest(rendered, "Secret", "hub")["data"].items()}


def container_env(container: dict, secrets: dict) -> dict[str, str]:
    """The hub container's environment as Kubernetes would set it (SECRETS: {(name, key): value})."""
    env = {}
    for e in container["env"]:
        if "value" in e:
            env[e["name"]] = e["value"]
        elif "secretKeyRef" in e.get("valueFrom", {}):
            ref = e["valueFrom"]["secretKeyRef"]
            env[e["name"]] = secrets[(ref["name"], ref["key"])]
        elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "status.podIP":
            env[e["name"]] = POD_IP
        elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.namespace":
            env[e["name"]] = NAMESPACE
    return env


@pytest.fixture(scope="session")
def k8s_hub(k8s_rendered, tmp_path_factory) -> dict:
    """Mount the rendered ConfigMap and Secret as the hub pod does (under tmp_path instead of
    /usr/local/etc/jupyterhub), set the container's environment, and run tests/hub/k8s_probe.py.

    The hub pod's volumes (hub.extraVolumeMounts: the exchange's and the teams') are folders under tmp_path
    too: their mount paths in the environment are replaced, nothing else is."""
    tmp = tmp_path_factory.mktemp("k8s-hub")
    etc = tmp / "etc"
    mounts = {"config": manifest(k8s_rendered, "ConfigMap", "hub")["data"], "secret": secret_data(k8s_rendered)}
    for folder, data in mounts.items():
        (etc / folder).mkdir(parents=True)
        for key, text in data.items():
            (etc / folder / key).write_text(text)
    conf = tmp / "conf"
    conf.mkdir()
    for name in ("jupyterhub_config.py", "z2jh.py"):
        text = mounts["config"][name]
        assert "/usr/local/etc/jupyterhub" in text
        (conf / name).write_text(text.replace("/usr/local/etc/jupyterhub", str(etc)))
    (tmp / "kubeconfig").write_text(yaml.safe_dump({  # KubeSpawner's client: a cluster nobody answers for
        "apiVersion": "v1", "kind": "Config", "current-context": "none",
        "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "none", "user": {"token": "none"}}],
        "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}]}))
    password = "first-" + base64.b16encode(os.urandom(6)).decode().lower()
    container = hub_container(k8s_rendered)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATALIT_", "JUPYTERHUB_"))}
    secrets = {("hub", k): v for k, v in mounts["secret"].items()}  # the chart's Secret, and the admin's own
    secrets[(FIRST_ADMIN_SECRET["name"], FIRST_ADMIN_SECRET["key"])] = password
    secrets[(EXCHANGE_SECRET["name"], EXCHANGE_SECRET["key"])] = EXCHANGE_TOKEN
    pod_env = container_env(container, secrets)
    env.update(pod_env)
    volumes = {"DATALIT_LAB_EXCHANGE_DIR": tmp / "exchange", "DATALIT_K8S_TEAMS_MOUNT": tmp / "teams"}
    for key, folder in volumes.items():
        folder.mkdir()
        env[key] = str(folder)
    (tmp / "exchange" / COURSE_ID).mkdir()
    (tmp / "exchange" / COURSE_ID / "roster.json").write_text(json.dumps(ROSTER))
    env.update({"PROXY_API_SERVICE_PORT": "8001", "HUB_SERVICE_PORT": "8081",  # set by Kubernetes Services
                "KUBECONFIG": str(tmp / "kubeconfig"), "PROBE_FIRST_ADMIN_PASSWORD": password})
    db = tmp / "db"
    db.mkdir()
    out = tmp / "probe.json"
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("k8s_probe.py")), str(conf / "jupyterhub_config.py"),
                           str(out)], cwd=db, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return {"result": json.loads(out.read_text()), "env": env, "pod_env": pod_env, "log": done.stdout + done.stderr,
            "teams_mount": tmp / "teams"}


MODELS = {"NetworkPolicy": "V1NetworkPolicy", "PersistentVolumeClaim": "V1PersistentVolumeClaim", "Role": "V1Role",
          "RoleBinding": "V1RoleBinding", "Job": "V1Job", "Pod": "V1Pod", "Secret": "V1Secret",
          "Namespace": "V1Namespace", "Service": "V1Service", "Deployment": "V1Deployment"}


def k8s_schema_errors(manifests: list[dict]) -> list[str]:
    """Each manifest read into the Kubernetes API models of kubernetes_asyncio (KubeSpawner's client) and
    written back: a misspelt or misplaced field is dropped on the way and shows as a difference."""
    import asyncio

    from kubernetes_asyncio.client import ApiClient

    async def check() -> list[str]:
        client = ApiClient()
        try:
            errors = []
            for m in manifests:
                back = client.sanitize_for_serialization(client._ApiClient__deserialize(m, MODELS[m["kind"]]))
                if back != m:
                    errors.append(f"{m['kind']}/{m['metadata']['name']}: {json.dumps(back, sort_keys=True)[:2000]}")
            return errors
        finally:
            await client.close()

    return asyncio.run(check())


# ---- HTTPS both ways, every object against the Kubernetes versions the guide names --------------------
K8S_VERSIONS = ("1.30.0", "1.31.0", "1.32.0")  # docs/admin-guide.md §9: Kubernetes 1.30 or later, checked on these


def https_variants(values: dict) -> dict[str, dict]:
    """The project's values (HTTPS with the TLS Secret), with letsencrypt instead, and with HTTPS off."""
    out = {"secret": copy.deepcopy(values)}
    le = copy.deepcopy(values)
    le["proxy"]["https"].pop("secret", None)
    le["proxy"]["https"].update({"type": "letsencrypt", "letsencrypt": {"contactEmail": "datalit@example.seoul.go.kr"}})
    out["letsencrypt"] = le
    off = copy.deepcopy(values)
    off["proxy"]["https"]["enabled"] = False
    out["off"] = off
    return out


def render(chart, values: dict) -> list[dict]:
    out = chart.render(copy.deepcopy(values), name=RELEASE, namespace=NAMESPACE, is_install=True)
    return [d for path, text in out.items() if path.endswith(".yaml") for d in yaml.safe_load_all(text) if d]


def schema_errors(objects: list[dict], version: str) -> list[str]:
    """Each object against the strict OpenAPI schema of Kubernetes VERSION (kubernetes-validate, offline)."""
    import kubernetes_validate as kv

    errors = []
    for obj in objects:
        try:
            kv.validate(obj, version, strict=True)
        except kv.ValidationError as exc:
            errors.append(f"{version} {obj['kind']}/{obj['metadata']['name']}: {exc.message[:200]} at {list(exc.path)}")
        except kv.SchemaNotFoundError as exc:
            errors.append(f"{version} {obj['kind']}/{obj['metadata']['name']}: no schema ({exc})")
    return errors


def datalit_objects(values: dict) -> list[dict]:
    """Every object the project itself makes: manifests/, the exchange's, the fill, purge and grading Jobs."""
    from datalit.config import DEFAULTS
    from datalit.hub import k8s_exchange, k8s_fill, k8s_purge
    from datalit.labs import k8s_jobs

    k8s = DEFAULTS["k8s"]
    objects = list(load_manifests().values())
    objects += k8s_exchange.manifests(k8s, values)
    objects += [k8s_fill.fill_job(k8s, "t", values=values), k8s_fill.fill_job(k8s, "t", False, values)]
    objects += [k8s_purge.archive_job(k8s, {"a": "claim-a", "b": "claim-b"}, "t", 0, values)]
    objects += k8s_jobs.grading_jobs("lab1_bike_story", "r1", 2, 5)
    return objects


def sandbox_grading_jobs() -> list[dict]:
    from datalit.config import load_config
    from datalit.labs import k8s_jobs

    cfg = copy.deepcopy(load_config())
    cfg["k8s"]["grading_sandbox"] = True
    return k8s_jobs.grading_jobs("lab1_bike_story", "r1", 1, 2, cfg=cfg)
