"""Finding 6 of issue #10, written as the instructor's mistake: deadlines that were wrong, silently.

``--due "2026-12-20 18:00:00 +0900"`` (the guide's form) was stored as 17:45, the ``KST`` form of
``--help`` was read as UTC, and a submission an hour late exported ``late=False``. Now every form
means the instant a person in Seoul means, a form we cannot read changes nothing, and a submission
one hour after a +0900 deadline is late (with the penalty) in collect, the gradebook and the export,
shown in Korea time.
"""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from labkit import LAB, answered, local_course, put_submission, write_roster

UTC = dt.timezone.utc
DUE_UTC = dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # 2026-12-20 18:00 in Seoul


@pytest.mark.parametrize("text", [
    "2026-12-20 18:00", "2026-12-20 18:00:00", "2026-12-20 18:00 KST", "2026-12-20 18:00:00 KST",
    "2026-12-20 18:00:00 +0900", "2026-12-20 18:00:00 +09:00", "2026-12-20 18:00+09:00", "2026-12-20T18:00:00+09:00",
    "2026-12-20 09:00 UTC", "2026-12-20 09:00:00Z", "2026-12-20 10:00 +01:00", " 2026-12-20 18:00 kst ",
])
def test_every_accepted_form_is_the_instant_meant(text):
    from datalit.labs.deadline import for_gradebook, parse_due

    assert parse_due(text) == DUE_UTC
    assert for_gradebook(parse_due(text)) == dt.datetime(2026, 12, 20, 9, 0)  # nbgrader's naive UTC


def test_yaml_datetimes_mean_korea_time_too():
    import yaml

    from datalit.labs.deadline import parse_due

    assert parse_due(yaml.safe_load("due: 2026-12-20 18:00:00")["due"]) == DUE_UTC  # unquoted, naive
    assert parse_due(yaml.safe_load("due: 2026-12-20 18:00:00 +09:00")["due"]) == DUE_UTC
    assert parse_due(None) is None and parse_due("") is None


@pytest.mark.parametrize("text", ["2026-12-20", "2026-12-20 18:00 PST", "20/12/2026 18:00", "2026-12-20 6pm",
                                  "2026-13-01 18:00", "2026-12-20 24:30", "2026-12-20 18:00 +2500", "내일 18시"])
def test_an_unreadable_due_date_is_refused_with_the_forms(text):
    from datalit.labs.deadline import DueError, parse_due

    with pytest.raises(DueError) as err:
        parse_due(text)
    assert "+09:00" in str(err.value) and "KST" in str(err.value) and "마감 시각" in str(err.value)


@pytest.fixture
def fresh_course(tmp_path, monkeypatch):
    return local_course(tmp_path, monkeypatch, "datalit-due")


def _store(course):
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store

    return Store(exchange_root(course.cfg), course.course_id)


def test_cli_refuses_a_bad_due_before_anything_changes(fresh_course):
    from click.testing import CliRunner

    from datalit.exchange.store import StoreError
    from datalit.labs.cli import lab

    course = fresh_course
    res = CliRunner().invoke(lab, ["release", LAB, "--course-dir", str(course.root), "--due", "2026-12-20 18:00 PST"])
    assert res.exit_code != 0 and "마감 시각" in res.output and "accepted forms" in res.output, res.output
    assert not (course.root / "release" / LAB).exists()
    assert not (course.root / "gradebook.db").exists()
    with pytest.raises(StoreError):
        _store(course).released_meta(LAB)
    # --help shows forms that mean Korea time
    help_text = CliRunner().invoke(lab, ["release", "--help"]).output
    assert "Korea time" in help_text and "+09:00" in help_text


@pytest.mark.grading
@pytest.mark.slow
def test_a_submission_an_hour_after_a_plus0900_deadline_is_late(fresh_course, tmp_path):
    from datalit.labs import autograde, collect, export, feedback, roster
    from datalit.labs.course import gradebook, in_course
    from datalit.labs.release import release

    course = fresh_course
    r = release(course, LAB, due="2026-12-20 18:00:00 +0900")  # the instructor guide's form
    assert r["due_shown"] == "2026-12-20 18:00 (KST)" and r["due"] == DUE_UTC.isoformat()
    with in_course(course), gradebook(course) as gb:
        assert gb.find_assignment(LAB).duedate == dt.datetime(2026, 12, 20, 9, 0)
    assert _store(course).released_meta(LAB)["due"] == DUE_UTC.isoformat()

    roster.import_csv(course, write_roster(tmp_path / "r.csv", {"late": ["dld-late"], "ontime": ["dld-ontime"]}),
                      known_users=None, known_labs=[LAB])
    put_submission(course, "dld-late", answered(course), when="2026-12-20 10:00:00.000000 UTC")  # 19:00 KST
    put_submission(course, "dld-ontime", answered(course), when="2026-12-20 08:59:00.000000 UTC")  # 17:59 KST
    summary = collect.collect(course, LAB)
    assert summary["teams"]["late"]["seconds_late"] == 3600
    assert summary["teams"]["ontime"]["seconds_late"] == 0

    report = autograde.autograde(course, LAB, workers=2, progress=False)
    assert all(x["success"] for x in report["results"]), report
    s = report["scores"]
    assert s["late"]["auto"] == 10 and s["late"]["penalty"] == pytest.approx(1.0)  # one started day: 10 %
    assert s["ontime"]["penalty"] == 0

    out = export.export(course, LAB, tmp_path / "out")
    rows = {row["member"]: row for row in csv.DictReader(open(out["csv"], encoding="utf-8-sig"))}
    assert rows["dld-late"]["late"] == "True" and float(rows["dld-late"]["late_penalty"]) == 1.0
    assert rows["dld-late"]["submitted_at"] == "2026-12-20 19:00 (KST)"
    assert rows["dld-late"]["due"] == "2026-12-20 18:00 (KST)"
    assert rows["dld-ontime"]["late"] == "False" and float(rows["dld-ontime"]["late_penalty"]) == 0

    feedback.generate(course, LAB)
    page = (course.root / "feedback" / "late" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    assert "2026-12-20 19:00 (KST)" in page and "마감 후 제출: 1시간 0분 늦음" in page
    assert "마감 2026-12-20 18:00 (KST)" in page
