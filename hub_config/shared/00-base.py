# Hub basics: addresses, database, secrets, proxy, logs -- everything lives in the state directory.
# The hub API port is the same after every restart (settings["hub_port"], kept in <state>/ports.json), so
# user servers that outlived a crash reconnect; the proxy belongs to `datalit hub` (datalit/hub/proxy.py).
from pathlib import Path

from datalit.databases import hub_db_url  # hub.db_url (PostgreSQL), else <state>/jupyterhub.sqlite

state = Path(settings["state_dir"])
c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = hub_db_url(state)
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # SIGTERM stops every user server; after a crash they are taken over
c.JupyterHub.cleanup_proxy = False   # `datalit hub` stops the proxy it started
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.auth_token = (state / "proxy_token").read_text().strip()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.active_server_limit = 0
c.JupyterHub.concurrent_spawn_limit = 100
# One origin per server (hub.subdomain_host, datalit/hub/origins.py): every server on <name>.<host>, the hub
# on <host> with its services; the proxy routes by host (datalit/hub/proxy.py --host-routing).
if settings.get("subdomain_host"):
    from datalit.hub import origins

    c.JupyterHub.subdomain_host = settings["subdomain_host"]
    c.JupyterHub.subdomain_hook = origins.subdomain_hook
