"""Team rosters: which members form which team, per lab.

CSV with a header, either one row per member (``lab,team,member``) or one row per team
(``lab,team,members`` with members separated by ``;`` or spaces). Stored as
``<course>/datalit/roster.json``: ``{lab: {team: [member, ...]}}``. Importing a CSV replaces the
teams of the labs it mentions and keeps the other labs.

Teams are nbgrader students (student id = team id); the gradebook's student record carries the
members' names so that the formgrader shows them.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from datalit import atomic
from datalit.hub.uids import people
from datalit.labs.course import Course, LabError

TEAM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
USER_ID = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$")


class RosterError(LabError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("명단(roster)에 문제가 있어 아무것도 바꾸지 않았습니다:\n" +
                         "\n".join(f"  - {p}" for p in problems))


def system_users() -> set[str]:
    """Hub users in root mode are unix users (the people's uid range)."""
    return people()


def parse_csv(path: str | Path) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    path = Path(path)
    if not path.is_file():
        raise RosterError([f"파일이 없습니다: {path}"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError([f"{path}: UTF-8 CSV가 아닙니다 (엑셀에서 'CSV UTF-8'로 저장하세요)"]) from None
    rows = list(csv.DictReader(text.splitlines()))
    fields = {(f or "").strip().lower() for f in (rows[0].keys() if rows else [])}
    problems: list[str] = []
    if not rows:
        raise RosterError([f"{path}: 비어 있습니다 (머리줄 lab,team,member 와 한 줄 이상 필요)"])
    if not {"lab", "team"} <= fields or not ({"member"} & fields or {"members"} & fields):
        raise RosterError([f"{path}: 머리줄은 lab,team,member 또는 lab,team,members 여야 합니다 (지금: {', '.join(sorted(fields))})"])
    roster: dict[str, dict[str, list[str]]] = {}
    for n, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        lab, team = row.get("lab", ""), row.get("team", "")
        if not lab or not team:
            problems.append(f"{n}행: lab 과 team 이 모두 있어야 합니다")
            continue
        if not TEAM_ID.match(team):
            problems.append(f"{n}행: 팀 ID '{team}'는 영문/숫자/-/_ 32자 이내여야 합니다 (+, *, 공백 불가)")
            continue
        members = row.get("members") or row.get("member") or ""
        names = [m for m in re.split(r"[;\s,]+", members) if m]
        team_members = roster.setdefault(lab, {}).setdefault(team, [])
        for m in names:
            if m in team_members:
                problems.append(f"{n}행: '{m}'이(가) 팀 '{team}'에 두 번 있습니다")
            else:
                team_members.append(m)
    return roster, problems


def validate(roster: dict, known_users: set[str] | None, known_labs: list[str] | None) -> list[str]:
    problems = []
    for lab, teams in roster.items():
        if known_labs is not None and lab not in known_labs:
            problems.append(f"알 수 없는 실습 '{lab}' (있는 실습: {', '.join(known_labs)})")
        seen: dict[str, str] = {}
        for team, members in teams.items():
            if not members:
                problems.append(f"[{lab}] 팀 '{team}'에 팀원이 없습니다 (빈 팀)")
            for m in members:
                if m in seen and seen[m] != team:
                    problems.append(f"[{lab}] '{m}'이(가) 두 팀에 있습니다: '{seen[m]}', '{team}'")
                seen.setdefault(m, team)
                if not USER_ID.match(m):
                    problems.append(f"[{lab}] 사용자 이름 '{m}'이(가) 올바르지 않습니다")
                elif known_users is not None and m not in known_users:
                    problems.append(f"[{lab}] 알 수 없는 사용자 '{m}' (허브에 계정이 없습니다)")
    return problems


def load(course: Course) -> dict[str, dict[str, list[str]]]:
    p = course.meta / "roster.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def save(course: Course, roster: dict) -> None:
    p = course.meta / "roster.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_json(p, roster, ensure_ascii=False, indent=1, sort_keys=True)


def check_csv(path: str | Path, known_users: set[str] | None = None, known_labs: list[str] | None = None) -> dict:
    """The roster in PATH, or RosterError listing every problem (nothing is read from the course or the hub)."""
    new, problems = parse_csv(path)
    problems += validate(new, known_users, known_labs)
    if problems:
        raise RosterError(problems)
    return new


def import_csv(course: Course, path: str | Path, known_users: set[str] | None = None,
               known_labs: list[str] | None = None) -> dict:
    """Validate the whole file first; store it only if there is no problem at all."""
    new = check_csv(path, known_users, known_labs)
    from datalit.labs.publish import push_roster

    (course.meta / "roster.json").parent.mkdir(parents=True, exist_ok=True)
    # two imports at once: the second reads what the first wrote, and the gradebook and the exchange get
    # the rosters in the same order as the file
    with atomic.locked(course.meta / "roster.json"):
        roster = load(course)
        roster.update(new)
        save(course, roster)
        sync_gradebook(course, roster)
        push_roster(course, roster)  # the exchange maps a submitting member to the team with it
    return roster


def sync_gradebook(course: Course, roster: dict) -> None:
    """Every team is an nbgrader student; last_name lists its members (shown by the formgrader)."""
    from datalit.labs.course import gradebook, in_course

    members: dict[str, set[str]] = {}
    for teams in roster.values():
        for team, ms in teams.items():
            members.setdefault(team, set()).update(ms)
    with in_course(course), gradebook(course) as gb:
        for team, ms in members.items():
            gb.update_or_create_student(team, first_name=f"팀 {team}", last_name=", ".join(sorted(ms)))


def team_of(roster: dict, lab: str, member: str) -> str | None:
    for team, members in roster.get(lab, {}).items():
        if member in members:
            return team
    return None


def members_of(roster: dict, lab: str, team: str) -> list[str]:
    return list(roster.get(lab, {}).get(team, []))
