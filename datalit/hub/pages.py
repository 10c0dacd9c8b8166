"""What the hub's own pages show each person, and where a person lands after login.

JupyterHub calls each callable of ``c.JupyterHub.template_vars`` with the current user (``None`` on the
login page) and a callable ``c.JupyterHub.default_url`` with the request handler
(datalit/hub/definition.py wires both).

* Course list: the courses of the person's groups. A citizen in ``citizens`` + one tier (by default
  ``citizen``, the workshop course) sees that tier;
  staff see their tiers (analysts without a tier: all); hub admins and teaching staff see every course.
  The login page (nobody logged in) lists every course.
* Account expiry: workshop accounts see when their account ends, in Korea time.
* Landing: learners (everyone but hub admins, team members too) go straight to their server -- JupyterHub's
  own ``redirect_to_server`` default: ``/hub/spawn`` starts it (the Korean spawn-pending page shows the
  progress), a running one is opened. Hub admins land on the home page, where the 관리 / 가입 승인 links are.
  A team member finds 팀 서버 열기 on the home page (JupyterLab's 파일 > 허브 제어판).
* Lesson: a server whose JupyterLab never saved a workspace (a first login, a pre-warmed workshop server)
  opens on the first lesson of the person's course (``first_lesson_url``, the spawner's ``default_url``);
  later logins open ``/lab``, which restores where the person left off.
"""
from __future__ import annotations


from datalit import kst
from datalit.hub import content
from datalit.hub.roles import TEACHING_GROUPS, TIERS


def group_names(user) -> set[str]:
    return {g.name for g in user.groups}


def visible_tiers(user) -> list[str]:
    """The tiers whose courses the hub's pages list for USER (every tier when nobody is logged in)."""
    if user is None:
        return list(TIERS)
    groups = group_names(user)
    if user.admin or groups & TEACHING_GROUPS:
        return list(TIERS)
    return content.tiers_for(groups)


def courses_for(all_courses: dict[str, list[dict]]):
    """The ``courses`` template variable: ``{tier: lessons}`` of the tiers USER may see."""
    def courses(user) -> dict[str, list[dict]]:
        return {tier: all_courses.get(tier, []) for tier in visible_tiers(user)}
    return courses


def account_expiry(user) -> str:
    """The ``account_expiry`` template variable: the expiry of a workshop account, else ``""``."""
    if user is None:
        return ""
    entry_of = getattr(user.authenticator, "workshop_entry", None)
    entry = entry_of(user.name) if entry_of else None
    if not entry or not entry.get("expires_at"):
        return ""
    return kst.until(entry["expires_at"])


def landing_url(handler) -> str:
    """``c.JupyterHub.default_url``: the home page for hub admins; ``""`` (JupyterHub's default: the
    person's own server, started at once by /hub/spawn) for everyone else."""
    try:
        user = handler.current_user
    except RuntimeError:  # no user resolved for this request (JupyterHub raises before get_current_user)
        user = None
    if user is not None and user.admin:
        return handler.hub.base_url + "home"
    return ""


def first_lesson(content_dir, tiers: list[str]) -> str:
    """``courses/<tier>/<first notebook>`` of the first of TIERS with lessons, as handed out into a home; ''."""
    from pathlib import Path

    for tier in tiers:
        files = sorted((Path(content_dir) / tier).glob("*.ipynb"))
        if files:
            return f"courses/{tier}/{files[0].name}"
    return ""


def first_lesson_url(content_dir, tiers: list[str], home) -> str:
    """The server's ``default_url``: ``/lab/tree/<first lesson>`` until JupyterLab saved a workspace in HOME
    (``~/.jupyter/lab/workspaces``: the person has used Lab before), else ``/lab``. The hub runs this as root in a
    folder the person writes: the folders are walked without following a link (datalit.nofollow), and a link
    counts as no workspace (followed, it told the person what a folder only root may read holds)."""
    import os
    from pathlib import Path
    from urllib.parse import quote

    from datalit import nofollow

    lesson = first_lesson(content_dir, tiers)
    home = Path(home)
    try:
        with nofollow.folder(home.parent, [home.name, ".jupyter", "lab", "workspaces"]) as fd:
            used = any(n.endswith(".jupyterlab-workspace") for n in os.listdir(fd))
    except OSError:  # none yet, a link, or a home whose way root does not trust
        used = False
    return f"/lab/tree/{quote(lesson)}" if lesson and not used else "/lab"
