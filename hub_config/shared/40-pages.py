# The hub's own pages in Korean: templates extend JupyterHub's (and NativeAuthenticator's) ones.
from pathlib import Path

from datalit.hub import content

here = Path(__file__).resolve().parent.parent
c.JupyterHub.template_paths = [str(here / "templates")]
c.JupyterHub.template_vars = {
    "programme": "서울 데이터 리터러시 랩",
    "programme_en": "Seoul Data Literacy Lab",
    "courses": content.course_list(Path(settings["content_dir"])),
    "tier_names": {"beginner": "입문", "intermediate": "중급", "advanced": "고급"},
}
