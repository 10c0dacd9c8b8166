"""Team servers only: count, per member, the cells they execute and edit and the minutes they are active.

A jupyter_server extension (enabled by hub_config/user_server/team/). It wraps the kernel websocket's
``on_message`` (an ``execute_request`` on the shell channel counts one executed cell; any message marks
the minute active) and the collaboration websocket (any message marks the minute active). Edited cells:
the room (pycrdt-websocket ``YRoom.serve``) serves each websocket in a task of its own, taking its messages
one at a time from the websocket's ``__anext__`` and applying a sync update to the notebook's YDoc before
it takes the next; the wrapped ``__anext__`` notes in a context variable (per task, so per websocket) whose
update comes next, and a deep observer on the notebook's cells, called synchronously inside
``apply_update``, notes the ids of the cells whose *source* that update changes. Only an opaque key per cell (a hash of room and cell id) is kept: no keystrokes, no
text. Changes the server makes itself (a file reloaded from disk) happen in other tasks and count for
nobody; outputs and execution counts are not edits. The member is the hub's identity of the websocket
(``current_user``), never a name inside a message. Every ``FLUSH_SECONDS`` the counts are posted to the
exchange service (``api/activity``) with the server's own hub token, which names the team
(datalit/exchange/activity.py keeps them where members cannot edit them).
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import os
from collections import defaultdict

from datalit.kst import now_utc

FLUSH_SECONDS = 15
_pending: dict[str, dict] = defaultdict(lambda: {"executed": 0, "minutes": set(), "edited": set()})
# the member whose sync update the room is applying in this task (one task per collaboration websocket)
_updating: contextvars.ContextVar[str | None] = contextvars.ContextVar("datalit_updating", default=None)
SYNC, SYNC_UPDATE = 0, 2  # y-protocol: message type, then sync message type


def _minute() -> str:
    return now_utc().strftime("%Y-%m-%dT%H:%M")


def note(member: str | None, executed: bool = False) -> None:
    if not member:
        return
    entry = _pending[member]
    entry["minutes"].add(_minute())
    if executed:
        entry["executed"] += 1


def cell_key(room_id: str, cell_id: str) -> str:
    """What is kept of an edited cell: 16 hex digits of a hash of its room (the notebook's file id) and id."""
    return hashlib.sha256(f"{room_id}\0{cell_id}".encode()).hexdigest()[:16]


def watch_cells(room_id: str, cells) -> object:
    """Observe a notebook's YDoc cells (a pycrdt Array of Maps): each change to a cell's source made while
    ``_updating`` names a member counts that cell as edited by them. Returns the subscription."""
    from pycrdt import TextEvent

    def on_change(events) -> None:
        member = _updating.get()
        if member is None:
            return
        for event in events:
            if not isinstance(event, TextEvent):
                continue
            path = event.path
            if len(path) == 2 and path[1] == "source":
                try:
                    cell_id = cells[path[0]].get("id")
                except (IndexError, TypeError, AttributeError):
                    continue
                if cell_id:
                    _pending[member]["edited"].add(cell_key(room_id, str(cell_id)))

    return cells.observe_deep(on_change)


def _sender(handler, message) -> str | None:
    """The member if MESSAGE is a sync update to a notebook room (watched from now on), else None."""
    room = getattr(handler, "room", None)
    if not isinstance(message, bytes) or len(message) < 2 or message[0] != SYNC or message[1] != SYNC_UPDATE:
        return None
    if getattr(room, "file_type", None) != "notebook":
        return None
    if not getattr(room, "_datalit_watched", False):
        cells = getattr(getattr(room, "_document", None), "ycells", None)
        if cells is None:
            return None
        watch_cells(room.room_id, cells)
        room._datalit_watched = True
    return _member(handler)


def _is_execute(ws_message) -> bool:
    try:
        if isinstance(ws_message, bytes):  # v1.kernel.websocket.jupyter.org: offsets, channel, header, ...
            from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

            channel, parts = deserialize_msg_from_ws_v1(ws_message)
            header = json.loads(parts[0]) if parts else {}
        else:
            msg = json.loads(ws_message)
            channel, header = msg.get("channel"), msg.get("header") or {}
        return channel == "shell" and header.get("msg_type") == "execute_request"
    except Exception:  # noqa: BLE001 - a message we cannot read is just not counted
        return False


def _member(handler) -> str | None:
    user = getattr(handler, "current_user", None)
    return getattr(user, "username", None)


async def flush(serverapp=None) -> None:
    if not _pending:
        return
    url, token = os.environ.get("DATALIT_EXCHANGE_URL"), os.environ.get("JUPYTERHUB_API_TOKEN")
    batch = {m: {"executed": e["executed"], "minutes": sorted(e["minutes"]), "edited": sorted(e["edited"])}
             for m, e in _pending.items()}
    _pending.clear()
    if not url or not token:
        return
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    req = HTTPRequest(url.rstrip("/") + "/api/activity", method="POST", body=json.dumps({"members": batch}),
                      headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
                      request_timeout=30)
    try:
        resp = await AsyncHTTPClient().fetch(req, raise_error=False)
        if resp.code >= 400 and serverapp is not None:
            serverapp.log.warning("datalit: activity not recorded (HTTP %s)", resp.code)
    except Exception as exc:  # noqa: BLE001 - the exchange is down: these counts are lost, the server goes on
        if serverapp is not None:
            serverapp.log.warning("datalit: activity not recorded: %s", exc)


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from jupyter_server_ydoc.handlers import YDocWebSocketHandler
    from tornado.ioloop import PeriodicCallback

    if not getattr(KernelWebsocketHandler, "_datalit_counted", False):
        kernel_on_message = KernelWebsocketHandler.on_message

        def on_kernel_message(self, ws_message):
            note(_member(self), executed=_is_execute(ws_message))
            return kernel_on_message(self, ws_message)

        KernelWebsocketHandler.on_message = on_kernel_message
        KernelWebsocketHandler._datalit_counted = True
    if not getattr(YDocWebSocketHandler, "_datalit_counted", False):
        doc_on_message = YDocWebSocketHandler.on_message

        async def on_doc_message(self, message):
            note(_member(self))
            return await doc_on_message(self, message)

        YDocWebSocketHandler.on_message = on_doc_message
        doc_next = YDocWebSocketHandler.__anext__

        async def next_doc_message(self):
            message = await doc_next(self)
            _updating.set(_sender(self, message))  # this task applies it before taking the next one
            return message

        YDocWebSocketHandler.__anext__ = next_doc_message
        YDocWebSocketHandler._datalit_counted = True

    PeriodicCallback(lambda: flush(serverapp), FLUSH_SECONDS * 1000).start()
    serverapp.log.info("datalit: per-member activity (edited and executed cells, active minutes) goes to the exchange")


def _jupyter_server_extension_points():
    return [{"module": "datalit.hub.teamlog"}]
