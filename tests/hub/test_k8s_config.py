"""hub_config/k8s: the Helm values checked against the real Zero to JupyterHub chart 4.1.0 (its schema, a
render and a lint through helm-python-sdk, no helm binary), the rendered hub configuration loaded in a real
JupyterHub with the real KubeSpawner (tests/hub/k8s_probe.py), the same groups, roles and content logic as
the one-machine hub, and the Dockerfile installing the same packages.

The chart is read from ../shared/charts/jupyterhub-4.1.0 (see its SOURCE.md), never copied into the repo."""
from __future__ import annotations

import ast
import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from datalit.hub import roles

CHART_VERSION = "4.1.0"
RELEASE, NAMESPACE = "datalit", "datalit"
FIRST_ADMIN_SECRET = {"name": "datalit-first-admin", "key": "password"}
POD_IP = "10.0.0.7"


def chart_dir(repo: Path) -> Path:
    path = repo.parent / "shared" / "charts" / f"jupyterhub-{CHART_VERSION}"
    if not (path / "Chart.yaml").is_file():
        pytest.fail(f"the Zero to JupyterHub chart {CHART_VERSION} is not at {path}: put the chart there "
                    "(see ../shared/charts/SOURCE.md); these checks never run without it", pytrace=False)
    return path


@pytest.fixture(scope="module")
def values(repo):
    return yaml.safe_load((repo / "hub_config" / "k8s" / "values.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chart(repo):
    import helm_python as helm

    c = helm.Chart.load(str(chart_dir(repo)))
    yield c
    c.close()


@pytest.fixture(scope="module")
def rendered(chart, values) -> dict[str, list[dict]]:
    """{template path: [manifest, ...]} of the chart rendered with our values (a fresh install)."""
    import copy

    out = chart.render(copy.deepcopy(values), name=RELEASE, namespace=NAMESPACE, is_install=True)
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


# ---- the chart: schema, render, lint ----------------------------------------------------------------
def test_values_validate_against_the_chart_schema(chart, values):
    import copy

    import helm_python as helm

    chart.validate_schema(copy.deepcopy(values))  # raises HelmValuesError on any key the chart does not know
    wrong = copy.deepcopy(values)
    wrong["singleuser"]["profileList"][0]["kubespawner_overide"] = {}  # a typo is caught, not ignored
    wrong["hub"]["extraConfigs"] = {}
    with pytest.raises(helm.HelmValuesError, match="extraConfigs"):
        chart.validate_schema(wrong)


def test_chart_renders_and_lints_clean(repo, rendered, values):
    import helm_python as helm

    assert len(rendered) >= 40, sorted(rendered)
    kinds = {(d["kind"], d["metadata"]["name"]) for docs in rendered.values() for d in docs}
    for wanted in [("Deployment", "hub"), ("ConfigMap", "hub"), ("Secret", "hub"), ("Deployment", "proxy"),
                   ("PersistentVolumeClaim", "hub-db-dir"), ("NetworkPolicy", "hub")]:
        assert wanted in kinds, wanted
    report = helm.lint(str(chart_dir(repo)), values, strict=True, namespace=NAMESPACE)
    assert report["errors"] == [] and report["messages"] == [], report
    assert hub_container(rendered)["image"] == f"{values['hub']['image']['name']}:{values['hub']['image']['tag']}"


def test_rendered_hub_configmap_and_secret_hold_our_config(repo, rendered, values):
    config = manifest(rendered, "ConfigMap", "hub")["data"]
    chart_files = chart_dir(repo) / "files" / "hub"
    assert config["jupyterhub_config.py"] == (chart_files / "jupyterhub_config.py").read_text()
    assert config["z2jh.py"] == (chart_files / "z2jh.py").read_text()
    secret = secret_data(rendered)
    held = yaml.safe_load(secret["values.yaml"])  # what the hub's jupyterhub_config.py reads (z2jh.get_config)
    for key in ("extraConfig", "loadRoles", "services", "extraEnv"):
        assert held["hub"][key] == values["hub"][key], key
    for app, traits in values["hub"]["config"].items():  # the chart adds its defaults (JupyterHub.admin_access)
        assert {k: held["hub"]["config"][app][k] for k in traits} == traits, app
    assert held["singleuser"]["profileList"] == values["singleuser"]["profileList"]
    assert held["Chart"]["Version"] == CHART_VERSION
    for service in values["hub"]["services"]:  # the chart generates every service's token
        assert len(secret[f"hub.services.{service}.apiToken"]) >= 32


def test_rendered_hub_takes_the_first_admin_password_from_a_secret(rendered, values):
    env = {e["name"]: e for e in hub_container(rendered)["env"]}
    ref = env["DATALIT_FIRST_ADMIN_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert ref == FIRST_ADMIN_SECRET  # not optional: without the Secret the hub does not start
    from datalit.hub.authenticator import FIRST_ADMIN_ENV

    assert FIRST_ADMIN_ENV == "DATALIT_FIRST_ADMIN_PASSWORD"  # the variable the authenticator reads
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == ["admin"]
    assert env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    netpol = manifest(rendered, "NetworkPolicy", "hub")["spec"]["ingress"]
    assert {"ports": [{"port": 8090}], "from": [{"podSelector": {"matchLabels": {"component": "proxy"}}}]} in netpol


# ---- the rendered configuration in a real JupyterHub ------------------------------------------------
def _container_env(container: dict, secrets: dict) -> dict[str, str]:
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
    return env


@pytest.fixture(scope="module")
def hub_from_chart(rendered, tmp_path_factory) -> dict:
    """Mount the rendered ConfigMap and Secret as the hub pod does (under tmp_path instead of
    /usr/local/etc/jupyterhub), set the container's environment, and run tests/hub/k8s_probe.py."""
    tmp = tmp_path_factory.mktemp("k8s-hub")
    etc = tmp / "etc"
    mounts = {"config": manifest(rendered, "ConfigMap", "hub")["data"], "secret": secret_data(rendered)}
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
    container = hub_container(rendered)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATALIT_", "JUPYTERHUB_"))}
    secrets = {("hub", k): v for k, v in mounts["secret"].items()}  # the chart's Secret, and the admin's own
    secrets[(FIRST_ADMIN_SECRET["name"], FIRST_ADMIN_SECRET["key"])] = password
    env.update(_container_env(container, secrets))
    env.update({"PROXY_API_SERVICE_PORT": "8001", "HUB_SERVICE_PORT": "8081",  # set by Kubernetes Services
                "KUBECONFIG": str(tmp / "kubeconfig"), "PROBE_FIRST_ADMIN_PASSWORD": password})
    db = tmp / "db"
    db.mkdir()
    out = tmp / "probe.json"
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("k8s_probe.py")), str(conf / "jupyterhub_config.py"),
                           str(out)], cwd=db, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return {"result": json.loads(out.read_text()), "env": env, "log": done.stdout + done.stderr}

def test_real_hub_loads_roles_groups_and_services(hub_from_chart):
    got = hub_from_chart["result"]
    assert got["authenticator"] == "datalit.hub.authenticator.DatalitAuthenticator"
    assert set(got["groups"]) == set(roles.GROUPS)
    local = {r["name"]: r for r in roles.load_roles()}
    local.pop(roles.CULLER_SERVICE)  # the chart's own culler (cull.enabled) instead
    for name, role in local.items():
        if "scopes" in role:
            assert got["roles"][name] == sorted(role["scopes"]), name
        assert got["role_groups"][name] == sorted(role.get("groups", [])), name
        assert got["role_services"][name] == sorted(role.get("services", [])), name
    assert got["role_services"]["jupyterhub-idle-culler"] == ["jupyterhub-idle-culler"]
    services = got["services"]
    assert set(services) == {roles.CLI_SERVICE, roles.EXPIRY_SERVICE, roles.EXCHANGE_SERVICE, "jupyterhub-idle-culler"}
    exchange = services[roles.EXCHANGE_SERVICE]  # the same service as hub_config/shared/30-services.py
    assert exchange["managed"] and exchange["url"] == f"http://{POD_IP}:8090"
    assert exchange["command"][-2:] == ["-m", "datalit.exchange.service"]
    assert exchange["environment"]["DATALIT_HUB_STATE_DIR"] == "/srv/jupyterhub/datalit"
    assert services[roles.EXPIRY_SERVICE]["command"] == ["python3", "-m", "datalit.hub.expiry"]
    assert not services[roles.CLI_SERVICE]["managed"]  # a token only, for the datalit commands


def test_real_hub_creates_the_first_admin_from_the_secret(hub_from_chart):
    got = hub_from_chart["result"]
    assert got["admins"] == ["admin"]
    assert got["signup_records"] == {"admin": {"authorized": True, "first_password_valid": True}}
    assert "created the first admin admin" in hub_from_chart["log"]


def test_real_kubespawner_profiles_and_pre_spawn_hook_per_role(hub_from_chart):
    people = hub_from_chart["result"]["people"]
    user_server = "/opt/datalit/src/hub_config/user_server"
    expected = {"learner": ["beginner"], "mid": ["intermediate"], "citizen": ["beginner"],
                "teacher": ["beginner"], "analyst": list(roles.TIERS)}  # the teacher: the tier they teach
    for name, slugs in expected.items():
        p = people[name]
        assert p["class"] == "kubespawner.spawner.KubeSpawner", p
        assert p["profiles"] == slugs, (name, p["profiles"])
        assert p["environment"]["DATALIT_TIERS"] == slugs[0]  # the profile's kubespawner_override
        assert p["cmd"] == ["python", "-m", "datalit.hub.singleuser"]
        assert "datalit-datasets" in p["volumes"] and p["pvc_name"] == f"claim-{name}"
        if len(slugs) < len(roles.TIERS):  # another tier's profile is refused by KubeSpawner itself
            assert p["other_refused"] and p["other_profile"] not in slugs, (name, p)
        learners = f"{user_server}/learners:" if name != "teacher" else ""  # instructors: the full Lab
        assert p["environment"]["JUPYTER_CONFIG_PATH"] == f"{learners}{user_server}/everyone", (name, p)


def test_same_groups_roles_and_tiers_as_local(values, repo):
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert groups == roles.load_groups()
    local = {r["name"]: {k: v for k, v in r.items() if k != "name"} for r in roles.load_roles()}
    local.pop(roles.CULLER_SERVICE)  # the chart brings its own culler service (cull.enabled)
    assert values["hub"]["loadRoles"] == local
    assert set(values["hub"]["services"]) == {roles.CLI_SERVICE, roles.EXPIRY_SERVICE}
    assert [p["slug"] for p in values["singleuser"]["profileList"]] == list(roles.TIERS)
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "datalit.hub.authenticator.DatalitAuthenticator"
    hook = " ".join(values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "datalit.hub.content sync" in hook
    for snippet in values["hub"]["extraConfig"].values():
        ast.parse(snippet)  # valid Python
    assert "content.tiers_for" in values["hub"]["extraConfig"]["datalit"]
    assert "roles.teaches" in values["hub"]["extraConfig"]["datalit"]
    # the same lean user servers as the local spawner: entry point and config folders of the repo
    assert values["singleuser"]["cmd"] == ["python", "-m", "datalit.hub.singleuser"]
    snippet = values["hub"]["extraConfig"]["datalit"]
    for folder in ("learners", "everyone"):
        assert f"{{_user_server}}/{folder}" in snippet
        assert (repo / "hub_config" / "user_server" / folder / "jupyter_server_config.json").is_file()


def test_dockerfile_installs_the_same_packages(repo):
    text = (repo / "hub_config" / "k8s" / "Dockerfile").read_text()
    stages = [line.split()[-1] for line in text.splitlines() if line.startswith("FROM ")]
    assert stages == ["singleuser", "hub"]
    assert "pip install --no-cache-dir -e /opt/datalit/src" in text  # = pyproject dependencies
    assert "jupyterhub-nativeauthenticator==1.3.0" in text
    pyproject = (repo / "pyproject.toml").read_text()
    assert "jupyterlab-language-pack-ko-KR" in pyproject and "jupyterhub==5.5.4" in pyproject
