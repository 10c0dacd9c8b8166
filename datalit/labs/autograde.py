"""``datalit lab autograde LAB [--workers N]``: nbgrader autograde of every team, in parallel.

Each worker process grades one team at a time with nbgrader's own API (``NbGraderAPI.autograde``,
the same code path as ``nbgrader autograde --student TEAM``) and a fixed sandbox slot, so its
kernels run as that slot's unprivileged user (see ``sandbox.py`` and the ``SandboxedExecute``
preprocessor configured in ``grading/nbgrader_config.py``). Each worker also starts a sandboxed
kernel fork server (``datalit.kernels``) that has imported pandas, matplotlib, scikit-learn and
ipykernel once: every team still gets a fresh, confined kernel process, without paying the imports.
Disjoint teams in disjoint processes share one gradebook without conflicts (measured: FIELD-NOTES);
a "database is locked" is retried. A worker that dies is replaced and its team graded again once.
A failed or hostile submission never stops the run: it gets Korean notes in its feedback.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import time

from datalit import atomic
from datalit.labs import messages
from datalit.labs.course import Course, LabError, api, gradebook, in_course, lab_info
from datalit.labs.reach import data_problem
from datalit.labs.sandbox import can_sandbox, prepare_sandbox_dir

NETWORK_HINTS = ("Network is unreachable", "Temporary failure in name resolution", "Connection refused",
                 "Name or service not known", "No address associated", "Errno 101", "Errno -3")


def warm_sandbox_cache(course: Course, lab: str) -> str:
    """Parse the lab's datasets once into a cache the sandbox users can read (not write)."""
    cache = os.path.join(prepare_sandbox_dir(course.cfg["sandbox_dir"]), "cache")
    os.makedirs(cache, exist_ok=True)
    stamp = _warm_stamp(cache, lab)
    if os.path.exists(stamp):
        return cache  # parsed before; a changed dataset only makes the kernels parse it themselves
    env = dict(os.environ, **cache_env(cache))
    proc = subprocess.run([sys.executable, "-c", _WARM % lab_info(lab).get("datasets", [])], env=env, check=False,
                          capture_output=True)
    if proc.returncode == 0:
        open(stamp, "w").close()
    for root, dirs, files in os.walk(cache):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    return cache


def _warm_stamp(cache: str, lab: str) -> str:
    from datalit.data.cache import LOADER_VERSION

    digest = hashlib.sha256(repr(sorted(lab_info(lab).get("datasets", []))).encode()).hexdigest()[:12]
    return os.path.join(cache, f"warm-{lab}-{LOADER_VERSION}-{digest}.ok")


def warm_cache_dir(course: Course, lab: str) -> str | None:
    """The sandbox cache if the lab's datasets are in it already (nothing made, nothing checked: None when
    anything is missing or wrong, and warm_sandbox_cache, run later, says what)."""
    try:
        cache = os.path.join(os.path.abspath(course.cfg["sandbox_dir"]), "cache")
        return cache if os.path.exists(_warm_stamp(cache, lab)) else None
    except Exception:  # noqa: BLE001 - an unknown lab, a broken sandbox_dir: reported by the checks that follow
        return None


def cache_env(cache: str) -> dict:
    """Where the sandbox's pre-parsed data and matplotlib font cache live (read-only for kernels)."""
    return {"DATALIT_CACHE_DIR": cache, "MPLCONFIGDIR": os.path.join(cache, "mpl")}


_WARM = """
import matplotlib.pyplot, koreanize_matplotlib  # builds the font cache in MPLCONFIGDIR once
from datalit import data
for d in %r:
    try:
        tables = [t.name for t in data.info(d).tables if t.kind == "frame"] or [None]
    except Exception:
        tables = [None]
    for t in tables:
        data.load(d, t)
"""


def teams_to_grade(course: Course, lab: str, only: list[str] | None = None) -> list[str]:
    teams = sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{lab}") if p.is_dir())
    if only:
        missing = sorted(set(only) - set(teams))
        if missing:
            raise LabError(f"no collected submission for: {', '.join(missing)}")
        teams = [t for t in teams if t in only]
    return teams


# --- worker side ----------------------------------------------------------------------------------
_COURSE: Course | None = None


def _init_worker(course: Course, slots, server: str | None, server_env: dict | None) -> None:
    import warnings
    global _COURSE
    warnings.filterwarnings("ignore")  # SQLAlchemy/IPython chatter from nbgrader; the log keeps the rest
    _COURSE = course
    from datalit.labs import kernel_server, worker_cache

    worker_cache.install()  # nbgrader's per-team database and schema set-up, once per worker
    os.environ["DATALIT_SANDBOX_SLOT"] = str(slots.get())  # a replaced worker gets the dead one's slot back
    os.chdir(course.root)
    kernel_server.use_in_worker(server, server_env)


def _grade_one(args: tuple[str, str]) -> dict:
    lab, team = args
    course = _COURSE
    assert course is not None
    t0 = time.monotonic()
    marker = _mark_running(course, lab, team, os.environ["DATALIT_SANDBOX_SLOT"])
    try:
        return _grade_team(course, lab, team, t0)
    finally:
        marker.unlink(missing_ok=True)


def _running_marker(course: Course, lab: str, team: str):
    """Which worker (pid, slot) grades TEAM right now: lets the parent notice a worker that died."""
    return course.meta / "running" / lab / team


def _mark_running(course: Course, lab: str, team: str, slot: str):
    """Write the marker whole, by a rename: the parent polls it while workers write, and once read it
    empty (an open that truncated, the write not yet done), which failed test_worker_crash."""
    marker = _running_marker(course, lab, team)
    marker.parent.mkdir(parents=True, exist_ok=True)
    return atomic.write_text(marker, f"{os.getpid()} {slot}", durable=False)  # read while workers run, not kept


# what is retried: the gradebook locked by another worker (up to three times), and a kernel that never answered
# a cell (once: seen intermittently in tests/labs/test_adversarial.py, a good first cell of one team while
# hostile teams ran beside it; cause not yet found); a notebook that hangs by itself hangs again
RETRY_ON = ("database is locked", "Timeout waiting for execute reply", "Timeout waiting for IOPub output")


def _grade_team(course: Course, lab: str, team: str, t0: float) -> dict:
    result = {"success": False, "log": "", "error": ""}
    for attempt in range(3):
        try:
            with in_course(course):
                result = api(course).autograde(lab, team, force=True, create=True)
        except Exception as exc:  # noqa: BLE001 - nothing may stop the other teams
            result = {"success": False, "log": "", "error": repr(exc)}
        text = result["log"] + str(result.get("error"))
        if result["success"] or not any(m in text for m in RETRY_ON):
            break
        if "database is locked" not in text and attempt:  # a kernel that never answered: retried once
            break
        time.sleep(0.5 * (attempt + 1))
    log_dir = course.meta / "logs" / lab
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / f"{team}.log").write_text(f"{result['log']}\n{result.get('error') or ''}", encoding="utf-8")
    notes = diagnose(course, lab, team, result)
    return {"team": team, "success": bool(result["success"]), "seconds": time.monotonic() - t0, "notes": notes}


def diagnose(course: Course, lab: str, team: str, result: dict) -> list[str]:
    """Turn what happened during grading into Korean notes for the team."""
    import nbformat

    from datalit.labs.preprocessors.sandboxed_execute import hidden_paths

    cfg = course.cfg
    values = dict(timeout=cfg["timeout"], cell_timeout=cfg["cell_timeout"], cpu_seconds=cfg["cpu_seconds"], memory_mb=cfg["memory_mb"], max_processes=cfg["max_processes"],
                  max_output_kb=cfg["max_output_bytes"] // 1024)
    keys: list[str] = []
    if not result["success"]:
        keys.append("grader_error")
    if "Checksum for grade cell" in result.get("log", ""):
        keys.append("checksum")
    hidden = hidden_paths(cfg)
    for nb_path in sorted((course.root / "autograded" / team / lab).glob("*.ipynb")):
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception:  # noqa: BLE001
            continue
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and messages.OUTPUT_CUT_TEXT.strip() in out.get("text", ""):
                    keys.append("output")
                if out.get("output_type") != "error":
                    continue
                ename, evalue = out.get("ename", ""), str(out.get("evalue", ""))
                text = ename + ": " + evalue + " ".join(out.get("traceback", []))
                if ename.startswith("Sandbox_"):
                    keys.append(ename[len("Sandbox_"):])
                elif ename == "CellTimeoutError":
                    keys.append("cell_timeout")
                elif ename == "MemoryError":  # the kernel's data cap (the Kubernetes sidecar): the kernel lived
                    keys.append("memory_error")
                elif ename == "BlockingIOError" or "Resource temporarily unavailable" in text:
                    keys.append("processes")
                elif any(h in text for h in NETWORK_HINTS) or ename in ("gaierror", "ConnectionError"):
                    keys.append("network")
                elif ename == "PermissionError" or "Permission denied" in text or any(h in text for h in hidden):
                    keys.append("permission")
    seen = []
    for key in keys:
        if key not in seen:
            seen.append(key)
            course.add_note(lab, team, key, messages.note(key, **values))
    return seen


# --- parent side ----------------------------------------------------------------------------------
def autograde(course: Course, lab: str, workers: int = 0, teams: list[str] | None = None,
              progress: bool = True) -> dict:
    from datalit.labs import kernel_server, worker_cache

    worker_cache.defer_iri_parser()
    sandboxed = bool(course.cfg["sandbox"]) and can_sandbox()
    server = {"env": None, "shared": False, "prewarm": sandboxed and bool(course.cfg["prewarm"])}
    warm = warm_cache_dir(course, lab) if server["prewarm"] else None
    if warm:  # the kernels' server imports while this process imports nbgrader and checks the course
        _launch_server(server, warm)
    try:
        return _autograde(course, lab, workers, teams, progress, sandboxed, server)
    finally:
        if server["shared"]:
            kernel_server.stop()  # its kernels with it; the next run starts one with its own environment


def _launch_server(server: dict, cache: str) -> None:
    from datalit.labs import kernel_server

    server["env"] = kernel_server.server_env(cache_env(cache))
    server["shared"] = kernel_server.launch(server["env"])


def _autograde(course: Course, lab: str, workers: int, teams: list[str] | None, progress: bool,
               sandboxed: bool, server: dict) -> dict:
    with in_course(course), gradebook(course) as gb:
        gb.find_assignment(lab)  # fails clearly if the lab was never released
    todo = teams_to_grade(course, lab, teams)
    if not todo:
        raise LabError(f"nothing to grade for '{lab}': run 'datalit lab collect {lab}' first")
    workers = workers or int(course.cfg["workers"]) or os.cpu_count() or 1
    workers = max(1, min(workers, len(todo)))
    cache = None
    if sandboxed:
        from datalit.labs.sandbox import SlotUserError, ensure_slot_user, install_labchecks
        try:  # before anything runs: an account the grader did not make stops the whole run
            for slot in range(workers):
                ensure_slot_user(course.cfg["sandbox_user_prefix"], slot)
            install_labchecks(course.cfg["sandbox_dir"], course.cfg["sandbox_user_prefix"])
            problem = data_problem(lab_info(lab).get("datasets", []))
            if problem:
                raise SlotUserError(problem)
        except SlotUserError as exc:
            raise LabError(str(exc)) from exc
        cache = warm_sandbox_cache(course, lab)
        os.environ["DATALIT_SANDBOX_CACHE"] = cache
        if server["prewarm"] and server["env"] is None:  # the cache was cold: start with what was just parsed
            _launch_server(server, cache)
    return _run_pool(course, lab, todo, workers, sandboxed, server, progress)


def _run_pool(course: Course, lab: str, todo: list[str], workers: int, sandboxed: bool, server: dict,
              progress: bool) -> dict:
    from datalit.labs import kernel_server

    # import nbgrader before forking so that every worker starts warm
    import nbgrader.apps  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    # every worker forks its kernels from the shared server; where this process could not start one, from a
    # server of its own (a shared server that failed to start: none, the kernels start cold)
    sock = kernel_server.ready(server["env"]) if server["shared"] else None
    own_env = None if server["shared"] else server["env"]

    shutil.rmtree(course.meta / "running" / lab, ignore_errors=True)  # markers of a run that was itself killed
    ctx = mp.get_context("fork")
    slots = ctx.Queue()
    for slot in range(workers):
        slots.put(slot)
    t0 = time.monotonic()
    results: list[dict] = []
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), desc=f"{lab} 자동 채점", unit="팀", file=sys.stderr)

    def done(res: dict) -> None:
        results.append(res)
        if bar:
            bar.update(1)
            bar.set_postfix_str(f"{res['team']} {'완료' if res['success'] else '실패'}")

    with ctx.Pool(workers, initializer=_init_worker, initargs=(course, slots, sock, own_env),
                  maxtasksperchild=None) as pool:
        pending = {t: pool.apply_async(_grade_one, ((lab, t),)) for t in todo}
        tries = dict.fromkeys(todo, 1)
        while pending:
            for team, job in list(pending.items()):
                if job.ready():
                    del pending[team]
                    try:
                        done(job.get())
                    except Exception as exc:  # noqa: BLE001 - a crash inside the worker's own code
                        done(_failed(course, lab, team, repr(exc)))
            # a worker that died (killed, out of memory) takes its task with it: grade that team again once
            for team, slot in _lost_teams(course, lab, pending):
                slots.put(slot)
                if tries[team] < 2:
                    tries[team] += 1
                    pending[team] = pool.apply_async(_grade_one, ((lab, team),))
                else:
                    del pending[team]
                    done(_failed(course, lab, team, "the grading worker died twice"))
            time.sleep(0.1)
    if bar:
        bar.close()
    wall = time.monotonic() - t0
    scores = scores_of(course, lab)
    return {"lab": lab, "workers": workers, "sandboxed": sandboxed, "seconds": wall,
            "results": sorted(results, key=lambda r: r["team"]), "scores": scores}


def _lost_teams(course: Course, lab: str, pending: dict) -> list[tuple[str, int]]:
    lost = []
    for team in pending:
        marker = _running_marker(course, lab, team)
        try:
            pid, slot = (int(x) for x in marker.read_text().split())
        except (OSError, ValueError):
            continue  # not started yet (or just finished)
        if not _alive(pid):
            marker.unlink(missing_ok=True)
            lost.append((team, slot))
    return lost


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _failed(course: Course, lab: str, team: str, error: str) -> dict:
    course.add_note(lab, team, "grader_error", messages.note("grader_error"))
    return {"team": team, "success": False, "seconds": 0.0, "notes": ["grader_error"], "error": error}


def scores_of(course: Course, lab: str) -> dict[str, dict]:
    from datalit.labs.export import team_scores
    return team_scores(course, lab)


def format_summary(report: dict) -> str:
    lines = [f"{report['lab']}: {len(report['results'])}팀 채점, 작업자 {report['workers']}개, "
             f"{report['seconds']:.1f}초, 샌드박스 {'사용' if report['sandboxed'] else '미사용'}"]
    for r in report["results"]:
        s = report["scores"].get(r["team"], {})
        mark = "OK " if r["success"] else "ERR"
        notes = f"  메모: {', '.join(r['notes'])}" if r["notes"] else ""
        lines.append(f"  {mark} {r['team']:<16} {s.get('score', 0):6.1f} / {s.get('max', 0):.0f}  "
                     f"({r['seconds']:.1f}s){notes}")
    failed = sum(not r["success"] for r in report["results"])
    lines.append(f"합계: 성공 {len(report['results']) - failed}, 실패 {failed}")
    return "\n".join(lines)
