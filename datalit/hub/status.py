"""``datalit hub status``: users, groups and running servers, from the REST API."""
from __future__ import annotations

from datalit.hub.api import HubAPI


def collect(api: HubAPI) -> dict:
    users = api.users()
    groups = api.groups()
    running = [u["name"] for u in users if u.get("server")]
    return {
        "users": sorted(u["name"] for u in users),
        "admins": sorted(u["name"] for u in users if u.get("admin")),
        "groups": {g["name"]: sorted(g.get("users", [])) for g in groups},
        "running": sorted(running),
    }


def render(info: dict, url: str) -> str:
    lines = [f"hub: {url}", f"users ({len(info['users'])}): {', '.join(info['users']) or '-'}",
             f"admins: {', '.join(info['admins']) or '-'}",
             f"running servers ({len(info['running'])}): {', '.join(info['running']) or '-'}", "groups:"]
    for name, members in sorted(info["groups"].items()):
        lines.append(f"  {name:24} {len(members):3}  {', '.join(members)}")
    return "\n".join(lines)
