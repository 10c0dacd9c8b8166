"""nbgrader exchange classes over the ``datalit-exchange`` service (learners' side).

Configured in ``grading/nbgrader_config.py`` through ``ExchangeFactory``, so JupyterLab's
Assignments panel and ``nbgrader fetch_assignment / submit / list / fetch_feedback`` keep working,
while nothing is written to or read from a shared folder. Every member's panel lists the *team's*
submissions (who submitted, when in Korea time, which one will be graded), and fetching feedback
works for every member. Instructor commands (release, collect, release feedback) are
``datalit lab ...``; nbgrader's versions of them say so.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nbgrader.exchange import ExchangeError, abc

from datalit.exchange.client import URL_ENV, ExchangeClient, Refused
from datalit.exchange.policy import wanted
from datalit.exchange.store import StoreError, read_tree, safe_relpath
from datalit.kst import shown


def shown_seconds(iso: str) -> str:
    return shown(iso, seconds=True)


def panel_label(sub: dict, number: int) -> str:
    """What the Assignments panel shows for one team submission (its 'timestamp' field). The panel sorts
    submissions by this text, so the team's submission number follows the time: two in one second keep
    their order instead of sorting by member name."""
    label = f"{shown_seconds(sub['timestamp'])} · #{number:02d} · {sub['member']} 제출"
    return label + (" · 채점 대상" if sub["graded"] else "")


def lab_files(folder: Path, max_bytes: int, log=None) -> dict[str, bytes]:
    files = {}
    for name, content in read_tree(folder).items():
        if not wanted(name):
            continue
        if len(content) > max_bytes:
            if log:
                log.warning("%s: %.1f MB, over the %d MB limit: not submitted", name, len(content) / 2**20,
                            max_bytes // 2**20)
            continue
        files[name] = content
    return files


def write_files(dest: Path, files: dict[str, bytes], only_missing: bool = False) -> list[str]:
    written = []
    for name, content in files.items():
        target = dest / safe_relpath(name)
        if only_missing and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(name)
    return written


def fetch_feedback_into(client: ExchangeClient, lab: str, lab_dir: Path) -> list[str]:
    got = []
    for sub in client.team_submissions(lab)["submissions"]:
        if not sub["feedback"]:
            continue
        files = client.feedback(lab, sub["id"])
        write_files(lab_dir / "feedback" / sub["nbgrader_timestamp"], files)
        got += [f"{sub['nbgrader_timestamp']}/{n}" for n in files]
    return got


class _Mixin:
    def client(self) -> ExchangeClient:
        try:
            return ExchangeClient()
        except StoreError as exc:
            self.fail(str(exc))

    def lab_dir(self, lab: str) -> Path:
        return Path(self.assignment_dir).resolve() / lab

    def wrong_course(self) -> bool:
        from datalit.config import load_config

        return bool(self.coursedir.course_id) and self.coursedir.course_id != load_config()["lab"]["course_id"]


class ExchangeList(_Mixin, abc.ExchangeList):
    def start(self):
        if self.inbound:
            self.fail("instructors: use 'datalit lab collect LAB' (the exchange keeps every submission)")
        if self.remove or self.wrong_course():
            return []
        if not os.environ.get(URL_ENV) and not self.cached:
            return self._local_released()  # nbgrader's own API in the instructor's root commands
        client = self.client()
        try:
            labs = client.labs()
        except StoreError as exc:
            self.fail(str(exc))
        wanted_lab = self.coursedir.assignment_id
        out = []
        for meta in labs["labs"]:
            lab = meta["lab"]
            if wanted_lab and wanted_lab != lab:
                continue
            out += self._cached(client, labs["course_id"], lab) if self.cached else [self._released(labs, meta)]
        return out

    def _local_released(self) -> list[dict]:
        from datalit.config import load_config
        from datalit.exchange.client import exchange_root
        from datalit.exchange.store import Store

        cfg = load_config()["lab"]
        try:
            store = Store(exchange_root(cfg), cfg["course_id"])
        except OSError as exc:  # not root on the hub machine: no exchange here
            raise ExchangeError(str(exc)) from None
        labs = {"course_id": store.course_id}
        return [self._released(labs, m) for m in store.released()
                if not self.coursedir.assignment_id or m["lab"] == self.coursedir.assignment_id]

    def _released(self, labs: dict, meta: dict) -> dict:
        lab = meta["lab"]
        folder = self.lab_dir(lab)
        fetched = folder.is_dir()
        info = {"course_id": labs["course_id"], "assignment_id": lab, "status": "fetched" if fetched else "released",
                "path": str(folder) if fetched else lab, "due": meta.get("due_shown"), "notebooks": []}
        for nb in meta.get("notebooks", []):
            info["notebooks"].append({"notebook_id": nb, "path": str(folder / f"{nb}.ipynb") if fetched else nb})
        return info

    def _cached(self, client: ExchangeClient, course_id: str, lab: str) -> list[dict]:
        try:
            team = client.team_submissions(lab)
        except Refused:
            return []  # in no team of this lab
        if not team["submissions"]:
            return []
        subs = []
        for number, sub in enumerate(team["submissions"], start=1):
            fb_dir = self.lab_dir(lab) / "feedback" / sub["nbgrader_timestamp"]
            notebooks = []
            for nb_id in sorted({n[:-5] for n in sub["feedback"] if n.endswith(".html")}) or [lab]:
                local = fb_dir / f"{nb_id}.html"
                has_local = local.is_file()
                remote = sub["feedback_digest"].get(f"{nb_id}.html")
                notebooks.append({"notebook_id": nb_id, "path": str(local), "has_local_feedback": has_local,
                                  "has_exchange_feedback": remote is not None,
                                  "local_feedback_path": str(local) if has_local else None,
                                  "feedback_updated": bool(has_local and remote and remote != hashlib.sha256(
                                      local.read_bytes()).hexdigest())})
            has_local = all(n["has_local_feedback"] for n in notebooks)
            subs.append({"course_id": course_id, "student_id": sub["member"], "assignment_id": lab,
                         "timestamp": panel_label(sub, number), "status": "submitted", "path": str(fb_dir),
                         "notebooks": notebooks, "has_local_feedback": has_local,
                         "has_exchange_feedback": all(n["has_exchange_feedback"] for n in notebooks),
                         "feedback_updated": any(n["feedback_updated"] for n in notebooks),
                         "local_feedback_path": str(fb_dir) if has_local else None,
                         "submitted_by": sub["member"], "graded": sub["graded"]})
        return [{"course_id": course_id, "student_id": team["team"], "assignment_id": lab,
                 "status": "submitted", "submissions": subs}]


class ExchangeFetchAssignment(_Mixin, abc.ExchangeFetchAssignment):
    def start(self):
        lab = self.coursedir.assignment_id
        dest = self.lab_dir(lab)
        if dest.exists() and not self.replace_missing_files:
            self.fail(f"'{lab}' 폴더가 이미 있습니다: {dest}. 빠진 파일만 다시 받으려면 --replace 를 쓰세요.")
        try:
            _, files = self.client().fetch(lab)
        except StoreError as exc:
            self.fail(str(exc))
        written = write_files(dest, files, only_missing=self.replace_missing_files)
        self.log.info("Fetched %s: %s", lab, ", ".join(written) or "(nothing missing)")


def clicking_member() -> str | None:
    """On a team server: the hub user whose click on Submit is being handled (JupyterHub's identity of the
    request, from jupyter_server's call context: the panel's submit runs inside that request). None
    elsewhere (the command line, a personal server -- there the token's owner is the submitter)."""
    try:
        from jupyter_server.base.call_context import CallContext
    except ImportError:
        return None
    handler = CallContext.get(CallContext.JUPYTER_HANDLER)
    user = getattr(handler, "current_user", None) if handler is not None else None
    return getattr(user, "username", None) or None


class ExchangeSubmit(_Mixin, abc.ExchangeSubmit):
    confirm = False  # the command line's --yes; the panel confirms by submitting again

    def start(self):
        lab = self.coursedir.assignment_id
        folder = self.lab_dir(lab)
        if not folder.is_dir():
            self.fail(f"제출할 폴더가 없습니다: {folder} (먼저 실습을 받으세요)")
        files = lab_files(folder, int(self.coursedir.max_file_size) * 1024, self.log)
        try:
            record = self.client().submit(lab, files, confirm=self.confirm or bool(os.environ.get("DATALIT_CONFIRM")),
                                          member=clicking_member())
        except StoreError as exc:
            self.fail(str(exc))
        self.log.info("제출했습니다: %s (%s)", lab, shown_seconds(record["timestamp"]))
        self.record = record


class ExchangeFetchFeedback(_Mixin, abc.ExchangeFetchFeedback):
    def start(self):
        lab = self.coursedir.assignment_id
        try:
            got = fetch_feedback_into(self.client(), lab, self.lab_dir(lab))
        except StoreError as exc:
            self.fail(str(exc))
        self.log.info("Feedback: %s", ", ".join(got) or "(none yet)")


class _InstructorOnly:
    def start(self):
        self.fail("the datalit exchange is driven by 'datalit lab release|collect|feedback LAB'")


class ExchangeReleaseAssignment(_InstructorOnly, abc.ExchangeReleaseAssignment):
    pass


class ExchangeCollect(_InstructorOnly, abc.ExchangeCollect):
    pass


class ExchangeReleaseFeedback(_InstructorOnly, abc.ExchangeReleaseFeedback):
    pass
