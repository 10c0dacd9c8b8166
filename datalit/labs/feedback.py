"""``datalit lab feedback LAB``: nbgrader feedback per team, released to every member.

1. ``nbgrader generate_feedback`` for each graded team; the team's Korean grading notes (sandbox
   limits, restored test cells, invalid notebook, big files, lateness) and who submitted when are
   put at the top of each HTML file. A team whose grading failed still gets an HTML page.
2. The pages go to the exchange, tied to the graded submission: every member of the team fetches
   them (JupyterLab's Assignments panel or ``datalit lab fetch LAB --feedback``), whoever submitted;
   and a copy lands in the team folder (``피드백/<lab>/``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from datalit import templating
from datalit.kst import shown
from datalit.labs import roster as roster_mod
from datalit.labs.collect import submission_record
from datalit.labs.course import Course, LabError, api, in_course
from datalit.labs.grading_html import with_feedback_policy
from datalit.labs.teams import group_name, team_folder

NOTE_START = "<!-- datalit-notes -->"


def _notes_html(course: Course, lab: str, team: str) -> str:
    """The box put at the top of each page (datalit/templates/feedback_notes.html, autoescaped: a team id, a
    member's name and the notes are text)."""
    rec = submission_record(course, lab, team) or {}
    graded = None
    if rec:
        late = ""
        if rec.get("seconds_late", 0) > 0:
            hours, minutes = divmod(int(rec["seconds_late"] // 60), 60)
            late = f" (마감 후 제출: {hours}시간 {minutes}분 늦음)"
        graded = {"submitted_by": rec["submitted_by"], "when": shown(rec["timestamp"]), "late": late,
                  "due": f" · 마감 {shown(rec['due'])}" if rec.get("due") else "",
                  "count": len(rec.get("history", []))}
    box = templating.render("feedback_notes.html", team=team, graded=graded, notes=course.read_notes(lab, team))
    return NOTE_START + box.rstrip("\n")


def _inject(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    if NOTE_START in text:
        return
    text = with_feedback_policy(text)  # teammates open it: no member's script may run there
    i = text.find("<body")
    j = text.find(">", i) + 1 if i >= 0 else 0
    path.write_text(text[:j] + block + text[j:], encoding="utf-8")


def generate(course: Course, lab: str) -> dict:
    teams = sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{lab}") if p.is_dir())
    made = {}
    with in_course(course):
        nb = api(course)
        for team in teams:
            dest = course.root / "feedback" / team / lab
            ok = False
            if (course.root / "autograded" / team / lab).is_dir():
                result = nb.generate_feedback(lab, team, force=True)
                ok = bool(result["success"])
            dest.mkdir(parents=True, exist_ok=True)
            for extra in ("timestamp.txt", "submission_secret.txt"):
                src = course.root / "submitted" / team / lab / extra
                if src.exists() and not (dest / extra).exists():
                    shutil.copy2(src, dest / extra)
            htmls = sorted(dest.glob("*.html"))
            if not htmls:
                names = [p.stem for p in (course.root / "release" / lab).glob("*.ipynb")] or [lab]
                for name in names:
                    page = dest / f"{name}.html"
                    page.write_text(templating.render("feedback_missing.html", lab=lab), encoding="utf-8")
                htmls = sorted(dest.glob("*.html"))
            block = _notes_html(course, lab, team)
            for page in htmls:
                _inject(page, block)
            made[team] = {"generated": ok, "files": [str(p) for p in htmls]}
    return made


def release(course: Course, lab: str) -> dict:
    """The exchange (every member fetches it from there) + the team folder."""
    from datalit.exchange.store import StoreError, read_tree
    from datalit.labs.publish import backend

    roster = roster_mod.load(course)
    exchange = backend(course)
    released = {}
    for team_dir in sorted((course.root / "feedback").glob(f"*/{lab}")):
        team = team_dir.parent.name
        rec = submission_record(course, lab, team)
        members = roster_mod.members_of(roster, lab, team)
        sent = False
        if rec:
            pages = {n: c for n, c in read_tree(team_dir).items() if n.endswith(".html") and "/" not in n}
            try:
                exchange.put_feedback(lab, team, rec["name"], pages)
                sent = True
            except StoreError as exc:
                raise LabError(f"releasing the feedback of {team} failed: {exc}") from None
        released[team] = {"members": members, "cached_for": members if sent else []}
        try:
            released[team]["team_folder"] = _to_team_folder(course, lab, team)
        except LabError as exc:  # one team's planted link does not stop the others' feedback
            released[team].update(team_folder=None, team_folder_refused=str(exc) + (
                "; its members still fetch it from the exchange" if sent else ""))
    return released


def _to_team_folder(course: Course, lab: str, team: str) -> str | None:
    """A copy of the pages in ``<team folder>/피드백/<lab>/`` (root:team 2750, pages 0640).

    The team can write its folder, so a member may have put a link (to the course, /etc ...) or a
    hard-linked file there: walked and written with :mod:`datalit.nofollow`, never through a path."""
    import grp

    from datalit import nofollow

    folder = team_folder(course, team)
    if os.geteuid() != 0 or not folder.is_dir():
        return None
    gid = grp.getgrnam(group_name(team)).gr_gid
    pages = sorted((course.root / "feedback" / team / lab).glob("*.html"))
    try:
        with nofollow.folder(folder) as team_fd:
            fd = nofollow.walk(team_fd, ["피드백"], folder / "피드백", create_mode=0o700)
            try:
                nofollow.set_owner(fd, 0, gid, 0o2750)
                lab_fd = nofollow.walk(fd, [lab], folder / "피드백" / lab, create_mode=0o700)
            finally:
                os.close(fd)
            try:
                nofollow.set_owner(lab_fd, 0, gid, 0o2750)
                for page in pages:
                    nofollow.write_file(lab_fd, page.name, page.read_bytes(), 0, gid, 0o640)
            finally:
                os.close(lab_fd)
    except OSError as exc:  # a planted link (nofollow.UnsafePath), a full team folder image ...
        raise LabError(f"feedback of team {team} NOT copied into its team folder: {exc}") from None
    return str(folder / "피드백" / lab)


def feedback(course: Course, lab: str) -> dict:
    made = generate(course, lab)
    released = release(course, lab)
    return {"lab": lab, "generated": made, "released": released}
