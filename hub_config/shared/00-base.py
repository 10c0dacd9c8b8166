# Hub basics: addresses, database, secrets, proxy, logs -- everything lives in the state directory.
from pathlib import Path

state = Path(settings["state_dir"])
c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # SIGTERM stops every user server
c.JupyterHub.cleanup_proxy = True
c.ConfigurableHTTPProxy.auth_token = (state / "proxy_token").read_text().strip()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy_cmd"]]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.default_url = "/hub/home"
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.active_server_limit = 0
c.JupyterHub.concurrent_spawn_limit = 100
