"""Jupyter server extension for instructors' servers: make nbgrader's formgrader work from the hub.

1. Framing. JupyterHub >= 4.1 gives every single-user page ``Content-Security-Policy: frame-ancestors
   'none'``, so the formgrader, which the nbgrader lab extension shows in an iframe, stays blank
   (nbgrader #1870, #1910). nbgrader's own fix (#1915, frame-ancestors 'self' on its handlers) was
   reverted (#1947) because it applied to every user. Here it applies only to the formgrader's pages
   and only in servers of instructors (datalit/hub/spawn_options.py enables this extension for
   them); every other page keeps JupyterHub's 'none'.
2. Course folder. The formgrader refuses to work ("Sorry, the formgrader encountered an error") when
   the course directory is not inside the server's root (the instructor's home), which is where the
   hub's ``lab.course_dir`` (e.g. /srv/...) usually is. At link time, before nbgrader's extension
   loads, the course is linked into the root as ``course-<course id>`` and nbgrader's config
   (grading/nbgrader_config.py reads DATALIT_LAB_COURSE_DIR) is pointed at the link.
3. Script. A submission page shows a team's notebook in the instructor's server, on the hub's
   origin. Its HTML is sanitised (datalit.labs.grading_html); as a second wall the page's CSP lets
   only the formgrader's own scripts run: files from this server, the external scripts and the
   inline scripts/handlers of nbgrader's template (by hash), i.e. everything before the notebook.
"""
from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from pathlib import Path

FRAME_POLICY = "frame-ancestors 'self'"
# where nbgrader's formgrade template ends and the team's notebook begins
NOTEBOOK_START = 'id="notebook-container"'
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SRC = re.compile(r"""\bsrc\s*=\s*["']?(https?://[^"'\s>]+)""", re.I)
_HANDLER = re.compile(r'\son[a-z]+\s*=\s*"([^"]*)"', re.I)


def _jupyter_server_extension_points():
    return [{"module": "datalit.labs.formgrader_frame"}]


def course_in_root(root_dir: str, log=None) -> str | None:
    """The course directory as a path inside ROOT_DIR (a link there if needed); sets the env for nbgrader."""
    course = os.environ.get("DATALIT_LAB_COURSE_DIR")
    if not course or not root_dir:
        return None
    if not os.path.relpath(course, root_dir).startswith(".."):
        return course
    link = Path(root_dir) / f"course-{os.environ.get('DATALIT_LAB_COURSE_ID') or 'nbgrader'}"
    if link.is_symlink() and os.readlink(link) != course:
        link.unlink()
    if not link.is_symlink():
        if link.exists():
            if log:
                log.warning("datalit: %s exists and is not a link to the course %s: formgrader will not work",
                            link, course)
            return None
        link.symlink_to(course, target_is_directory=True)
    os.environ["DATALIT_LAB_COURSE_DIR"] = str(link)
    if log:
        log.info("datalit: course %s is %s in this server (formgrader)", course, link)
    return str(link)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def submission_policy(page: str) -> str:
    """The CSP of one formgrader submission PAGE: only the scripts of nbgrader's template may run."""
    head = page[:page.find(NOTEBOOK_START)] if NOTEBOOK_START in page else ""
    sources = ["'self'"]
    for attrs, body in _SCRIPT.findall(head):
        src = _SRC.search(attrs)
        if src:  # e.g. MathJax from its CDN: that file only
            sources.append(src.group(1).split("?", 1)[0])
        elif body.strip():
            sources.append(_hash(body))
    handlers = sorted({_hash(html.unescape(v)) for v in _HANDLER.findall(head)})
    if handlers:
        sources += ["'unsafe-hashes'", *handlers]
    return (f"{FRAME_POLICY}; script-src {' '.join(dict.fromkeys(sources))}; object-src 'none'; "
            "base-uri 'self'; form-action 'self'")


def _link_jupyter_server_extension(serverapp) -> None:
    try:
        course_in_root(serverapp.root_dir, serverapp.log)
    except OSError as e:  # e.g. a read-only home: the formgrader shows its own error
        serverapp.log.warning("datalit: could not link the course into %s: %s", serverapp.root_dir, e)


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.server_extensions.formgrader import base, handlers

    if getattr(base.BaseHandler, "_datalit_frame", False):
        return
    original = base.BaseHandler.set_default_headers

    def set_default_headers(self):
        original(self)
        self.set_header("Content-Security-Policy", FRAME_POLICY)

    base.BaseHandler.set_default_headers = set_default_headers
    base.BaseHandler._datalit_frame = True

    def write(self, chunk):
        # the page is written once, whole (nbgrader's SubmissionHandler), before any flush
        if isinstance(chunk, (str, bytes)):
            text = chunk.decode("utf-8", "replace") if isinstance(chunk, bytes) else chunk
            self.set_header("Content-Security-Policy", submission_policy(text))
        base.BaseHandler.write(self, chunk)

    handlers.SubmissionHandler.write = write
    serverapp.log.info("datalit: formgrader pages may be framed by this origin (%s)", FRAME_POLICY)
