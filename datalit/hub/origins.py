"""One origin per server: ``hub.subdomain_host`` turns on JupyterHub's subdomains (``c.JupyterHub.subdomain_host``).

Why: a server that other people open (a team server, a share) runs whatever its owner put there, as page
script, in the visitor's browser. On the hub's own origin (``/user/<name>/`` beside ``/hub/``) that script
can read the hub's pages and call the hub API with the visitor's cookies (JupyterHub's security guide:
"Mitigate security issues"); a team member can even stop the team server and serve their own page on its
port. Only another origin stops that: with subdomains every server is ``<name>.<host>``, the hub stays on
``<host>``, and the browser keeps their cookies and pages apart.

The key is a host name: ``localhost`` (a laptop: Chromium and Firefox resolve ``*.localhost`` to loopback
without DNS) or a name with a wildcard DNS record and certificate (``lab.example.go.kr``). The scheme and
port come from ``hub.public_url`` when it is set (behind a TLS proxy), else ``http`` and ``hub.port``.
The hub's own services (the grading exchange, the learning record) stay on the hub's origin (they are the
admin's code, and their pages link from the hub's); the user servers' Python clients, which send no such
host, reach them straight at their kept ports (:func:`service_url`).
Off (``""``): one origin for all; then instructors and admins never load a team server (teamhub.py shows
them a snapshot instead, datalit/hub/snapshot.py).
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

HOST_RE = re.compile(r"^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class OriginError(ValueError):
    pass


def subdomain_url(host: str, port: int, public_url: str = "") -> str:
    """``c.JupyterHub.subdomain_host`` (``scheme://host[:port]``) for ``hub.subdomain_host`` HOST; "" if off."""
    host = (host or "").strip().lower()
    if not host:
        return ""
    if "://" in host:
        parsed = urlparse(host)
        if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.path not in ("", "/"):
            raise OriginError(f"hub.subdomain_host {host!r}: expected a host name like lab.example.go.kr")
        return f"{parsed.scheme}://{parsed.netloc}"
    if not HOST_RE.match(host):
        raise OriginError(f"hub.subdomain_host {host!r} is not a host name (e.g. localhost or lab.example.go.kr)")
    if public_url:
        parsed = urlparse(public_url)
        scheme = parsed.scheme or "https"
        default = {"http": 80, "https": 443}.get(scheme)
        suffix = f":{parsed.port}" if parsed.port and parsed.port != default else ""
        return f"{scheme}://{host}{suffix}"
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


def service_host(ip: str) -> str:
    """The host the user servers reach the proxy at."""
    return ip if ip not in ("", "0.0.0.0", "::") else "127.0.0.1"


def service_url(settings: dict, name: str, port: int | None) -> str:
    """The URL of hub service NAME for the user servers' clients (e.g. ``DATALIT_EXCHANGE_URL``).

    One origin: through the proxy's address (stable across hub restarts). Subdomains: the proxy routes the
    services by the hub's host name, which those clients neither resolve (``*.localhost``) nor reach
    (behind a TLS proxy); so straight to the service's kept port PORT (the proxy does no more than that)."""
    if settings.get("subdomain_host") and port:
        return f"http://127.0.0.1:{port}/services/{name}"
    return f"http://{service_host(settings['ip'])}:{settings['port']}/services/{name}"


def subdomain_hook(name, domain, kind):
    """``c.JupyterHub.subdomain_hook``: people's servers on ``<name>.<host>`` (JupyterHub's idna hook); the
    hub's services on the hub's own host (``<host>/services/<name>/``), where its pages link to them."""
    from jupyterhub.utils import subdomain_hook_idna

    if kind == "service":
        return domain
    return subdomain_hook_idna(name, domain, kind)
