"""Does a markdown cell render as the author meant? Parsed with a CommonMark parser (markdown-it-py).

JupyterLab renders markdown cells by CommonMark rules, so two slips show raw markup to learners:

* prose indented four spaces after a blank line becomes an *indented code block* (grey box, raw ``**``
  and backticks);
* bold or italics whose closing marker sits between punctuation and a Korean particle
  (``**퍼센트(%)**로``) is not "right-flanking", so the asterisks stay in the text. Move the
  punctuation out (``**퍼센트**(%)로``) or put the particle inside the bold.

    >>> from datalit.lessons.rendering import markdown_problems
    >>> markdown_problems("비중을 **퍼센트(%)**로 계산해요.")
    ['emphasis markers left in the rendered text: "비중을 **퍼센트(%)**로 계산해요."']
"""
from __future__ import annotations

import re
from functools import lru_cache

# asterisk/underscore runs that CommonMark would have used for emphasis if they were flanking
_LEFT_MARKERS = re.compile(r"\*\*|__|(?<![\w*])\*[^\s*]|[^\s*]\*(?![\w*])")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # JupyterLab's renderer is GitHub-flavoured: CommonMark plus tables and strikethrough
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def markdown_problems(source: str) -> list[str]:
    """Rendering problems of one markdown cell's source (empty list = renders cleanly)."""
    problems = []
    for token in _parser().parse(source):
        if token.type == "code_block":
            line = token.map[0] + 1 if token.map else "?"
            problems.append(f"indented code block in prose (line {line}; remove the 4-space indent or use "
                            f"``` for code): \"{_excerpt(token.content)}\"")
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "text" and _LEFT_MARKERS.search(child.content):
                    problems.append(f"emphasis markers left in the rendered text: \"{_excerpt(child.content)}\"")
    return problems
