"""Jupyter server extension for instructors' servers: let JupyterLab frame nbgrader's formgrader.

JupyterHub >= 4.1 gives every single-user page ``Content-Security-Policy: frame-ancestors 'none'``,
so the formgrader, which the nbgrader lab extension shows in an iframe, stays blank (nbgrader
#1870, #1910). nbgrader's own fix (#1915, frame-ancestors 'self' on its handlers) was reverted
(#1947) because it applied to every user. Here it applies only to the formgrader's pages and only
in servers of instructors (hub_config/shared/50-grading.py enables this extension for them);
every other page keeps JupyterHub's 'none'.
"""
from __future__ import annotations

FRAME_POLICY = "frame-ancestors 'self'"


def _jupyter_server_extension_points():
    return [{"module": "datalit.labs.formgrader_frame"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.server_extensions.formgrader import base

    if getattr(base.BaseHandler, "_datalit_frame", False):
        return
    original = base.BaseHandler.set_default_headers

    def set_default_headers(self):
        original(self)
        self.set_header("Content-Security-Policy", FRAME_POLICY)

    base.BaseHandler.set_default_headers = set_default_headers
    base.BaseHandler._datalit_frame = True
    serverapp.log.info("datalit: formgrader pages may be framed by this origin (%s)", FRAME_POLICY)
