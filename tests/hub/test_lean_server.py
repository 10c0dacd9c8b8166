"""Lean user servers: what they skip (datalit.hub.singleuser, hub_config/user_server) and what they keep."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

PREPARE_PROBE = """
import os, sys
before = os.environ["PATH"]
from datalit.hub import singleuser
singleuser.prepare()
import jsonschema
from jsonschema import Draft7Validator
assert os.environ["PATH"] == before, "PATH not restored"
assert "rfc3987_syntax" not in [m for m, v in sys.modules.items() if v is not None]
assert "iri" not in Draft7Validator.FORMAT_CHECKER.checkers
assert "jupyterlab.labapp" in sys.modules
print("ok")
"""


def test_prepare_skips_the_iri_grammar_and_node(tmp_path):
    """No `node` runs while JupyterLab's server app is imported; the IRI grammar is not compiled."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on PATH: nothing to skip")
    calls = tmp_path / "node-calls.txt"
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "node").write_text(f"#!/bin/sh\necho \"$*\" >> {calls}\nexec {node} \"$@\"\n")
    (shim / "node").chmod(0o755)
    env = dict(os.environ, PATH=f"{shim}:{os.environ['PATH']}")
    out = subprocess.run([sys.executable, "-c", PREPARE_PROBE], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
    assert not calls.exists(), calls.read_text()
    # the probe is not vacuous: without prepare() JupyterLab does run node at import
    plain = subprocess.run([sys.executable, "-c", "import jupyterlab.labapp"], capture_output=True, text=True,
                           env=env, timeout=120)
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert calls.exists() and "config" in calls.read_text()


KERNEL_PROBE = """
import json, os, stat, ipykernel.connect
info = json.load(open(ipykernel.connect.get_connection_file()))
rt = os.environ["JUPYTER_RUNTIME_DIR"]
st = os.stat(rt)
print(json.dumps({"transport": info["transport"], "runtime": rt, "mode": oct(stat.S_IMODE(st.st_mode) & 0o777),
                  "mine": st.st_uid == os.getuid()}))
"""


def _page_config(html: str) -> dict:
    """JupyterLab's page config, as embedded in the Lab page."""
    start = html.index('id="jupyter-config-data"')
    body = html[html.index(">", start) + 1:html.index("</script>", start)]
    return json.loads(body)


@pytest.mark.hub
@pytest.mark.slow
def test_learner_and_instructor_servers(hub):
    learner, _ = hub.new_user(groups=("beginner",))
    teacher, _ = hub.new_user(groups=("instructors",))
    tokens = {u: hub.spawn(u) for u in (learner, teacher)}

    def get(user, path):
        return requests.get(f"{hub.url}/user/{user}/{path}", headers={"Authorization": f"token {tokens[user]}"},
                            timeout=60)

    # learners: nbgrader's assignment list, no formgrader / course list; instructors: all of them
    courses = get(learner, "courses")  # the assignment list's course list (exchange of the configured course)
    assert courses.status_code == 200 and "success" in courses.json(), courses.text[:300]
    assert get(learner, "formgrader").status_code == 404
    assert get(learner, "formgraders").status_code == 404
    assert get(teacher, "formgrader").status_code == 200
    assert get(teacher, "formgraders").status_code == 200
    # Korean Lab, no build check / news / PyPI extension manager
    lab = get(learner, "lab")
    assert lab.status_code == 200
    assert '"buildCheck": false' in lab.text and '"news": {"disabled": true}' in lab.text
    # and no Formgrader / Course List / Create Assignment entries in their Nbgrader menu (the panels would 404)
    disabled = _page_config(lab.text)["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" in disabled and "@jupyter/nbgrader:course-list" in disabled, disabled
    # nbgrader's English Assignments panel (and the menu left empty) give way to the Korean 과제 panel
    assert "@jupyter/nbgrader:assignment-list" in disabled and "@jupyter/nbgrader:menu" in disabled, disabled
    teacher_disabled = _page_config(get(teacher, "lab").text)["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" not in teacher_disabled, teacher_disabled
    settings = get(learner, "lab/api/settings/@jupyterlab/translation-extension:plugin").json()
    assert settings["schema"]["properties"]["locale"]["default"] == "ko_KR"  # overrides.json, English selectable
    install = requests.post(f"{hub.url}/user/{learner}/lab/api/extensions", timeout=60,
                            headers={"Authorization": f"token {tokens[learner]}"},
                            json={"cmd": "install", "extension_name": "jupyterlab-unfold"})
    assert install.status_code != 201 and "ok" != install.json().get("status"), install.text[:300]  # nothing installs
    assert "readonly" in hub.log.read_text(errors="replace")  # "Extension Manager is 'readonly'"

    # kernels talk over unix sockets in the user's private runtime folder
    out = hub.run_code(learner, tokens[learner], KERNEL_PROBE)
    assert out["error"] is None, out
    info = json.loads(out["stdout"])
    assert info["transport"] == "ipc" and info["mine"] and info["mode"] == "0o700", info
    if os.geteuid() == 0:
        assert Path(info["runtime"]) == Path("/run/datalit") / learner
        assert stat.S_IMODE(Path(info["runtime"]).stat().st_mode) & 0o077 == 0
    hub.stop_server(learner)
    assert not Path(info["runtime"]).exists()  # removed with the server
