# The hub's own pages in Korean: templates extend JupyterHub's (and NativeAuthenticator's) ones.
# Per person (datalit/hub/pages.py): the courses of their groups, a workshop account's expiry, and where
# they land after login (learners: their server, started at once; hub admins: the home page).
from pathlib import Path

from datalit.hub import content, pages, roles

here = Path(__file__).resolve().parent.parent
c.JupyterHub.template_paths = [str(here / "templates")]
c.JupyterHub.template_vars = {
    "programme": "서울 데이터 리터러시 랩",
    "programme_en": "Seoul Data Literacy Lab",
    "courses": pages.courses_for(content.course_list(Path(settings["content_dir"]))),
    "account_expiry": pages.account_expiry,
    "tier_names": roles.TIER_NAMES,
    # instructors open team servers only on their own origins; else a snapshot (datalit/hub/snapshot_pages.py)
    "own_origins": bool(settings.get("subdomain_host")),
}
c.JupyterHub.default_url = pages.landing_url
c.JupyterHub.redirect_to_server = True  # (JupyterHub's default) what landing_url's "" means: /hub/spawn
