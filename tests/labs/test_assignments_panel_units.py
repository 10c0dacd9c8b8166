"""The 과제 panel's parts without a hub, and Korea time in ``datalit lab collect``'s output.

The late rule the panel announces is the one nbgrader applies (datalit/labs/late.py); the page escapes what it
shows and its CSP admits exactly its own inline script and style; ``datalit lab collect`` prints Korea time
with the KST label and says how late a late team was and what it costs (it printed UTC ISO before).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from labkit import LAB

UTC = dt.timezone.utc
DUE = dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # 18:00 KST


@pytest.mark.parametrize("seconds", [1, 3600, 86400, 86401, 5 * 86400 + 7, 30 * 86400])
def test_the_panel_announces_the_penalty_nbgrader_applies(seconds):
    from datalit.labs.late import LatePenalty, lateness

    plugin = LatePenalty(penalty_per_day=0.1)
    late = lateness(DUE, DUE + dt.timedelta(seconds=seconds), 0.1)
    assert late["percent"] == round(100 * plugin.late_submission_penalty("t", 10.0, seconds) / 10.0)
    assert lateness(DUE, DUE, 0.1) is None and lateness(None, DUE, 0.1) is None
    assert lateness(DUE.isoformat(), (DUE - dt.timedelta(seconds=1)).isoformat(), 0.1) is None


def test_how_late_in_words():
    from datalit.labs.late import how_late

    assert how_late(1) == "1분"
    assert how_late(2 * 3600 + 5 * 60) == "2시간 5분"
    assert how_late(25 * 3600 + 30) == "1일 1시간"
    assert how_late(3 * 86400) == "3일"


def test_lab_view_in_korea_time(tmp_path):
    from datalit.labs.panel_view import lab_view, late_warning

    (tmp_path / LAB).mkdir()
    (tmp_path / LAB / f"{LAB}.ipynb").write_text("{}")
    meta = {"lab": LAB, "due": DUE.isoformat(), "notebooks": [LAB, "missing"]}
    subs = [{"id": "1", "member": "m1", "timestamp": (DUE - dt.timedelta(hours=1)).isoformat(), "graded": False,
             "nbgrader_timestamp": "x", "feedback": []},
            {"id": "2", "member": "m2", "timestamp": (DUE + dt.timedelta(hours=30)).isoformat(), "graded": True,
             "nbgrader_timestamp": "y", "feedback": []}]
    early = lab_view(meta, {"team": "t1", "submissions": subs}, None, tmp_path, 0.1, "/user/m1/",
                     now=DUE - dt.timedelta(days=1, hours=2))
    assert early["due"] == "2026-12-20 18:00 (KST)" and early["left"] == "1일 2시간 남음" and early["late_now"] is None
    assert early["notebooks"] == [{"name": LAB, "path": f"{LAB}/{LAB}.ipynb"}]
    newest, oldest = early["submissions"]
    assert (newest["number"], newest["shown"], newest["graded"]) == ("#02", "2026-12-22 00:00 (KST)", True)
    assert newest["late"]["percent"] == 20 and oldest["late"] is None
    assert late_warning(early, 0.1) is None
    late = lab_view(meta, None, "팀 명단에 없습니다.", tmp_path, 0.1, "/user/m1/", now=DUE + dt.timedelta(minutes=5))
    text = late_warning(late, 0.1)
    assert "2026-12-20 18:00 (KST)" in text and "5분 늦은" in text and "10%" in text, text
    assert late["refusal"] and late["submissions"] == []


def test_the_page_escapes_and_its_policy_admits_only_its_own_script(tmp_path):
    import base64
    import hashlib

    from datalit.labs import panel
    from datalit.labs.panel_view import lab_view

    hostile = '<script>alert(1)</script>'
    meta = {"lab": LAB, "due": None, "notebooks": []}
    view = lab_view(meta, {"team": hostile, "submissions": [
        {"id": "1", "member": hostile, "timestamp": DUE.isoformat(), "graded": True, "nbgrader_timestamp": "x",
         "feedback": []}]}, None, tmp_path, 0.1, "/user/m1/")
    view["warning"] = None
    script, _ = panel._inline("assignments.js")
    style, _ = panel._inline("assignments.css")
    page = panel._templates().get_template("assignments.html").render(
        labs=[view], course="c", per_day="10%", message=hostile, error=None, confirm=None,
        xsrf='<input type="hidden" name="_xsrf" value="v">', who=hostile, base_url="/user/m1/", now="지금",
        script=script, style=style)
    assert hostile not in page and "&lt;script&gt;" in page
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts == [script]
    policy = panel.policy()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'self'" in policy and "form-action 'self'" in policy


def test_collect_prints_korea_time_and_the_penalty(course, tmp_path):
    """``datalit lab collect``: every time in Korea time with (KST), a late team's lateness and penalty."""
    from click.testing import CliRunner

    from datalit.cli import main
    from datalit.config import DEFAULTS
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.labs import roster
    from datalit.labs.course import gradebook, in_course
    from labkit import write_roster

    roster.import_csv(course, write_roster(tmp_path / "roster.csv", {"tontime": ["m-on"], "tlate": ["m-late"]}),
                      known_users=None, known_labs=[LAB])
    with in_course(course), gradebook(course) as gb:
        gb.update_or_create_assignment(LAB, duedate=DUE.replace(tzinfo=None))  # nbgrader keeps naive UTC
    store = Store(exchange_root(course.cfg), course.course_id)
    files = store.released_files(LAB)
    store.add_submission(LAB, "tontime", "m-on", files, when=DUE - dt.timedelta(minutes=30))
    store.add_submission(LAB, "tlate", "m-late", files, when=DUE + dt.timedelta(hours=25, seconds=30))
    out = CliRunner().invoke(main, ["lab", "collect", LAB, "--course-dir", str(course.root)])
    assert out.exit_code == 0, out.output
    lines = {line.split(":", 1)[0]: line for line in out.output.splitlines()}
    assert lines["tontime"] == "tontime: m-on 2026-12-20 17:30 (KST) (1 submissions)", out.output
    percent = round(100 * min(1.0, 2 * DEFAULTS["lab"]["late_penalty_per_day"]))
    assert lines["tlate"].startswith("tlate: m-late 2026-12-21 19:00 (KST) (1 submissions)"), out.output
    assert "마감 2026-12-20 18:00 (KST)보다 1일 1시간 늦음" in lines["tlate"] and f"{percent}%" in lines["tlate"]
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\+00:00|UTC", out.output), out.output
