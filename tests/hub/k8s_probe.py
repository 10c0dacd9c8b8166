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
        "services": {name: {"url": s.url, "command": s.command, "managed": s.managed,
                            "environment": dict(s.environment)} for name, s in app._service_map.items()},
        "admins": sorted(u.name for u in db.query(orm.User).filter(orm.User.admin == True)),  # noqa: E712
        "signup_records": {}, "people": {},
    }
    import os

    first_password = os.environ.get("PROBE_FIRST_ADMIN_PASSWORD", "")
    for info in db.query(UserInfo):
        out["signup_records"][info.username] = {"authorized": bool(info.is_authorized),
                                                "first_password_valid": info.is_valid_password(first_password)}

    people = {"learner": ["beginner"], "mid": ["intermediate"], "teacher": ["instructors", "instructors-beginner"],
              "citizen": ["citizens", "beginner"], "analyst": ["analysts"]}
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
        spawner.user_options = {"profile": slugs[0]}
        await spawner.load_user_options()
        spawner.pre_spawn_hook(spawner)
        out["people"][name] = {
            "class": type(spawner).__module__ + "." + type(spawner).__name__,
            "profiles": slugs, "other_profile": other, "other_refused": refused,
            "environment": {k: v for k, v in spawner.environment.items() if isinstance(v, str)},
            "cmd": spawner.cmd, "image": spawner.image,
            "volumes": [v.get("name") for v in spawner.volumes],
            "pvc_name": spawner.pvc_name,
        }
    return out


def main() -> int:
    config_file, out_path = sys.argv[1], sys.argv[2]
    result = asyncio.run(probe(config_file))
    with open(out_path, "w") as fh:
        json.dump(result, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
