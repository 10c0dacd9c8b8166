"""The service's two HTML pages, in Korean with Korea time: 내 학습 현황 (a learner's own record) and the
instructor's dashboard of one course. Rendered here (jinja2, autoescaped) from the dicts of
:mod:`datalit.progress.record` and :mod:`datalit.progress.dashboard`; nothing a learner typed is trusted
(an undiagnosed answer's value is escaped like everything else)."""
from __future__ import annotations

from functools import lru_cache

from datalit import kst

STYLE = """
body{font-family:"NanumGothic","Noto Sans KR","Malgun Gothic",sans-serif;margin:1.5rem auto;max-width:72rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.2rem;margin-top:2rem} table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;font-size:.92rem} th{background:#f2f4f7}
td.done{background:#e6f4ea} td.num{text-align:right} .muted{color:#666} nav a{margin-right:1rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;background:#e6f4ea;color:#175c2c}
.stuck{background:#fdecea} .btn{display:inline-block;padding:.4rem .9rem;background:#1f6feb;color:#fff;border-radius:.3rem;text-decoration:none}
"""

BASE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ style }}</style></head><body>
<nav><a href="{{ hub }}home">허브 홈</a><a href="{{ prefix }}">내 학습 현황</a>
{% for t in teaching %}<a href="{{ prefix }}course/{{ t }}">{{ tier_names[t] }} 과정 대시보드</a>{% endfor %}
<span class="muted">{{ user }}</span></nav>{% block body %}{% endblock %}
<p class="muted">시각은 모두 한국 시간(KST)입니다. 강의의 확인 문제는 학습자 자신의 커널에서 실행되는 형성 평가로,
그 결과는 학습자 쪽이 보낸 자기 보고입니다. 검증된 것은 팀 실습 성적(허브의 과제 교환 서비스에서 채점)뿐입니다.</p></body></html>"""

LEARNER = """{% extends "base" %}{% block body %}<h1>내 학습 현황</h1>
{% if not courses %}<p>아직 기록이 없어요. 강의 노트북에서 <code>q1.check()</code>처럼 문제를 확인하면 여기에 쌓여요.</p>{% endif %}
{% for c in courses %}<h2>{{ c.course_title }}</h2>
<p>완료한 강의 <b>{{ c.done }}/{{ c.lessons|length }}</b> · 통과한 문제 <b>{{ c.passed }}/{{ c.total }}</b>
 · 완료한 강의의 학습 시간 <b>{{ c.minutes_done }}분</b> (과정 전체 {{ c.hours }}시간)
 {% if c.completed %}· <span class="badge">이수 {{ c.completed_shown }}</span>
 {% if c.may_download %}<a class="btn" href="{{ prefix }}certificate/{{ c.tier }}">교육 이수증 내려받기 (PDF)</a>
 {% else %}<span class="muted">담당 강사가 이수를 확인하면 이수증을 내려받을 수 있어요.</span>{% endif %}{% endif %}</p>
<table><tr><th>강의</th><th>통과한 문제</th><th>시간</th><th>완료</th></tr>
{% for l in c.lessons %}<tr><td>{{ l.title }}</td><td class="num {{ 'done' if l.completed_at }}">{{ l.passed }}/{{ l.total }}</td>
<td class="num">{{ l.minutes }}분</td><td>{{ l.completed_shown }}</td></tr>{% endfor %}</table>
{% if c.labs %}<p>팀 실습도 이수 기준에 들어요 (이수한 실습 <b>{{ c.labs_done }}/{{ c.labs|length }}</b>, 우리 팀 점수만 보여요).</p>
<table><tr><th>팀 실습</th><th>우리 팀 점수</th><th>이수</th></tr>
{% for lab in c.labs %}<tr><td>{{ lab.title }}</td><td class="num {{ 'done' if lab.done }}">{{ lab.score_shown }}</td>
<td>{{ '이수' if lab.done else lab.reason }}</td></tr>{% endfor %}</table>{% endif %}
{% if c.first_shown %}<p class="muted">첫 기록 {{ c.first_shown }}</p>{% endif %}{% endfor %}{% endblock %}"""

DASHBOARD = """{% extends "base" %}{% block body %}<h1>{{ o.course_title }} — 강사 대시보드</h1>
<h2>학습자 × 강의 (통과한 문제/전체)</h2>
{% if not o.grid %}<p>아직 이 과정의 학습자 기록이 없어요.</p>{% else %}
<p class="muted">강의 확인 문제의 결과는 학습자 자신의 커널이 보낸 자기 보고입니다. 칸마다 활동 시간(첫 기록부터 완료까지, 분) ·
힌트 · 풀이 요청 횟수를 함께 보여요. <b>주의</b>: 강의 시간의 10분의 1보다 빨리 완료했거나, 첫 통과 말고는 기록이
없는 강의(틀린 확인, 힌트·풀이 요청, 다시 한 확인이 하나도 없음)입니다.</p>
<table><tr><th>학습자</th>{% for l in o.lessons %}<th title="{{ l.title }}">{{ '%02d'|format(l.number) }}</th>{% endfor %}<th>완료</th><th>주의</th><th>마지막 기록</th><th>이수 승인</th></tr>
{% for r in o.grid %}<tr data-learner="{{ r.user }}" data-flags="{{ r.flags }}" data-approved="{{ 'yes' if r.approved else 'no' }}"><td>{{ r.user }}</td>{% for l in r.lessons %}<td class="num {{ 'done' if l.completed_at }} {{ 'stuck' if l.flag }}" data-lesson="{{ l.lesson }}" data-flag="{{ 'yes' if l.flag else 'no' }}">{{ l.passed }}/{{ l.total }}{% if l.completed_at or l.hints or l.solutions %}<br><span class="muted">{{ l.span_minutes }}분 · 힌트 {{ l.hints }} · 풀이 {{ l.solutions }}</span>{% endif %}{% if l.flag %}<br><b>주의</b>{% endif %}</td>{% endfor %}
<td class="num">{{ r.done }}/{{ r.lessons|length }}</td><td class="num">{{ r.flags }}</td><td>{{ r.last }}</td>
<td>{% if r.approved %}승인됨 ({{ r.approved.by }}, {{ r.approved.shown }}){% elif r.lessons_complete %}<form method="post" action="{{ prefix }}course/{{ o.tier }}/approve"><input type="hidden" name="_xsrf" value="{{ xsrf }}"><input type="hidden" name="user" value="{{ r.user }}"><button type="submit">이수 승인</button></form>{% else %}-{% endif %}</td></tr>{% endfor %}</table>{% endif %}
<h2>막힌 학습자 (같은 문제를 {{ stuck_fails }}번 이상 틀리고 아직 통과 못 함)</h2>
{% if not o.stuck %}<p>없어요.</p>{% else %}<table><tr><th>학습자</th><th>강의</th><th>문제</th><th>틀린 횟수</th></tr>
{% for s in o.stuck %}<tr class="stuck"><td>{{ s.user }}</td><td>{{ s.lesson }}</td><td>{{ s.question }}</td><td class="num">{{ s.fails }}</td></tr>{% endfor %}</table>{% endif %}
<h2>가장 많이 틀린 문제</h2>
{% if not o.most_failed %}<p>없어요.</p>{% else %}<table><tr><th>강의</th><th>문제</th><th>틀린 횟수</th><th>학습자 수</th></tr>
{% for m in o.most_failed %}<tr><td>{{ m.lesson }}</td><td>{{ m.question }}</td><td class="num">{{ m.fails }}</td><td class="num">{{ m.learners }}</td></tr>{% endfor %}</table>{% endif %}
<h2>진단되지 않은 오답 (강의에 진단을 추가할 후보)</h2>
{% if not o.gaps %}<p>없어요. 틀린 답이 모두 알려진 실수로 진단되었어요.</p>{% else %}<table><tr><th>강의</th><th>문제</th><th>자주 나온 답 (횟수)</th></tr>
{% for g in o.gaps %}<tr><td>{{ g.lesson }}</td><td>{{ g.question }}</td><td>{% for a in g.answers %}<code>{{ a.value }}</code> ({{ a.count }}){% if not loop.last %}, {% endif %}{% endfor %}</td></tr>{% endfor %}</table>{% endif %}
<p class="muted">내보내기: <code>datalit progress export --out 학습현황.csv --tier {{ o.tier }}</code></p>{% endblock %}"""

MESSAGE = """{% extends "base" %}{% block body %}<h1>{{ title }}</h1><p>{{ message }}</p>{% endblock %}"""


@lru_cache(maxsize=1)
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.DictLoader({"base": BASE, "learner": LEARNER, "dashboard": DASHBOARD,
                                                        "message": MESSAGE}), autoescape=True)


def _shown(when) -> str:
    return kst.shown(when) if when else "-"


def _points(lab: dict) -> str:
    return f"{lab['score']:g}/{lab['max']:g}점" if lab.get("max") else "-"


def learner_page(standings: list[dict], **common) -> str:
    """STANDINGS: :func:`datalit.progress.completion` dicts, one per course."""
    courses = []
    for s in standings:
        lessons = [{**lesson, "completed_shown": _shown(lesson["completed_at"])} for lesson in s["lessons"]]
        courses.append({**s, "lessons": lessons, "done": sum(1 for x in lessons if x["completed_at"]),
                        "passed": sum(x["passed"] for x in lessons), "total": sum(x["total"] for x in lessons),
                        "minutes_done": sum(x["minutes"] for x in lessons if x["completed_at"]),
                        "completed_shown": _shown(s["completed_at"]), "first_shown": s["first_at"] and _shown(s["first_at"]),
                        "labs": [{**lab, "score_shown": _points(lab)} for lab in s.get("labs", [])],
                        "labs_done": sum(1 for lab in s.get("labs", []) if lab["done"])})
    return _env().get_template("learner").render(title="내 학습 현황", courses=courses, style=STYLE, **common)


def dashboard_page(overview: dict, stuck_fails: int, xsrf: str = "", **common) -> str:
    return _env().get_template("dashboard").render(title=f"{overview['course_title']} 대시보드", o=overview,
                                                  stuck_fails=stuck_fails, xsrf=xsrf, style=STYLE, **common)


def message_page(title: str, message: str, **common) -> str:
    return _env().get_template("message").render(title=title, message=message, style=STYLE, **common)
