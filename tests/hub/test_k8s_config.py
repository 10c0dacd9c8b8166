"""hub_config/k8s: the Helm values parse, use only the Zero to JupyterHub chart's real keys, and carry the
same groups, roles and content logic as the one-machine hub; the Dockerfile installs the same packages."""
from __future__ import annotations

import ast

import pytest
import yaml

from datalit.hub import roles

# Keys read by the chart (jupyterhub/files/hub/jupyterhub_config.py and values.yaml of
# jupyterhub/zero-to-jupyterhub-k8s, chart 3.x/4.x). Free-form subtrees are marked with "*".
CHART_KEYS = {
    "hub.image.name", "hub.image.tag", "hub.db.type", "hub.db.pvc.storage", "hub.concurrentSpawnLimit",
    "hub.templatePaths", "hub.templateVars", "hub.config.*", "hub.loadRoles.*", "hub.services.*",
    "hub.extraConfig.*", "hub.extraEnv.*",
    "singleuser.image.name", "singleuser.image.tag", "singleuser.defaultUrl", "singleuser.startTimeout",
    "singleuser.cmd", "singleuser.memory.limit", "singleuser.memory.guarantee", "singleuser.cpu.limit",
    "singleuser.cpu.guarantee", "singleuser.extraEnv.*", "singleuser.storage.type", "singleuser.storage.capacity",
    "singleuser.storage.homeMountPath", "singleuser.storage.extraVolumes", "singleuser.storage.extraVolumeMounts",
    "singleuser.lifecycleHooks.*", "singleuser.profileList",
    "cull.enabled", "cull.timeout", "cull.every", "cull.concurrency", "cull.users", "cull.maxAge",
}
PROFILE_KEYS = {"display_name", "slug", "default", "description", "kubespawner_override", "profile_options"}


def _leaves(tree, prefix=""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if any(path.startswith(k[:-1]) for k in CHART_KEYS if k.endswith("*")):
            yield path.rsplit(".", 1)[0] + ".*" if "." in path else path
            continue
        if isinstance(value, dict):
            yield from _leaves(value, path + ".")
        else:
            yield path


@pytest.fixture(scope="module")
def values(repo):
    return yaml.safe_load((repo / "hub_config" / "k8s" / "values.yaml").read_text(encoding="utf-8"))


def test_values_use_only_chart_keys(values):
    unknown = set()
    for leaf in _leaves(values):
        if leaf not in CHART_KEYS and not any(leaf.startswith(k[:-1]) for k in CHART_KEYS if k.endswith("*")):
            unknown.add(leaf)
    assert not unknown, f"not keys of the Zero to JupyterHub chart: {sorted(unknown)}"
    for profile in values["singleuser"]["profileList"]:
        assert set(profile) <= PROFILE_KEYS, profile


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
        assert "content.tiers_for" in snippet and "roles.teaches" in snippet
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
