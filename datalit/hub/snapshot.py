"""Read-only snapshots of a team's notebooks: what instructors and admins see when no subdomain is available.

Why: on the hub's one origin (``hub.subdomain_host`` off, datalit/hub/origins.py) whatever a team member
puts on the team server (a config file, an extension, a trusted output, or their own page on its port)
runs in the visitor's browser with the visitor's hub cookies: an instructor's or admin's token for the
asking. So they never load a team server there: ``/hub/teams/<team>`` shows them this page instead.

What makes it safe:

* nothing is executed; the notebooks are converted to HTML by nbconvert with its HTML sanitiser (a
  richer allow-list than nbconvert's, :func:`clean_html`: headings, tables and plots stay; scripts, event
  handlers, styles, forms and frames go), in a child process that runs as ``nobody`` with only the team's
  group: it reads what the team can read and nothing the hub's root could (a member's symlink to
  ``/etc/shadow``, the hub's secrets or another team's folder reads nothing), with no config of the
  team folder (``-P``, no user site, HOME and Jupyter's folders elsewhere);
* each notebook is served on its own URL with ``Content-Security-Policy: sandbox; default-src 'none'`` (no
  script at all, an opaque origin without the hub's cookies, no request anywhere) and shown in an
  ``<iframe sandbox>`` on the page: even HTML that got past the sanitiser cannot run.

``python -m datalit.hub.snapshot list|render FOLDER [PATH]`` is the child; the handlers call it.
"""
from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path, PurePosixPath

from datalit.sanitise import INVISIBLE as _INVISIBLE, clean_html  # the allow-list the grader shares

MAX_NOTEBOOKS = 200          # listed per team (the rest are named as left out)
MAX_NOTEBOOK_BYTES = 20 << 20
MAX_DEPTH = 4                # folders below the team folder
CHILD_TIMEOUT = 30
MAX_CHILDREN = 2             # snapshot children at once, hub-wide (never the hub's shared thread pool)
MAX_WAITING = 8
NOBODY = 65534
CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
       "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")


class SnapshotError(RuntimeError):
    """Shown to the instructor in Korean."""


# ---- the child (runs as nobody:<team group>) --------------------------------------------------------
def list_notebooks(folder: Path) -> dict:
    """The team's notebooks (relative paths, size, mtime), hidden folders and symlinks left out."""
    found, left_out = [], 0
    root = str(folder)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        depth = len(Path(dirpath).relative_to(root).parts)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and depth < MAX_DEPTH)
        for name in sorted(filenames):
            if not name.endswith(".ipynb") or name.startswith("."):
                continue
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            if len(found) >= MAX_NOTEBOOKS:
                left_out += 1
                continue
            rel = str(PurePosixPath(Path(dirpath).relative_to(root)) / name)
            found.append({"path": rel.removeprefix("./"), "size": st.st_size, "mtime": st.st_mtime})
    return {"notebooks": found, "left_out": left_out}


def safe_relative(path: str) -> str:
    """PATH as a plain relative notebook path inside the team folder, else SnapshotError."""
    p = PurePosixPath(path or "")
    if (not path or p.is_absolute() or any(part in ("", ".", "..") or part.startswith(".") for part in p.parts)
            or p.suffix != ".ipynb" or "\\" in path or "\x00" in path):
        raise SnapshotError("노트북 경로가 올바르지 않습니다.")
    return str(p)


def render_notebook(folder: Path, path: str) -> str:
    """One notebook as sanitised static HTML (no execution)."""
    import nbformat
    from nbconvert import HTMLExporter

    rel = safe_relative(path)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in PurePosixPath(rel).parts[:-1]:  # never through a symlink
            nxt = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nxt
        # O_NONBLOCK: a FIFO named *.ipynb opens at once (and is refused below) instead of waiting for a writer
        nfd = os.open(PurePosixPath(rel).name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
    with os.fdopen(nfd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SnapshotError("노트북 파일이 아닙니다.")
        raw = fh.read(MAX_NOTEBOOK_BYTES + 1)
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise SnapshotError(f"노트북이 너무 커서({MAX_NOTEBOOK_BYTES >> 20} MB 초과) 미리 볼 수 없습니다.")
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable notebook: one clear message
        raise SnapshotError("노트북을 읽을 수 없습니다(형식이 올바르지 않음).") from None
    exporter = HTMLExporter(template_name="lab", sanitize_html=True, filters={"clean_html": clean_html})
    body, _ = exporter.from_notebook_node(nb)
    return _INVISIBLE.sub(lambda m: m.group(0) if m.group(1).lower() == "style" else "", body)


def child_main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["list"] and len(argv) == 2:
            sys.stdout.write(json.dumps(list_notebooks(Path(argv[1]))))
        elif argv[:1] == ["render"] and len(argv) == 3:
            sys.stdout.write(render_notebook(Path(argv[1]), argv[2]))
        else:
            print("usage: python -m datalit.hub.snapshot list FOLDER | render FOLDER PATH", file=sys.stderr)
            return 2
    except SnapshotError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"팀 폴더를 읽을 수 없습니다: {exc.strerror or exc}", file=sys.stderr)
        return 3
    return 0


# ---- the hub's side ----------------------------------------------------------------------------------
_slots: dict = {"sem": None, "waiting": 0}


def _child_command(folder: Path, group: str, *args: str) -> tuple[list[str], dict, dict]:
    import grp

    readonly = Path(sys.prefix) / "share" / "datalit-snapshot-empty"  # no such folder: nothing to read there
    env = {"PATH": "/usr/bin:/bin", "HOME": str(readonly), "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
           "JUPYTER_CONFIG_DIR": str(readonly), "JUPYTER_DATA_DIR": str(readonly), "JUPYTER_NO_CONFIG": "1",
           "JUPYTER_PLATFORM_DIRS": "1"}
    kwargs: dict = {}
    if os.geteuid() == 0:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise SnapshotError("팀 그룹이 없습니다: 'datalit team import'로 팀을 다시 만드세요.") from None
        kwargs = {"user": NOBODY, "group": gid, "extra_groups": []}
    cmd = [sys.executable, "-P", "-m", "datalit.hub.snapshot", args[0], str(folder), *args[1:]]
    return cmd, env, kwargs


async def _run_child(folder: Path, group: str, *args: str) -> str:
    """The child, as an asyncio subprocess (no thread of the hub's pool waits on it), at most MAX_CHILDREN at once
    hub-wide: a member's slow or stuck notebook (a FIFO, a huge file) can delay other snapshots, never spawns."""
    import asyncio

    cmd, env, kwargs = _child_command(folder, group, *args)
    if _slots["sem"] is None:
        _slots["sem"] = asyncio.Semaphore(MAX_CHILDREN)
    if _slots["waiting"] >= MAX_WAITING:
        raise SnapshotError("지금 노트북 미리 보기 요청이 많습니다. 잠시 뒤에 다시 열어 주세요.")
    _slots["waiting"] += 1
    try:
        async with _slots["sem"]:
            proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE,
                                                        stderr=asyncio.subprocess.PIPE, cwd="/", env=env, **kwargs)
            try:
                out, err = await asyncio.wait_for(proc.communicate(), CHILD_TIMEOUT)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()
                raise SnapshotError(f"노트북 변환이 {CHILD_TIMEOUT}초 안에 끝나지 않았습니다.") from None
    finally:
        _slots["waiting"] -= 1
    if proc.returncode == 3:
        raise SnapshotError(err.decode("utf-8", "replace").strip()[:300])
    if proc.returncode != 0:
        raise SnapshotError("노트북을 변환하지 못했습니다. 관리자에게 허브 로그를 확인해 달라고 하세요.")
    return out.decode("utf-8", "replace")


async def notebooks(folder: Path, group: str) -> dict:
    return json.loads(await _run_child(folder, group, "list"))


async def notebook_html(folder: Path, group: str, path: str) -> str:
    return await _run_child(folder, group, "render", safe_relative(path))


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
