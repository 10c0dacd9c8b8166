"""Accessible charts (issue #23 item 4): ``datalit.alttext.describe`` gives every chart a Korean text
description (printed, and the PNG's alt text in a real kernel and in nbconvert's HTML), and series that
differ only by colour get their own markers, line styles or hatching; the lesson check finds a chart cell
without a description."""
from __future__ import annotations

import matplotlib
import nbformat
import pandas as pd
import pytest

from datalit import alttext
from datalit.lessons import chartcheck

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")


@pytest.fixture
def plt():
    import matplotlib.pyplot as plt

    from datalit import hangul

    hangul.use()
    yield plt
    plt.close("all")


def test_lines_that_differ_only_by_colour_get_their_own_styles_and_the_legend_shows_them(plt):
    fig, ax = plt.subplots()
    s = pd.Series([3, 5, 4, 6], index=[2019, 2020, 2021, 2022])
    s.plot(ax=ax, label="강남구")
    (s + 1).plot(ax=ax, label="마포구")
    ax.axhline(4, color="black", label="기준")
    ax.legend()
    text = alttext.describe(ax, "두 구 모두 2022년에 가장 높아요.")
    a, b = ax.get_lines()[:2]
    assert (a.get_linestyle(), a.get_marker()) != (b.get_linestyle(), b.get_marker())
    legend_lines = ax.get_legend().get_lines()
    assert {(ln.get_linestyle(), ln.get_marker()) for ln in legend_lines[:2]} == {
        (a.get_linestyle(), a.get_marker()), (b.get_linestyle(), b.get_marker())}
    assert "선 2개, 범례 강남구, 마포구, 기준" in text and text.endswith("두 구 모두 2022년에 가장 높아요.")
    assert fig.datalit_alt == text


def test_bar_groups_get_hatching_and_the_summary_names_the_extreme_bars(plt, capsys):
    df = pd.DataFrame({"평일": [10, 30, 20], "주말": [12, 25, 18]}, index=["1월", "2월", "3월"])
    ax = df.plot.bar(title="월별 승객")
    alttext.describe(ax, "2월이 가장 많아요.")
    containers = ax.containers
    assert len({c.patches[0].get_hatch() for c in containers}) == 2
    _, one = plt.subplots()
    pd.Series([78.1, 31.2, 55.0], index=["3월", "8월", "11월"]).plot.barh(ax=one, title="월별 미세먼지")
    one.set_xlabel("㎍/㎥")
    text = alttext.describe(one, "3월에 가장 높아요.")
    assert text.startswith("「월별 미세먼지」 가로 막대그래프(막대 3개), 가장 큰 막대 3월(78.1), 가장 작은 막대 8월(31.2)")
    assert "가로축 ㎍/㎥" in text
    assert capsys.readouterr().out.splitlines()[-1] == alttext.PREFIX + text


def test_a_description_must_be_a_korean_sentence(plt):
    fig, ax = plt.subplots()
    for bad in ("", "chart of PM10", None, "좋아요"):
        with pytest.raises(ValueError, match="한국어 문장"):
            alttext.describe(ax, bad)


@pytest.mark.slow
def test_in_a_real_kernel_the_chart_is_shown_once_with_its_alt_text_and_the_html_keeps_it(tmp_path):
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfrom datalit import alttext, hangul\nhangul.use()\n"
        "ax = plt.gca(); ax.bar(['강남구', '마포구'], [3, 5]); ax.set_title('CCTV')\n"
        "alttext.describe(ax, '마포구가 강남구보다 많아요.')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, outputs
    alt = images[0].metadata["image/png"]["alt"]
    assert alt.startswith("「CCTV」 세로 막대그래프(막대 2개), 가장 큰 막대 마포구(5)") and alt.endswith("많아요.")
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert text.strip() == alttext.PREFIX + alt
    assert not [o for o in outputs if o.output_type == "execute_result"]
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert f'alt="{alt}"' in html


def test_the_lesson_check_finds_a_chart_cell_without_a_description():
    code = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [code("import matplotlib.pyplot as plt\nfrom datalit import alttext"),
                code("ax = s.plot.bar(title='x')\nplt.show()"),
                code("ax = s.plot.bar(title='x')\nalttext.describe(ax, f'가장 큰 값은 {s.max()}이에요.')"),
                code("m = folium.Map(location=[37.5, 127])\nm"),
                code("# s.plot()  (a comment does not draw)\nprint(1)")]
    nb.cells.append(code("s.plot()"))
    nb.cells[-1].metadata["tags"] = ["instructor"]
    problems = chartcheck.description_problems(nb)
    assert [p.split(":")[0] for p in problems] == ["cell 1", "cell 3"]


def test_scatter_groups_get_their_own_markers_and_a_highlighted_bar_is_hatched_and_bold(plt):
    fig, ax = plt.subplots()
    ax.scatter([1, 2], [3, 4], color="tab:gray", label="비 안 온 날")
    ax.scatter([1.5, 2.5], [3.5, 4.5], color="tab:blue", label="비 온 날")
    ax.legend()
    alttext.describe(ax, "비 온 날은 미세먼지가 낮아요.")
    a, b = (c.get_paths()[0].vertices.round(3).tolist() for c in ax.collections)
    assert a != b
    _, ax = plt.subplots()
    pd.Series([3, 5, 4], index=["강남구", "마포구", "중구"]).plot.bar(ax=ax, color=["gray", "red", "gray"])
    alttext.describe(ax, "마포구가 가장 높아요.", highlight="마포구")
    assert [p.get_hatch() for p in ax.patches] == [None, "///", None]
    assert [t.get_fontweight() for t in ax.get_xticklabels()] == ["normal", "bold", "normal"]


def test_a_histogram_is_called_one(plt):
    import numpy as np

    _, ax = plt.subplots()
    ax.hist(np.arange(100) % 17, bins=10)
    assert alttext.describe(ax, "고르게 퍼져 있어요.").startswith("히스토그램(구간 10개)")
