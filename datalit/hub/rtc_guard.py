"""Team servers only: no collaboration room is touched for a request the hub did not authorize.

jupyter-server-ydoc 3.0.4 (jupyter-collaboration 5) opens or creates the document room of a websocket in
``YDocWebSocketHandler.prepare`` -- file loader, update store, document in memory -- and checks the
caller only afterwards, in ``get`` (``@authorized``). A learner of another team who knows a team server's
address could make it load any of the team's files by file id, or crash the handler (HTTP 500 for an unknown
id, measured by tests/security/test_team_server_attacks.py), without being allowed in. This server extension
(enabled by hub_config/user_server/team/) refuses such a request with 403 before the room code runs:
the identity is JupyterHub's (``JupyterHubIdentityProvider``: None unless the token carries
``access:servers`` on this server).
"""
from __future__ import annotations

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from tornado import web


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server_ydoc.handlers import YDocWebSocketHandler

    if getattr(YDocWebSocketHandler, "_datalit_guarded", False):
        return
    room_prepare = YDocWebSocketHandler.prepare

    async def prepare(self):
        await ensure_async(JupyterHandler.prepare(self))  # resolves the hub identity (cached per handler)
        if self.current_user is None:
            raise web.HTTPError(403, "not allowed on this team server")
        return await room_prepare(self)

    YDocWebSocketHandler.prepare = prepare
    YDocWebSocketHandler._datalit_guarded = True
    serverapp.log.info("datalit: collaboration rooms only for users the hub allows on this server")


def _jupyter_server_extension_points():
    return [{"module": "datalit.hub.rtc_guard"}]
