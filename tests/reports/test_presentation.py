"""What a report shows a reader, checked without a kernel: no glyph the Hangul font lacks (NanumGothic has
no U+2212 minus: a negative tick or a '−' in a chart label shows as a box), unit labels level, not rotated,
and no template code that draws a rotated y label or puts U+2212 into a chart."""
from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from datalit import hangul  # noqa: E402

pytestmark = [pytest.mark.reports]


def test_negative_ticks_use_a_minus_the_font_has():
    hangul.use()
    fig, ax = plt.subplots()
    ax.plot([-3, 2], [-1, 4])
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert any(label.startswith("-") for label in labels), labels
    assert not any("\u2212" in label for label in labels), labels
    plt.close(fig)


def test_unit_label_is_level_above_the_axis():
    hangul.use()
    fig, ax = plt.subplots()
    hangul.unit_label(ax, "청원 수 (건)")
    fig.canvas.draw()
    label = ax.yaxis.label
    assert label.get_rotation() == 0 and label.get_text() == "청원 수 (건)"
    box, axes_box = label.get_window_extent(), ax.get_window_extent()
    assert box.y0 >= axes_box.y1 and box.width > box.height             # above the plot, written across
    plt.close(fig)


def test_templates_draw_no_rotated_unit_and_no_missing_glyph(repo):
    for path in sorted((repo / "reports").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert ".set_ylabel(" not in code, f"{path.name}: use hangul.unit_label (level unit labels)"
        assert "\u2212" not in code, f"{path.name}: U+2212 in code reaches a chart as a box; write '-' or words"
        assert "hangul.use()" in code, path.name
