"""Run by tests/hub/test_k8s_config.py in its own process: a real JupyterHub (with the real KubeSpawner)
initialised from the chart's rendered ``jupyterhub_config.py``, then asked what it holds.

    python k8s_probe.py <jupyterhub_config.py> <out.json>

``JupyterHub.initialize()`` does everything a hub pod does at start except talk to the proxy and the
Kubernetes API: it reads the rendered Secret's values.yaml, runs hub.extraConfig, loads roles, groups and
services into its database and creates the authenticator (the first admin). Then, per person, the real
KubeSpawner gives the profiles it offers, whether it accepts a profile of another tier, and the
environment its pre-spawn hook sets. Nothing is mocked; there is just no cluster to start a pod on.
"""
from __future__ import annotations

import asyncio
import json
import sys


async def probe(config_file: str) -> dict:
    from jupyterhub import orm
    from jupyterhub.app import JupyterHub
    from jupyterhub.utils import maybe_future
    from nativeauthenticator.orm import UserInfo

    app = JupyterHub()
    app.config_file = config_file
    await app.initialize([])
    db = app.db
    out = {
        "spawner_class": type(app.spawner_class).__name__ if not isinstance(app.spawner_class, type)
        else app.spawner_class.__module__ + "." + app.spawner_class.__name__,
        "authenticator": type(app.authenticator).__module__ + "." + type(app.authenticator).__name__,
        "roles": {r.name: sorted(r.scopes) for r in db.query(orm.Role)},
        "role_groups": {r.name: sorted(g.name for g in r.groups) for r in db.query(orm.Role)},
        "role_services": {r.name: sorted(s.name for s in r.services) for r in db.query(orm.Role)},
        "groups": sorted(g.name for g in db.query(orm.Group)),
        "services": {name: {"url": s.url, "command": s.command, "managed": s.managed, "api_token": s.api_token,
                            "environment": dict(s.environment)} for name, s in app._service_map.items()},
        "admins": sorted(u.name for u in db.query(orm.User).filter(orm.User.admin == True)),  # noqa: E712
        "signup_records": {}, "people": {},
    }
    import os

    first_password = os.environ.get("PROBE_FIRST_ADMIN_PASSWORD", "")
    for info in db.query(UserInfo):
        out["signup_records"][info.username] = {"authorized": bool(info.is_authorized),
                                                "first_password_valid": info.is_valid_password(first_password)}

    from datalit.hub.teamserver import account_name

    team_account = account_name("team-a")  # the roster's team (tests/hub/k8s_fixtures.py ROSTER)
    people = {"learner": ["beginner"], "mid": ["intermediate"], "teacher": ["instructors", "instructors-beginner"],
              "citizen": ["citizens", "beginner"], "analyst": ["analysts"], "member": ["beginner"],
              team_account: []}
    for name, groups in people.items():
        orm_user = orm.User(name=name)
        db.add(orm_user)
        for g in groups:
            orm_user.groups.append(orm.Group.find(db, g))
        db.commit()
        user = app.users[orm_user]
        spawner = user.spawner
        profiles = spawner.profile_list(spawner) if callable(spawner.profile_list) else spawner.profile_list
        slugs = [p["slug"] for p in profiles]
        other = next((t for t in ("advanced", "intermediate", "beginner") if t not in slugs), None)
        spawner._profile_list = profiles
        refused = None
        if other:
            spawner.user_options = {"profile": other}
            try:
                await spawner.load_user_options()
            except Exception as exc:  # the real KubeSpawner refuses a slug that is not offered
                refused = f"{type(exc).__name__}: {exc}"
            spawner = user.spawners[""] = user._new_spawner("")  # a fresh spawner for the real start below
        # in JupyterHub's order: the pre-spawn hook (User.spawn), then KubeSpawner._start applies the profile
        spawner.user_options = {"profile": slugs[0]}
        await maybe_future(spawner.run_pre_spawn_hook())
        await spawner.load_user_options()
        pod = await spawner.get_pod_manifest()  # the pod KubeSpawner would create (no API call)
        container = pod.spec.containers[0]
        out["people"][name] = {
            "class": type(spawner).__module__ + "." + type(spawner).__name__,
            "profiles": slugs, "other_profile": other, "other_refused": refused,
            "environment": {k: v for k, v in spawner.environment.items() if isinstance(v, str)},
            "cmd": spawner.cmd, "image": spawner.image,
            "volumes": [v.get("name") for v in spawner.volumes],
            "pvc_name": spawner.pvc_name, "storage_pvc_ensure": spawner.storage_pvc_ensure,
            "lifecycle_hooks": spawner.lifecycle_hooks,
            "server_token_scopes": sorted(spawner.server_token_scopes or []),
            "pod_volumes": {v.name: _plain(v) for v in pod.spec.volumes},
            "pod_mounts": [_plain(m) for m in container.volume_mounts],
            "pod_env": {e.name: e.value for e in container.env if e.value is not None},
            "pod": _plain(pod),  # the whole manifest (tests/hub/test_k8s_pod_security.py)
        }
    # the team server's shares, as datalit/hub/teamhub.py keeps them (spawner-independent): its members and
    # the instructors of its labs' tiers
    from datalit.hub import teamhub

    team = teamhub.directory().team("team-a")
    tuser = teamhub.sync_team(db, app.users, team)
    spawner_id = tuser.spawners[""].orm_spawner.id
    out["team_shares"] = sorted(sh.user.name for sh in db.query(orm.Share).filter(orm.Share.spawner_id == spawner_id)
                                if sh.user is not None)
    out["extra_handlers"] = [h[0] for h in app.extra_handlers]
    out["hub_bind_url"] = app.hub_bind_url or app.hub.bind_url
    out["no_confirm_team_client"] = f"jupyterhub-user-{team.account}" in app.tornado_settings["oauth_no_confirm_list"]
    return out


def _plain(obj) -> dict:
    """A kubernetes_asyncio model as the JSON the API server would receive."""
    from kubernetes_asyncio.client import ApiClient

    return ApiClient().sanitize_for_serialization(obj)


def main() -> int:
    config_file, out_path = sys.argv[1], sys.argv[2]
    result = asyncio.run(probe(config_file))
    with open(out_path, "w") as fh:
        json.dump(result, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
