"""KubeSpawner's pre-spawn hook on Zero to JupyterHub (set by datalit/hub/spawn_options.py for platform k8s).

What ``DatalitSpawner`` and datalit/hub/spawn_options.py ``grading_env`` do on one machine, per pod:

* every server: ``JUPYTER_CONFIG_PATH`` = ``grading/`` (course id, the exchange classes) first, then the
  lean user-server folders (``learners/`` for people who do not teach, ``everyone/``); the course id and
  the exchange service's URL (its own Service, whether HTTPS is on or not) (``DATALIT_LAB_COURSE_ID``, ``DATALIT_EXCHANGE_URL``);
* people who teach (admins, ``instructors``, ``instructors-<tier>``): ``grading/instructor`` too (the
  formgrader may be framed by the hub, datalit/labs/formgrader_frame.py) and the course volume
  (directory and gradebook) at ``k8s.course_mount``, ``DATALIT_LAB_COURSE_DIR`` pointing at it, and the lab
  sources the admin copied to ``<course>/.checkout/labs`` as ``lab.checkout_dir``. Learners' pods never mount it;
* team members: each of their teams' folder (one ``subPath`` of the teams volume) at ``~/teams/<team>``;
* team servers (hub users ``dlteam-…``, datalit/hub/teamserver.py): the team's folder as home instead of a
  ``claim-<name>`` volume, real-time collaboration on (``team/`` first), no course hand-out, CPU and memory of its own (``k8s.team_*``). Who may open
  it stays the hub's business (JupyterHub shares, datalit/hub/teamhub.py), as on one machine.

The hook runs in the hub before KubeSpawner applies the chosen profile (``KubeSpawner._start`` →
``load_user_options``), which merges its ``environment`` into what is set here. No Kubernetes API call is
made: the volumes exist (hub_config/k8s/manifests/) and a team's folder is made by the hub, which mounts
the teams volume at ``k8s.teams_mount``.
"""
from __future__ import annotations

from pathlib import Path

from datalit.hub import roles, uids

SRC = "/opt/datalit/src"  # where both images (hub_config/k8s/Dockerfile) hold the repository
USER_SERVER = f"{SRC}/hub_config/user_server"
GRADING = f"{SRC}/grading"
CONTENT = "/opt/datalit/content"  # the course notebooks built into both images (the hub's pages, the hand-out)
COURSE_VOLUME = "datalit-course"
TEAMS_VOLUME = "datalit-teams"
CHECKOUT_IN_COURSE = ".checkout"  # labs/ on the course volume (docs/admin-guide.md §9: kubectl cp)
RUNTIME_VOLUME = "datalit-runtime"
TEAM_RUNTIME = "/srv/datalit/runtime"  # a team server's runtime files and collaboration databases (node-local)


def settings(cfg: dict | None = None) -> dict:
    """The ``k8s`` and ``lab`` config sections (datalit/config.py), as the hub pod sees them (CFG: loaded)."""
    if cfg is None:
        from datalit.config import load_config

        cfg = load_config()
    return {**cfg["k8s"], "course_id": cfg["lab"]["course_id"], "gradebook_url": cfg["lab"]["gradebook_url"]}


def exchange_url(s: dict) -> str:
    """The exchange's own Service, not the proxy: the proxy's plain-HTTP port only redirects once HTTPS is on,
    and a pod needs no certificate for a cluster address. The path keeps the service's prefix (the proxy
    forwards /services/<name>/ unchanged, so the service answers there either way)."""
    from datalit.hub.roles import EXCHANGE_SERVICE

    return f"{exchange_service_url(s)}/services/{EXCHANGE_SERVICE}"


def exchange_service_url(s: dict) -> str:
    """The exchange Deployment's Service (datalit/hub/k8s_exchange.py): the proxy's target for it, too."""
    return f"http://{s['exchange_service']}.{s['namespace']}.svc.cluster.local:{s['exchange_port']}"


def progress_url(s: dict) -> str:
    """The learning record in the hub pod, through its own Service (hub_config/k8s/manifests/services.yaml)."""
    from datalit.hub.roles import PROGRESS_SERVICE

    return f"http://{s['progress_service']}.{s['namespace']}.svc.cluster.local:{s['progress_port']}" \
           f"/services/{PROGRESS_SERVICE}"


def team_resources(spawner, s: dict) -> None:
    """A team server runs every member's kernels: its own CPU and memory (``k8s.team_*``), not one learner's."""
    spawner.cpu_limit = float(s["team_cpu_limit"])
    spawner.cpu_guarantee = float(s["team_cpu_guarantee"])
    spawner.mem_limit = s["team_mem_limit"]
    spawner.mem_guarantee = s["team_mem_guarantee"]


def config_path(user, team_server: bool) -> str:
    """JUPYTER_CONFIG_PATH of a user pod (first folder wins), the same order as one machine."""
    dirs = [f"{USER_SERVER}/team"] if team_server else []
    dirs.append(GRADING)
    if roles.teaches(user):
        dirs.insert(len(dirs) - 1, f"{GRADING}/instructor")
    else:
        dirs.append(f"{USER_SERVER}/learners")
    dirs.append(f"{USER_SERVER}/everyone")
    return ":".join(dirs)


def course_volume(s: dict) -> tuple[dict, dict]:
    volume = {"name": COURSE_VOLUME, "persistentVolumeClaim": {"claimName": s["course_claim"]}}
    return volume, {"name": COURSE_VOLUME, "mountPath": s["course_mount"]}


def teams_volume(s: dict) -> dict:
    return {"name": TEAMS_VOLUME, "persistentVolumeClaim": {"claimName": s["teams_claim"]}}


def team_folder_name(team_id: str) -> str:
    """A team id as a folder (subPath) name: no separators, no dot-names."""
    name = team_id.replace("/", "_").replace("\\", "_").strip()
    if name in ("", ".", ".."):
        raise ValueError(f"team id {team_id!r} cannot name a folder")
    return name


def ensure_team_folder(s: dict, team_id: str) -> Path:
    """The team's folder on the teams volume, made by the hub (which mounts it) before any pod uses it."""
    folder = Path(s["teams_mount"]) / team_folder_name(team_id)
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    return folder


def configure(spawner, s: dict | None = None, directory=None) -> None:
    """The pre-spawn hook (see the module docstring). S: :func:`settings`; DIRECTORY: the roster's teams."""
    s = s or settings()
    user = spawner.user
    team_server = uids.is_team_name(user.name)
    env = dict(spawner.environment)
    env.update({"DATALIT_LAB_COURSE_ID": s["course_id"], "DATALIT_EXCHANGE_URL": exchange_url(s),
                "JUPYTER_CONFIG_PATH": config_path(user, team_server)})
    env.pop("DATALIT_LAB_EXCHANGE_DIR", None)  # the store is the service's, never a user pod's path
    volumes = [dict(v) for v in spawner.volumes]
    mounts = [dict(m) for m in spawner.volume_mounts]
    if roles.teaches(user) and not team_server:
        volume, mount = course_volume(s)
        volumes.append(volume)
        mounts.append(mount)
        env["DATALIT_LAB_COURSE_DIR"] = s["course_mount"]
        # `datalit lab release` reads the lab sources (labs/, never in an image): the admin copies them here
        env["DATALIT_LAB_CHECKOUT_DIR"] = f"{s['course_mount']}/{CHECKOUT_IN_COURSE}"
        # their `datalit lab release/collect/feedback` talk to the exchange over HTTP with the server's own
        # token (it names them; the service checks they teach): DATALIT_EXCHANGE_URL above is lab.exchange_url
        if s.get("gradebook_url"):  # the gradebook on PostgreSQL (datalit/databases.py), password from its Secret
            from datalit.databases import GRADEBOOK_PASSWORD_ENV

            env["DATALIT_LAB_GRADEBOOK_URL"] = s["gradebook_url"]
            env[GRADEBOOK_PASSWORD_ENV] = {"valueFrom": {"secretKeyRef": {"name": s["gradebook_secret"],
                                                                          "key": "password"}}}
    else:
        env.pop("DATALIT_LAB_COURSE_DIR", None)
        env.pop("DATALIT_LAB_CHECKOUT_DIR", None)
        env.pop("DATALIT_LAB_GRADEBOOK_URL", None)
        env.pop("DATALIT_LAB_GRADEBOOK_PASSWORD", None)
    if directory is None:
        from datalit.hub import teamhub

        directory = teamhub.directory()
    if team_server:
        team = directory.by_account(user.name)
        if team is None:
            raise RuntimeError(f"{user.name} is no team of the roster: no team server")
        ensure_team_folder(s, team.id)
        # the chart's home volume (volume-{user_server}: claim-<name>) is whatever is mounted at the home
        home = {m["name"] for m in mounts if m["mountPath"].rstrip("/") == s["home_mount"].rstrip("/")}
        volumes = [v for v in volumes if v["name"] not in home] + [teams_volume(s)]
        mounts = [m for m in mounts if m["name"] not in home]
        mounts.append({"name": TEAMS_VOLUME, "mountPath": s["home_mount"], "subPath": team_folder_name(team.id)})
        spawner.storage_pvc_ensure = False   # no claim-<team account>: the team folder is the home
        spawner.lifecycle_hooks = {}         # no course hand-out into the team folder
        team_resources(spawner, s)
        env["DATALIT_TEAM"] = team.id
        # runtime files, collaboration history and file ids (user_server/team/) on the node, not on the RWX volume
        volumes.append({"name": RUNTIME_VOLUME, "emptyDir": {"sizeLimit": "1Gi"}})
        mounts.append({"name": RUNTIME_VOLUME, "mountPath": TEAM_RUNTIME})
        env["JUPYTER_RUNTIME_DIR"] = TEAM_RUNTIME
    else:
        teams = []
        for team in directory.of_member(user.name):
            try:
                ensure_team_folder(s, team.id)
            except (OSError, ValueError) as exc:  # the person's own server still starts, without that folder
                spawner.log.warning("team %s: no folder for %s's server: %s", team.id, user.name, exc)
                continue
            teams.append(team)
        if teams:
            volumes.append(teams_volume(s))
        for team in teams:
            mounts.append({"name": TEAMS_VOLUME, "mountPath": f"{s['home_mount']}/teams/{team_folder_name(team.id)}",
                           "subPath": team_folder_name(team.id)})
    spawner.environment = env
    spawner.volumes = volumes
    spawner.volume_mounts = mounts

