"""The Korean 과제 panel (datalit/labs/panel.py) on a real hub with the real exchange service.

One hub for the module (tests/labs/conftest.py ``released_hub``: lab 1 released by real nbgrader). Team A has
two members, team B one. The due date is changed in the exchange's store (what ``datalit lab release --force
--due`` writes), so the same lab is first open and then late.

* In Chromium: a member opens 과제 from JupyterLab's menu; the panel (a tab of JupyterLab) is Korean only,
  shows the due time in Korea time, fetches the lab, submits it and lists the team's submission; once the
  due time has passed it warns how late and what it costs, and a click on 늦게 제출하기 sends nothing until
  the member confirms on the warning; then the list has the late submission with its penalty. The instructor
  collects the member's answer.
* Over HTTP, as attacks: a form field naming another member, a POST without the XSRF token, a lab name that
  walks out of the home folder, a member of another team reading the page, and no login at all.
Replaces test_assignment_list_browser.py (nbgrader's English panel, now hidden).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import tempfile
import uuid
from pathlib import Path

import nbformat
import pytest
import requests

from browserkit import korean_page, log_in_and_start, open_login, shot, wait_or_explain
from labkit import LAB, write_roster

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow]

PREFIX = "assignments-panel-"
COURSE_ID = "datalit-test"  # labkit.lab_env
# what nbgrader's English panel says; none of it may appear on ours
NBGRADER_WORDS = ("Assignments", "Released", "Downloaded", "Submitted", "Fetch", "Submit", "No courses", "Feedback",
                  "course", "Validate", "assignment")


def _store(course_dir: Path):
    from datalit.exchange.store import Store

    return Store(course_dir.parent / "exchange", COURSE_ID)


def set_due(course_dir: Path, due: dt.datetime | None) -> None:
    """The lab's due date DUE (UTC) in the exchange (its files released again) and in the gradebook, as
    ``datalit lab release --force --due`` sets it (without generating the lab again)."""
    from datalit.exchange.store import write_tree
    from datalit.labs.course import gradebook, in_course, open_course
    from datalit.labs.deadline import for_gradebook

    course = open_course(course_dir)
    with in_course(course), gradebook(course) as gb:
        gb.update_or_create_assignment(LAB, duedate=for_gradebook(due))
    store = _store(course_dir)
    files = store.released_files(LAB)
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp), files)
        store.release(LAB, Path(tmp), due)


def fill_answer(root: Path, marker: str) -> None:
    """An answer to the first task (the district), written as the folder's owner."""
    target = root / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(target, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gu")
    cell.source = f'GU = "성동구"  # {marker}'
    nbformat.write(nb, target)
    st = root.stat()
    os.chown(target, st.st_uid, st.st_gid)


def home(name: str) -> Path:
    return Path(os.path.expanduser(f"~{name}"))


def late_percent(days: int) -> int:
    from datalit.config import DEFAULTS

    return round(100 * min(1.0, DEFAULTS["lab"]["late_penalty_per_day"] * days))


@pytest.fixture(scope="module")
def teams(released_hub, unix_users):
    """Team A (two members) and team B (one), in the exchange's roster; each with a password."""
    from datalit.labs import roster
    from datalit.labs.course import open_course

    hub, course_dir = released_hub
    people = {key: hub.new_user(groups=("beginner",)) for key in ("a1", "a2", "b1")}
    tag = uuid.uuid4().hex[:6]
    names = {"A": f"pa{tag}", "B": f"pb{tag}"}
    roster.import_csv(open_course(course_dir),
                      write_roster(course_dir.parent / f"roster-{tag}.csv",
                                   {names["A"]: [people["a1"][0], people["a2"][0]], names["B"]: [people["b1"][0]]}),
                      known_users=roster.system_users(), known_labs=[LAB])
    return {"people": people, "team": names}


def panel_session(hub, name: str, password: str) -> requests.Session:
    """A browser-like session (hub login cookie, then the server's own) with NAME's server running."""
    s, resp = hub.login(name, password)
    assert resp.status_code == 302, resp.text[:300]
    hub.spawn(name)
    return s


def xsrf_of(page: str) -> str:
    return re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)


def post(hub, s: requests.Session, name: str, **form) -> requests.Response:
    resp = s.post(f"{hub.url}/user/{name}/datalit/assignments", data=form, timeout=120)
    assert resp.status_code < 500, f"{resp.status_code}\n{hub.log_tail(80)}"
    return resp


@pytest.mark.browser
def test_member_fetches_and_submits_late_from_the_korean_panel(released_hub, teams, tmp_path):
    from datalit.kst import now_utc, shown
    from datalit.labs import collect
    from datalit.labs.course import open_course

    hub, course_dir = released_hub
    member, password = teams["people"]["a1"]
    team = teams["team"]["A"]
    due = (now_utc() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    set_due(course_dir, due)
    marker = "팀 답안 " + secrets.token_hex(4)
    store = _store(course_dir)
    shutil_rmtree(home(member) / LAB)

    with korean_page() as page:
        try:
            open_login(page, hub)
            log_in_and_start(page, member, password)
            # JupyterLab's menu 과제 opens the panel in a tab; nbgrader's English menu and panel are gone
            assert not page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).count()
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^과제$")).click()
            page.locator(".lm-Menu-itemLabel", has_text="과제 (받기·제출·마감)").click()
            frame = page.frame_locator("iframe.datalit-Assignments-frame")
            card = frame.locator(f'section.lab[data-lab="{LAB}"]')
            wait_or_explain(card, page, tmp_path, "no-panel.png", lambda: f"no 과제 panel with {LAB}:\n"
                            f"{page.locator('body').inner_text()[-800:]!r}\n{hub.log_tail(30)}", prefix=PREFIX)
            body = frame.locator("body")
            assert shown(due) in card.locator(".due-time").inner_text(), card.inner_text()  # Korea time, labelled
            assert "남음" in card.inner_text() and "아직 제출이 없습니다" in card.inner_text()
            shot(page, tmp_path, "open.png", prefix=PREFIX)
            korean_only(body.inner_text(), member, team)

            # 받기: the lab lands in the member's home; its notebook is listed and opens in JupyterLab
            card.get_by_role("button", name="받기").click()
            frame.locator("#message", has_text="받았습니다").wait_for(timeout=30_000)
            assert (home(member) / LAB / f"{LAB}.ipynb").is_file(), "받기 put no notebook in the member's home"
            fill_answer(home(member), marker)
            card.locator("ul.notebooks a", has_text=LAB).click()
            page.locator(".jp-NotebookPanel .jp-Cell", has_text=marker).first.wait_for(timeout=30_000)
            shot(page, tmp_path, "notebook.png", prefix=PREFIX)
            page.locator(".lm-TabBar-tab", has_text=re.compile(r"^과제$")).click()

            # 제출하기: on time; the team's list shows who and when (Korea time) and that it is the graded one
            card.get_by_role("button", name="제출하기").click()
            frame.locator("#message", has_text="제출했습니다").wait_for(timeout=60_000)
            rows = card.locator("tr.submission")
            assert rows.count() == 1
            first = store.submissions(LAB, team)[0]
            assert rows.first.locator(".when").inner_text() == shown(first["timestamp"])
            assert rows.first.locator(".member").inner_text() == member and "채점 대상" in rows.first.inner_text()
            assert "감점" not in rows.first.inner_text()
            korean_only(body.inner_text(), member, team)
            shot(page, tmp_path, "submitted.png", prefix=PREFIX)

            # the due time passes (25 hours ago: 2 started days); the panel warns before anything is sent
            set_due(course_dir, now_utc() - dt.timedelta(hours=25))
            frame.get_by_role("button", name="새로 고침").first.click()
            warning = card.locator(".late-warning")
            warning.wait_for(timeout=30_000)
            percent = late_percent(2)
            assert f"{percent}%" in warning.inner_text() and "1일 1시간" in warning.inner_text(), warning.inner_text()
            fill_answer(home(member), marker + " 고침")
            card.get_by_role("button", name="늦게 제출하기").click()
            confirm = frame.locator("#confirm")
            confirm.wait_for(timeout=30_000)
            assert f"{percent}%" in confirm.inner_text() and "아직 제출하지 않았습니다" in confirm.inner_text()
            assert len(store.submissions(LAB, team)) == 1, "the late submission was sent before it was confirmed"
            korean_only(body.inner_text(), member, team)
            shot(page, tmp_path, "late-warning.png", prefix=PREFIX)
            frame.locator("#confirm-submit").click()
            frame.locator("#message", has_text=f"감점 {percent}%").wait_for(timeout=60_000)
            rows = card.locator("tr.submission")
            assert rows.count() == 2
            assert f"감점 {percent}%" in rows.first.inner_text() and "채점 대상" in rows.first.inner_text()
            assert "이전 제출" in rows.nth(1).inner_text()
            shot(page, tmp_path, "late-submitted.png", prefix=PREFIX)
            # the launcher has a 과제 card too, which opens the same tab
            page.locator(".lm-TabBar-addButton:visible").first.click()
            page.locator(".jp-LauncherCard", has_text="과제 (받기·제출·마감)").first.click()
            page.locator(".lm-TabBar-tab.lm-mod-current", has_text=re.compile(r"^과제$")).wait_for(timeout=30_000)
        finally:
            shot(page, tmp_path, "last.png", prefix=PREFIX)

    # the instructor collects the team's late submission, by this member, with the member's answer
    record = collect.collect(open_course(course_dir), LAB)["teams"][team]
    assert record["submitted_by"] == member and record["seconds_late"] > 25 * 3600 - 600, record
    nb = nbformat.read(course_dir / "submitted" / team / LAB / f"{LAB}.ipynb", as_version=4)
    assert marker + " 고침" in next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gu").source


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def korean_only(text: str, *names: str) -> None:
    """No English word on the panel: only the lab's id, people's and teams' ids and the KST label are Latin."""
    for word in NBGRADER_WORDS:
        assert word.lower() not in text.lower().replace(LAB, ""), (word, text)
    rest = text.replace(LAB, "")
    for name in names:
        rest = rest.replace(name, "")
    latin = set(re.findall(r"[A-Za-z]{2,}", rest)) - {"KST"}
    assert not latin, (latin, text)


def test_attacks_on_the_panel(released_hub, teams):
    """A member cannot submit as someone else, be made to submit by another site, write outside their home,
    or read another team's submissions; nobody without a login gets the page."""
    hub, course_dir = released_hub
    store = _store(course_dir)
    set_due(course_dir, None)
    (a2, a2_pw), (a1, _), (b1, b1_pw) = teams["people"]["a2"], teams["people"]["a1"], teams["people"]["b1"]
    team_a, team_b = teams["team"]["A"], teams["team"]["B"]
    s = panel_session(hub, a2, a2_pw)
    page = s.get(f"{hub.url}/user/{a2}/datalit/assignments", timeout=120)
    assert page.status_code == 200 and "과제" in page.text, page.text[:500]
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    xsrf = xsrf_of(page.text)
    shutil_rmtree(home(a2) / LAB)
    assert "받았습니다" in post(hub, s, a2, _xsrf=xsrf, action="fetch", lab=LAB).text
    fill_answer(home(a2), "a2의 답 " + secrets.token_hex(3))
    before = len(store.submissions(LAB, team_a))

    # another site's form (the member's cookies, no XSRF token): refused, nothing submitted
    forged = s.post(f"{hub.url}/user/{a2}/datalit/assignments", data={"action": "submit", "lab": LAB},
                    headers={"Referer": "http://evil.example/"}, timeout=60)
    assert forged.status_code == 403, forged.status_code
    assert len(store.submissions(LAB, team_a)) == before

    # a form field naming a teammate (and the team server's field): the submission is still the member's own
    sent = post(hub, s, a2, _xsrf=xsrf, action="submit", lab=LAB, member=a1, user=a1, username=a1)
    assert "제출했습니다" in sent.text or "바꾸려면" in sent.text, sent.text[-1500:]
    if "바꾸려면" in sent.text:  # a teammate's submission is the graded one: confirm (the exchange's rule)
        sent = post(hub, s, a2, _xsrf=xsrf, action="submit", lab=LAB, member=a1)
        assert "제출했습니다" in sent.text, sent.text[-1500:]
    latest = store.submissions(LAB, team_a)[-1]
    assert latest["member"] == a2 and len(store.submissions(LAB, team_a)) == before + 1, latest

    # the instructor's feedback on it: 피드백 받기 puts it in the lab folder, the page links it, the link opens it
    note = "피드백 " + secrets.token_hex(4)
    store.put_feedback(LAB, team_a, latest["id"], {f"{LAB}.html": f"<html><body><p>{note}</p></body></html>".encode()})
    got = post(hub, s, a2, _xsrf=xsrf, action="feedback", lab=LAB)
    assert "피드백 1개를 받았습니다" in got.text, got.text[-1500:]
    link = re.search(r'href="([^"]+\.html)" target="_blank"', got.text).group(1)
    assert s.get(f"{hub.url}{link}", timeout=60).text.count(note) == 1

    # a lab name that walks out of the home folder, or that is no released lab: a Korean refusal, nothing written
    planted = "x" + secrets.token_hex(4)
    for lab in (f"../../tmp/{planted}", "/etc", f"{LAB}/../../{planted}", "없는실습"):
        r = post(hub, s, a2, _xsrf=xsrf, action="fetch", lab=lab)
        assert r.status_code == 200 and "배포된 실습 중에 그런 이름이 없습니다" in r.text, (lab, r.status_code, r.text[-600:])
    assert not Path(f"/tmp/{planted}").exists() and not (home(a2).parent / planted).exists()

    # a member of team B sees team B only: no team A name, member or submission time on their page
    s_b = panel_session(hub, b1, b1_pw)
    theirs = s_b.get(f"{hub.url}/user/{b1}/datalit/assignments", timeout=120).text
    assert f"팀 {team_b}의 제출" in theirs and "아직 제출이 없습니다" in theirs, theirs[-1500:]
    assert team_a not in theirs and a1 not in theirs and a2 not in theirs
    theirs = post(hub, s_b, b1, _xsrf=xsrf_of(theirs), action="feedback", lab=LAB).text
    assert "아직 받을 피드백이 없습니다" in theirs and note not in theirs  # team A's feedback stays team A's
    # ... nor on team A's member's server (the hub refuses the other user's server)
    other = s_b.get(f"{hub.url}/user/{a2}/datalit/assignments", timeout=60, allow_redirects=True)
    assert other.status_code in (403, 404) or a2 not in other.text, other.status_code

    # no login: the hub's login page, never the panel
    anon = requests.get(f"{hub.url}/user/{a2}/datalit/assignments", timeout=60)
    assert "/hub/login" in anon.url and team_a not in anon.text and "아직 제출이" not in anon.text, anon.url

    # nbgrader's English panel is hidden, its server API stays (the same exchange classes)
    lab_page = s.get(f"{hub.url}/user/{a2}/lab", timeout=60).text
    assert '"@jupyter/nbgrader:assignment-list"' in lab_page.split("disabledExtensions", 1)[1][:2000]
    assert '"datalit-assignments"' in lab_page
    for name in (a2, b1):
        hub.stop_server(name)


def test_on_a_team_server_the_panel_submits_as_the_member_who_clicked(released_hub, tmp_path):
    """On the team's shared server (its token is the team account's) the submitter is the member whose request
    the server handled, from the hub; a form field naming the other member changes nothing."""
    from datalit.hub.teamserver import account_name
    from teamkit import logged_in, open_team_server, team_ids, teams_made

    hub, course_dir = released_hub
    set_due(course_dir, None)
    (a, _), (b, pb) = hub.new_user(), hub.new_user()
    (team,) = team_ids(1)
    account = account_name(team)
    store = _store(course_dir)
    with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
        s_b = logged_in(hub, b, pb)
        assert open_team_server(hub, s_b, team).status_code == 200
        page = s_b.get(f"{hub.url}/user/{account}/datalit/assignments", timeout=120)
        assert page.status_code == 200 and f"팀 {team}의 제출" in page.text and f"{b}님" in page.text, page.text[-800:]
        xsrf = xsrf_of(page.text)
        assert "받았습니다" in post(hub, s_b, account, _xsrf=xsrf, action="fetch", lab=LAB).text
        folder = Path(os.environ["DATALIT_LAB_TEAMS_DIR"]) / team
        assert (folder / LAB / f"{LAB}.ipynb").is_file()
        fill_answer(folder, "팀 서버에서 " + secrets.token_hex(3))
        sent = post(hub, s_b, account, _xsrf=xsrf, action="submit", lab=LAB, member=a)
        assert "제출했습니다" in sent.text and f"· {b}" in sent.text, sent.text[-1500:]
        assert [s["member"] for s in store.submissions(LAB, team)] == [b]
        hub.stop_server(b)
