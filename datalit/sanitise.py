"""The HTML allow-list for pages that show what learners wrote: a team's notebook snapshot
(datalit/hub/snapshot.py) and the grader's feedback HTML (datalit/labs/grading_html.py).

Why one module, in the core layer: both are root-side views of untrusted notebooks and must drop the same
things (scripts, event handlers, styles, forms, frames) and keep the same (headings, tables, plots). The
grader sits below the hub (docs/architecture.md), so the list cannot live in the hub package.
"""
from __future__ import annotations

import re

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "samp", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "var"}
ATTRIBUTES = {"*": ["class", "id", "title", "align"], "a": ["href"], "img": ["src", "alt", "width", "height"],
              "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"]}
INVISIBLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def clean_html(html) -> str:
    """nbconvert's ``clean_html`` filter with a readable allow-list; scripts and styles dropped with their text."""
    import bleach  # only the views that render notebooks need it

    html = html.decode() if isinstance(html, bytes) else str(html)
    return bleach.clean(INVISIBLE.sub("", html), tags=TAGS, attributes=ATTRIBUTES,
                        protocols=["http", "https", "mailto", "data"], strip=True)
