"""Reports that open offline: no script or stylesheet is loaded from a CDN.

nbconvert's page template loads require.js, MathJax and mermaid from CDNs: the report template
(``TEMPLATE``) leaves them out (reports have no widgets, formulas or diagrams; a ``$x$`` in a report's
text stays as typed), and it writes a chart's description (``datalit.reports.charts.show``) as the
``<img alt>``. A folium map is a whole HTML page in an ``<iframe srcdoc>`` that loads Leaflet,
jQuery, Bootstrap, Font Awesome and (for a legend) d3 from CDNs. ``inline_assets`` puts the two it
needs into the page itself, from Python wheels (pyproject.toml), not from vendored copies:

* Leaflet 1.9.3 (JS, CSS, marker images as data URIs) from ``xstatic-leaflet`` (BSD-2-Clause),
* d3 3.5 (branca's colour legend) from ``xstatic-d3`` (BSD-3-Clause),

and drops the other CDN tags (jQuery, Bootstrap, awesome-markers, Font Awesome: unused by folium's
own map code; ``folium.Icon`` markers would need them and show as a plain marker error instead).
Map tiles are images fetched by the browser from a tile server while the map is viewed: they cannot
be offline. Without a network the map shows its polygons, circles and markers on a grey background.
"""
from __future__ import annotations

import base64
import html
import importlib.metadata as md
import re
from functools import lru_cache

TEMPLATE_NAME = "datalit-report.html.j2"
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_png scoped -%}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"{% if alt %} alt="{{ alt | escape_html }}"{% endif %}>
</div>
{%- endblock data_png -%}
"""

TILES_NOTE = ("지도 배경(지도 타일)은 보는 순간 인터넷의 지도 서버에서 받아 오므로, 인터넷에 연결되어 있을 때만 "
              "보입니다. 인터넷 없이 열면 배경 없이 경계·원·표시만 보입니다.")


def _file(dist: str, rel: str) -> bytes:
    path = md.distribution(dist).locate_file(rel)
    return path.read_bytes()


def _data_uri(dist: str, rel: str) -> str:
    return "data:image/png;base64," + base64.b64encode(_file(dist, rel)).decode()


_LEAFLET = ("xstatic-leaflet", "xstatic/pkg/leaflet/data/")


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    dist, base = _LEAFLET
    icons = {key: _data_uri(dist, base + f"images/{name}") for key, name in
             (("iconUrl", "marker-icon.png"), ("iconRetinaUrl", "marker-icon-2x.png"),
              ("shadowUrl", "marker-shadow.png"))}
    fix = ('L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({'
           + ", ".join(f'{k}: "{v}"' for k, v in icons.items()) + "});\n")
    return _file(dist, base + "leaflet.js").decode() + "\n" + fix


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    dist, base = _LEAFLET
    css = _file(dist, base + "leaflet.css").decode()
    return re.sub(r"url\(images/([\w.-]+\.png)\)",
                  lambda m: f"url({_data_uri(dist, base + 'images/' + m.group(1))})", css)


@lru_cache(maxsize=1)
def d3_js() -> str:
    return _file("xstatic-d3", "xstatic/pkg/d3/data/d3.js").decode()


# (CDN address pattern, kind, local content)
KNOWN = (
    (re.compile(r"/leaflet(@[\d.]+)?/dist/leaflet\.js$"), "script", leaflet_js),
    (re.compile(r"/leaflet(@[\d.]+)?/dist/leaflet\.css$"), "style", leaflet_css),
    (re.compile(r"/d3/3\.[\d.]+/d3(\.min)?\.js$"), "script", d3_js),
)

_SCRIPT = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["'](https?:)?//[^"']+["'][^>]*>\s*</script>""", re.I)
_LINK = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["'](https?:)?//[^"']+["'][^>]*>""", re.I)
_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']""", re.I)
_SRCDOC = re.compile(r"""(<iframe\b[^>]*?\bsrcdoc=)(["'])(.*?)\2""", re.I | re.S)
_TRUST = re.compile(r'<span style="color:#565656">Make this Notebook Trusted to load map: File -(&gt;|>) Trust Notebook</span>')
_TILES = re.compile(r"""L\.tileLayer\(\s*["']https?://""")


def _local(tag: str, dropped: list[str]) -> str:
    url = _URL.search(tag).group(1)
    for pattern, kind, content in KNOWN:
        if pattern.search(url.split("?")[0]):
            if kind == "script":
                return "<script>\n" + content().replace("</script", "<\\/script") + "\n</script>"
            return "<style>\n" + content() + "\n</style>"
    dropped.append(url)
    return ""


def offline_page(doc: str, dropped: list[str]) -> str:
    """``doc`` with every remote ``<script src>`` and stylesheet ``<link>`` inlined or removed."""
    doc = _SCRIPT.sub(lambda m: _local(m.group(0), dropped), doc)
    return _LINK.sub(lambda m: _local(m.group(0), dropped)
                     if re.search(r"""\brel\s*=\s*["']?stylesheet""", m.group(0), re.I) else m.group(0), doc)


def inline_assets(page: str, info: dict | None = None) -> tuple[str, dict]:
    """An HTML output (or page) made to open offline; returns it and what was done, added to ``info``
    (``maps``: folium maps inlined, ``tiles``: whether a map draws remote tiles, ``dropped``: removed URLs)."""
    info = info if info is not None else {"maps": 0, "tiles": False, "dropped": []}

    def one_map(m: re.Match) -> str:
        inner = html.unescape(m.group(3))
        info["maps"] += 1
        info["tiles"] = info["tiles"] or bool(_TILES.search(inner))
        return m.group(1) + '"' + html.escape(offline_page(inner, info["dropped"]), quote=True) + '"'

    page = _SRCDOC.sub(one_map, page)
    page = _TRUST.sub("", page)
    return offline_page(page, info["dropped"]), info


def offline_outputs(nb) -> dict:
    """Inline the assets of every HTML output of ``nb`` (changed in place), before nbconvert re-writes
    the HTML; returns what was done (see ``inline_assets``)."""
    info = {"maps": 0, "tiles": False, "dropped": []}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"], _ = inline_assets(text, info)
    return info
