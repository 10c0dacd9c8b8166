"""Instructor notes (Carpentries style) kept in the lesson, and the Korean instructor handbook built from them.

A lesson carries one markdown cell tagged ``instructor`` (cell metadata ``{"tags": ["instructor"]}``)::

    ### 강사 노트

    **시간 배분** (40분): 도입 5분 · 데이터 읽기 10분 · 연습 20분 · 정리 5분
    **흔한 실수**: ...
    **토론 질문**: ...

``datalit lesson build`` drops it from the learner form and writes ``<out>/<tier>/강사용-안내서.md``: per
lesson the title, minutes, objectives, the notes and the list of exercises. ``datalit lesson check``
validates the cell's shape when there is one (:func:`cell_problems`).

    >>> from datalit.lessons.instructor import handbook_markdown
    >>> print(handbook_markdown("citizen"))
"""
from __future__ import annotations

import re
from pathlib import Path

from datalit import atomic
from datalit.lessons.checkers.korean import josa

TAG = "instructor"
HEADING = "### 강사 노트"
SECTIONS = ("시간 배분", "흔한 실수", "토론 질문")
HANDBOOK_NAME = "강사용-안내서.md"


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags") or []


def notes_cells(nb) -> list:
    return [c for c in nb.cells if TAG in _tags(c)]


def cell_problems(nb) -> list[str]:
    """Shape of the instructor cell, when the lesson has one (empty list = fine, or no such cell)."""
    problems = []
    found = [(i, c) for i, c in enumerate(nb.cells) if TAG in _tags(c)]
    if len(found) > 1:
        problems.append(f"more than one cell tagged 'instructor' (cells {', '.join(str(i) for i, _ in found)})")
    for i, cell in found:
        where = f"cell {i} (instructor)"
        if cell.cell_type != "markdown":
            problems.append(f"{where}: must be a markdown cell")
            continue
        if not cell.source.lstrip().startswith(HEADING):
            problems.append(f"{where}: must start with '{HEADING}'")
        for section in SECTIONS:
            if section not in cell.source:
                problems.append(f"{where}: has no '{section}' part")
        if i == 0 or i == len(nb.cells) - 1:
            problems.append(f"{where}: must not be the first or the last cell (objectives / key points go there)")
        other = set(_tags(cell)) & {"solution", "parameters"}
        if other:
            problems.append(f"{where}: also tagged {sorted(other)}")
    return problems


def notes_body(cell_source: str) -> str:
    """The notes without their ``### 강사 노트`` heading, headings demoted to fit under a lesson heading."""
    text = cell_source.strip()
    if text.startswith(HEADING):
        text = text[len(HEADING):].lstrip("\n")
    return re.sub(r"^(#{1,5}) ", lambda m: "#" * max(len(m.group(1)), 3) + "# ", text, flags=re.M).strip()


def _exercise_lines(module_name: str | None) -> list[str]:
    if not module_name:
        return []
    try:
        from datalit.lessons.checks import questions_in
        from datalit.lessons.concepts import Concept
        from datalit.lessons.exercises import load_module

        questions = questions_in(load_module(module_name))
    except Exception as exc:  # noqa: BLE001 - the handbook still lists the rest
        return [f"- (연습 문제 모듈 {josa(f'`{module_name}`', '을/를')} 읽지 못했어요: {type(exc).__name__})"]
    lines = []
    for q in questions:
        first, *rest = q.prompt.splitlines()
        kind = "개념 질문" if isinstance(q, Concept) else "계산"
        where = f" → `{q.variable}`" if q.variable else ""
        lines.append(f"- **{q.name}** ({kind}{where}): {first.strip()}")
        lines += [f"    - {r.strip()}" for r in rest if r.strip()]
    return lines


def lesson_section(path: Path) -> str:
    from datalit.lessons.courses import read_notebook

    nb = read_notebook(Path(path))
    meta = nb.metadata.get("datalit") or {}
    out = [f"## {meta.get('number', '?')}. {meta.get('title', path.name)} ({meta.get('minutes', '?')}분)", "",
           f"파일: `{path.name}` · 데이터: {', '.join(f'`{d}`' for d in meta.get('datasets', []))}", ""]
    params = meta.get("parameters") or {}
    if params:
        shown = ", ".join(f"`{n}` ({spec.get('label', spec.get('type'))})" for n, spec in params.items())
        out += [f"매개변수: {shown}", ""]
    out += ["### 학습 목표", ""] + [f"- {o}" for o in meta.get("objectives", [])] + [""]
    cells = notes_cells(nb)
    out += ["### 강사 노트", ""]
    out += [notes_body(cells[0].source) if cells else "(이 수업에는 아직 강사 노트가 없어요.)", ""]
    from datalit.lessons.courses import exercise_module

    exercises = _exercise_lines(exercise_module(path))
    out += ["### 연습 문제", ""] + (exercises or ["- (연습 문제 모듈이 없어요)"]) + [""]
    return "\n".join(out)


def handbook_markdown(tier: str, root: Path | None = None) -> str:
    """The Korean instructor handbook of one course (markdown)."""
    from datalit.lessons.courses import lesson_paths, lessons, read_manifest

    manifest = read_manifest(tier, root) or {}
    paths = lesson_paths(tier, root)
    total = sum(l.minutes for l in lessons(tier, root))
    out = [f"# 강사용 안내서 — {manifest.get('title', tier)}", ""]
    if manifest.get("description"):
        out += [" ".join(manifest["description"].split()), ""]
    if manifest.get("audience"):
        out += [f"대상: {manifest['audience']}", ""]
    out += [f"수업 {len(paths)}개 · 모두 {total}분 (쉬는 시간 제외)", "",
            "이 안내서는 `datalit lesson build`가 각 수업 노트북의 강사 노트 셀(태그 `instructor`)과 연습 문제에서 "
            "만들어요. 학습자용 노트북에는 강사 노트가 들어가지 않아요. 고칠 때는 수업 노트북(`courses/"
            f"{tier}/`)의 강사 노트 셀을 고치고 다시 빌드하세요.", "",
            "| 순서 | 수업 | 시간 |", "|---|---|---|"]
    for l in lessons(tier, root):
        out.append(f"| {l.number} | {l.title} | {l.minutes}분 |")
    out.append("")
    for p in paths:
        out += [lesson_section(p), ""]
    return "\n".join(out).rstrip() + "\n"


def write_handbook(tier: str, out_dir: Path, root: Path | None = None) -> Path:
    out = Path(out_dir) / tier / HANDBOOK_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(out, handbook_markdown(tier, root))
    return out
