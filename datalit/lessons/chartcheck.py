"""Checking a chart: the learner's matplotlib Axes against the reference data (a Series label -> value).

    ck.axes(kind="bar", ordered=True, title=True)

Looks at what was drawn (bar heights or line points), whether it has a title and axis labels, and
whether Korean text would render (a font with Hangul glyphs, i.e. ``datalit.hangul.use()`` was called).
"""
from __future__ import annotations

import re

from datalit.lessons.checkers.korean import josa
from datalit.lessons.checkers.scalar import Generic, _factor_message

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _as_axes(answer):
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(answer, Axes):
        return answer
    if isinstance(answer, Figure) and answer.axes:
        return answer.axes[0]
    if hasattr(answer, "__len__") and len(answer) and isinstance(answer[0], Axes):  # array of axes
        return answer[0]
    return None


def font_has_hangul(text_obj) -> bool:
    """True if the font matplotlib picks for this Text object has Hangul glyphs."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    try:
        path = font_manager.findfont(text_obj.get_fontproperties(), fallback_to_default=True)
        return ord("가") in FT2Font(path).get_charmap()
    except Exception:  # noqa: BLE001 - font probing must never break a check
        return True


def hangul_problem(ax) -> str | None:
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
    legend = ax.get_legend()
    if legend is not None:
        texts += list(legend.get_texts())
    for t in texts:
        if HANGUL.search(t.get_text() or "") and not font_has_hangul(t):
            return ("차트의 한글이 네모(□)로 깨져요. 그리기 전에 `from datalit import hangul; hangul.use()`를 "
                    "실행하세요. (seaborn의 set_theme()은 글꼴을 되돌리니 hangul.seaborn_theme()을 쓰세요.)")
    return None


def _drawn_values(ax, kind):
    if kind in ("bar", "barh"):
        from matplotlib.patches import Rectangle

        bars = [p for p in ax.patches if isinstance(p, Rectangle)]
        vals = [b.get_width() if kind == "barh" else b.get_height() for b in bars]
        return vals, f"막대 {len(bars)}개"
    lines = [ln for ln in ax.get_lines() if len(ln.get_ydata()) > 1]
    if not lines:
        return [], "선 0개"
    return [float(v) for v in lines[0].get_ydata()], f"점 {len(lines[0].get_ydata())}개"


def axes(kind: str = "bar", ordered: bool = False, title: bool = True, labels: bool = False,
         rel: float = 1e-6):
    """kind: 'bar', 'barh' or 'line'. The reference answer is a Series (or list) of the plotted values, or a
    chart (then the values it drew: how a question recognises a known wrong chart)."""

    def check(answer, expected):
        import numpy as np
        import pandas as pd

        if isinstance(answer, (pd.DataFrame, pd.Series)):
            return ("답이 차트가 아니라 표/Series예요. `ax = 데이터.plot.bar(...)`처럼 그리기 결과(ax)를 "
                    "변수에 저장하세요.")
        ax = _as_axes(answer)
        if ax is None:
            return "답은 차트(matplotlib Axes)여야 해요. `ax = df.plot(...)` 또는 `fig, ax = plt.subplots()`의 ax를 저장하세요."
        msg = hangul_problem(ax)
        if msg:
            return msg
        from matplotlib.axes import Axes

        if isinstance(expected, Axes):  # a known wrong chart (Wrong(..., diagnose=True)): what it drew
            expected = _drawn_values(expected, kind)[0]
        want = list(expected.to_numpy() if isinstance(expected, pd.Series) else expected)
        got, what = _drawn_values(ax, kind)
        kind_ko = {"bar": "세로 막대", "barh": "가로 막대", "line": "선"}[kind]
        if not got:
            return f"{kind_ko} 그래프가 보이지 않아요. 그래프 종류(plot.{kind} 등)를 확인하세요."
        if len(got) != len(want):
            if want and len(got) > len(want) and len(got) % len(want) == 0:
                return (f"그려진 {josa(what, '이/가')} 정답({len(want)}개)의 {len(got) // len(want)}배예요. 같은 차트에 여러 번 "
                        "그린 것 같아요: 셀을 다시 실행하거나 fig, ax = plt.subplots()로 새 차트를 만드세요.")
            return Generic(f"그려진 {josa(what, '이/가')} 정답({len(want)}개)과 달라요. 그리기 전에 데이터를 알맞게 골랐는지 확인하세요.")
        g, w = np.asarray(got, float), np.asarray(want, float)
        same = np.allclose(g, w, rtol=rel, atol=1e-9, equal_nan=True)
        if not same:
            if np.allclose(np.sort(g), np.sort(w), rtol=rel, atol=1e-9, equal_nan=True):
                if ordered:
                    return "값은 맞지만 막대의 순서가 달라요. 그리기 전에 sort_values()로 정렬하세요."
            else:
                ok = (w != 0) & (g != 0) & ~np.isnan(w) & ~np.isnan(g)
                ratio = g[ok] / w[ok]
                if ratio.size and np.allclose(ratio, ratio[0], rtol=1e-3):
                    hint = _factor_message(float(ratio[0]), 1.0, rel)
                    if hint:
                        return f"그려진 값이 정답보다 {hint}"
                return Generic("그려진 값이 정답과 달라요. 어떤 열을 그렸는지, 필터와 합계를 확인하세요.")
        if title and not ax.get_title().strip():
            return "차트에 제목이 없어요. ax.set_title(\"...\") 또는 plot(title=\"...\")로 무엇을 보여 주는지 적으세요."
        if labels and not (ax.get_xlabel().strip() and ax.get_ylabel().strip()):
            return "축 이름이 비어 있어요. ax.set_xlabel(\"...\"), ax.set_ylabel(\"...\")로 단위와 함께 적으세요."
        return None

    return check


DRAWS = re.compile(r"\.plot\b|\bplt\.(?!close|rc|style)|\bsns\.(?!set)|\.hist\(|\.bar[h]?\(|\bfolium\.Map\(|\.explore\(")
DESCRIBES = re.compile(r"\bdescribe\(")


def description_problems(nb) -> list[str]:
    """Chart cells without a text description: every code cell that draws (matplotlib, pandas, seaborn, a
    folium map) calls ``datalit.alttext.describe(...)``, which also gives colour-only series their own
    markers, line styles or hatching. Cells learners never see (instructor, teacher) are not counted."""
    problems = []
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.cell_type != "code" or tags & {"instructor", "teacher"}:
            continue
        code = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("#", "import ", "from ")))
        if DRAWS.search(code) and not DESCRIBES.search(code):
            problems.append(f"cell {i}: draws a chart without a text description "
                            "(end the cell with alttext.describe(ax, \"...\") instead of plt.show())")
    return problems
