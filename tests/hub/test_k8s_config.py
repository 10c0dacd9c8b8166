"""hub_config/k8s: the Helm values checked against the real Zero to JupyterHub chart 4.1.0 (its schema, a
render and a lint through helm-python-sdk, no helm binary), the rendered hub configuration loaded in a real
JupyterHub with the real KubeSpawner (tests/hub/k8s_probe.py), the same groups, roles and content logic as
the one-machine hub, and the Dockerfile installing the same packages.

The chart is read from ../shared/charts/jupyterhub-4.1.0 (see its SOURCE.md), never copied into the repo."""
from __future__ import annotations

import pytest
import yaml

from datalit.hub import roles

from k8s_fixtures import (CHART_VERSION, EXCHANGE_TOKEN, FIRST_ADMIN_SECRET, NAMESPACE, POD_IP, chart_dir,
                          hub_container, manifest, secret_data)


@pytest.fixture(scope="module")
def values(k8s_values):
    return k8s_values


@pytest.fixture(scope="module")
def chart(k8s_chart):
    return k8s_chart


@pytest.fixture(scope="module")
def rendered(k8s_rendered):
    return k8s_rendered


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
    for key in ("extraConfig", "services", "extraEnv"):
        assert held["hub"][key] == values["hub"][key], key
    assert not held["hub"].get("loadRoles")  # the roles are the hub definition's (datalit/hub/definition.py)
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
    from datalit.config import DEFAULTS

    assert DEFAULTS["hub"]["admin_user"] == "admin"  # the hub definition's admin_users (the probe: admins)
    assert env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    netpol = manifest(rendered, "NetworkPolicy", "hub")["spec"]["ingress"]
    assert {"ports": [{"port": 8091}],  # datalit-progress: the proxy, and kernels through its Service
            "from": [{"podSelector": {"matchLabels": {"component": "proxy"}}},
                     {"podSelector": {"matchLabels": {"component": "singleuser-server"}}}]} in netpol


# ---- the rendered configuration in a real JupyterHub ------------------------------------------------
@pytest.fixture(scope="module")
def hub_from_chart(k8s_hub):
    return k8s_hub


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
    assert set(services) == {roles.CLI_SERVICE, roles.EXPIRY_SERVICE, roles.EXCHANGE_SERVICE, roles.PROGRESS_SERVICE,
                             "jupyterhub-idle-culler"}
    progress = services[roles.PROGRESS_SERVICE]  # the same service as on one machine (datalit/hub/services.py)
    assert progress["managed"] and progress["url"] == f"http://{POD_IP}:8091"
    assert progress["command"][-2:] == ["-m", "datalit.progress.service"]
    assert progress["environment"]["DATALIT_HUB_STATE_DIR"] == "/srv/jupyterhub/datalit"
    exchange = services[roles.EXCHANGE_SERVICE]  # its own Deployment (datalit/hub/k8s_exchange.py), not in the hub pod
    assert not exchange["managed"] and exchange["url"] == "http://datalit-exchange.datalit.svc.cluster.local:8090"
    assert exchange["api_token"] == EXCHANGE_TOKEN  # the Secret datalit-exchange, the one the Deployment reads
    assert services[roles.EXPIRY_SERVICE]["command"][-2:] == ["-m", "datalit.hub.expiry"]
    assert services[roles.EXPIRY_SERVICE]["environment"]["DATALIT_HUB_STATE_DIR"] == "/srv/jupyterhub/datalit"
    assert not services[roles.CLI_SERVICE]["managed"]  # a token only, for the datalit commands
    from datalit.hub import definition  # the same pages as one machine, in a real hub from the chart

    assert got["extra_handlers"] == [h[0] for h in definition.page_handlers("/srv/jupyterhub/datalit")]
    assert any("/room" in pattern for pattern in got["extra_handlers"])  # the workshop room (datalit/hub/room.py)


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
        grading = "/opt/datalit/src/grading"  # course id and exchange first, as on one machine (spawn_options.py)
        lean = [f"{grading}/instructor", grading] if name == "teacher" else [grading, f"{user_server}/learners"]
        assert p["environment"]["JUPYTER_CONFIG_PATH"] == ":".join([*lean, f"{user_server}/everyone"]), (name, p)
        assert p["environment"]["DATALIT_PROGRESS_URL"].endswith(f"/services/{roles.PROGRESS_SERVICE}"), (name, p)


def test_chart_keeps_one_profile_per_tier_and_the_hand_out(values, repo):
    """What stays in values.yaml (the chart's own): a profile per tier, the course hand-out at server start;
    groups, roles and the rest are the hub definition's (tests/hub/test_definition.py)."""
    assert [p["slug"] for p in values["singleuser"]["profileList"]] == list(roles.TIERS)
    hook = " ".join(values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "datalit.hub.content sync" in hook
    # the same lean user servers as the local spawner: entry point and config folders of the repo
    from datalit.hub import k8s_spawn

    for folder in ("learners", "everyone", "team"):
        assert (repo / "hub_config" / "user_server" / folder / "jupyter_server_config.json").is_file()
    assert k8s_spawn.USER_SERVER == "/opt/datalit/src/hub_config/user_server"  # the images' copy of the repo


def test_dockerfile_installs_the_same_packages(repo):
    text = (repo / "hub_config" / "k8s" / "Dockerfile").read_text()
    stages = [line.split()[-1] for line in text.splitlines() if line.startswith("FROM ")]
    assert stages == ["singleuser", "hub"]
    assert "pip install --no-cache-dir -e /opt/datalit/src" in text  # = pyproject dependencies
    assert "jupyterhub-kubespawner==7.0.0" in text  # the hub: KubeSpawner as the chart ships it, the rest pinned by pyproject
    pyproject = (repo / "pyproject.toml").read_text()
    assert "jupyterlab-language-pack-ko-KR" in pyproject and "jupyterhub==5.5.4" in pyproject
