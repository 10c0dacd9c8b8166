"""The plan's use cases, which group the report templates in ``datalit report list`` and the analyst guide.

A template declares its group once, in its notebook metadata (``metadata.datalit``)::

    "use_case": "축제 등 정책의 성과분석",
    "description": "한 줄 설명 (Korean, one line)"

``use_case`` must be one of USE_CASES (the city's plan names them; the last one holds the reports that
predate the plan). A template without them is still listed, under MISSING, and ``problems`` says why;
the tests require every template in reports/ to have both.
"""
from __future__ import annotations

import json
from pathlib import Path

USE_CASES = (
    "축제 등 정책의 성과분석",
    "시설·장비 설치를 위한 입지분석",
    "인구·가구의 이동(모빌리티)",
    "다수 민원 원인 분석",
    "생활인구",
    "미래 예측",
    "민원 자동분류",
    "유사 문서(답변) 자동 제공",
    "생활환경·안전 현황",
)
MISSING = "분류 없음 (metadata.datalit.use_case 필요)"
MAX_DESCRIPTION = 100


def problems(meta: dict) -> list[str]:
    """What is wrong with a template's ``metadata.datalit`` use case and description (empty = fine)."""
    out = []
    use_case = meta.get("use_case")
    if not use_case:
        out.append("use_case가 없습니다 / no use_case")
    elif use_case not in USE_CASES:
        out.append(f"use_case '{use_case}'은(는) 계획의 분석 분류가 아닙니다 (가능: {', '.join(USE_CASES)})")
    text = meta.get("description")
    if not isinstance(text, str) or not text.strip():
        out.append("description(한 줄 설명)이 없습니다 / no description")
    elif "\n" in text or len(text) > MAX_DESCRIPTION:
        out.append(f"description은 {MAX_DESCRIPTION}자 이하 한 줄이어야 합니다 / one line, at most {MAX_DESCRIPTION} characters")
    return out


def template_info(path: Path) -> dict:
    """name, title, use_case, description, parameters and problems of one template (plain JSON read)."""
    from datalit.reports.params import ParameterError, read_specs

    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        meta = nb.get("metadata", {}).get("datalit", {}) or {}
        specs = read_specs(nb)
    except (OSError, ValueError, ParameterError) as exc:
        return {"name": Path(path).stem, "title": "", "use_case": None, "description": "", "parameters": {},
                "problems": [f"노트북을 읽을 수 없습니다 / cannot read: {exc}".splitlines()[0]]}
    return {"name": Path(path).stem, "title": meta.get("title", ""), "use_case": meta.get("use_case"),
            "description": meta.get("description") or "",
            "parameters": {n: s.type for n, s in specs.items()}, "problems": problems(meta)}


def grouped(paths) -> list[tuple[str, list[dict]]]:
    """(use case, templates) in the plan's order, every use case included (empty ones too); templates
    with a missing or unknown use case or description come last under MISSING."""
    groups: dict[str, list[dict]] = {u: [] for u in USE_CASES}
    for path in sorted(paths):
        info = template_info(path)
        groups.setdefault(MISSING if info["problems"] else info["use_case"], []).append(info)
    return [(name, items) for name, items in groups.items() if name != MISSING or items]
