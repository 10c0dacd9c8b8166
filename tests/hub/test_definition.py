"""One hub definition for both platforms (datalit/hub/definition.py) on a bare traitlets Config: the same
groups, roles and scopes, pages, services and spawner options on one machine and on Kubernetes, different
only where the platform is; and hub_config/k8s/values.yaml restating none of it (it keeps what the chart
needs). The chain into a real JupyterHub is checked by tests/hub/test_k8s_config.py (the rendered chart)
and every hub test (the local hub)."""
from __future__ import annotations

import ast
import json

import pytest
from traitlets.config import Config

from datalit.config import DEFAULTS, load_config
from datalit.hub import definition, roles, services, spawn_options
from datalit.hub.launch import hub_settings
from datalit.hub.state import ensure_state_dir

POD = {"POD_IP": "10.0.0.7", "DATALIT_EXCHANGE_API_TOKEN": "exchange-token"}
CHART_SERVICES = [{"name": "jupyterhub-idle-culler", "command": ["python3", "-m", "jupyterhub_idle_culler"]},
                  {"name": roles.CLI_SERVICE, "api_token": "from-the-chart"}]
CHART_ROLES = [{"name": "jupyterhub-idle-culler", "scopes": ["list:users"], "services": ["jupyterhub-idle-culler"]}]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """{platform: (c, site)}: configure() on a bare Config for each, with one state directory (a workshop
    account in its registry) and one content folder; on k8s after what the chart's own config sets first."""
    tmp = tmp_path_factory.mktemp("definition")
    state = ensure_state_dir(tmp / "state")
    (state / "workshop").mkdir(exist_ok=True)
    (state / "workshop" / "accounts.json").write_text(json.dumps(
        {"accounts": {"ws-a1b2-01": {"tier": "citizen", "batch": "a1b2", "expires_at": "2099-01-01T15:00:00+00:00"}}}))
    cfg = load_config(overrides={"hub": {"state_dir": str(state)}}, state_dir=state)
    settings = hub_settings(cfg, state, "127.0.0.1", 8123, tmp / "datasets", content=tmp / "content")
    local = Config()
    local_site = definition.local_site(cfg, settings, {"DATALIT_LAB_COURSE_ID": "seoul-datalit",
                                                       "DATALIT_HUB_DB_PASSWORD": "secret",
                                                       "DATALIT_FIRST_ADMIN_PASSWORD": "first-start"})
    definition.configure(local, cfg, "local", local_site)
    k8s = Config()
    k8s.JupyterHub.services = [dict(s) for s in CHART_SERVICES]  # z2jh's jupyterhub_config.py, before extraConfig
    k8s.JupyterHub.load_roles = [dict(r) for r in CHART_ROLES]
    k8s.KubeSpawner.profile_list = [{"slug": t, "display_name": t} for t in roles.TIERS]
    k8s.KubeSpawner.environment = {"FROM_THE_CHART": "1"}
    k8s_site = definition.k8s_site(cfg, POD)
    k8s_site["content_dir"] = local_site["content_dir"]  # (the image's /opt/datalit/content is not here)
    k8s_site["data_mount"] = local_site["data_mount"]
    definition.configure(k8s, cfg, "k8s", k8s_site)
    return {"local": (local, local_site), "k8s": (k8s, k8s_site), "state": state}


def by_name(items) -> dict:
    return {i["name"]: i for i in items}


def plain(section) -> dict:
    """A config section with each hook (a closure made per call) as its function's name."""
    return {k: getattr(v, "__qualname__", v) if callable(v) else v for k, v in dict(section).items()}


def test_same_groups_roles_and_sign_in(both):
    local, k8s = both["local"][0], both["k8s"][0]
    assert local.JupyterHub.load_groups == k8s.JupyterHub.load_groups
    assert set(local.JupyterHub.load_groups) == set(roles.GROUPS)
    for group in ("citizens", "citizen"):  # the workshop account joins its groups on both platforms
        assert local.JupyterHub.load_groups[group]["users"] == ["ws-a1b2-01"], group
    local_roles, k8s_roles = by_name(local.JupyterHub.load_roles), by_name(k8s.JupyterHub.load_roles)
    assert local_roles == by_name(roles.load_roles())
    assert k8s_roles.pop("jupyterhub-idle-culler") == CHART_ROLES[0]  # the chart's culler keeps its role
    assert local_roles.pop(roles.CULLER_SERVICE)["services"] == [roles.CULLER_SERVICE]
    assert local_roles == k8s_roles
    assert roles.EXCHANGE_ACCESS in k8s_roles["user"]["scopes"] and roles.PROGRESS_ACCESS in k8s_roles["user"]["scopes"]
    assert k8s_roles["instructor-beginner"]["scopes"] == ["read:users!group=beginner",
                                                         "read:users:activity!group=beginner"]
    for section in ("Authenticator", "NativeAuthenticator"):
        assert plain(local[section]) == plain(k8s[section]), section
    assert local.Authenticator.admin_users == {DEFAULTS["hub"]["admin_user"]}
    assert local.JupyterHub.authenticator_class is k8s.JupyterHub.authenticator_class
    assert local.DatalitAuthenticator.state_dir == k8s.DatalitAuthenticator.state_dir == str(both["state"])
    assert "home_base" in local.DatalitAuthenticator and "home_base" not in k8s.DatalitAuthenticator  # unix users


def test_same_pages(both):
    local, k8s = both["local"][0], both["k8s"][0]
    for trait in ("template_paths", "default_url", "redirect_to_server"):
        assert local.JupyterHub[trait] == k8s.JupyterHub[trait], trait
    assert plain(local.JupyterHub.template_vars) == plain(k8s.JupyterHub.template_vars)
    assert local.JupyterHub.template_vars["own_origins"] is False
    local_pages = [h[0] for h in local.JupyterHub.extra_handlers]
    assert local_pages == [h[0] for h in k8s.JupyterHub.extra_handlers]
    assert local_pages == [h[0] for h in definition.page_handlers(both["state"])]  # the one list of pages
    assert any(p.startswith("/teams/") for p in local_pages) and any("certificate" in p for p in local_pages)
    local_tornado, k8s_tornado = (x.JupyterHub.tornado_settings.to_dict()["update"] for x in (local, k8s))
    assert local_tornado["cookie_options"] == k8s_tornado["cookie_options"] == {"samesite": "Lax"}
    for settings in (local_tornado, k8s_tornado):  # team servers' clients and the learning record's: no confirm
        assert "service-datalit-progress" in settings["oauth_no_confirm_list"]
        assert "jupyterhub-user-dlteam-x" in settings["oauth_no_confirm_list"]


def test_services_differ_only_where_the_platform_does(both):
    local, k8s = (by_name(both[p][0].JupyterHub.services) for p in ("local", "k8s"))
    state = str(both["state"])
    assert set(local) == {roles.CLI_SERVICE, roles.CULLER_SERVICE, roles.EXPIRY_SERVICE, roles.EXCHANGE_SERVICE,
                          roles.PROGRESS_SERVICE, services.PREWARM_SERVICE}
    # the chart brings the culler and the datalit-cli token; warm-ups start DatalitSpawner servers (one machine)
    assert set(k8s) == {"jupyterhub-idle-culler", roles.CLI_SERVICE, roles.EXPIRY_SERVICE, roles.EXCHANGE_SERVICE,
                        roles.PROGRESS_SERVICE}
    assert k8s[roles.CLI_SERVICE] == CHART_SERVICES[1]
    assert local[roles.CLI_SERVICE]["api_token"] == (both["state"] / "api_token").read_text().strip()
    assert local[roles.EXPIRY_SERVICE] == k8s[roles.EXPIRY_SERVICE]
    assert local[roles.EXPIRY_SERVICE]["environment"] == {
        "DATALIT_HUB_STATE_DIR": state, "DATALIT_HUB_EXPIRY_CHECK_SECONDS": str(DEFAULTS["hub"]["expiry_check_seconds"])}
    lp, kp = local[roles.PROGRESS_SERVICE], k8s[roles.PROGRESS_SERVICE]
    assert lp["command"] == kp["command"] and lp["command"][-2:] == ["-m", "datalit.progress.service"]
    assert lp["oauth_no_confirm"] and kp["oauth_no_confirm"]
    assert kp["url"] == f"http://{POD['POD_IP']}:{DEFAULTS['k8s']['progress_port']}"
    assert lp["url"] == f"http://127.0.0.1:{both['local'][1]['progress_port']}"
    # the hub's DATALIT_* environment, never the hub database's password; on k8s the pod's stays in the pod
    assert lp["environment"] == {"DATALIT_LAB_COURSE_ID": "seoul-datalit", "DATALIT_HUB_STATE_DIR": state}
    # nor the first admin's one-time password (the launcher sets it on a first start)
    assert not [n for n, s in local.items() if "DATALIT_FIRST_ADMIN_PASSWORD" in s.get("environment", {})]
    assert kp["environment"] == {"DATALIT_HUB_STATE_DIR": state}
    le, ke = local[roles.EXCHANGE_SERVICE], k8s[roles.EXCHANGE_SERVICE]
    assert le["command"][-2:] == ["-m", "datalit.exchange.service"] and "DATALIT_HUB_DB_PASSWORD" not in le["environment"]
    assert "command" not in ke and ke["api_token"] == POD["DATALIT_EXCHANGE_API_TOKEN"]  # its own Deployment
    assert ke["url"] == "http://datalit-exchange.datalit.svc.cluster.local:8090"


def test_spawner_options_differ_only_where_the_platform_does(both):
    local, k8s = both["local"][0], both["k8s"][0]
    lsp, ksp = local.Spawner, k8s.KubeSpawner  # on k8s the chart set c.KubeSpawner, which outranks c.Spawner
    for trait in ("default_url", "http_timeout", "server_token_scopes"):
        assert lsp[trait] == ksp[trait], trait
    assert lsp.server_token_scopes == roles.SERVER_TOKEN_SCOPES
    assert lsp.environment == {"DATALIT_DATA_DIR": str(both["local"][1]["data_mount"])}
    assert ksp.environment == {**lsp.environment, "FROM_THE_CHART": "1"}  # added to the chart's, not replacing it
    assert lsp.cmd[1:] == ksp.cmd[1:] == spawn_options.SINGLEUSER
    assert lsp.cmd[0].endswith("/bin/python") and ksp.cmd[0] == "python"  # the venv / the image's interpreter
    assert callable(lsp.pre_spawn_hook) and callable(ksp.pre_spawn_hook)
    assert local.JupyterHub.spawner_class.__name__ == "DatalitSpawner" and "spawner_class" not in k8s.JupyterHub
    assert (lsp.mem_limit, lsp.cpu_limit, lsp.start_timeout) == (DEFAULTS["hub"]["mem_limit"],
                                                                 float(DEFAULTS["hub"]["cpu_limit"]), 180)
    assert ksp.container_security_context["capabilities"] == {"drop": ["ALL"]}
    assert ksp.pod_security_context["runAsNonRoot"] is True and "pod_security_context" not in lsp
    assert callable(ksp.profile_list)  # the chart's profiles, filtered by the person's tiers


def test_definition_refuses_what_it_cannot_do(both, tmp_path):
    cfg = load_config(overrides={"hub": {"state_dir": str(both["state"])}}, state_dir=both["state"])
    with pytest.raises(ValueError, match="unknown hub platform 'docker'"):
        definition.configure(Config(), cfg, "docker", both["local"][1])
    c = Config()
    c.JupyterHub.services = [{"name": roles.EXPIRY_SERVICE}]  # values.yaml's hub.services restating one of ours
    with pytest.raises(RuntimeError, match="services defined twice: workshop-expiry"):
        definition.configure(c, cfg, "k8s", both["k8s"][1])
    with pytest.raises(RuntimeError, match="POD_IP, DATALIT_EXCHANGE_API_TOKEN"):
        definition.k8s_site(cfg, {})


def test_values_restate_nothing_the_definition_defines(both, k8s_values):
    """hub_config/k8s/values.yaml keeps what the chart needs; no role, group, page or service of ours."""
    hub, single = k8s_values["hub"], k8s_values["singleuser"]
    assert "loadRoles" not in hub and "templatePaths" not in hub and "templateVars" not in hub
    assert "config" not in hub  # the definition sets JupyterHub, Authenticator and KubeSpawner traits
    ours = {s["name"] for s in services.definitions(load_config(), "k8s", both["k8s"][1])}
    for name, service in hub["services"].items():  # only tokens the chart generates (hub.services.*.apiToken)
        assert service == {} and name not in ours, name
    assert set(hub["services"]) == {roles.CLI_SERVICE}
    [snippet] = hub["extraConfig"].values()
    assert ast.parse(snippet) and 'definition.load(c, "k8s")' in snippet and len(snippet.splitlines()) <= 10
    assert not {"defaultUrl", "cmd", "extraEnv"} & set(single)
    for profile in single["profileList"]:
        assert profile["kubespawner_override"]["environment"] == {"DATALIT_TIERS": profile["slug"]}
    # what the chart needs and the one-machine hub reads from datalit's configuration: the same values
    h = DEFAULTS["hub"]
    assert (k8s_values["cull"]["timeout"], k8s_values["cull"]["every"]) == (h["cull_idle_seconds"],
                                                                           h["cull_every_seconds"])
    assert (single["memory"]["limit"], float(single["cpu"]["limit"])) == (h["mem_limit"], float(h["cpu_limit"]))
    datasets = next(m for m in single["storage"]["extraVolumeMounts"] if m["name"] == "datalit-datasets")
    assert datasets["mountPath"] == h["data_mount"]
    assert [p["slug"] for p in single["profileList"]] == list(roles.TIERS)
    assert hub["concurrentSpawnLimit"] == both["local"][0].JupyterHub.concurrent_spawn_limit
