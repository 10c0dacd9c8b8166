"""A Korean text description for every chart, and encodings that do not rely on colour alone.

    >>> from datalit.alttext import describe
    >>> ax = by_month.plot.bar(title="월별 평균 미세먼지")
    >>> describe(ax, f"봄에 높고 여름에 낮아요. 가장 높은 달은 {by_month.idxmax()}월이에요.")
    그림 설명: 세로 막대그래프 「월별 평균 미세먼지」 …

Why: a learner who uses a screen reader hears nothing of a PNG, and about one man in twelve cannot tell
red from green. ``describe()`` is called instead of ``plt.show()``. It

* gives lines that differ only by colour their own markers and line styles, and bar groups their own
  hatching, and redraws the legend so that it shows them (``distinguish``);
* shows the figure with the description as its alt text (``metadata["image/png"]["alt"]``, which
  nbconvert writes into the HTML ``<img alt>``) and prints ``그림 설명: ...`` below it, which JupyterLab
  reads out like any other output;
* starts the description with what a sighted reader sees first (kind of chart, title, axes, the
  largest and smallest bar) from what was actually drawn, so the words cannot drift from the picture.

The author's sentence says what to read from the chart; put the numbers it quotes in an f-string so that
they follow the lesson's parameters. Outside a kernel (tests, scripts) nothing is displayed; the text is
printed and returned, and stored on the figure as ``fig.datalit_alt``.
"""
from __future__ import annotations

import re

PREFIX = "그림 설명: "
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MIN_CHARS = 10
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", ":", "-."]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "++", "--"]


def _figure(chart):
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(chart, Figure):
        return chart
    if isinstance(chart, Axes):
        return chart.get_figure()
    try:
        first = chart.flat[0] if hasattr(chart, "flat") else chart[0]
    except (TypeError, IndexError, KeyError):
        return None
    return first.get_figure() if isinstance(first, Axes) else None


def _data_axes(fig):
    """The axes that hold data (not colour bars)."""
    return [ax for ax in fig.axes if not hasattr(ax, "_colorbar") and ax.get_label() != "<colorbar>"]


def _series_lines(ax):
    """Lines that carry data: more than one point, drawn in data coordinates (not axhline/axvline)."""
    return [ln for ln in ax.get_lines()
            if len(ln.get_xdata()) > 1 and ln.get_transform() == ax.transData and ln.get_visible()]


def distinguish(ax) -> bool:
    """Give each line its own marker/line style and each bar group its own hatch when they differ only by
    colour; True if anything changed (the legend is then redrawn from the new styles)."""
    changed = False
    lines = _series_lines(ax)
    styles = [(ln.get_linestyle(), ln.get_marker()) for ln in lines]
    if len(lines) > 1 and len(set(styles)) < len(styles):
        for i, ln in enumerate(lines):
            ln.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
            if len(ln.get_xdata()) <= 60:  # markers on a long daily series would hide the line
                ln.set_marker(MARKERS[i % len(MARKERS)])
                ln.set_markersize(4)
        changed = True
    from matplotlib.container import BarContainer

    bars = [c for c in ax.containers if isinstance(c, BarContainer) and len(c.patches)]
    hatches = [c.patches[0].get_hatch() for c in bars]
    if len(bars) > 1 and len(set(hatches)) < len(hatches):
        for i, c in enumerate(bars):
            for patch in c.patches:
                patch.set_hatch(HATCHES[i % len(HATCHES)])
                patch.set_edgecolor("white" if i == 0 else "black")
        changed = True
    from matplotlib.collections import PathCollection

    groups = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    shapes = [tuple(map(tuple, c.get_paths()[0].vertices.round(3))) if c.get_paths() else () for c in groups]
    if len(groups) > 1 and len(set(shapes)) < len(shapes):
        from matplotlib.markers import MarkerStyle

        for i, c in enumerate(groups):
            style = MarkerStyle(MARKERS[i % len(MARKERS)])
            c.set_paths([style.get_path().transformed(style.get_transform())])
        changed = True
    legend = ax.get_legend()
    if changed and legend is not None:
        title = legend.get_title().get_text() or None
        handles, labels = ax.get_legend_handles_labels()
        shown = [t.get_text() for t in legend.get_texts()]
        if len(shown) == len(handles):  # ax.legend(["승차", "하차"]) renamed them: keep those names
            labels = shown
        if handles:
            ax.legend(handles, labels, title=title, loc=getattr(legend, "_loc", "best"))
    return changed


def mark(ax, label: str) -> bool:
    """Mark the bar (hatching) and the text (bold) named ``label``: a highlighted district must not be told
    apart by its colour only. True if something carried that label."""
    from matplotlib.container import BarContainer

    found = False
    for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts]:
        if t.get_text() == label:
            t.set_fontweight("bold")
            found = True
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    if len(bars) == 1:
        horizontal = getattr(bars[0], "orientation", None) == "horizontal"
        ticks = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
        where = {round(float(t.get_position()[1 if horizontal else 0]), 6) for t in ticks if t.get_text() == label}
        for p in bars[0].patches:
            centre = p.get_y() + p.get_height() / 2 if horizontal else p.get_x() + p.get_width() / 2
            if round(float(centre), 6) in where:
                p.set_hatch("///")
                p.set_edgecolor("black")
                found = True
    return found


def _number(v: float) -> str:
    if v != v:  # NaN
        return "값 없음"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _bar_summary(ax, bars) -> str:
    from matplotlib.container import BarContainer

    horizontal = bool(bars) and isinstance(bars[0], BarContainer) and getattr(bars[0], "orientation", None) == "horizontal"
    patches = [p for c in bars for p in c.patches]
    kind = "가로 막대그래프" if horizontal else "세로 막대그래프"
    ticks = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    names = {}
    for t in ticks:
        pos = t.get_position()[1 if horizontal else 0]
        if t.get_text():
            names[round(float(pos), 6)] = t.get_text()

    def centre(p):
        return round(float(p.get_y() + p.get_height() / 2 if horizontal else p.get_x() + p.get_width() / 2), 6)

    first = sorted(bars[0].patches, key=lambda p: p.get_y() if horizontal else p.get_x())
    edges = [(p.get_y(), p.get_y() + p.get_height()) if horizontal else (p.get_x(), p.get_x() + p.get_width())
             for p in first]
    if len(edges) > 2 and all(abs(a[1] - b[0]) <= 1e-9 * max(1.0, abs(b[0])) for a, b in zip(edges, edges[1:])):
        # bars that touch are bins of a histogram, not categories
        each = len(bars[0].patches)
        return f"히스토그램(구간 {each}개)" if len(bars) == 1 else f"히스토그램 {len(bars)}개를 겹쳐 그림(구간 {each}개씩)"
    if len(bars) != 1:
        return f"{kind}(막대 {len(patches)}개, {len(bars)}개 묶음)"
    values = []
    for p in patches:
        values.append((p.get_width() if horizontal else p.get_height(), names.get(centre(p), "")))
    out = f"{kind}(막대 {len(patches)}개)"
    shown = [v for v in values if v[0] == v[0]]
    if len(shown) > 1:
        hi, lo = max(shown, key=lambda v: v[0]), min(shown, key=lambda v: v[0])
        out += (f", 가장 큰 막대 {hi[1]}({_number(hi[0])})" if hi[1] else f", 가장 큰 값 {_number(hi[0])}")
        out += (f", 가장 작은 막대 {lo[1]}({_number(lo[0])})" if lo[1] else f", 가장 작은 값 {_number(lo[0])}")
    return out


def _axes_summary(ax) -> str:
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    bars = [c for c in ax.containers if isinstance(c, BarContainer) and len(c.patches)]
    lines = _series_lines(ax)
    points = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]
    parts = []
    if bars:
        parts.append(_bar_summary(ax, bars))
    legend = ax.get_legend()
    if lines:
        parts.append(f"선 {len(lines)}개")  # their names are in the legend; a pandas label is a column name
    if points:
        parts.append(f"점 {sum(len(c.get_offsets()) for c in points):,}개")
    if not parts:
        parts.append("지도(도형) 그림" if ax.collections or ax.patches else "그림")
    text = " · ".join(parts)
    if legend is not None and legend.get_texts():
        text += f", 범례 {', '.join(t.get_text() for t in legend.get_texts())}"
    title = ax.get_title().strip()
    if title:
        text = f"「{title}」 {text}"
    axes = [f"{name} {label}" for name, label in (("가로축", ax.get_xlabel().strip()), ("세로축", ax.get_ylabel().strip()))
            if label and ax.axison]
    if axes:
        text += f" ({', '.join(axes)})"
    return text


def summary(fig) -> str:
    """What was drawn, in Korean: kind, title, axes, the extreme bars (one clause per panel)."""
    try:
        panels = [_axes_summary(ax) for ax in _data_axes(fig)]
    except Exception:  # noqa: BLE001 - a summary must never stop the lesson; the author's text remains
        return ""
    if not panels:
        return ""
    suptitle = fig._suptitle.get_text().strip() if getattr(fig, "_suptitle", None) else ""
    head = f"「{suptitle}」 " if suptitle else ""
    if len(panels) == 1:
        return head + panels[0]
    return head + f"그림 {len(panels)}개: " + "; ".join(f"({i}) {p}" for i, p in enumerate(panels, 1))


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def describe(chart, text: str, highlight: str | None = None) -> str | None:
    """Describe ``chart`` (matplotlib Axes/Figure/array of Axes, or a folium map) in Korean and show it;
    ``highlight`` names the bar or label the chart singles out (hatched and bold, not only coloured).

    Returns the full description outside a kernel, None inside one (so that the cell does not echo it)."""
    if not isinstance(text, str) or len(text.strip()) < MIN_CHARS or not HANGUL.search(text):
        raise ValueError("그림 설명은 무엇을 보여 주고 무엇을 읽을 수 있는지 한국어 문장으로 적어 주세요.")
    fig = _figure(chart)
    if fig is not None:
        for ax in _data_axes(fig):
            distinguish(ax)
            if highlight is not None:
                mark(ax, str(highlight))
        drawn = summary(fig)
        full = f"{drawn}. {text.strip()}" if drawn else text.strip()
        fig.datalit_alt = full
    else:
        full = text.strip()
    if _in_kernel():
        from IPython.display import display

        if fig is not None:
            import matplotlib.pyplot as plt

            display(fig, metadata={"image/png": {"alt": full}})
            plt.close(fig)  # the inline backend would show it a second time, without the description
        else:
            display(chart)
        print(PREFIX + full)
        return None
    print(PREFIX + full)
    return full
