"""A chart with a Korean title renders with no missing-glyph warning."""
import warnings

import pytest


@pytest.mark.parametrize("use_seaborn", [False, True])
def test_korean_chart_has_no_missing_glyphs(tmp_path, use_seaborn):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from datalit import hangul

    if use_seaborn:
        hangul.seaborn_theme()
    else:
        hangul.use()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        fig, ax = plt.subplots()
        ax.bar(["종로구", "강남구"], [1, -2])
        ax.set_title("서울시 자치구별 미세먼지 농도 (㎍/㎥)")
        ax.set_xlabel("자치구")
        fig.savefig(tmp_path / "chart.png")
        plt.close(fig)
    assert (tmp_path / "chart.png").stat().st_size > 1000


def test_without_the_font_the_test_would_fail(tmp_path):
    """The check above can fail: DejaVu Sans has no Hangul and warns."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        with pytest.warns(UserWarning, match="missing from font"):
            fig, ax = plt.subplots()
            ax.set_title("서울")
            fig.savefig(tmp_path / "broken.png")
            plt.close(fig)
