"""Issue #11 item 9: every hub restart added a `(새 버전)` copy of each lesson the learner had edited,
even when the lesson had not changed. Now an unchanged lesson adds nothing, however often the hub
restarts; a changed lesson adds its new version beside the learner's once."""
from __future__ import annotations

import json
import shutil

import pytest
from hub_fixtures import hub_base_dir, start_hub

from datalit.hub.content import NEW_SUFFIX

pytestmark = [pytest.mark.hub, pytest.mark.slow]

LIST = ("import os, json; d = os.path.expanduser('~/courses/beginner'); "
        "print(json.dumps(sorted(n for n in os.listdir(d) if n.endswith('.ipynb'))))")


def _copies(hub, name, token) -> list[str]:
    out = hub.run_code(name, token, LIST)
    assert out["error"] is None, out
    return [n for n in json.loads(out["stdout"]) if NEW_SUFFIX in n]


def test_restarts_add_no_copy_of_an_unchanged_lesson_and_one_of_a_changed_one():
    base = hub_base_dir()
    hubs = [start_hub(base / "state", home_base=base / "home")]
    try:
        name, _ = hubs[0].new_user(groups=("beginner",))
        token = hubs[0].spawn(name)
        lessons = sorted((base / "content" / "beginner").glob("*.ipynb"))
        lesson = lessons[0].name
        edit = (f"import os; p = os.path.expanduser('~/courses/beginner/{lesson}'); "
                "s = open(p).read(); open(p, 'w').write(s.replace('\"cells\"', '\"cells\"', 1) + ' ')")
        assert hubs[0].run_code(name, token, edit)["error"] is None  # the learner's edit
        for _ in range(2):  # the hub restarts twice; the learner's server starts again each time
            hubs[-1].stop()
            hubs.append(start_hub(base / "state", home_base=base / "home", admin_password="unused"))
            hubs[-1].created = hubs[0].created
            token = hubs[-1].spawn(name)
            assert _copies(hubs[-1], name, token) == [], "a restart added a copy of an unchanged lesson"

        # the lesson changes upstream (the hub's built content): exactly one new version, once
        hub = hubs[-1]
        nb = json.loads(lessons[0].read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["## 추가된 연습\n"]})
        lessons[0].write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        for _ in range(2):
            hub.stop_server(name)
            token = hub.spawn(name)
            assert _copies(hub, name, token) == [lesson.replace(".ipynb", f"{NEW_SUFFIX}.ipynb")]
    finally:
        for h in reversed(hubs):
            h.remove_users()
            h.stop()
        shutil.rmtree(base, ignore_errors=True)
