"""Hangul in matplotlib and seaborn with a font shipped by a Python package (koreanize-matplotlib).

    >>> from datalit import hangul; hangul.use()

``use()`` does what ``import koreanize_matplotlib`` does (register the package's NanumGothic files,
select NanumGothic, ASCII minus) without that module's import-time ``distutils`` import, and
registers the fonts only once per process: a kernel forked from a server that already called
``register()`` (datalit.kernels.forkserver) skips reading the four font files again.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

FONT_NAME = "NanumGothic"


def font_files() -> list[Path]:
    """The NanumGothic .ttf files shipped by koreanize-matplotlib (ImportError if it is missing)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("koreanize-matplotlib is not installed (pip install koreanize-matplotlib)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    return sorted(folder.glob("*.ttf"))


def register() -> None:
    """Add the NanumGothic files to matplotlib's font list once (rcParams are not touched)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))


def use() -> str:
    """Make matplotlib (and seaborn, which draws through it) render Korean text; return the font name."""
    import matplotlib

    register()
    matplotlib.rc("font", family=FONT_NAME)
    matplotlib.rcParams["axes.unicode_minus"] = False
    family = matplotlib.rcParams["font.family"]
    return family[0] if isinstance(family, list) else family


def seaborn_theme(**kwargs) -> None:
    """seaborn.set_theme() resets fonts; call this instead to keep Hangul working."""
    import seaborn as sns

    font = use()
    sns.set_theme(font=font, rc={"axes.unicode_minus": False}, **kwargs)


def unit_label(ax, text: str) -> None:
    """Put the y-axis unit (e.g. "명", "청원 수 (건)") level above the axis instead of rotated along it:
    a rotated Korean label is read with a tilted head, and a unit is read once, where the numbers start."""
    ax.set_ylabel(text, rotation=0, ha="left", va="bottom")
    ax.yaxis.set_label_coords(0, 1.01)
