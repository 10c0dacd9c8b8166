"""HTTPS on Kubernetes (issue 25, item 3), against the real chart 4.1.0 rendered three ways: with the project's
values (HTTPS on, the certificate from the TLS Secret ``datalit-tls``), with letsencrypt instead, and with HTTPS
off. In every way:

* every object (the chart's, manifests/, the exchange's Deployment, the fill, purge and grading Jobs, the pods
  KubeSpawner would create) is valid against the strict schemas of each Kubernetes version the guide names;
* the URLs user pods use for the exchange and the learning record are the services' own, the same whether HTTPS
  is on or off, and the rendered NetworkPolicies let a user pod reach exactly those ports;
* with HTTPS on, the public Service has 443 and its port 80 only redirects (the reason in-cluster clients cannot
  use the proxy's plain-HTTP port).
No cluster: the chart is rendered by helm-python-sdk, the schemas are kubernetes-validate's.
"""
from __future__ import annotations

import ipaddress

import pytest

from datalit.config import DEFAULTS
from datalit.hub import k8s_exchange, k8s_spawn, roles
from k8s_fixtures import (K8S_VERSIONS, REPO, datalit_objects, https_variants, render, sandbox_grading_jobs,
                          schema_errors)

K8S = DEFAULTS["k8s"]


@pytest.fixture(scope="module")
def variants(k8s_chart, k8s_values):
    return {name: render(k8s_chart, v) for name, v in https_variants(k8s_values).items()}


def one(objects, kind, name):
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name, len(found))
    return found[0]


def test_https_is_on_by_default_with_the_tls_secret(k8s_values, variants):
    https = k8s_values["proxy"]["https"]
    assert https["enabled"] is True and https["type"] == "secret" and https["secret"]["name"] == "datalit-tls"
    objects = variants["secret"]
    ports = {p["name"]: p for p in one(objects, "Service", "proxy-public")["spec"]["ports"]}
    assert ports["https"]["port"] == 443 and ports["http"]["port"] == 80
    proxy = one(objects, "Deployment", "proxy")["spec"]["template"]["spec"]
    args = proxy["containers"][0]["command"]
    assert "--redirect-port=8000" in args and "--port=8443" in args  # plain HTTP only redirects
    assert any(a.startswith("--ssl-cert=/etc/chp/tls/") for a in args)
    tls = next(v for v in proxy["volumes"] if v["name"] == "tls-secret")
    assert tls["secret"]["secretName"] == "datalit-tls"
    # letsencrypt: the autohttps pod takes 443; off: only 80
    assert one(variants["letsencrypt"], "Deployment", "autohttps")
    assert [p["port"] for p in one(variants["off"], "Service", "proxy-public")["spec"]["ports"]] == [80]


def test_in_cluster_urls_do_not_go_through_the_proxy_and_are_reachable_either_way(variants, k8s_hub):
    exchange = f"http://datalit-exchange.datalit.svc.cluster.local:8090/services/{roles.EXCHANGE_SERVICE}"
    progress = f"http://datalit-progress.datalit.svc.cluster.local:8091/services/{roles.PROGRESS_SERVICE}"
    assert k8s_spawn.exchange_url(K8S) == exchange and k8s_spawn.progress_url(K8S) == progress
    for name, person in k8s_hub["result"]["people"].items():  # what the real KubeSpawner puts in each pod
        env = person["pod_env"]
        assert env["DATALIT_EXCHANGE_URL"] == exchange, name
        assert env["DATALIT_PROGRESS_URL"] == progress, name
    assert "DATALIT_LAB_EXCHANGE_URL" not in k8s_hub["result"]["people"]["teacher"]["pod_env"]  # one name (above)
    from k8s_fixtures import load_manifests

    progress_service = load_manifests()[("Service", "datalit-progress")]["spec"]
    exchange_service = k8s_exchange.service(K8S)["spec"]
    assert progress_service["ports"][0]["port"] == 8091 and exchange_service["ports"][0]["port"] == 8090
    for variant, objects in variants.items():
        hub_labels = one(objects, "Deployment", "hub")["spec"]["template"]["metadata"]["labels"]
        assert progress_service["selector"].items() <= hub_labels.items(), variant  # the Service selects the hub pod
        ports = [p["containerPort"] for c in one(objects, "Deployment", "hub")["spec"]["template"]["spec"]["containers"]
                 for p in c.get("ports", [])]
        singleuser = one(objects, "NetworkPolicy", "singleuser")["spec"]
        hub = one(objects, "NetworkPolicy", "hub")["spec"]

        def allowed(rules, selector, port):
            return any(r.get("to") == [{"podSelector": {"matchLabels": selector}}] and
                       any(p["port"] == port for p in r.get("ports", [])) for r in rules)

        assert allowed(singleuser["egress"], {"component": k8s_exchange.COMPONENT}, 8090), variant
        assert allowed(singleuser["egress"], {"component": "hub"}, 8091), variant
        assert any({"podSelector": {"matchLabels": {"component": "singleuser-server"}}} in r.get("from", [])
                   and {"port": 8091} in r["ports"] for r in hub["ingress"]), variant
        assert 8081 in ports, variant  # the hub API the exchange checks tokens at


def test_user_pods_cannot_reach_the_cloud_metadata_server(variants, k8s_hub):
    """blockWithIptables is off (its init container needs root and NET_ADMIN); the singleuser NetworkPolicy
    is what keeps 169.254.169.254 away: no egress rule may allow it."""
    metadata = ipaddress.ip_address("169.254.169.254")
    for variant, objects in variants.items():
        rules = one(objects, "NetworkPolicy", "singleuser")["spec"]["egress"]
        opened = 0
        for rule in rules:
            for peer in rule.get("to", []):
                block = peer.get("ipBlock")
                if block and metadata in ipaddress.ip_network(block["cidr"]):
                    excepted = any(metadata in ipaddress.ip_network(e) for e in block.get("except", []))
                    opened += excepted
                    # the chart's DNS rule may name it (some clouds answer DNS there): port 53 only
                    assert excepted or {p.get("port") for p in rule.get("ports", [])} == {53}, (variant, rule)
            if not rule.get("to"):  # a rule to anywhere would reach it: only DNS ports are allowed that way
                assert {p.get("port") for p in rule.get("ports", [])} <= {53}, (variant, rule)
        assert opened >= 1, variant  # the internet rule exists and excepts the metadata address
    for name, person in k8s_hub["result"]["people"].items():
        assert not person["pod"]["spec"].get("initContainers"), name  # no block-cloud-metadata init container


def test_every_object_is_valid_for_each_kubernetes_version_the_guide_names(variants, k8s_values, k8s_hub):
    objects = [o for objs in variants.values() for o in objs]
    objects += datalit_objects(k8s_values) + sandbox_grading_jobs()
    pods = [{"apiVersion": "v1", "kind": "Pod", **{k: v for k, v in p["pod"].items() if k != "status"}}
            for p in k8s_hub["result"]["people"].values()]
    objects += pods
    for version in K8S_VERSIONS:
        assert schema_errors(objects, version) == [], version
    # the oldest version named is the first that has every field: appArmorProfile (the sandbox mode) is 1.30
    older = schema_errors(sandbox_grading_jobs(), "1.29.0")
    assert older and "appArmorProfile" in older[0]
    guide = (REPO / "docs" / "admin-guide.md").read_text(encoding="utf-8")
    assert "Kubernetes ≥ 1.30" in guide and "1.27" not in guide.split("## 9.")[1].split("## 10.")[0]
    for version in K8S_VERSIONS:
        assert version.rsplit(".", 1)[0] in guide, version
