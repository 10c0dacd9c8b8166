# One machine: DatalitSpawner (LocalProcessSpawner + unix users, port checks, cgroup limits, hand-out).
from pathlib import Path

from datalit.hub.spawner import DatalitSpawner
from datalit.paths import repo_path

c.JupyterHub.spawner_class = DatalitSpawner
c.DatalitSpawner.state_dir = settings["state_dir"]
c.DatalitSpawner.content_dir = settings["content_dir"]
c.DatalitSpawner.data_mount = settings["data_mount"]
c.DatalitSpawner.home_base = settings["home_base"]
c.DatalitSpawner.isolate = settings["isolate"]
c.DatalitSpawner.user_env_prefix = settings["user_env"]
c.DatalitSpawner.port_min = settings["user_port_min"]
c.DatalitSpawner.port_max = settings["user_port_max"]
# jupyterhub-singleuser minus start-up waste (datalit/hub/singleuser.py); lean settings in hub_config/user_server/
c.Spawner.cmd = [str(Path(settings["user_env"]) / "bin" / "python"), "-m", "datalit.hub.singleuser"]
c.DatalitSpawner.config_dirs = [str(repo_path("hub_config", "user_server", "everyone"))]
c.DatalitSpawner.learner_config_dirs = [str(repo_path("hub_config", "user_server", "learners"))]
c.DatalitSpawner.team_config_dirs = [str(repo_path("hub_config", "user_server", "team"))]  # collaboration on
# a disk limit per home (datalit/hub/disk.py); after a reboot the existing home images are mounted again first
from datalit.config import load_config
from datalit.hub import disk

_disk_limit = settings.get("disk_limit") or load_config(state_dir=settings["state_dir"])["hub"]["disk_limit"]
c.DatalitSpawner.disk_limit = str(_disk_limit)
if settings["isolate"] and disk.parse_size(c.DatalitSpawner.disk_limit):
    import pwd

    def _home_of(name):
        try:
            return pwd.getpwnam(name).pw_dir
        except KeyError:
            return None

    disk.mount_all(Path(settings["state_dir"]), _home_of)
# per server: a private /dev/shm of hub.shm_size, at most hub.pids_limit tasks (datalit/hub/scratch.py, cgroups.py);
# team folders have their own images (lab.team_disk_limit), mounted again here after a reboot
_cfg = load_config(state_dir=settings["state_dir"])
c.DatalitSpawner.shm_size = str(_cfg["hub"]["shm_size"])
c.DatalitSpawner.pids_limit = int(_cfg["hub"]["pids_limit"])
if settings["isolate"] and disk.parse_size(_cfg["lab"]["team_disk_limit"] or 0):
    disk.mount_all_teams(Path(_cfg["lab"]["teams_dir"]))
