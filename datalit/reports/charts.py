"""Charts a report shows: each with a Korean text description, and emphasis that is not colour alone.

A screen reader reads a chart's ``alt`` text, and a reader who cannot tell red from grey still has to
find "their" district; issue #23 asks both of every report chart. ``show(alt)`` displays the current
figure as a PNG whose output metadata carries ``alt`` (IPython's ``Image(alt=...)``), and the report's
HTML template (``datalit.reports.offline.TEMPLATE``) writes it into the ``<img alt="...">``.
``emphasise`` marks the highlighted bars with hatching and a dark edge and makes their tick label bold.
"""
from __future__ import annotations

HATCH = "///"


def show(alt: str, fig=None) -> None:
    """Display FIG (default: the current figure) as a PNG with ALT as its description, then close it,
    so that the inline backend does not show it a second time without one."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure
    from IPython.display import Image, display

    if not alt or not alt.strip():
        raise ValueError("a report chart needs a text description (alt)")
    fig = fig or plt.gcf()
    png = print_figure(fig, "png", bbox_inches="tight")
    plt.close(fig)
    display(Image(data=png, format="png", alt=" ".join(alt.split())))


def emphasise(bars, chosen, ax=None, axis: str = "x") -> None:
    """Hatch the bars whose position is in CHOSEN (indices into BARS) and, given AX, make the tick labels
    at those positions bold on AXIS ('x' for vertical bars, 'y' for horizontal ones)."""
    chosen = set(chosen)
    for i, bar in enumerate(bars):
        if i in chosen:
            bar.set_hatch(HATCH)
            bar.set_edgecolor("black")
            bar.set_linewidth(1.2)
    if ax is not None:
        ax.figure.canvas.draw_idle()
        labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
        for i, label in enumerate(labels):
            if i in chosen:
                label.set_fontweight("bold")


def listing(pairs, unit: str = "", limit: int = 5, fmt: str = "{:,.1f}") -> str:
    """'A 12.3, B 4.5 …' for the first LIMIT (name, value) pairs: the numbers an alt text reads out."""
    pairs = list(pairs)
    shown = ", ".join(f"{name} {fmt.format(value)}{unit}" for name, value in pairs[:limit])
    return shown + (f" 외 {len(pairs) - limit}개" if len(pairs) > limit else "")
