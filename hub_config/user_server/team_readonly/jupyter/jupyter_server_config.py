# A team server's JUPYTER_CONFIG_DIR (datalit/hub/teamenv.py): root-owned, read-only, instead of the team
# folder's ~/.jupyter, which every member can write. Loaded by team servers only.
from datalit.hub.teamenv import NeverTrusted, course_config_only

c = get_config()  # noqa: F821
# no notebook is ever trusted here: a member could sign one (outputs with script) with the team's own secret,
# and a visitor opening it would run that script; no signature is stored or accepted (and no secret is needed)
c.NotebookNotary.store_factory = NeverTrusted
c.NotebookNotary.secret = b"team servers trust no notebook"
c.NotebookNotary.db_file = ":memory:"
# the file-id and collaboration databases live in the runtime folder: hub_config/user_server/team/
# nbgrader's Assignments panel reads the course's nbgrader config only, never the team folder's
course_config_only()
