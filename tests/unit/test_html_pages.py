"""Every HTML page datalit builds comes from an autoescaped Jinja2 template (datalit/templates/), none from
an f-string: the workshop sheet, the feedback notes, the report title block, sources and batch index were
f-strings that needed an ``html.escape`` at each value (the feedback fallback page's title had none)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from datalit import templating

EVIL = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
REPO = Path(__file__).resolve().parents[2]
# Jinja2 sources kept as Python strings and rendered autoescaped: the progress pages (their own Environment)
# and nbconvert's report page template (offline.py)
JINJA_IN_PYTHON = {"datalit/progress/pages.py", "datalit/reports/offline.py"}
PAGE_TAGS = ("<html", "<body", "<div", "<table", "<tr", "<li", "<ul", "<h1", "<h2", "<h3", "<header", "<footer")


def _html_strings(tree) -> list[ast.Constant]:
    """String constants naming a page tag, less docstrings and bare string statements (they only talk about tags)."""
    prose = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in prose and n.value.strip().lower() not in PAGE_TAGS  # ('<body': a place found)
            and any(tag in n.value.lower() for tag in PAGE_TAGS)]


def test_no_html_page_is_built_in_python_strings():
    found = []
    for path in sorted((REPO / "datalit").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel not in JINJA_IN_PYTHON:
            found += [f"{rel}:{n.lineno}: {n.value[:60]!r}" for n in _html_strings(ast.parse(path.read_text("utf-8")))]
    assert not found, "HTML built in Python strings (move it to datalit/templates/):\n" + "\n".join(found)


def test_the_workshop_sheet_escapes_what_it_shows():
    from datalit.hub import workshop

    rows = [{"username": EVIL, "password": "a&b", "tier": "citizen", "expires": "-"}]
    page = workshop.credential_sheet(rows, {"expires_at": "2026-12-24T15:00:00+00:00"}, f"http://x/{EVIL}")
    assert "<img" not in page and page.count(ESCAPED) == 2 and "a&amp;b" in page
    assert "2026-12-24 23:59 (KST)까지 사용할 수 있습니다" in page and "시민 과정" in page


def test_feedback_notes_and_the_fallback_page_escape_team_member_and_lab():
    box = templating.render("feedback_notes.html", team=EVIL, notes=[{"text": EVIL}], graded={
        "submitted_by": EVIL, "when": "2026-12-20 18:00 (KST)", "late": "", "due": "", "count": 2})
    assert "<img" not in box and box.count(ESCAPED) == 3
    assert f"채점 안내 (팀 {ESCAPED})" in box and "· 팀 제출 2회" in box
    assert "특이 사항 없음" in templating.render("feedback_notes.html", team="t1", notes=[], graded=None)
    page = templating.render("feedback_missing.html", lab=EVIL)
    assert "<img" not in page and f"<title>{ESCAPED} 피드백</title>" in page


def test_report_title_sources_and_index_escape_parameters_errors_and_names(tmp_path):
    from datalit.reports import index, render

    head = render.title_block(EVIL, {"gu": EVIL, "year": None}, {"gu": "자치구"}, "2026-12-07 10:00 (KST)", "failed")
    assert "<img" not in head and "<th>자치구</th>" in head and "<td>—</td>" in head and "datalit-failed" in head
    foot = render.sources_block({f"{EVIL}/a.csv": "0" * 64}, [EVIL])
    assert "<img" not in foot and foot.count(ESCAPED) == 2
    assert "(기록된 데이터 파일 없음)" in render.sources_block({})
    summary = {"notebook": f"/r/{EVIL}.ipynb", "notebook_sha256": "ab" * 32, "backend": "processes", "wall_s": 1.0,
               "counts": {"ok": 0, "cached": 0, "failed": 1},
               "reports": [{"parameters": {"gu": EVIL}, "status": "failed", "duration_s": 0.5, "html": None,
                            "pdf": None, "ipynb": f'gu-"{EVIL}/a.ipynb', "folder": "gu-종로구", "error": EVIL}]}
    page = index.write_index(tmp_path / "index.html", summary, {}).read_text(encoding="utf-8")
    assert "<img" not in page and page.count(ESCAPED) == 5  # title, h1, notebook, cell, error
    assert 'href="gu-%22%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/a.ipynb"' in page  # a path: percent-encoded
    assert 'href="gu-%EC%A2%85%EB%A1%9C%EA%B5%AC/manifest.json"' in page


def test_a_misspelt_value_is_an_error_not_an_empty_string():
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        templating.render("feedback_missing.html")
