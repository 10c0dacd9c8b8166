"""Sanity checks of the open team projects (``labs/project*``), used by their autograded test cells.

An open project has no single right answer, so its autograded tests only check what every good answer
has; the rubric (graded in formgrader) judges the rest:

    assert_chart(ax)                        # a chart with a Hangul title and axis names, Korean that renders
    assert_memo(key_numbers, mentions=[..]) # the memo cell (grade id "memo") is a Korean text of about one
                                            # page that uses the analysis' key numbers and names its subject
    memo_text()                             # the memo as saved in the notebook file (the kernel's folder)
    numbers_in("인구 2만 3,400명, 12.5%")   # [(23400.0, 1.0), (12.5, 0.1)]: value and the precision shown

The memo is a Markdown cell, which the kernel never sees: it is read from the notebook file in the
kernel's working folder (the autograder runs the submitted notebook there; a learner saves first).
Messages are Korean; each check raises AssertionError (0 points for that nbgrader test cell).
"""
from __future__ import annotations

import json
import math
import numbers
import re
from pathlib import Path

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# 12,345 / 12345 / 3.5, optionally followed by 만/억/천 (48만, 1.2억); not the tail of a longer number
NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(천|만|억))?")
UNITS = {None: 1, "천": 1_000, "만": 10_000, "억": 100_000_000}
PLACEHOLDERS = ("여기에 답을 작성하세요", "YOUR ANSWER HERE")
MEMO_ID = "memo"
MIN_HANGUL = 300        # a memo, not a caption
MAX_CHARS = 4000        # about one page
MIN_KEY_NUMBERS = 3


def numbers_in(text: str) -> list[tuple[float, float]]:
    """Every number written in TEXT as (value, precision): '2만 3,400' gives (20000, 10000) and (3400, 1)."""
    out = []
    for whole, frac, unit in NUMBER.findall(text or ""):
        scale = UNITS[unit or None]
        value = float(whole.replace(",", "") + (f".{frac}" if frac else "")) * scale
        out.append((value, 10.0 ** -len(frac) * scale if frac else float(scale)))
    return out


def shown_in(value: float, text: str) -> bool:
    """True if VALUE appears in TEXT as written there (rounded to the digits shown; sign in words)."""
    v = abs(float(value))
    return any(abs(v - n) <= p / 2 * (1 + 1e-9) + 1e-9 for n, p in numbers_in(text))


def chart_problem(ax) -> str | None:
    """What is missing for a chart a department can read (None if nothing)."""
    from datalit.lessons.chartcheck import _as_axes, hangul_problem

    if ax is None or ax is Ellipsis:
        return "차트를 아직 그리지 않았어요. `fig, ax = plt.subplots()`로 그리고 그 ax를 `ax` 변수에 두세요."
    axes = _as_axes(ax)
    if axes is None:
        return "`ax`는 차트(matplotlib Axes)여야 해요. `ax = 표.plot.bar(...)` 또는 `fig, ax = plt.subplots()`의 ax를 넣으세요."
    if not (axes.patches or axes.lines or axes.collections or axes.images or axes.containers):
        return "차트에 그려진 것이 없어요. 막대·선·점을 그린 ax인지 확인하세요."
    title = axes.get_title() or (axes.figure._suptitle.get_text() if axes.figure._suptitle else "")
    if not title.strip():
        return "차트에 제목이 없어요. ax.set_title(\"...\")로 이 차트가 무엇을 보여 주는지 한국어로 적으세요."
    if not HANGUL.search(title):
        return "차트 제목을 한국어로 적어 주세요 (부서 보고용 차트예요)."
    xl, yl = axes.get_xlabel().strip(), axes.get_ylabel().strip()
    if not (xl and yl):
        return "축 이름이 비어 있어요. ax.set_xlabel(\"...\"), ax.set_ylabel(\"...\")로 무엇인지와 단위를 적으세요."
    if not (HANGUL.search(xl) or HANGUL.search(yl)):
        return "축 이름을 한국어로 적어 주세요 (예: \"인구(명)\", \"날짜\")."
    return hangul_problem(axes)


def assert_chart(ax) -> None:
    problem = chart_problem(ax)
    assert problem is None, problem


def _memo_cells(path: Path) -> list[str]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") == MEMO_ID:
            src = cell.get("source", "")
            out.append("".join(src) if isinstance(src, list) else src)
    return out


def memo_text(folder: str | Path = ".") -> str:
    """The memo cell's text from the notebook saved in FOLDER (the newest notebook that has one)."""
    found = []
    for path in Path(folder).glob("*.ipynb"):
        cells = _memo_cells(path)
        if cells:
            found.append((path.stat().st_mtime, cells[0]))
    assert found, ("메모 셀을 찾지 못했어요. 노트북을 저장(Ctrl+S)한 뒤 이 셀을 다시 실행하세요. "
                   "메모는 '메모' 셀(Markdown)에 쓰고, 그 셀을 지우거나 다른 노트북으로 옮기지 마세요.")
    return max(found, key=lambda f: f[0])[1]


def _is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(float(x))


def memo_problem(text: str, key_numbers, mentions=()) -> str | None:
    text = text or ""
    body = text
    for p in PLACEHOLDERS:
        body = body.replace(p, "")
    if not HANGUL.search(body):
        return "메모를 아직 쓰지 않았어요. '메모' 셀에 한국어로 한 쪽 분량의 메모를 쓰고 저장하세요."
    hangul = len(HANGUL.findall(body))
    if hangul < MIN_HANGUL:
        return (f"메모가 너무 짧아요 (한글 {hangul}자). 질문, 답과 근거 숫자, 제안, 한계를 담아 "
                f"한글 {MIN_HANGUL}자 이상으로 쓰세요.")
    if len(body) > MAX_CHARS:
        return f"메모가 한 쪽을 넘어요 ({len(body):,}자). {MAX_CHARS:,}자 안으로 줄이세요: 부서장이 1분 안에 읽을 분량이에요."
    if not isinstance(key_numbers, dict) or len(key_numbers) < MIN_KEY_NUMBERS:
        return (f"`key_numbers`에 메모의 근거 숫자를 {MIN_KEY_NUMBERS}개 이상 넣으세요: "
                "{\"설명\": 분석에서 계산한 값, ...} 형식의 dict예요.")
    bad = [k for k, v in key_numbers.items() if not _is_number(v)]
    if bad:
        return f"`key_numbers`의 값은 숫자여야 해요 (분석 결과 변수에서 꺼낸 값): {', '.join(map(str, bad))}"
    missing = [f"{k}({v:,.4g})" for k, v in key_numbers.items() if not shown_in(v, body)]
    if missing:
        return ("메모에 이 숫자가 보이지 않아요: " + ", ".join(missing) + ". 분석에서 나온 숫자를 메모에 그대로 "
                "(반올림은 괜찮아요: 12.34 → 12.3) 쓰세요. 퍼센트는 key_numbers에도 퍼센트 값(0.25가 아니라 25)으로 넣으세요.")
    absent = [m for m in mentions if m and str(m) not in body]
    if absent:
        return "메모에 분석의 주인공이 빠졌어요: " + ", ".join(map(str, absent)) + " (이름을 그대로 적어 주세요)."
    return None


def assert_memo(key_numbers, mentions=(), folder: str | Path = ".") -> None:
    problem = memo_problem(memo_text(folder), key_numbers, mentions)
    assert problem is None, problem
