"""Which unit of work a test belongs to (tests/conftest.py hands units to xdist workers)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# With ``-n 3`` (pytest-xdist, what ``./run test`` and CI run) every test file that touches nothing the machine
# shares is one unit of work (its module fixtures, e.g. all lessons executed once, stay in one worker), handed to
# whichever worker is free. The tests that touch what the machine shares run in two units, each one test after
# another:
# - "grading": files marked ``grading`` (the grading sandbox's slot users and /var/lib/datalit-sandbox-tests,
#   cgroups), and the team-lab and security tests (unix groups named after team ids that many tests reuse, the
#   team folders) but for the compute-only files in LAB_COMPUTE and the hub front-door files in HUB_SECURITY;
# - "hubs": files marked ``hub`` (real hubs that neither grade in the sandbox nor make team groups) in
#   tests/hub, and HUB_SECURITY. The two share only what unix already serialises (useradd and groupadd take
#   /etc/passwd's lock and retry).
# The markers are read from the file's text (the controller, which schedules, never imports test files):
# tests/test_markers.py checks that a file starting a hub or grading carries the marker.
# The two system units go out first, then the compute files, the largest first, so no worker ends long after
# the others. (xdist's own --dist loadgroup cannot do this on pytest 9.2: it renames test ids through an
# attribute that pytest no longer reads.)
SYSTEM_DIRS = {"hub", "labs", "security"}
# team-lab tests that only compute (forming teams, rosters, reference checks on solutions run as root, the
# activity record): no slot users, no team groups, no hub; each is a unit of its own beside the rest
LAB_COMPUTE = {"test_forming.py", "test_roster.py", "test_labs.py", "test_labchecks_selftest.py",
               "test_team_activity.py", "test_assignments_panel_units.py", "test_team_server_stores.py"}
HUB_SECURITY = {"test_admin_signup.py", "test_hub_csrf.py", "test_hub_disk_limit.py",
                "test_hub_expired_sessions.py", "test_hub_login_lockout.py", "test_state_dir.py",
                "test_hub_private_tmp.py", "test_hub_leftover_processes.py", "test_certificate_forgery.py",
                "test_progress_record_attacks.py", "test_progress_forgery.py", "test_workshop_day_attacks.py",
                "test_sweep_names.py"}
_MARKS: dict[str, set] = {}


def file_marks(path: str) -> set:
    """The unit-deciding markers (``hub``, ``grading``) a test file's text applies."""
    if path not in _MARKS:
        try:
            text = (REPO / path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        _MARKS[path] = {m for m in ("hub", "grading") if f"mark.{m}" in text}
    return _MARKS[path]


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its file (compute tests), "hubs" or "grading"."""
    path = nodeid.split("::", 1)[0]
    parts = Path(path).parts
    marks = file_marks(path)
    if len(parts) > 2 and parts[:2] == ("tests", "labs") and parts[-1] in LAB_COMPUTE:
        return path  # marked grading (it runs nbgrader) but as root on its own course: no sandbox, no groups
    if "grading" in marks:
        return "grading"
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in SYSTEM_DIRS:
        if parts[1] == "security" and parts[-1] in HUB_SECURITY:
            return "hubs"
        if parts[1] == "hub":
            return "hubs" if "hub" in marks else path
        return "grading"
    return path
