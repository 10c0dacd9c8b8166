"""A disk limit per person that the kernel enforces: each home is an ext4 image loop-mounted at the home.

Without it one learner wrote 2.1 GB in 4.6 s and could fill the machine's disk for everyone. The root
filesystem here has no quota support (no ``usrquota``/project quotas on ``/``), so, as root, each person's
home gets its own small filesystem:

* ``<state>/disk/<name>.img`` (state dir is root-only; folder 0700): a sparse file of ``hub.disk_limit``
  bytes, ``mkfs.ext4`` once (owner the person, 0 % reserved blocks, small journal, lazy inode tables), then
  ``mount -o loop,nosuid,nodev,discard`` at the home. Only written blocks take space on the real disk, and
  ``discard`` gives deleted files' blocks back.
* at the first mount, what the home already holds (the skeleton files, handed-out lessons, the team-folder
  link) is copied into the image; if it does not fit, the home stays as it was, unlimited, and the hub logs
  an error instead of hiding the person's files.
* idempotent and persistent: a home that is already a mount point is left alone; images stay mounted when
  the server stops (grading feedback and team links are written into homes while no server runs) and are
  mounted again at the next hub start after a reboot (``mount_all``). A raised limit grows the image
  (``resize2fs``); a lowered one applies to new images only. Deleting the hub user unmounts and removes it.
* a write past the limit fails in the kernel with ENOSPC; every kernel loads ``datalit.hub.diskfull``, which
  explains that in Korean under the traceback.

* at a clean stop of the hub (SIGTERM; every server is stopped by then) ``release_homes`` unmounts the
  home images, so that a stopped hub leaves no loop device behind; the next start mounts them again
  before any server (``mount_all``). While the hub is stopped a home is its bare mount point:
  ``datalit workshop purge`` mounts the images first; a team link made by ``datalit team import`` then
  lands under the mount point (import teams while the hub runs).

Team folders (``lab.teams_dir/<team>``) get the same machinery with their own size,
``lab.team_disk_limit``: ``<teams_dir>/.images/<team>.img`` (root-only folder; a team id never starts
with a dot), owner root:team, mode 2770 like the folder, mounted by ``datalit team import``, at hub start
and at every team-server start. They stay mounted when the hub stops: feedback and imports write into team
folders while no server runs. Removing a team from the roster leaves its folder and image (as before).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
MIN_BYTES = 16 * 1024 ** 2  # ext4 with its journal needs a few MB of its own
KERNEL_HOOK = '''# written by datalit.hub.disk: every kernel of this environment explains a full home in Korean
c.InteractiveShellApp.extensions.append("datalit.hub.diskfull")
'''


class DiskLimitError(RuntimeError):
    pass


def parse_size(text: str | int) -> int:
    """'5G', '50M', '512K', '1073741824' -> bytes; '' or '0' -> 0 (no limit)."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", str(text).upper())
    if not m:
        raise ValueError(f"disk limit {text!r}: expected a size like 5G or 500M")
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def image_path(state: Path, name: str) -> Path:
    return Path(state) / "disk" / f"{name}.img"


def _run(*cmd: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(cmd), capture_output=True, text=True)
    if proc.returncode != 0:
        raise DiskLimitError(f"{' '.join(cmd)} failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
    return proc


def _mount(image: Path, where: Path) -> None:
    _run("mount", "-o", "loop,nosuid,nodev,discard,noinit_itable", str(image), str(where))


def _unmount(where: Path) -> None:
    if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)  # busy: detach now, free when idle


def _make_image(image: Path, size: int, uid: int, gid: int, label: str = "datalit-home") -> None:
    image.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(image.parent, 0o700)
    tmp = image.with_suffix(".new")
    with open(tmp, "wb") as fh:
        fh.truncate(size)
    os.chmod(tmp, 0o600)
    _run("mkfs.ext4", "-q", "-F", "-m", "0", "-J", "size=4", "-L", label,
         "-E", f"root_owner={uid}:{gid},lazy_itable_init=1,nodiscard", str(tmp))
    os.replace(tmp, image)


def _grow(image: Path, size: int) -> None:
    if image.stat().st_size < size:
        with open(image, "r+b") as fh:
            fh.truncate(size)
        _run("e2fsck", "-f", "-p", str(image))
        _run("resize2fs", str(image))


def limit_home(state: Path, name: str, home: Path, uid: int, gid: int, limit: int, log=None) -> bool:
    """Mount NAME's image (made on first use) at HOME. True if the home is limited now. Root only."""
    return _limit_folder(image_path(state, name), Path(home), uid, gid, 0o700, limit, f"home of {name}", log)


def team_image_path(folder: Path) -> Path:
    return Path(folder).parent / ".images" / f"{Path(folder).name}.img"


def limit_team_folder(folder: Path, gid: int, limit: int | str | None = None, log=None) -> bool:
    """Mount the team folder's own image (made on first use; ``lab.team_disk_limit`` unless LIMIT is given)
    at FOLDER, root:team 2770. True if the folder is limited now. Root only; a no-op without a limit."""
    if limit is None:
        from datalit.config import load_config

        limit = load_config()["lab"]["team_disk_limit"]
    limit = parse_size(limit or 0)
    if not limit or os.geteuid() != 0 or not have_tools():
        return False
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        raise DiskLimitError(f"team folder {folder} is not a folder")
    return _limit_folder(team_image_path(folder), folder, 0, gid, 0o2770, limit, f"team folder {folder.name}", log,
                         label="datalit-team")


def apply_team_limit(folder: Path, gid: int) -> list[str]:
    """``datalit team import``'s step: the team folder's image mounted (``lab.team_disk_limit``); what was done."""
    try:
        limited = limit_team_folder(folder, gid)
    except (DiskLimitError, OSError, ValueError) as exc:
        return [f"{Path(folder).name}: disk limit NOT applied ({exc})"]
    return [f"{Path(folder).name}: limited to {shutil.disk_usage(folder).total // 1024 ** 2} MB"] if limited else []


def _limit_folder(image: Path, where: Path, uid: int, gid: int, mode: int, limit: int, what: str, log=None,
                  label: str = "datalit-home") -> bool:
    if not limit:
        return False
    if os.path.ismount(where):
        return True
    size = max(limit, MIN_BYTES)
    fresh = not image.exists()
    if fresh:
        _make_image(image, size, uid, gid, label)
        staging = Path(tempfile.mkdtemp(prefix=f".{where.name}-", dir=image.parent))
        try:
            _mount(image, staging)
            os.chmod(staging, mode)
            if label == "datalit-team":  # members would see mkfs's root-only lost+found in their folder
                os.rmdir(staging / "lost+found")
            copied = subprocess.run(["cp", "-a", "--", f"{where}/.", f"{staging}/"], capture_output=True, text=True)
        finally:
            _unmount(staging)
            staging.rmdir()
        if copied.returncode != 0:
            image.unlink()
            if log:
                log.error("disk limit NOT applied to the %s: it does not fit into %d bytes (%s)", what, size,
                          copied.stderr.strip()[-300:])
            return False
    else:
        _grow(image, size)
    _mount(image, where)
    os.chown(where, uid, gid)
    os.chmod(where, mode)
    if fresh and log:
        log.info("%s limited to %d MB (%s)", what, size // 1024 ** 2, image)
    return True


def release_home(state: Path, name: str, home: Path | None) -> None:
    """The person is gone: unmount their image and delete it."""
    image = image_path(state, name)
    if home is not None and os.path.ismount(home) and _mounted_image(Path(home)) == image:
        _unmount(Path(home))
    image.unlink(missing_ok=True)


def _mounted_image(where: Path) -> Path | None:
    """The image file mounted at WHERE (via its loop device), if any."""
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        if fields[4] == str(where) and "/dev/loop" in line:
            dev = line.split(" - ")[1].split()[1]
            backing = Path(f"/sys/block/{Path(dev).name}/loop/backing_file")
            if backing.exists():
                return Path(backing.read_text().strip())
    return None


def mount_all(state: Path, home_of, log=None) -> int:
    """After a reboot: mount every existing image at its person's home again (before anyone writes there)."""
    folder = Path(state) / "disk"
    count = 0
    if os.geteuid() != 0 or not folder.is_dir():
        return 0
    for image in sorted(folder.glob("*.img")):
        home = home_of(image.stem)
        if home is None or not Path(home).is_dir() or os.path.ismount(home):
            continue
        try:
            _mount(image, Path(home))
            count += 1
        except DiskLimitError as exc:
            if log:
                log.error("cannot mount the home image of %s: %s", image.stem, exc)
    return count


def release_team_folder(folder: Path) -> None:
    """The team folder's image unmounted and deleted (its files go with it). Root only."""
    image = team_image_path(folder)
    if os.path.ismount(folder) and _mounted_image(Path(folder)) == image:
        _unmount(Path(folder))
    image.unlink(missing_ok=True)


def mount_all_teams(teams_dir: Path, log=None) -> int:
    """After a reboot: mount every team image at its team folder again (before any server writes there)."""
    folder = Path(teams_dir) / ".images"
    count = 0
    if os.geteuid() != 0 or not folder.is_dir():
        return 0
    for image in sorted(folder.glob("*.img")):
        where = Path(teams_dir) / image.stem
        if where.is_symlink() or not where.is_dir() or os.path.ismount(where):
            continue
        try:
            _mount(image, where)
            count += 1
        except DiskLimitError as exc:
            if log:
                log.error("cannot mount the image of team folder %s: %s", image.stem, exc)
    return count


def mounted_images(folder: Path) -> dict[Path, Path]:
    """Mount point -> image, for every loop mount whose image file lies in FOLDER."""
    found = {}
    folder = Path(folder).resolve()
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        if " - " not in line or "/dev/loop" not in line.split(" - ")[1]:
            continue
        where = Path(line.split()[4].replace("\\040", " "))
        image = _mounted_image(where)
        if image is not None and image.parent == folder:
            found[where] = image
    return found


def release_homes(state: Path, log=None) -> int:
    """The hub stopped cleanly (every server is stopped): unmount every home image of STATE."""
    if os.geteuid() != 0 or not (Path(state) / "disk").is_dir():
        return 0
    mounts = mounted_images(Path(state) / "disk")
    for where in mounts:
        _unmount(where)
    if log and mounts:
        log(f"unmounted {len(mounts)} home images")
    return len(mounts)


def install_kernel_hook(prefix: str | Path) -> None:
    """``<prefix>/etc/ipython/ipython_kernel_config.py``: IPython loads it in every kernel of that venv."""
    path = Path(prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    try:
        if path.is_file() and path.read_text() == KERNEL_HOOK:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(KERNEL_HOOK)
        path.chmod(0o644)
    except OSError:
        pass  # a read-only environment: the limit still holds, the message stays English


def have_tools() -> bool:
    return all(shutil.which(t) for t in ("mkfs.ext4", "mount", "umount", "resize2fs", "e2fsck"))
