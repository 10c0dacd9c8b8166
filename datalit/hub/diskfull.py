"""IPython extension loaded in every hub kernel: a Korean explanation when a storage limit is hit.

Every place a learner can write has a limit the kernel enforces: the home (``hub.disk_limit``), the
private /tmp and /var/tmp (a folder inside the home, so the same limit; datalit/hub/scratch.py), /dev/shm
(``hub.shm_size``) and each team folder (``lab.team_disk_limit``). A write past one fails with ENOSPC
("No space left on device", or EDQUOT under quotas). After such a cell this prints, under the usual
traceback, which limit was hit and what to do. The place comes from the error's file name when it has
one (``open``, ``shutil.copy``), else from which of those filesystems is (nearly) full now (a ``write``
on an open file carries no name); when neither tells, the home's message with the other limits.
It uses the ``post_run_cell`` event, so it does not take the custom-exception slot that the lesson
error explainer (``%load_ext datalit.lessons.explain``) uses.
"""
from __future__ import annotations

import errno
import os

HEAD = "\n💾 datalit 도움말: "
PLACES = {
    "home": "내 폴더의 저장 공간({limit})이 가득 차서 파일을 더 쓸 수 없습니다. 임시 폴더(/tmp, /var/tmp)도 "
            "내 폴더 안에 있어서 함께 계산됩니다.",
    "tmp": "임시 폴더(/tmp, /var/tmp)가 가득 차서 파일을 더 쓸 수 없습니다. 임시 폴더는 내 폴더 안에 있어서 "
           "내 폴더의 저장 공간({limit})에 함께 계산되고, 서버를 다시 시작하면 비워집니다.",
    "shm": "공유 메모리 폴더(/dev/shm)의 한도({limit})가 가득 차서 파일을 더 쓸 수 없습니다.",
    "team": "팀 폴더 '{name}'의 저장 공간({limit})이 가득 차서 파일을 더 쓸 수 없습니다. 팀원과 상의해서 "
            "필요 없는 파일을 지우세요.",
}
ADVICE = " 필요 없는 파일(큰 CSV, 중간 결과, 복사본)을 지우고 다시 실행하세요. 더 필요하면 관리자에게 문의하세요."
OTHERS = " 공유 메모리 폴더(/dev/shm)의 한도는 {shm}입니다."
FULL = {errno.ENOSPC, errno.EDQUOT}
NO_TMP = "No usable temporary directory"  # tempfile's error when /tmp (and the home) has no byte left
TEAM_LINK = "팀폴더-"


def is_disk_full(exc: BaseException | None) -> bool:
    return _full_error(exc) is not None


def _full_error(exc: BaseException | None) -> OSError | None:
    while exc is not None:
        if isinstance(exc, OSError) and (exc.errno in FULL or NO_TMP in str(exc)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _size(path: str) -> str:
    try:
        st = os.statvfs(path)
        total = st.f_blocks * st.f_frsize
    except OSError:
        return "한도"
    return f"약 {total / 1024 ** 3:.1f} GB" if total >= 1024 ** 3 else f"약 {total // 1024 ** 2} MB"


def _mount_of(path: str) -> str:
    path = os.path.realpath(path)
    while not os.path.ismount(path) and path != "/":
        path = os.path.dirname(path)
    return path


def place_of(path: str) -> tuple[str, str]:
    """(kind, folder) of the limit PATH falls under: home, tmp, shm or team -- by the filesystem it is on
    (a test hub may keep homes and team folders under /tmp: names alone would mislead)."""
    mount = _mount_of(path)
    if mount != "/" and os.path.exists(os.path.join(os.path.dirname(mount), ".images")):
        return "team", mount  # a team folder's image (datalit.hub.disk keeps them in <teams_dir>/.images)
    if mount == "/dev/shm":
        return "shm", mount
    if mount in ("/tmp", "/var/tmp"):
        return "tmp", mount
    return "home", os.path.expanduser("~")


def _nearly_full(path: str) -> bool:
    try:
        st = os.statvfs(path)
    except OSError:
        return False
    free = st.f_bavail * st.f_frsize
    return free < max(8 * 1024 ** 2, st.f_blocks * st.f_frsize // 50)


def _candidates() -> list[str]:
    home = os.path.expanduser("~")
    found = [home, "/dev/shm"]
    try:
        found += [os.path.join(home, n) for n in sorted(os.listdir(home)) if n.startswith(TEAM_LINK)]
    except OSError:
        pass
    return found


def message(exc: OSError) -> str:
    names = [n for n in (getattr(exc, "filename", None), getattr(exc, "filename2", None)) if isinstance(n, str)]
    if NO_TMP in str(exc):
        names = ["/tmp"]
    places = [place_of(n) for n in names[:1]] or [place_of(p) for p in _candidates() if _nearly_full(p)]
    lines, seen = [], set()
    for kind, folder in places:
        if (kind, folder) in seen:
            continue
        seen.add((kind, folder))
        limit = _size(os.path.expanduser("~") if kind == "tmp" else folder)
        lines.append(PLACES[kind].format(limit=limit, name=os.path.basename(folder)))
    if not lines:
        lines.append(PLACES["home"].format(limit=_size(os.path.expanduser("~"))) + OTHERS.format(shm=_size("/dev/shm")))
    return HEAD + " ".join(lines) + ADVICE


def _after_cell(result) -> None:
    exc = _full_error(getattr(result, "error_in_exec", None))
    if exc is not None:
        print(message(exc), flush=True)


def load_ipython_extension(ipython) -> None:
    if _after_cell not in ipython.events.callbacks["post_run_cell"]:
        ipython.events.register("post_run_cell", _after_cell)


def unload_ipython_extension(ipython) -> None:
    if _after_cell in ipython.events.callbacks["post_run_cell"]:
        ipython.events.unregister("post_run_cell", _after_cell)
