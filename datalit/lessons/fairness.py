"""Fair concept questions (issue #20): a learner who does not read must not score.

Two habits of authors make a multiple-choice test answerable blind: the right option under the same key
(once (나) in 24 of 32) and the right option the longest, most careful one (28 of 32; "pick the longest"
scored 88 %). ``datalit lesson check`` holds both below ``MAX_SHARE`` across every concept question of every
tier, and refuses a lesson whose markdown lists a concept's options: markdown cannot shuffle, so the
options come from the code (``qN.show()`` or ``print(qN.prompt)``), in the learner's own order.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MAX_SHARE = 0.40  # the limit for both the most frequent right key and "the right one is longest"


@dataclass
class Asked:
    """One concept question as authored: where, its right key, and whether that option is the longest."""

    where: str
    key: str
    longest: bool


def asked() -> list[Asked]:
    """Every concept question of every exercise module, with its authored right key (default parameters)."""
    from datalit.lessons.concepts import concepts_in
    from datalit.lessons.exercises import load_module, module_names

    out = []
    for name in module_names():
        for q in concepts_in(load_module(name)):
            key = q.authored_answer()
            right = len(q.options[key])
            out.append(Asked(f"{name}.{q.name}", key, all(right >= len(v) for v in q.options.values())))
    return out


def problems(found: list[Asked] | None = None) -> list[str]:
    """Messages naming the offenders when a key or "the longest" is right in more than MAX_SHARE."""
    found = asked() if found is None else found
    if not found:
        return []
    out = []
    limit = MAX_SHARE * len(found)
    for key, n in Counter(a.key for a in found).most_common():
        if n > limit:
            where = ", ".join(a.where for a in found if a.key == key)
            out.append(f"concept questions: option ({key}) is the right one in {n} of {len(found)} "
                       f"(limit {MAX_SHARE:.0%}); move the right option to another key in some of: {where}")
    longest = [a.where for a in found if a.longest]
    if len(longest) > limit:
        out.append(f"concept questions: the right option is the longest in {len(longest)} of {len(found)} "
                   f"(limit {MAX_SHARE:.0%}; 'pick the longest' would score); word a distractor as carefully "
                   f"and as long in some of: {', '.join(longest)}")
    return out


def notebook_problems(nb, module) -> list[str]:
    """A lesson's concept cells: options never in markdown (they would show twice, and not shuffled);
    every concept's options shown by code."""
    from datalit.lessons.concepts import concepts_in

    out = []
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for q in concepts_in(module):
        labels = "|".join(re.escape(k) for k in q.options)
        option_line = re.compile(rf"^\s*(?:[-*]\s*)?\(\s*({labels})\s*\)\s*\S", re.M)
        # the run-on form: "(가) 주민이 늘어난다 (나) 다른 곳에서 온 사람들이 머문다" inside one paragraph
        option_inline = re.compile(rf"\(\s*({labels})\s*\)\s*[^\s)]")
        for i, cell in enumerate(nb.cells):
            listed = {m.group(1) for m in option_line.finditer(cell.source)} if cell.cell_type == "markdown" else ()
            run_on = cell.cell_type == "markdown" and any(
                len({m.group(1) for m in option_inline.finditer(para)}) >= 2 for para in re.split(r"\n\s*\n", cell.source))
            if len(listed) >= 2 or run_on or (cell.cell_type == "markdown"
                                    and any(f") {text}" in cell.source for text in q.options.values())):
                out.append(f"cell {i}: lists the options of {q.name} in markdown (shown twice, and not in the "
                           f"learner's shuffled order): show them with {q.name}.show()")
        if not any(shown in code for shown in (f"{q.name}.show()", f"print({q.name}.prompt)", f"{q.name}.shown_options(")):
            out.append(f"{q.name}: its options are never shown (a code cell {q.name}.show() or "
                       f"print({q.name}.prompt))")
    return out
