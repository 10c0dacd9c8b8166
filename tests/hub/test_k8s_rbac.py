"""What the hub's service account may do, and what the exchange's pod holds (issue 25, item 5).

* The hub's extra Role (manifests/rbac.yaml) is exactly what the datalit commands send (every
  ``k8s_api.Call`` built anywhere in datalit/, read from the source) beyond the chart's own Role: no verb that
  nothing uses (list, watch, delete on Jobs, pods/log were granted before).
* The exchange runs in its own Deployment: no service-account token, no service links, one Secret (its own
  token), no admin CLI token; its NetworkPolicy lets it reach only the hub's API and DNS. Its container's
  command and environment start the real service here (as the pod would), with nothing from the hub pod.
"""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from datalit.config import DEFAULTS
from datalit.hub import k8s_exchange
from k8s_fixtures import REPO, load_manifests, manifest

K8S = DEFAULTS["k8s"]
CALL = re.compile(r'Call\(\s*"(GET|POST|PUT|PATCH|DELETE)",\s*f?"(/apis?/[^"]+)"')
VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


def calls_in_code() -> set[tuple[str, str, str]]:
    """{(apiGroup, resource, verb)} of every Kubernetes API call the datalit package builds."""
    out = set()
    for path in (REPO / "datalit").rglob("*.py"):
        for method, url in CALL.findall(path.read_text(encoding="utf-8")):
            parts = url.strip("/").split("/")
            group = "" if parts[0] == "api" else parts[1]
            rest = parts[2:] if parts[0] == "api" else parts[3:]
            assert rest[0] == "namespaces", url  # namespaced calls only: a Role can grant them
            resource, named = rest[2], len(rest) > 3
            verb = VERBS.get(method) or ("get" if named else "list")
            out.add((group, resource, verb))
    return out


def granted(rules: list[dict]) -> set[tuple[str, str, str]]:
    return {(g, r, v) for rule in rules for g in rule["apiGroups"] for r in rule["resources"] for v in rule["verbs"]}


def test_the_hubs_extra_role_is_what_the_code_calls(k8s_rendered):
    needed = calls_in_code()
    assert ("batch", "jobs", "create") in needed and ("", "persistentvolumeclaims", "delete") in needed
    chart = granted(manifest(k8s_rendered, "Role", "hub")["rules"])
    manifests = load_manifests()
    extra = granted(manifests[("Role", "datalit-hub-jobs")]["rules"])
    assert extra == needed - chart  # nothing more, nothing missing
    sandbox = granted(manifests[("Role", f"{K8S['grading_sandbox_namespace']}/datalit-hub-jobs")]["rules"])
    assert sandbox == {c for c in needed if c[1] == "jobs"}  # there only the grading Jobs


def test_the_exchange_pod_holds_only_its_own_secret():
    objects = k8s_exchange.manifests(K8S, values={})
    deployment = objects[0]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False and pod["enableServiceLinks"] is False
    assert deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"] == {"type": "Recreate"}
    (c,) = pod["containers"]
    assert "envFrom" not in c
    refs = [e["valueFrom"]["secretKeyRef"] for e in c["env"] if "valueFrom" in e]
    assert refs == [{"name": k8s_exchange.SECRET, "key": "token"}]
    assert not any("secret" in v or "hostPath" in v for v in pod["volumes"])
    names = {e["name"] for e in c["env"]}
    assert not names & {"DATALIT_HUB_TOKEN", "DATALIT_FIRST_ADMIN_PASSWORD", "DATALIT_HUB_DB_PASSWORD",
                        "DATALIT_LAB_GRADEBOOK_PASSWORD", "CONFIGPROXY_AUTH_TOKEN"}
    policy = objects[2]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    to = [r.get("to") for r in policy["egress"]]
    assert to == [[{"podSelector": {"matchLabels": {"component": "hub"}}}], None]
    assert policy["egress"][1]["ports"] == [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
    service = objects[1]["spec"]
    assert service["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_exchange_container_starts_from_its_own_environment(tmp_path):
    """The Deployment's command and environment, as the pod has them (its volume and /tmp under tmp_path, a
    local port): the real service starts, keeps its store on the volume, and refuses a request without a token."""
    (c,) = k8s_exchange.deployment(K8S, values={})["spec"]["template"]["spec"]["containers"]
    port = _free_port()
    store, tmp = tmp_path / "store", tmp_path / "tmp"
    store.mkdir()
    tmp.mkdir()
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    for e in c["env"]:
        value = e.get("value", "token-from-the-secret")
        value = str(tmp) if value == "/tmp" else value.replace(K8S["exchange_mount"], str(store))
        env[e["name"]] = value.replace(f"0.0.0.0:{K8S['exchange_port']}", f"127.0.0.1:{port}")
    assert c["command"][0] == "python"
    proc = subprocess.Popen([sys.executable, *c["command"][1:]], env=env, cwd=tmp, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}{env['JUPYTERHUB_SERVICE_PREFIX']}api/labs"
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(url, timeout=5)
                status = 200
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.3)
                continue
            break
        assert proc.poll() is None, proc.stdout.read()
        assert status in (401, 403), status  # up, and no token: refused
        assert (store / DEFAULTS["lab"]["course_id"]).is_dir(), sorted(store.rglob("*"))  # its store, on its volume
    finally:
        proc.terminate()
        proc.wait(timeout=30)


READ_ONLY_PROBE = r"""
import json, sys
from pathlib import Path
from datalit.exchange import activity
from datalit.exchange.store import Store
from datalit.hub.teamserver import roster_file
root, course = Path(sys.argv[1]), sys.argv[2]
store = Store(root, course)                       # as datalit.hub.teamhub.contribution opens it
out = {"roster": store.roster(),
       "summary": activity.summary(store, "team-a", ["kim"], ["lab1_bike_story"]),
       "k8s_jobs": json.loads(roster_file({"exchange_dir": str(root), "course_id": course}, None).read_text())}
try:
    (root / "probe").write_text("x")
    out["wrote"] = True
except OSError:
    out["wrote"] = False
print(json.dumps(out, default=str))
"""


def test_the_hub_reads_the_exchange_store_through_a_read_only_mount(tmp_path):
    """The hub pod mounts the exchange's claim read-only: what it reads there (the roster for team servers and
    a grading run, the teams' activity for instructors) works on a real read-only mount (a bind mount made
    read-only in a mount namespace of its own), and nothing can be written."""
    import json
    import os
    import shutil

    import pytest

    from datalit.exchange.store import Store

    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare for a read-only bind mount")
    course = DEFAULTS["lab"]["course_id"]
    store_dir, mount = tmp_path / "store", tmp_path / "ro"
    mount.mkdir()
    store = Store(store_dir, course)  # the exchange's side: writable
    (store.base / "roster.json").write_text(json.dumps({"lab1_bike_story": {"team-a": ["kim"]}}))
    script = tmp_path / "probe.py"
    script.write_text(READ_ONLY_PROBE)
    shell = (f"mount --bind {store_dir} {mount} && mount -o remount,ro,bind {mount} && "
             f"{sys.executable} {script} {mount} {course}")
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", shell], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["wrote"] is False  # really read-only
    assert got["roster"] == got["k8s_jobs"] == {"lab1_bike_story": {"team-a": ["kim"]}}
    assert got["summary"][0]["member"] == "kim"
