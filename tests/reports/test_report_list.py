"""``datalit report list``: every template in reports/ declares one of the plan's use cases and a one-line
description (metadata.datalit.use_case / description), the list groups them by use case in the plan's
order, a template without them is still listed (under the 'missing' group, with the reason), and the
analyst guide has a section for every use case that has a template."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportkit import small_notebook

from datalit.reports.cli import report
from datalit.reports.use_cases import MISSING, USE_CASES, grouped, problems

pytestmark = pytest.mark.reports
TEMPLATES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "reports").glob("*.ipynb"))


def _meta(repo, name):
    return json.loads((repo / "reports" / name).read_text(encoding="utf-8"))["metadata"]["datalit"]


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_declares_a_use_case_and_a_description(repo, name):
    meta = _meta(repo, name)
    assert problems(meta) == [], (name, problems(meta))
    assert meta["use_case"] in USE_CASES
    assert re.search(r"[가-힣]", meta["description"]) and "\n" not in meta["description"]


def test_list_groups_templates_by_use_case_in_the_plans_order(repo):
    result = CliRunner().invoke(report, ["list"])
    assert result.exit_code == 0, result.output
    headers = [line[2:] for line in result.output.splitlines() if line.startswith("■ ")]
    assert headers == list(USE_CASES)                     # all nine, in order; no 'missing' group today
    assert "⚠" not in result.output
    blocks = dict(zip(headers, re.split(r"^■ .*$", result.output, flags=re.M)[1:]))
    for name in TEMPLATES:
        meta = _meta(repo, name)
        stem = name.removesuffix(".ipynb")
        owners = [h for h, block in blocks.items() if re.search(rf"^  {re.escape(stem)} — ", block, flags=re.M)]
        assert owners == [meta["use_case"]], (stem, owners)
        assert f"  {stem} — {meta['description']}\n" in blocks[meta["use_case"]]


def test_list_json(repo):
    result = CliRunner().invoke(report, ["list", "--json"])
    assert result.exit_code == 0, result.output
    groups = json.loads(result.output)
    assert [g["use_case"] for g in groups] == list(USE_CASES)
    listed = sorted(t["name"] + ".ipynb" for g in groups for t in g["templates"])
    assert listed == TEMPLATES
    subway = next(t for g in groups for t in g["templates"] if t["name"] == "subway_event_effect")
    assert subway["parameters"]["distance"] == "int" and subway["problems"] == []


def test_a_template_without_a_use_case_is_listed_with_the_reason(tmp_path):
    plain = small_notebook(tmp_path / "plain.ipynb")
    wrong = small_notebook(tmp_path / "wrong.ipynb")
    nb = json.loads(wrong.read_text(encoding="utf-8"))
    nb["metadata"]["datalit"].update(use_case="교통 분석", description="한 줄 설명")
    wrong.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    good = small_notebook(tmp_path / "good.ipynb")
    nb = json.loads(good.read_text(encoding="utf-8"))
    nb["metadata"]["datalit"].update(use_case="생활인구", description="시험용 한 줄 설명")
    good.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    groups = dict(grouped([plain, wrong, good, broken]))
    assert [t["name"] for t in groups["생활인구"]] == ["good"]
    missing = {t["name"]: t["problems"] for t in groups[MISSING]}
    assert set(missing) == {"plain", "wrong", "broken"}
    assert any("use_case가 없습니다" in p for p in missing["plain"])
    assert any("교통 분석" in p for p in missing["wrong"])


def test_the_analyst_guide_has_a_section_per_use_case_with_a_template(repo):
    guide = (repo / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (.+)$", guide, flags=re.M)
    for use_case in sorted({_meta(repo, name)["use_case"] for name in TEMPLATES}):
        section = [h for h in headings if h.startswith(use_case)]
        assert section, f"docs/analyst-guide.md: no '### {use_case}' section"
        body = guide.split(f"### {section[0]}", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        for part in ("**묻는 것**", "**읽는 법**", "**결론 내리면 안 되는 것**"):
            assert part in body, (use_case, part)
