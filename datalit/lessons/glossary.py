"""용어집: the data-literacy terms the lessons use, one source (``courses/용어집.md``), linked at first use.

    >>> from datalit.lessons import glossary
    >>> [e.term for e in glossary.entries()][:3]            # ['평균', '중앙값', '분모']
    >>> glossary.link_problems(nb)                          # [] when every term is linked at its first use

The hub hands out only ``<tier>/*.ipynb`` (datalit.hub.content) and JupyterLab opens a ``.md`` file as
text, so the builder writes the glossary as ``용어집.ipynb`` (one markdown cell per term) beside each
course's lessons; a lesson links ``[평균](용어집.ipynb#cell-id=term-mean)``. The target is the term's cell
id, made from its English name (``영어: mean``): JupyterLab 4 compares a link's fragment with heading ids
as the browser sends it, percent-encoded, so a Korean heading anchor (``#평균``) opens the glossary at its
top instead of at the term (tests/lessons/test_glossary_browser.py clicks one in a real JupyterLab).

"First use" is counted in the learner's reading order, over the markdown cells between the objectives
cell and the key-points cell (both are compared word for word with the metadata, and sum up what the
body already linked), skipping headings, inline code and cells learners never see. Occurrences are
matched longest first, so ``신뢰구간`` is one use of 신뢰구간, not of 구간, and a word that only looks
like a term (``상관없이``) is not a use at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from datalit import atomic

SOURCE_NAME = "용어집.md"
NOTEBOOK_NAME = "용어집.ipynb"
EXAMPLE_PREFIX = "서울 예:"
ALIAS_PREFIX = "다른 표기:"
ENGLISH_PREFIX = "영어:"
NOT_TERMS = ("상관없", "상관 없", "상관하")  # 'regardless' and 'to mind', not correlation
HIDDEN_TAGS = {"instructor", "teacher"}


@dataclass
class Entry:
    term: str
    body: str
    aliases: list[str] = field(default_factory=list)

    @property
    def english(self) -> str:
        for line in self.body.splitlines():
            if line.startswith(ENGLISH_PREFIX):
                return line[len(ENGLISH_PREFIX):].strip()
        return ""

    @property
    def anchor(self) -> str:
        """The glossary cell's id (ASCII, so that a link's fragment survives the browser's encoding)."""
        return "term-" + (re.sub(r"[^a-z0-9]+", "-", self.english.lower()).strip("-") or anchor(self.term))

    @property
    def example(self) -> str:
        """The entry's 'Seoul example' line (without its prefix), '' if it has none."""
        for line in self.body.splitlines():
            if line.startswith(EXAMPLE_PREFIX):
                return line[len(EXAMPLE_PREFIX):].strip()
        return ""

    @property
    def href(self) -> str:
        return f"{NOTEBOOK_NAME}#cell-id={self.anchor}"


def anchor(heading: str) -> str:
    return heading.replace(" ", "-")


def source_path(root: Path | None = None) -> Path:
    from datalit.lessons.courses import courses_dir

    return (Path(root) if root else courses_dir()) / SOURCE_NAME


def _sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    intro, sections, current = [], [], None
    for line in text.splitlines():
        if line.startswith("## "):
            current = (line[3:].strip(), [])
            sections.append(current)
        elif current is None:
            intro.append(line)
        else:
            current[1].append(line)
    return "\n".join(intro).strip(), [(h, "\n".join(b).strip()) for h, b in sections]


def entries(root: Path | None = None) -> list[Entry]:
    """The glossary's entries in file order ([] when there is no glossary)."""
    path = source_path(root)
    if not path.is_file():
        return []
    out = []
    for term, body in _sections(path.read_text(encoding="utf-8"))[1]:
        aliases = []
        for line in body.splitlines():
            if line.startswith(ALIAS_PREFIX):
                aliases = [a.strip() for a in line[len(ALIAS_PREFIX):].split(",") if a.strip()]
        out.append(Entry(term, body, aliases))
    return out


def notebook(root: Path | None = None):
    """The glossary as a notebook of markdown cells: the introduction, then one cell per term."""
    import nbformat

    intro, sections = _sections(source_path(root).read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_markdown_cell(intro)]
    nb.cells[0].id = "glossary-intro"
    for term, body in sections:
        entry = Entry(term, body)
        paragraphs = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())  # one per line
        cell = nbformat.v4.new_markdown_cell(f"## {term}\n\n{paragraphs}")
        cell.id = entry.anchor
        nb.cells.append(cell)
    return nb


def write_notebook(folder: Path, root: Path | None = None) -> Path | None:
    """Write ``folder/용어집.ipynb`` (nothing when the course tree has no glossary)."""
    import nbformat

    if not source_path(root).is_file():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / NOTEBOOK_NAME
    with atomic.replacing(out) as fh:
        nbformat.write(notebook(root), fh)
    return out


def _matcher(items: list[Entry]):
    words = {w: e for e in items for w in [e.term, *e.aliases]}
    words.update({w: None for w in NOT_TERMS})
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)), words


def uses(nb, items: list[Entry] | None = None) -> list[tuple[Entry, str | None, int]]:
    """(entry, link target or None, cell index) for every use of a term in the lesson body, in order."""
    from datalit.lessons.rendering import _parser

    items = entries() if items is None else items
    if not items:
        return []
    pattern, words = _matcher(items)
    found = []
    last = len(nb.cells) - 1
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags") or [])
        if cell.cell_type != "markdown" or i in (0, last) or tags & HIDDEN_TAGS:
            continue
        in_heading = False
        for token in _parser().parse(cell.source):
            if token.type == "heading_open":
                in_heading = True
            elif token.type == "heading_close":
                in_heading = False
            if token.type != "inline" or in_heading:
                continue
            href = None
            for child in token.children or ():
                if child.type == "link_open":
                    href = unquote(child.attrGet("href") or "")
                elif child.type == "link_close":
                    href = None
                elif child.type == "text":
                    for m in pattern.finditer(child.content):
                        entry = words[m.group(0)]
                        if entry is not None:
                            found.append((entry, href, i))
    return found


def link_problems(nb, items: list[Entry] | None = None) -> list[str]:
    """Terms not linked at their first use, and glossary links that point nowhere."""
    from datalit.lessons.rendering import _parser

    items = entries() if items is None else items
    if not items:
        return []
    problems, seen = [], set()
    for entry, href, cell in uses(nb, items):
        if entry.term in seen:
            continue
        seen.add(entry.term)
        if href != entry.href:
            problems.append(f"cell {cell}: first use of glossary term {entry.term!r} is not linked "
                            f"(write [{entry.term}]({entry.href}))")
    anchors = {e.anchor for e in items}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for token in _parser().parse(cell.source):
            for child in token.children or ():
                href = unquote(child.attrGet("href") or "") if child.type == "link_open" else ""
                if "용어집" not in href:
                    continue
                target, _, frag = href.partition("#")
                if target != NOTEBOOK_NAME:
                    problems.append(f"cell {i}: glossary link {href!r} must point to {NOTEBOOK_NAME} "
                                    "(the glossary is handed out beside the lessons)")
                elif frag and not (frag.startswith("cell-id=") and frag[len("cell-id="):] in anchors):
                    known = {a for e in items for a in (e.term, anchor(e.term))}
                    hint = (" (a heading anchor: JupyterLab would open the glossary at its top; "
                            "link #cell-id=term-... as glossary.Entry.href)") if frag in known else ""
                    problems.append(f"cell {i}: glossary link {href!r}: no such term in {SOURCE_NAME}{hint}")
    return problems
