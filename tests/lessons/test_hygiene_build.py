"""`datalit lesson check` passes on the repo and fails with reasons on bad notebooks; `build` removes
solutions and keeps checks; the schema validates metadata and parameter values."""
from __future__ import annotations

import copy
import re
import shutil

import nbformat
import pytest
from click.testing import CliRunner

from datalit.lessons import schema
from datalit.lessons.build import BEGIN, END, STUB, assigned_names, build_all, learner_notebook
from datalit.lessons.cli import lesson as lesson_cli
from datalit.lessons.courses import lesson_paths, tagged
from datalit.reports import params
from datalit.lessons.hygiene import check_all, check_notebook

pytestmark = pytest.mark.lessons

GOOD = lesson_paths("beginner")[0]


def test_repo_lessons_are_clean():
    assert check_all() == []
    result = CliRunner().invoke(lesson_cli, ["check"])
    assert result.exit_code == 0, result.output


def _bad_copy(tmp_path, mutate, name=None):
    nb = nbformat.read(str(GOOD), as_version=4)
    mutate(nb)
    folder = tmp_path / "beginner"
    folder.mkdir(exist_ok=True)
    path = folder / (name or GOOD.name)
    nbformat.write(nb, str(path))
    return path


def _with_output(nb):
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", text="hi")]
    cell.execution_count = 3


def _bad_meta(nb):
    nb.metadata["widgets"] = {}
    nb.cells[1].metadata["collapsed"] = True
    nb.metadata["kernelspec"]["name"] = "ir"


def _bad_dataset(nb):
    nb.metadata["datalit"]["datasets"].append("seoul_unicorns")


def _no_params(nb):
    for c in tagged(nb, "parameters"):
        c.metadata["tags"] = []


def _no_korean(nb):
    for c in nb.cells:
        if c.cell_type == "markdown":
            c.source = "English only."


def _schema_broken(nb):
    del nb.metadata["datalit"]["objectives"]
    nb.metadata["datalit"]["minutes"] = "forty"


def _too_few_checks(nb):
    nb.cells = [c for c in nb.cells if not re.search(r"\bq(?!1\b)\d+\.check", c.source)]  # only q1.check left


def _indented_prompt(nb):
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("### 연습 1\n\n    **승차** 열을 `long`으로 바꾸세요."))


def _bold_before_particle(nb):
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("비중을 **퍼센트(%)**로 계산해 보세요."))


def _bad_default(nb):
    cell = tagged(nb, "parameters")[0]
    cell.source = cell.source.replace('"마포구"', '"마포"')


def _plot_first(nb):
    nb.cells.insert(1, nbformat.v4.new_code_cell("cctv.plot.bar()"))


@pytest.mark.parametrize("mutate, reason", [
    (_plot_first, "plots before datalit.hangul.use()"),
    (_bad_default, "parameter default: parameter 'gu': '마포' is not allowed. Did you mean 마포구"),
    (_indented_prompt, "cell 1: indented code block in prose"),
    (_bold_before_particle, "cell 1: emphasis markers left in the rendered text"),
    (_with_output, "outputs not cleared"),
    (_bad_meta, "metadata not allowed"),
    (_bad_meta, "kernelspec name"),
    (_bad_dataset, "'seoul_unicorns' is not in the catalog"),
    (_no_params, "exactly one cell tagged 'parameters'"),
    (_no_korean, "too little Korean"),
    (_schema_broken, "'objectives' is a required property"),
    (_schema_broken, "minutes"),
    (_too_few_checks, "at least 3 self-checking exercises"),
])
def test_bad_notebook_fails_with_reason(tmp_path, mutate, reason):
    path = _bad_copy(tmp_path, mutate)
    problems = check_notebook(path)
    assert any(reason in p for p in problems), problems
    result = CliRunner().invoke(lesson_cli, ["check", str(path)])
    assert result.exit_code == 1 and reason in result.output


@pytest.mark.parametrize("source, problem", [
    ("비중을 **퍼센트(%)**로 계산해요.", "emphasis markers left"),
    ("**'나쁨'**이에요.", "emphasis markers left"),
    ("*참고(1)*는 이래요.", "emphasis markers left"),
    ("### 연습\n\n    `q1`에 저장하세요.", "indented code block"),
    ("비중을 **퍼센트**(%)로 계산해요.", None),
    ("'**나쁨**'이에요. 2 * 3 = 6, `x ** 2`, *참고*: 끝", None),
    ("- 목록\n\n    목록 안의 둘째 문단", None),
    ("```python\n    x = 1\n```", None),
    ("| 열 | 뜻 |\n|---|---|\n| `gu` | **자치구** |", None),
])
def test_markdown_rendering_rule(source, problem):
    from datalit.lessons.rendering import markdown_problems

    found = markdown_problems(source)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0], found


def test_wrong_file_name_and_manifest_mismatch(tmp_path):
    path = _bad_copy(tmp_path, lambda nb: None, name="07-other-name.ipynb")
    assert any("does not match number" in p for p in check_notebook(path))
    shutil.copy(GOOD, tmp_path / "beginner" / GOOD.name)
    manifest = (GOOD.parent / "course.yaml").read_text(encoding="utf-8")
    (tmp_path / "beginner" / "course.yaml").write_text(manifest, encoding="utf-8")
    problems = check_all(root=tmp_path)
    assert any("does not list 07-other-name.ipynb" in p for p in problems)
    assert any("which does not exist" in p for p in problems)


def test_assigned_names_and_stub():
    assert assigned_names("a = 1\nb, c = 2, 3\nd += 1\nprint(a)\nif a:\n    e = 1") == ["a", "b", "c", "d"]
    nb = nbformat.v4.new_notebook()
    sol = nbformat.v4.new_code_cell("top = df.sort_values('n').head(3)", metadata={"tags": ["solution"]})
    region = nbformat.v4.new_code_cell(f"x = 1\n{BEGIN}\nanswer = x * 2\n{END}\nprint(answer)")
    teacher = nbformat.v4.new_markdown_cell("정답 해설", metadata={"tags": ["teacher"]})
    nb.cells = [sol, region, teacher]
    out = learner_notebook(nb)
    assert out.cells[0].source == f"{STUB}\ntop = None"
    assert out.cells[1].source == f"x = 1\n{STUB}\nanswer = None\nprint(answer)"
    assert len(out.cells) == 2
    assert nb.cells[0].source.startswith("top =")  # the original is untouched


def test_build_all_writes_learner_forms(tmp_path):
    result = build_all(tmp_path)
    assert set(result) >= {"beginner"}
    for tier, paths in result.items():
        sources = {p.name: p for p in lesson_paths(tier)}
        assert [p.name for p in paths] == list(sources)
        assert (tmp_path / tier / "course.yaml").is_file()
        for built in paths:
            original = nbformat.read(str(sources[built.name]), as_version=4)
            learner = nbformat.read(str(built), as_version=4)
            kept = [c for c in original.cells if not {"teacher", "instructor"} & set(c.metadata.get("tags") or [])]
            assert len(kept) == len(learner.cells)
            n_solutions = 0
            for before, after in zip(kept, learner.cells):
                if "solution" in (before.metadata.get("tags") or []):
                    n_solutions += 1
                    lines = after.source.splitlines()
                    assert lines[0] == STUB and all(ln.endswith(" = None") for ln in lines[1:]), after.source
                    assert {ln.split(" = ")[0] for ln in lines[1:]} == set(assigned_names(before.source))
                else:
                    assert after.source == before.source
            assert n_solutions or BEGIN in "".join(c.source for c in original.cells), built.name
            text = "\n".join(c.source for c in learner.cells)
            assert STUB in text
            assert learner.metadata["datalit"] == original.metadata["datalit"]
            assert all(not c.get("outputs") for c in learner.cells if c.cell_type == "code")
    cli = CliRunner().invoke(lesson_cli, ["build", "--out", str(tmp_path / "cli"), "--tier", "beginner"])
    assert cli.exit_code == 0 and "beginner: " in cli.output
    built = [p for p in (tmp_path / "cli" / "beginner").glob("*.ipynb") if p.name != "용어집.ipynb"]  # + the glossary
    assert len(built) == len(lesson_paths("beginner"))


def test_list_command():
    result = CliRunner().invoke(lesson_cli, ["list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(lesson_paths())
    assert lines[0].startswith("beginner") and "분" in lines[0] and "첫걸음" in lines[0]


def test_schema_and_parameters():
    nb = nbformat.read(str(GOOD), as_version=4)
    meta = copy.deepcopy(nb.metadata["datalit"])
    assert schema.lesson_errors(meta) == []
    meta["parameters"]["month"] = {"type": "month", "min": "2023-1"}
    assert any("month" in e for e in schema.lesson_errors(meta))
    meta["parameters"]["month"] = {"type": "choice"}
    assert schema.lesson_errors(meta)
    assert params.defaults(nb) == {"gu": "마포구"}   # the one parser, validator and injector: reports.params
    specs = params.read_specs(nb)
    assert params.resolve(specs, {"gu": "강남구"}) == {"gu": "강남구"}
    with pytest.raises(params.ParameterError, match="혹시 강남구"):
        params.resolve(specs, {"gu": "강남"})
    injected = params.inject(nb, {"gu": "강남구"})
    at = injected.cells.index(tagged(injected, "parameters")[0])
    assert injected.cells[at + 1].metadata["tags"] == ["injected-parameters"]
    set_by_cell: dict = {}
    exec(injected.cells[at + 1].source, set_by_cell)  # papermill writes "\uac15..." escapes
    assert set_by_cell["gu"] == "강남구" and len(injected.cells) == len(nb.cells) + 1
