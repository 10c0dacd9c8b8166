"""``datalit team activity``: who did what on each team server, for the instructor (Korean table).

The figures are the exchange's record (datalit/exchange/activity.py): per member, cells edited (distinct
cells whose source they changed), cells executed and active minutes on the team server, and submissions (who clicked Submit). Read straight from the store
as root on the hub machine; members and other teams never see them. What they can and cannot prove:
docs/instructor-guide.md (팀 서버).
"""
from __future__ import annotations

from datalit.kst import shown
from datalit.labs.course import Course, LabError
from datalit.labs.roster import load


def rows(course: Course, team: str | None = None) -> list[dict]:
    from datalit.exchange import activity
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store

    roster = load(course)
    teams = sorted({t for lab_teams in roster.values() for t in lab_teams})
    if team is not None:
        if team not in teams:
            raise LabError(f"명단에 없는 팀입니다: {team}")
        teams = [team]
    store = Store(exchange_root(course.cfg), course.course_id)
    out = []
    for t in teams:
        labs = sorted(lab for lab, lab_teams in roster.items() if t in lab_teams)
        members = sorted({m for lab in labs for m in roster[lab][t]})
        for r in activity.summary(store, t, members, labs):
            out.append({"team": t, **r, "last_active": shown(r["last_active"]) if r["last_active"] else "-"})
    return out


def table(course: Course, team: str | None = None) -> str:
    data = rows(course, team)
    if not data:
        return "팀이 없습니다 (datalit team import로 명단을 먼저 가져오세요)."
    head = ("팀", "팀원", "편집한 셀", "실행한 셀", "활동한 분", "제출", "마지막 활동")
    lines = [head] + [(r["team"], r["member"], str(r["edited"]), str(r["executed"]), str(r["active_minutes"]),
                       str(r["submissions"]), r["last_active"]) for r in data]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
    text.append("(팀 서버에서 기록: 셀 편집·실행과 활동한 분은 팀 서버의 이벤트, 제출은 제출 기록. "
                "키 입력과 셀 내용은 기록하지 않습니다.)")
    return "\n".join(text)
