# Groups and roles (one definition in datalit/hub/roles.py, also used by k8s/values.yaml).
from pathlib import Path

from datalit.hub import roles, workshop

groups = roles.load_groups()
# workshop accounts made while the hub was down join their groups at start (load_groups only adds)
for name, entry in workshop.load_registry(Path(settings["state_dir"]))["accounts"].items():
    for g in ("citizens", entry["tier"]):
        groups[g].setdefault("users", []).append(name)
c.JupyterHub.load_groups = groups
c.JupyterHub.load_roles = roles.load_roles()
