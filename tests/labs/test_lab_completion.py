"""The course completion rule's lab part (issue #20) on a real nbgrader gradebook: lab 1 released, teams
submit, real sandboxed autograde, the instructor's manual points; then ``datalit.progress.completion``
judges each member exactly as ``datalit lab export``'s 이수 현황 does, 내 학습 현황 shows a learner only
their own team's score, and the certificate lists the lab. The no-gradebook case:
tests/lessons/test_progress_record.py."""
from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from labkit import LAB, answered, put_submission, write_roster

pytestmark = [pytest.mark.grading, pytest.mark.slow]


def test_every_tier_with_team_labs_asks_for_them_in_its_rule():
    """course.yaml's labs part names exactly the tier's labs of labs/ (lab.yaml tier), and only those."""
    from datalit.labs.course import available_labs, lab_info
    from datalit.lessons.schema import TIERS
    from datalit.progress.record import course

    by_tier = {t: sorted(lab for lab in available_labs() if lab_info(lab)["tier"] == t) for t in TIERS}
    for tier in TIERS:
        found = course(tier)
        assert sorted(found.rule_labs) == by_tier[tier], tier
        assert found.lab_pass_ratio is None  # lab.pass_ratio (datalit/config.py), not restated per course


@pytest.fixture
def lab_course(tmp_path, monkeypatch):
    """The beginner course with lab 1 as its only team lab (the real rule also asks for project 1, which
    this test does not release), read from DATALIT_COURSES_DIR; the course cache is cleared around it."""
    from datalit.lessons.courses import courses_dir
    from datalit.progress.record import course

    root = tmp_path / "courses"
    shutil.copytree(courses_dir() / "beginner", root / "beginner")
    manifest_path = root / "beginner" / "course.yaml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    manifest["completion"]["labs"] = {"labs": [LAB]}
    manifest_path.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DATALIT_COURSES_DIR", str(root))
    course.cache_clear()
    yield course("beginner")
    course.cache_clear()


def _pass_every_lesson(state, user, found):
    from datalit.progress import events

    for n, lesson in enumerate(found.lessons):
        for q in lesson.questions:
            events.append(state, {"at": f"2026-11-{10 + n:02d}T01:00:00+00:00", "user": user, "tier": "beginner",
                                  "lesson": lesson.lesson, "question": q, "kind": "check", "ok": True})


def test_the_lab_part_is_judged_from_the_gradebook_like_the_export(course, members, lab_course, tmp_path, monkeypatch):
    from datalit.certificate.issue import issue
    from datalit.labs import autograde, collect, export, roster
    from datalit.labs.course import gradebook, in_course
    from datalit.progress import completion, lab_standing
    from datalit.progress.pages import learner_page

    alice, bob, carol, dave = members
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    monkeypatch.delenv("DATALIT_CONFIG", raising=False)
    roster.import_csv(course, write_roster(tmp_path / "r.csv", {"t1": [alice, bob], "t2": [carol], "t3": [dave]}),
                      known_users=roster.system_users(), known_labs=[LAB])
    for who in (alice, carol, "dlt-nobody"):
        _pass_every_lesson(state, who, lab_course)

    def lab(user):
        standing = completion(state, user, "beginner")
        assert len(standing["labs"]) == 1 and standing["labs"][0]["lab"] == LAB
        return standing, standing["labs"][0]

    standing, got = lab(alice)  # released, in a team, nothing submitted yet
    assert (got["done"], got["reason"], got["score"]) == (False, lab_standing.NOT_SUBMITTED, None)
    assert all(lesson["completed_at"] for lesson in standing["lessons"]) and not standing["completed"]

    put_submission(course, alice, answered(course, {"interpretation": "마포구는 10월(269,514건)이 가장 많다."}),
                   when="2026-12-01 03:00:00.000000 UTC")
    put_submission(course, carol, answered(course, {"q2_answer": "top5 = ['a', 'b', 'c', 'd', 'e']"}))
    collect.collect(course, LAB)
    assert lab(alice)[1]["reason"] == lab_standing.NOT_GRADED  # collected, not autograded yet

    report = autograde.autograde(course, LAB, workers=2, progress=False)
    assert all(r["success"] for r in report["results"]), report
    standing, got = lab(alice)  # 10/20 before the rubric points: below 60 %, the instructor still has to grade
    assert (got["done"], got["score"], got["max"], got["reason"]) == (False, 10, 20, lab_standing.MANUAL_PENDING)
    assert not standing["completed"]

    with in_course(course), gradebook(course) as gb:  # the rubric points, as the formgrader's API gives them
        for team, points in (("t1", lambda g: g.max_score - 1), ("t2", lambda g: 0)):
            for g in gb.find_submission(LAB, team).notebooks[0].grades:
                if g.auto_score is None:
                    g.manual_score, g.needs_manual_grade = points(g), False
        gb.db.commit()

    standing, got = lab(alice)
    assert (got["done"], got["score"], got["max"], got["reason"]) == (True, 18, 20, None)
    assert got["title"] == "우리 구 따릉이 이야기"
    assert standing["completed"]
    assert standing["completed_at"] == "2026-12-01T03:00:00+00:00"  # the graded submission, after the last lesson
    carol_standing, carol_lab = lab(carol)
    assert not carol_lab["done"] and not carol_standing["completed"]
    assert carol_lab["reason"] == lab_standing.BELOW.format(ratio=0.6, score=7, max=20)
    assert lab(bob)[1]["done"] and not lab(bob)[0]["completed"]  # bob's team passed; his lessons are not done
    assert lab(dave)[1]["reason"] == lab_standing.NOT_SUBMITTED
    assert lab("dlt-nobody")[1]["reason"] == lab_standing.NO_TEAM
    # the same verdict as the instructor's 이수 현황 (datalit lab export)
    table = {r["학습자"]: r["이수 현황"] for r in export.completion(course, [LAB])}
    assert {m: table[m] == "이수" for m in members} == {m: lab(m)[1]["done"] for m in members}
    # a stricter pass ratio in the rule wins over lab.pass_ratio
    assert not lab_standing.standing(state, alice, (LAB,), 0.95)[0]["done"]
    assert lab_standing.standing(state, alice, ("lab2_bike_stations",), None)[0]["reason"] == lab_standing.NOT_RELEASED

    # carol's page: her team's 7/20 and why, never team t1's 18/20
    common = {"hub": "/hub/", "prefix": "/services/datalit-progress/", "teaching": [], "tier_names": {}, "user": carol}
    page = learner_page([carol_standing], **common)
    assert "7/20점" in page and "만점의 60% 이상이어야 이수예요" in page and "18/20" not in page
    assert "18/20점" in learner_page([standing], **{**common, "user": alice})

    # the certificate lists the lab; carol's is refused and says what is left
    out = tmp_path / "alice.pdf"
    out.write_bytes(issue(state, alice, "beginner").pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "팀 실습" in text and "우리 구 따릉이 이야기" in text
    from datalit.certificate.code import CertificateError
    with pytest.raises(CertificateError) as refused:
        issue(state, carol, "beginner")
    assert "우리 구 따릉이 이야기" in refused.value.ko


def test_a_broken_gradebook_is_a_reason_not_an_error(course, lab_course, tmp_path, monkeypatch):
    """A gradebook file that is no database (a half-copied course): the learner's standing still comes back,
    the lab not done with the Korean reason."""
    from datalit.progress import completion, lab_standing

    monkeypatch.delenv("DATALIT_CONFIG", raising=False)
    (course.root / "gradebook.db").write_bytes(b"not a database")
    got = completion(tmp_path, "dlt-alice", "beginner")
    assert got["labs"][0]["reason"] == lab_standing.UNREADABLE and not got["completed"]


@pytest.mark.hub
def test_the_hubs_progress_service_reads_the_gradebook_and_shows_each_learner_only_their_team(released_hub, tmp_path):
    """Through a real hub (the progress service as the hub runs it, the real beginner rule: lab 1 released
    here, project 1 not): after a real autograde, each learner's 내 학습 현황 shows their own team's score."""
    import requests

    from datalit.labs import autograde, collect, export, roster
    from datalit.labs.course import gradebook, in_course, open_course
    from datalit.progress import lab_standing

    hub, course_dir = released_hub
    m1, _ = hub.new_user(groups=("beginner",), prefix="lc")
    m2, _ = hub.new_user(groups=("beginner",), prefix="lc")
    course = open_course(course_dir, create=False)
    roster.import_csv(course, write_roster(tmp_path / "r.csv", {"t1": [m1], "t2": [m2]}),
                      known_users=roster.system_users(), known_labs=[LAB])
    put_submission(course, m1, answered(course))
    collect.collect(course, LAB)
    report = autograde.autograde(course, LAB, workers=1, progress=False)
    assert all(r["success"] for r in report["results"]), report
    with in_course(course), gradebook(course) as gb:
        for g in gb.find_submission(LAB, "t1").notebooks[0].grades:
            if g.auto_score is None:
                g.manual_score, g.needs_manual_grade = g.max_score - 1, False
        gb.db.commit()

    def mine(user):
        auth = {"Authorization": f"token {hub.user_token(user)}"}
        me = requests.get(f"{hub.url}/services/datalit-progress/api/me", headers=auth, timeout=60)
        assert me.status_code == 200, me.text[:300]
        page = requests.get(f"{hub.url}/services/datalit-progress/", headers=auth, timeout=60)
        page.encoding = "utf-8"
        return next(c for c in me.json()["courses"] if c["tier"] == "beginner")["labs"], page.text

    exported = {r["member"]: r for r in export.rows(course, LAB)}[m1]  # what the instructor's export says
    assert exported["total"] >= 0.6 * exported["max"] > 0
    labs, page = mine(m1)
    assert [(lab["lab"], lab["done"], lab["score"], lab["max"]) for lab in labs] == [
        (LAB, True, exported["total"], exported["max"]), ("project1_bike_new_stations", False, None, None)]
    shown = f"{exported['total']:g}/{exported['max']:g}점"
    assert labs[1]["reason"] == lab_standing.NOT_RELEASED and shown in page
    labs, page = mine(m2)
    assert (labs[0]["done"], labs[0]["reason"], labs[0]["score"]) == (False, lab_standing.NOT_SUBMITTED, None)
    assert shown not in page and lab_standing.NOT_SUBMITTED in page
