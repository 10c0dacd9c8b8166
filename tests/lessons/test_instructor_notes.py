"""Instructor notes (issue #14): one markdown cell tagged ``instructor`` per lesson, validated by
``datalit lesson check``, removed from the learner form, and gathered into a Korean handbook per course by
``datalit lesson build``."""
from __future__ import annotations

import nbformat
import pytest
from click.testing import CliRunner

from datalit.lessons import instructor
from datalit.lessons.build import build_all, learner_notebook
from datalit.lessons.checks import questions_in
from datalit.lessons.cli import lesson as lesson_cli
from datalit.lessons.courses import exercise_module, lesson_paths, lessons
from datalit.lessons.exercises import load_module
from datalit.lessons.hygiene import check_notebook
from datalit.lessons.schema import TIERS

pytestmark = pytest.mark.lessons

LESSONS = lesson_paths()
NOTES = "### 강사 노트\n\n**시간 배분**: 도입 5분 · 연습 20분\n\n**흔한 실수**: 따옴표를 빠뜨려요.\n\n**토론 질문**: 우리 동네는?"


def _key(path):
    return f"{path.parent.name}/{path.name}"


def _tags(cell):
    return cell.get("metadata", {}).get("tags") or []


@pytest.mark.parametrize("path", LESSONS, ids=_key)
def test_every_lesson_has_one_instructor_cell_of_the_right_shape(path):
    nb = nbformat.read(str(path), as_version=4)
    cells = instructor.notes_cells(nb)
    assert len(cells) == 1, f"{_key(path)}: {len(cells)} cells tagged 'instructor' (one expected)"
    assert instructor.cell_problems(nb) == []


def _nb_with(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 제목"), *cells, nbformat.v4.new_markdown_cell("## 핵심 정리")]
    return nb


@pytest.mark.parametrize("cell, reason", [
    (nbformat.v4.new_code_cell("print(1)", metadata={"tags": ["instructor"]}), "must be a markdown cell"),
    (nbformat.v4.new_markdown_cell("강사 메모\n시간 배분 흔한 실수 토론 질문", metadata={"tags": ["instructor"]}),
     "must start with '### 강사 노트'"),
    (nbformat.v4.new_markdown_cell("### 강사 노트\n\n**시간 배분**: 40분", metadata={"tags": ["instructor"]}),
     "has no '흔한 실수' part"),
    (nbformat.v4.new_markdown_cell(NOTES, metadata={"tags": ["instructor", "solution"]}), "also tagged"),
])
def test_a_misshapen_instructor_cell_is_reported(cell, reason):
    problems = instructor.cell_problems(_nb_with(cell))
    assert any(reason in p for p in problems), problems


def test_two_instructor_cells_or_one_at_the_end_are_reported():
    note = nbformat.v4.new_markdown_cell(NOTES, metadata={"tags": ["instructor"]})
    assert instructor.cell_problems(_nb_with(note)) == []
    assert any("more than one" in p for p in instructor.cell_problems(_nb_with(note, note)))
    nb = _nb_with()
    nb.cells.append(note)
    assert any("first or the last" in p for p in instructor.cell_problems(nb))


def test_lesson_check_reports_the_instructor_cell(tmp_path):
    good = lesson_paths("citizen")[0] if lesson_paths("citizen") else LESSONS[0]
    nb = nbformat.read(str(good), as_version=4)
    nb.cells = [c for c in nb.cells if "instructor" not in _tags(c)]
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("### 강사 노트\n\n시간 배분만 있어요.",
                                                     metadata={"tags": ["instructor"]}))
    path = tmp_path / good.parent.name / good.name
    path.parent.mkdir()
    nbformat.write(nb, str(path))
    assert any("(instructor): has no '토론 질문' part" in p for p in check_notebook(path))
    result = CliRunner().invoke(lesson_cli, ["check", str(path)])
    assert result.exit_code == 1 and "instructor" in result.output


def test_learner_form_drops_instructor_cells_only():
    nb = _nb_with(nbformat.v4.new_markdown_cell(NOTES, metadata={"tags": ["instructor"]}),
                  nbformat.v4.new_code_cell("x = 1"))
    out = learner_notebook(nb)
    assert [c.source for c in out.cells] == ["# 제목", "x = 1", "## 핵심 정리"]
    assert len(nb.cells) == 4  # the solution form is untouched


def test_build_writes_learner_forms_without_notes_and_a_handbook_per_course(tmp_path):
    result = build_all(tmp_path)
    assert set(result) == {t for t in TIERS if lesson_paths(t)}
    for tier, built in result.items():
        for path in built:
            learner = nbformat.read(str(path), as_version=4)
            assert not [c for c in learner.cells if "instructor" in _tags(c)], path
            assert "### 강사 노트" not in "\n".join(c.source for c in learner.cells), path
        handbook = (tmp_path / tier / instructor.HANDBOOK_NAME).read_text(encoding="utf-8")
        assert handbook.startswith("# 강사용 안내서")
        for lesson, source in zip(lessons(tier), lesson_paths(tier)):
            assert f"## {lesson.number}. {lesson.title} ({lesson.minutes}분)" in handbook
            nb = nbformat.read(str(source), as_version=4)
            for objective in nb.metadata["datalit"]["objectives"]:
                assert objective in handbook
            notes = instructor.notes_cells(nb)
            if notes:
                assert instructor.notes_body(notes[0].source).splitlines()[0] in handbook
            for q in questions_in(load_module(exercise_module(source))):
                    assert f"**{q.name}**" in handbook and q.prompt.splitlines()[0].strip() in handbook
        # the hub hands out only notebooks: the handbook never reaches a learner's ~/courses
        from datalit.hub.content import sync

        report = sync(tmp_path, tmp_path / "home", [tier])
        assert not (tmp_path / "home" / tier / instructor.HANDBOOK_NAME).exists()
        assert sorted(report["added"]) == sorted([f"{tier}/{p.name}" for p in built] + [f"{tier}/용어집.ipynb"])


def test_citizen_handbook_has_every_lesson_with_its_notes(tmp_path):
    paths = lesson_paths("citizen")
    assert 3 <= len(paths) <= 5  # a short workshop course (test_lessons_run holds its minutes to 150)
    cli = CliRunner().invoke(lesson_cli, ["build", "--out", str(tmp_path), "--tier", "citizen"])
    assert cli.exit_code == 0 and "citizen: " in cli.output and instructor.HANDBOOK_NAME in cli.output
    handbook = (tmp_path / "citizen" / instructor.HANDBOOK_NAME).read_text(encoding="utf-8")
    for section in instructor.SECTIONS:
        assert handbook.count(section) >= len(paths)
    assert "개념 질문" in handbook and "아직 강사 노트가 없어요" not in handbook
