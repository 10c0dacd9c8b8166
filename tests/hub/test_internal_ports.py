"""The hub's internal ports (datalit/hub/launch.py ``internal_ports``): the hub API, the proxy API and the
datalit-exchange service each get a port from ``hub.internal_port_min..max`` (below the user servers'
ports and the kernels' ephemeral range), picked once and kept in ``<state>/ports.json``. The exchange used to
bind a random ephemeral port at every start, where a kernel's or user server's port could take it."""
from __future__ import annotations

import json
import socket

KEYS = ("hub_port", "proxy_api_port", "exchange_port")


def test_the_exchange_port_is_an_internal_one_kept_across_restarts(tmp_path):
    from datalit.config import load_config
    from datalit.hub.launch import internal_ports

    config = load_config()
    h = config["hub"]
    first = internal_ports(config, tmp_path)
    assert set(first) == set(KEYS) and len(set(first.values())) == 3, first
    assert all(h["internal_port_min"] <= first[k] <= h["internal_port_max"] for k in KEYS), first
    assert json.loads((tmp_path / "ports.json").read_text()) == first
    assert internal_ports(config, tmp_path) == first  # the next start: the same ports


def test_a_state_from_before_gets_an_exchange_port_and_keeps_the_others(tmp_path):
    from datalit.config import load_config
    from datalit.hub.launch import internal_ports

    config = load_config()
    h = config["hub"]
    with socket.socket() as taken:  # a port of the range someone else listens on is not picked
        taken.bind(("127.0.0.1", h["internal_port_min"]))
        taken.listen()
        (tmp_path / "ports.json").write_text(json.dumps({"hub_port": h["internal_port_min"] + 1,
                                                         "proxy_api_port": h["internal_port_min"] + 2}))
        ports = internal_ports(config, tmp_path)
    assert ports["hub_port"] == h["internal_port_min"] + 1 and ports["proxy_api_port"] == h["internal_port_min"] + 2
    assert h["internal_port_min"] + 3 <= ports["exchange_port"] <= h["internal_port_max"]
    assert json.loads((tmp_path / "ports.json").read_text()) == ports
