"""Issue #19 item 4: a team folder had no limit; one member filled it (and the machine's disk) for all.

The attack: a member, from their personal server (started while the folder's image was not mounted, as
after a reboot), writes far past the team's limit into ``~/팀폴더-<team>``; then, from the team server's kernel, fills the
team server's /tmp. Now each team folder is its own loop-mounted image of ``lab.team_disk_limit`` (here
40M, made by ``datalit team import``'s ensure_folders, root:team 2770 as before), the mount reaches servers
that were already running, the team server's /tmp lies inside the team folder, and both writes fail with
ENOSPC and a Korean message naming the team folder; the member's own home keeps its space."""
from __future__ import annotations

import os
import shutil
import stat

import pytest

from teamkit import logged_in, open_team_server, released_course_hub, team_ids, teams_made

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="team folder images only as root")]

LIMIT_MB = 40
FILL = """
import os
chunk = os.urandom(1 << 20)
with open({path!r}, "wb") as f:
    for i in range({mb}):
        f.write(chunk)
        f.flush()
"""


@pytest.fixture(scope="module")
def team_limit_hub():
    key = "DATALIT_LAB_TEAM_DISK_LIMIT"
    saved = os.environ.get(key)
    os.environ[key] = f"{LIMIT_MB}M"  # the hub inherits it, and so does the import run in this process
    try:
        with released_course_hub() as pair:
            yield pair
    finally:
        if saved is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = saved


def test_filling_the_team_folder_stops_at_its_own_limit(team_limit_hub, tmp_path):
    import grp

    from datalit.hub import disk
    from datalit.hub.teamserver import account_name
    from datalit.labs.teams import group_name

    hub, course_dir = team_limit_hub
    (a, pa), (b, _) = hub.new_user(), hub.new_user()
    [team] = team_ids(1)
    folder = os.path.join(os.environ["DATALIT_LAB_TEAMS_DIR"], team)
    try:
        with teams_made(hub, course_dir, {team: [a, b]}, tmp_path / "team-groups.json"):
            assert os.path.ismount(folder), "the team folder is not its own filesystem"
            st = os.stat(folder)
            assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (0, grp.getgrnam(group_name(team)).gr_gid,
                                                                        0o2770)
            assert shutil.disk_usage(folder).total <= LIMIT_MB * 1024 ** 2
            assert os.listdir(folder) == []  # no lost+found for members to stumble on
            # as after a reboot: the image exists but is not mounted, and the member's server starts first
            disk._unmount(folder)
            token_a = hub.spawn(a)
            # opening the team server mounts the image again, and the mount reaches the running server
            assert open_team_server(hub, logged_in(hub, a, pa), team).status_code == 200
            assert os.path.ismount(folder)

            link = f"팀폴더-{team}/fill.bin"
            filled = hub.run_code(a, token_a, FILL.format(path=link, mb=3 * LIMIT_MB), timeout=120)
            assert filled["error"] and "No space left on device" in filled["error"], filled
            assert "팀 폴더" in filled["stdout"] and team in filled["stdout"], filled
            assert os.path.getsize(os.path.join(folder, "fill.bin")) <= LIMIT_MB * 1024 ** 2
            image = disk.team_image_path(folder)
            assert os.stat(image).st_blocks * 512 <= (LIMIT_MB + 2) * 1024 ** 2
            # the member's own home is another filesystem and still takes a 10 MB file
            home = hub.run_code(a, token_a, "import os\nwith open('own.bin', 'wb') as f:\n"
                                f"    f.write(os.urandom(10 << 20))\nos.remove({link!r})\nprint('ok')")
            assert home["error"] is None and home["stdout"].strip() == "ok", home

            # the team server's /tmp is inside the team folder, under the same limit
            account = account_name(team)
            member_token = hub.user_token(a)
            tmp = hub.run_code(account, member_token, FILL.format(path="/tmp/fill.bin", mb=3 * LIMIT_MB), timeout=120)
            assert tmp["error"] and "No space left on device" in tmp["error"], tmp
            assert "저장 공간" in tmp["stdout"] and "가득 차서" in tmp["stdout"], tmp
            assert os.path.getsize(os.path.join(folder, ".datalit-tmp", "fill.bin")) <= LIMIT_MB * 1024 ** 2
            assert not os.path.exists("/tmp/fill.bin")
    finally:
        disk.release_team_folder(folder)
