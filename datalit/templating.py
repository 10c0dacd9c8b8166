"""The HTML pages datalit builds itself (workshop credential sheets, feedback notes, report title blocks and
batch indexes), rendered from Jinja2 templates in ``datalit/templates/`` with autoescape on.

Why templates and not f-strings: every value on these pages comes from somewhere a person typed (a team id,
a parameter value, an error message, a hub URL); with autoescape each one is escaped unless a template says
otherwise, where an f-string needed an ``html.escape`` at every place and one forgotten was a hole. Undefined
names are errors (``StrictUndefined``), so a misspelt value fails a test instead of printing nothing.
The hub's own pages are JupyterHub templates (hub_config/templates), the progress pages datalit/progress/pages.py.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _env():
    import jinja2
    from urllib.parse import quote

    env = jinja2.Environment(loader=jinja2.PackageLoader("datalit", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["quote"] = quote  # a path in a link, percent-encoded (then escaped like any value)
    return env


def render(name: str, **values) -> str:
    """Template NAME (``workshop_sheet.html`` ...) with VALUES, every value escaped unless marked safe."""
    return _env().get_template(name).render(**values)
