"""What nbgrader renders from a team's notebook for other people: the formgrader and the feedback pages.

A member writes the notebook (markdown ``<img onerror=...>``, a ``display(HTML("<script>..."))``
output that autograde really executes). nbgrader converts it with nbconvert *without* sanitising:
the formgrader page is served by the instructor's own server on the hub's origin (script there acts
as the instructor: kernels, gradebook, solutions, hub API), and the feedback page is opened by every
teammate. grading/nbgrader_config.py therefore turns on nbconvert's ``sanitize_html`` and routes
both templates' HTML through the snapshot view's allow-list (one list of what learner HTML may be).
nbgrader's own templates render markdown as ``markdown2html | strip_files_prefix`` with no
``clean_html`` step, so ``strip_files_prefix`` is replaced by one that cleans too.
"""
from __future__ import annotations

from datalit.sanitise import clean_html as allow_listed

# Feedback pages are static: nothing in them needs script; the policy goes first in <head>, before
# anything a member wrote, so even HTML the sanitiser missed cannot run.
FEEDBACK_POLICY = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
FEEDBACK_META = f'<meta http-equiv="Content-Security-Policy" content="{FEEDBACK_POLICY}">'


def clean_html(html) -> str:
    """nbconvert's ``clean_html`` filter (outputs, SVG), with the snapshot view's allow-list (datalit/sanitise.py)."""
    return allow_listed(html)


def clean_markdown(html) -> str:
    """nbconvert's ``strip_files_prefix``, then the allow-list (nbgrader's markdown cells, comments)."""
    from nbconvert.filters.strings import strip_files_prefix

    return clean_html(strip_files_prefix(html))


def with_feedback_policy(page: str) -> str:
    """PAGE with FEEDBACK_META as the first thing in its <head> (or before everything if it has none)."""
    if FEEDBACK_META in page:
        return page
    i = page.lower().find("<head")
    j = page.find(">", i) + 1 if i >= 0 else 0
    return page[:j] + FEEDBACK_META + page[j:]
