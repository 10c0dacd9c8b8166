"""HTML without code (Korean title block, data sources with credits, when made) and PDF via Chromium.

The HTML opens offline: no script or stylesheet from a CDN (offline.py). Times shown are Korea time
(``datalit.kst.shown``); the data sources show each dataset's Korean title and credit line only (the
catalog's English notes on licences and copies are for maintainers, see datasets/README.md).

The PDF is Chromium's own print-to-PDF of the HTML, as nbconvert's ``webpdf`` exporter does, but
with the system's Debian ``/usr/bin/chromium`` (no browser download).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from datalit.reports.manifest import MANIFEST_TAG
from datalit import templating
from datalit.reports.offline import TILES_NOTE, offline_outputs, offline_page

HIDDEN_TAGS = {MANIFEST_TAG, "remove_cell", "remove-cell"}

STYLE = """
<style>
.datalit-title{font-family:'NanumGothic','Noto Sans KR',sans-serif;border-bottom:2px solid #1f4e79;
  margin:0 0 1.5em;padding:1em 0 .8em}
.datalit-title h1{margin:0 0 .4em;font-size:1.8em;color:#1f4e79}
.datalit-title table{border-collapse:collapse;margin:.3em 0}
.datalit-title th,.datalit-title td{border:1px solid #ccc;padding:.2em .6em;text-align:left}
.datalit-title .meta{color:#555;font-size:.9em}
.datalit-sources{font-size:.85em;color:#444;border-top:1px solid #ccc;margin-top:2em;padding-top:.8em}
.datalit-note{color:#555}
.datalit-failed{background:#fde8e8;border:1px solid #c00;padding:.6em;margin:.6em 0}
@media print{.jp-Cell{break-inside:avoid}}
</style>
"""


@lru_cache(maxsize=1)
def _exporter():
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from datalit.reports.offline import TEMPLATE, TEMPLATE_NAME

    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = HIDDEN_TAGS
    c.TagRemovePreprocessor.remove_input_tags = {"remove_input", "hide-input"}
    return HTMLExporter(config=c, extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE})],
                        template_file=TEMPLATE_NAME)


_REPO_PATH = re.compile(r"\b[\w.-]+/[\w.-]+\b")  # owner/name of a copy (github-style), not "A / B"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def credit_line(credit: str) -> str:
    """The Korean credit of a catalog ``credit``: its parts that begin in Korean, without the notes on
    where a copy came from (``files as published with …``, ``collected by owner/repo``, ``(가공: a/b)``).
    A credit with no Korean part (e.g. a CC BY citation in English) is kept as written, less those notes."""
    text = re.sub(r"^\s*출처\s*:\s*", "", credit or "").strip()
    parts = [p.strip() for p in text.split(";") if p.strip()]
    clean = []
    for part in parts:
        part = re.sub(r"\s*\([^()]*\)", lambda m: "" if _REPO_PATH.search(m.group(0)) else m.group(0), part)
        part = ", ".join(bit for bit in part.split(", ") if not _REPO_PATH.search(bit)).strip()
        if part:
            clean.append(part)
    korean = [p for p in clean if _HANGUL.match(p)]
    return "; ".join(korean or clean)


def _sources(data_files: dict[str, str]) -> list[dict]:
    """Korean title and credit line of each dataset a report read (files are in manifest.json)."""
    from datalit.data.catalog import get

    out = []
    for ds_id in sorted({key.partition("/")[0] for key in data_files}):
        try:
            d = get(ds_id)
            out.append({"id": ds_id, "title": d.title_ko, "credit": credit_line(d.credit or d.publisher)})
        except Exception:
            out.append({"id": ds_id, "title": ds_id, "credit": ""})
    return out


def title_block(title: str, params: dict, labels: dict[str, str], made: str, status: str) -> str:
    """The Korean title block (datalit/templates/report_title.html): title, parameters, when made."""
    rows = [(labels.get(k) or k, "—" if v is None else str(v)) for k, v in params.items()]
    page = templating.render("report_title.html", title=title, params=rows, made=made, failed=status != "ok")
    return page.rstrip("\n")


def sources_block(data_files: dict[str, str], notes: list[str] = ()) -> str:
    """The data sources with their credit lines (datalit/templates/report_sources.html)."""
    return templating.render("report_sources.html", sources=_sources(data_files), notes=list(notes)).rstrip("\n")


def _without_stderr(nb):
    """Warnings and logs (stderr) are for the analyst, not the report's readers: they stay in the notebook."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return nb


def to_html(nb, path: Path, *, title: str, params: dict, labels: dict[str, str], made: str,
            data_files: dict[str, str], status: str = "ok") -> Path:
    """Write the report HTML (code hidden, plots embedded) and return its path."""
    nb = _without_stderr(nb)
    assets = offline_outputs(nb)  # nb is our copy (_without_stderr)
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = offline_page(body, assets["dropped"])  # whatever else names a CDN
    head = title_block(title, params, labels, made, status)
    foot = sources_block(data_files, [TILES_NOTE] if assets["tiles"] else [])
    body = body.replace("</head>", STYLE + "</head>", 1)
    if "<main>" in body:
        body = body.replace("<main>", "<main>" + head, 1)
        body = body.replace("</main>", foot + "</main>", 1)
    else:  # other templates: right after <body ...>
        i = body.find(">", body.find("<body")) + 1
        body = body[:i] + head + body[i:]
        body = body.replace("</body>", foot + "</body>", 1)
    path.write_text(body, encoding="utf-8")
    return path


def chromium() -> str:
    for candidate in (os.environ.get("DATALIT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError("PDF needs Chromium (Debian: apt-get install chromium); none found. "
                       "PDF를 만들려면 Chromium이 필요합니다.")


def to_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    """Print the HTML to PDF with headless Chromium (A4, backgrounds on)."""
    with tempfile.TemporaryDirectory(prefix="datalit-chromium-") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={profile}",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
               f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"Chromium did not write {pdf_path}: {proc.stderr[-800:]}")
    return pdf_path
