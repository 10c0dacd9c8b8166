"""Team folders and team servers on Kubernetes (issue 15, part 2), in the real hub loaded from the chart.

The roster (tests/hub/k8s_fixtures.py ROSTER: team-a = [member], a beginner lab) is in the exchange's volume
as on one machine. The real KubeSpawner, after the pre-spawn hook (datalit/hub/k8s_spawn.py), builds:

* a member's pod: the team's folder (a subPath of the ``datalit-teams`` volume) at ``~/teams/team-a``;
  nobody else's pod mounts the teams volume;
* the team server's pod (hub user ``dlteam-…`` of datalit/hub/teamserver.py): that folder as its home,
  no ``claim-<team>`` volume, no course hand-out, collaboration on (``team/`` first);
* the same access as on one machine: JupyterHub shares of the team server with the members (the
  instructors of the lab's tier see a snapshot: no subdomains; datalit/hub/teamhub.py, run on the hub's
  database), /hub/teams/<team>.
"""
from __future__ import annotations

from datalit.config import DEFAULTS
from datalit.hub.teamserver import account_name

K8S = DEFAULTS["k8s"]
TEAM = account_name("team-a")


def test_members_pods_mount_their_team_folder_only(k8s_hub):
    people = k8s_hub["result"]["people"]
    member = people["member"]
    assert member["pod_volumes"]["datalit-teams"]["persistentVolumeClaim"]["claimName"] == K8S["teams_claim"]
    assert {"name": "datalit-teams", "mountPath": "/home/jovyan/teams/team-a", "subPath": "team-a"} in member["pod_mounts"]
    assert member["pod_volumes"]["volume-member"]["persistentVolumeClaim"]["claimName"] == "claim-member"  # own home
    for name in ("learner", "mid", "citizen", "analyst", "teacher"):
        assert "datalit-teams" not in people[name]["pod_volumes"], name
    assert (k8s_hub["teams_mount"] / "team-a").is_dir()  # made by the hub, which mounts the teams volume


def test_team_server_pod_has_the_team_folder_as_home(k8s_hub):
    server = k8s_hub["result"]["people"][TEAM]
    homes = [m for m in server["pod_mounts"] if m["mountPath"] == "/home/jovyan"]
    assert homes == [{"name": "datalit-teams", "mountPath": "/home/jovyan", "subPath": "team-a"}]
    # no claim-<team account>; the runtime folder (collaboration and file-id databases) is node-local, not the RWX team folder
    assert set(server["pod_volumes"]) == {"datalit-teams", "datalit-datasets", "datalit-runtime"}
    assert "emptyDir" in server["pod_volumes"]["datalit-runtime"]
    assert {"name": "datalit-runtime", "mountPath": server["pod_env"]["JUPYTER_RUNTIME_DIR"]} in server["pod_mounts"]
    assert server["storage_pvc_ensure"] is False
    assert server["lifecycle_hooks"] == {}  # no course notebooks in the team folder
    env = server["pod_env"]
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == "/opt/datalit/src/hub_config/user_server/team"
    assert env["DATALIT_TEAM"] == "team-a"
    assert "DATALIT_LAB_COURSE_DIR" not in env and "datalit-course" not in server["pod_volumes"]


def test_team_server_is_shared_as_on_one_machine(k8s_hub):
    got = k8s_hub["result"]
    # the member only: without subdomains the beginner course's instructor sees a snapshot, never the live
    # server (datalit/hub/snapshot_pages.py)
    assert got["team_shares"] == ["member"]
    assert any(pattern.startswith("/teams/") for pattern in got["extra_handlers"])
    assert got["no_confirm_team_client"] is True


def test_team_folder_names_stay_inside_the_teams_volume():
    import pytest

    from datalit.hub.k8s_spawn import team_folder_name

    assert team_folder_name("team-a") == "team-a" and team_folder_name("a/../b") == "a_.._b"
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError):
            team_folder_name(bad)
