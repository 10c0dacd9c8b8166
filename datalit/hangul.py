"""Hangul in matplotlib and seaborn with a font shipped by a Python package (koreanize-matplotlib).

    >>> from datalit import hangul; hangul.use()
"""
from __future__ import annotations


def use() -> str:
    """Make matplotlib (and seaborn, which draws through it) render Korean text; return the font name."""
    import koreanize_matplotlib  # noqa: F401  (registers NanumGothic from the wheel and sets rcParams)
    import matplotlib

    matplotlib.rcParams["axes.unicode_minus"] = False
    family = matplotlib.rcParams["font.family"]
    return family[0] if isinstance(family, list) else family


def seaborn_theme(**kwargs) -> None:
    """seaborn.set_theme() resets fonts; call this instead to keep Hangul working."""
    import seaborn as sns

    font = use()
    sns.set_theme(font=font, rc={"axes.unicode_minus": False}, **kwargs)
