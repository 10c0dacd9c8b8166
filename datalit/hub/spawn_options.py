"""What every user server gets, on both platforms (datalit/hub/definition.py): JupyterLab, the lean
single-user entry point, the datasets path, the server token's scopes, and a pre-spawn hook that puts the
course's nbgrader configuration, the exchange's and the learning record's URLs into its environment.

The options go onto the platform's spawner class (``c.Spawner`` on one machine; ``c.KubeSpawner`` on
Kubernetes, where the chart has already set that section from ``singleuser``, which would otherwise win
over ``c.Spawner``). Where the platform differs:

* local: ``DatalitSpawner`` (datalit/hub/spawner.py: unix users, port range, cgroup limits, disk images,
  hand-out), the user servers' venv, CPU and memory from ``hub.*``, a start timeout for 50 spawns on 2 cores;
* k8s: per-pod volumes and the same environment in datalit/hub/k8s_spawn.py, the profiles of one's tiers,
  PodSecurity "restricted" security contexts; CPU, memory, start timeout, image and storage are the
  chart's own ``singleuser`` values.
"""
from __future__ import annotations

from pathlib import Path

from datalit.exchange.client import URL_ENV
from datalit.hub import content, k8s_spawn, origins, roles
from datalit.hub.spawner import DatalitSpawner
from datalit.paths import repo_path
from datalit.progress import wiring

SINGLEUSER = ["-m", "datalit.hub.singleuser"]  # jupyterhub-singleuser minus start-up waste (datalit/hub/singleuser.py)
# every user and team pod: PodSecurity "restricted" (the image's jovyan, singleuser.uid in values.yaml)
POD_SECURITY_CONTEXT = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
CONTAINER_SECURITY_CONTEXT = {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                              "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def configure(c, cfg: dict, platform: str, site: dict) -> None:
    sp = c.KubeSpawner if platform == "k8s" else c.Spawner
    sp.default_url = "/lab"
    sp.http_timeout = 120
    sp.server_token_scopes = roles.SERVER_TOKEN_SCOPES  # the exchange and the record take the owner from it
    environment = dict(sp.environment) if "environment" in sp else {}
    sp.environment = {**environment, "DATALIT_DATA_DIR": str(site["data_mount"])}
    if platform == "local":
        local_spawner(c, cfg, site)
        hook = grading_env(cfg["lab"]["course_id"], cfg["lab"]["course_dir"],
                           origins.service_url(site, roles.EXCHANGE_SERVICE, site.get("exchange_port")))
        progress_url = origins.service_url(site, roles.PROGRESS_SERVICE, site["progress_port"])
    else:
        sp.cmd = ["python", *SINGLEUSER]
        sp.pod_security_context = POD_SECURITY_CONTEXT
        sp.container_security_context = CONTAINER_SECURITY_CONTEXT
        sp.profile_list = tier_profiles(list(sp.profile_list) if "profile_list" in sp else [])
        hook = k8s_spawn.configure
        progress_url = k8s_spawn.progress_url(site["k8s"])  # its Service: HTTPS on or off
    # the record last: its URL through the proxy, or its port with subdomains (datalit/hub/origins.py)
    sp.pre_spawn_hook = wiring.with_progress_url(hook, progress_url)


def local_spawner(c, cfg: dict, site: dict) -> None:
    """DatalitSpawner and its options; the lean settings of hub_config/user_server/ per kind of server."""
    h = cfg["hub"]
    c.JupyterHub.spawner_class = DatalitSpawner
    c.Spawner.cmd = [str(Path(site["user_env"]) / "bin" / "python"), *SINGLEUSER]
    c.Spawner.start_timeout = 180  # 50 spawns at once on 2 cores take about 90 s
    c.Spawner.mem_limit = h["mem_limit"]
    c.Spawner.cpu_limit = float(h["cpu_limit"])
    d = c.DatalitSpawner
    d.state_dir = str(site["state_dir"])
    d.content_dir = str(site["content_dir"])
    d.data_mount = str(site["data_mount"])
    d.home_base = site["home_base"]
    d.isolate = site["isolate"]
    d.user_env_prefix = site["user_env"]
    d.port_min = site["user_port_min"]
    d.port_max = site["user_port_max"]
    d.config_dirs = [str(repo_path("hub_config", "user_server", "everyone"))]
    d.learner_config_dirs = [str(repo_path("hub_config", "user_server", "learners"))]
    d.team_config_dirs = [str(repo_path("hub_config", "user_server", "team"))]  # collaboration on
    # a disk limit per home (datalit/hub/disk.py), a private /dev/shm of hub.shm_size, at most hub.pids_limit
    # tasks (datalit/hub/scratch.py, cgroups.py)
    d.disk_limit = str(site.get("disk_limit") or h["disk_limit"])
    d.shm_size = str(h["shm_size"])
    d.pids_limit = int(h["pids_limit"])


def grading_env(course_id: str, course_dir: str, exchange_url: str):
    """The one-machine pre-spawn hook for nbgrader in the hub (team labs): every server finds the course's
    nbgrader config (course id, exchange classes) and the exchange service's URL through
    JUPYTER_CONFIG_PATH=grading/, so the assignment list fetches and submits; people who teach also get the
    course directory (formgrader) and the extension that lets JupyterLab frame the formgrader despite
    JupyterHub's CSP (nbgrader #1870/#1910). On Kubernetes datalit/hub/k8s_spawn.py does the same per pod."""
    grading = str(repo_path("grading"))
    instructor = str(repo_path("grading", "instructor"))

    def hook(spawner):
        env = dict(spawner.environment)
        env.update({"DATALIT_LAB_COURSE_ID": course_id, URL_ENV: exchange_url, "JUPYTER_CONFIG_PATH": grading})
        env.pop("DATALIT_LAB_EXCHANGE_DIR", None)  # the store is the service's, never a learner's path
        if roles.teaches(spawner.user):
            env["JUPYTER_CONFIG_PATH"] = f"{instructor}:{grading}"
            if course_dir:
                env["DATALIT_LAB_COURSE_DIR"] = course_dir
        spawner.environment = env

    return hook


def tier_profiles(all_profiles: list[dict]):
    """KubeSpawner's ``profile_list`` as a callable: of the chart's profiles (one per tier, values.yaml
    ``singleuser.profileList``) only those of the person's tiers (datalit/hub/content.py tiers_for)."""
    def profiles_for(spawner):
        tiers = content.tiers_for({g.name for g in spawner.user.groups})
        return [p for p in all_profiles if p["slug"] in tiers]

    return profiles_for
