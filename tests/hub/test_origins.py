"""``hub.subdomain_host`` (datalit/hub/origins.py): the address JupyterHub gets, and a clear refusal of a bad one.

The subdomain mode itself, through a real hub and Chromium, is tested as an attack in
tests/security/test_team_server_subdomain.py.
"""
from __future__ import annotations

import pytest

from datalit.hub.origins import OriginError, service_url, subdomain_hook, subdomain_url


def test_the_subdomain_address_takes_scheme_and_port_from_the_public_url():
    assert subdomain_url("", 8000) == ""
    assert subdomain_url("localhost", 8000) == "http://localhost:8000"
    assert subdomain_url("Lab.Example.go.kr", 8000, "https://lab.example.go.kr") == "https://lab.example.go.kr"
    assert subdomain_url("lab.example.go.kr", 8000, "https://lab.example.go.kr:8443/") == "https://lab.example.go.kr:8443"
    assert subdomain_url("https://lab.example.go.kr", 8000) == "https://lab.example.go.kr"


@pytest.mark.parametrize("bad", ["lab example", "-lab.kr", "lab.kr/hub", "ftp://lab.kr", "https://lab.kr/hub", "랩.kr"])
def test_a_bad_subdomain_host_is_refused_with_a_message(bad):
    with pytest.raises(OriginError, match="hub.subdomain_host"):
        subdomain_url(bad, 8000)


def test_people_get_subdomains_and_services_stay_on_the_hubs_host():
    assert subdomain_hook("dlteam-team1-1a2b3c4d", "lab.example.go.kr", "user") == "dlteam-team1-1a2b3c4d.lab.example.go.kr"
    assert subdomain_hook("datalit-exchange", "lab.example.go.kr", "service") == "lab.example.go.kr"


def test_user_servers_reach_services_through_the_proxy_or_with_subdomains_at_their_port():
    one = {"ip": "0.0.0.0", "port": 8000, "subdomain_host": ""}
    assert service_url(one, "datalit-exchange", 19123) == "http://127.0.0.1:8000/services/datalit-exchange"
    sub = {**one, "subdomain_host": "https://lab.example.go.kr"}
    assert service_url(sub, "datalit-exchange", 19123) == "http://127.0.0.1:19123/services/datalit-exchange"


@pytest.mark.hub
def test_datalit_hub_refuses_a_bad_subdomain_host_before_starting(tmp_path):
    from hub_fixtures import start_hub

    with pytest.raises(RuntimeError) as failed:
        start_hub(tmp_path / "state", extra_env={"DATALIT_HUB_SUBDOMAIN_HOST": "lab example"}, timeout=60)
    assert "is not a host name" in str(failed.value) and "Traceback" not in str(failed.value), str(failed.value)
