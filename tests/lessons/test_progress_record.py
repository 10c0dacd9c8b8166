"""The learning record without a hub: the event log (root-only, locked appends, bad lines skipped), the
completion rule, the kernel side outside the hub (nothing posted, no thread, no wait), what a check sends
(diagnosis named, an undiagnosed value cut short, never code), the service's reading of a POST body, and
``datalit progress export``'s CSV. The hub end to end: tests/hub/test_progress_record.py."""
from __future__ import annotations

import csv
import json
import os
import threading

import pytest
from click.testing import CliRunner

from datalit.progress import completion, events, post
from datalit.progress.record import course


def event(user="a", lesson="00-python-first-steps", question="q1", ok=True, at="2026-12-07T01:00:00+00:00", **kw):
    return {"at": at, "user": user, "tier": "beginner", "lesson": lesson, "question": question, "kind": "check",
            "ok": ok, **kw}


def test_the_log_is_root_only_append_only_and_skips_bad_lines(tmp_path):
    events.append(tmp_path, event())
    with open(events.log_path(tmp_path), "a", encoding="utf-8") as fh:
        fh.write('{"torn": \n[1,2]\n{"at": 1}\n')
    events.append(tmp_path, event(user="b"))
    assert [e["user"] for e in events.read(tmp_path)] == ["a", "b"]
    assert events.read(tmp_path, user="b")[0]["user"] == "b"
    assert os.stat(events.log_path(tmp_path)).st_mode & 0o777 == 0o600
    assert os.stat(events.folder(tmp_path)).st_mode & 0o777 == 0o700
    assert set(events.read(tmp_path)[0]) == set(events.FIELDS)


def test_concurrent_appends_do_not_interleave(tmp_path):
    def write(n):
        for i in range(200):
            events.append(tmp_path, event(user=f"u{n}", question="q1", value="x" * 2000))
    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(events.read(tmp_path)) == 800


def test_completion_follows_the_course_rule_and_hours_come_from_minutes(tmp_path, monkeypatch):
    """Every lesson passed. The beginner rule also asks for its team labs: with no course directory (no
    gradebook) they are not done, with the Korean reason, and the course is not completed; the lab-graded
    case on a real gradebook: tests/labs/test_lab_completion.py."""
    from datalit.progress import lab_standing

    monkeypatch.delenv("DATALIT_LAB_COURSE_DIR", raising=False)
    monkeypatch.delenv("DATALIT_CONFIG", raising=False)
    beginner = course("beginner")
    # the rule asks for lessons 0-8; the review (99) is practice and counts for neither completion nor hours
    assert beginner.min_passed_ratio == 1.0 and [e.number for e in beginner.required] == list(range(9))
    assert [e.number for e in beginner.lessons] == list(range(9)) + [99]
    assert beginner.rule_labs == ("lab1_bike_story", "project1_bike_new_stations")
    assert completion(tmp_path, "a", "beginner")["completed"] is False
    t = 0
    for lesson in beginner.required:
        for q in lesson.questions:
            t += 1
            events.append(tmp_path, event(lesson=lesson.lesson, question=q, at=f"2026-12-07T{t // 60:02d}:{t % 60:02d}:00+00:00"))
            events.append(tmp_path, event(lesson=lesson.lesson, question=q, ok=False, diagnosis="undiagnosed"))
    got = completion(tmp_path, "a", "beginner")
    done = {lesson["number"]: lesson for lesson in got["lessons"]}
    assert all(done[n]["passed"] == done[n]["total"] > 0 and done[n]["completed_at"] for n in range(9))
    assert not done[99]["completed_at"]  # the review untouched: the lessons still count as complete below
    assert got["course_title"].startswith("입문 과정")
    assert got["hours"] == round(sum(lesson.minutes for lesson in beginner.required) / 60, 2) == 6.5
    assert got["first_at"] == "2026-12-07T00:01:00+00:00"
    assert [lab["lab"] for lab in got["labs"]] == list(beginner.rule_labs)
    assert all(not lab["done"] and lab["reason"] == lab_standing.NO_COURSE and lab["score"] is None for lab in got["labs"])
    assert got["completed"] is False and got["completed_at"] is None
    missing = tmp_path / "no-course"
    monkeypatch.setenv("DATALIT_LAB_COURSE_DIR", str(missing))  # configured but never made: still no gradebook,
    assert completion(tmp_path, "a", "beginner")["labs"][0]["reason"] == lab_standing.NO_COURSE
    missing.mkdir()                                             # and none is created by looking
    assert completion(tmp_path, "a", "beginner")["labs"][0]["reason"] == lab_standing.NO_COURSE
    assert list(missing.iterdir()) == []
    assert completion(tmp_path, "b", "beginner")["first_at"] is None  # another learner: nothing


def test_outside_the_hub_a_check_posts_nothing_and_starts_no_thread(monkeypatch, capsys):
    from datalit.lessons.exercises.beginner.python_first_steps import q1

    monkeypatch.delenv(post.URL_ENV, raising=False)
    before = {t.name for t in threading.enumerate()}
    assert not q1.check(12)
    monkeypatch.setattr(q1, "_hint_index", 0)  # the module's question is shared with other tests: restored after
    q1.hint()
    assert "datalit-progress" not in {t.name for t in threading.enumerate()} - before
    monkeypatch.setenv(post.URL_ENV, "http://127.0.0.1:9/services/datalit-progress")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    assert post.enabled() is False  # pytest's parent process is no Jupyter server (papermill, a terminal)


def test_what_a_check_sends(monkeypatch):
    from datalit.lessons.exercises.beginner import python_first_steps as lesson

    sent = []
    monkeypatch.setattr(post, "enabled", lambda: True)
    monkeypatch.setenv(post.URL_ENV, "http://127.0.0.1:9/services/datalit-progress")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    monkeypatch.setattr(post, "_queue", lambda: type("Q", (), {"put": staticmethod(lambda item: sent.append(item[2]))})())
    lesson.q1.check(lesson._reset_inside_loop())
    lesson.q1.check("<a long answer that nobody diagnosed, " + "x" * 100)
    lesson.q1.check(None)
    lesson.q1.check(lesson.seoul_total())
    lesson.q1.solution()
    assert [(e["kind"], e["ok"], e.get("diagnosis")) for e in sent] == [
        ("check", False, "wrong-0"), ("check", False, "undiagnosed"), ("check", False, "unanswered"),
        ("check", True, None), ("solution", None, None)]
    assert all(e["module"] == "beginner.python_first_steps" and e["question"] == "q1" and "user" not in e for e in sent)
    assert len(sent[1]["value"]) == post.VALUE_CHARS and sent[1]["value"].endswith("…")


def test_the_service_reads_only_what_a_kernel_may_send():
    from datalit.progress.service import Refused, parse_event

    tier, got = parse_event(json.dumps({"module": "beginner.python_first_steps", "question": "q1", "kind": "check",
                                        "ok": False, "diagnosis": "undiagnosed", "value": "y" * 500,
                                        "user": "someone-else", "at": "1999-01-01"}).encode())
    assert tier == "beginner" and "user" not in got and "at" not in got and len(got["value"]) == post.VALUE_CHARS
    for bad in (b"", b"[]", b"{", b'{"module": "beginner.nope", "question": "q1", "kind": "check", "ok": true}',
                b'{"module": "beginner.python_first_steps", "question": "q1", "kind": "exec", "ok": true}',
                b'{"module": "beginner.python_first_steps", "question": "q1", "kind": "check", "ok": false, '
                b'"diagnosis": "<script>"}', b"x" * 5000):
        with pytest.raises(Refused) as exc:
            parse_event(bad)
        assert exc.value.status == 400 and str(exc.value)


def test_export_writes_one_row_per_learner_and_lesson_with_a_bom(tmp_path):
    from datalit.progress.cli import progress

    events.append(tmp_path, event(user="kim"))
    out = tmp_path / "학습현황.csv"
    result = CliRunner().invoke(progress, ["export", "--out", str(out), "--tier", "beginner", "--state-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(course("beginner").lessons) and rows[0]["user"] == "kim" and rows[0]["passed"] == "1"
    missing = CliRunner().invoke(progress, ["export", "--out", str(tmp_path / "nope" / "x.csv"), "--state-dir", str(tmp_path)])
    assert missing.exit_code != 0 and "no such folder" in missing.output and "Traceback" not in missing.output
    gaps = CliRunner().invoke(progress, ["gaps", "--state-dir", str(tmp_path)])
    assert gaps.exit_code == 0 and "no undiagnosed" in gaps.output


def test_the_dashboard_names_who_is_stuck_the_most_failed_and_the_undiagnosed_answers(tmp_path):
    from datalit.progress.dashboard import STUCK_FAILS, overview

    for i in range(STUCK_FAILS):
        events.append(tmp_path, event(user="stuck", question="q2", ok=False, diagnosis="undiagnosed", value="['종로구']"))
        events.append(tmp_path, event(user="fine", question="q2", ok=False, diagnosis="wrong-0"))
    events.append(tmp_path, event(user="fine", question="q2", ok=True))
    events.append(tmp_path, event(user="almost", question="q3", ok=False, diagnosis="undiagnosed", value="7"))
    got = overview(tmp_path, "beginner", members=["nobody-yet"])
    assert got["stuck"] == [{"user": "stuck", "lesson": "00-python-first-steps", "question": "q2", "fails": STUCK_FAILS}]
    assert got["most_failed"][0] == {"lesson": "00-python-first-steps", "question": "q2", "fails": 2 * STUCK_FAILS,
                                     "learners": 2}
    assert got["gaps"][0]["answers"] == [{"value": "['종로구']", "count": STUCK_FAILS}]
    assert {r["user"] for r in got["grid"]} == {"stuck", "fine", "almost", "nobody-yet"}
