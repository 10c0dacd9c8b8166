"""Attacks from a student's kernel in a Kubernetes grading Job (issue 15; datalit/labs/kernel_sidecar.py).

Before: in the Job's pod the kernel ran under the grader's uid, beside the grader's mounts, so a notebook could
read the hidden checks (Secret), the sources with hidden tests and the gradebook, and write the gradebook. Now
the kernel runs in the pod's second container under another uid, with none of those mounted.

Here the Job's two containers run as in tests/hub/test_k8s_grading_run.py (the kernel container's command as
a unix account made for the test, in its own PID namespace; the grader's with the Job's environment) on a real
released course with two teams in one Job, the hostile team graded first. Its notebook, from a solution cell:

* reads the Secret's checks (another lab's reference answers), the gradebook, the source with hidden tests and
  the other team's submission, at the paths the grader uses, and appends to the gradebook;
* lists and imports the other labs' checks through the check folder it was given;
* ships a ``labchecks.py`` of its own, whose checks pass any answer, with a wrong answer to question 4;
* searches everything it can read in the shared folder and its /tmp for hidden tests, solutions, a gradebook;
* looks for the grader's processes (their environment, their working folder: the course);
* signals the sidecar (PID 1 of its container) to death;
* leaves a daemon (own session, not dumpable, ignoring signals) that waits for the next kernel's connection
  file and kills that kernel through it: the next team would lose its points.

The same reads, run as the grader, succeed (the probe finds what it looks for); from the kernel every one
fails, the next team gets every point and both kernels came from the sidecar.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hub"))
from labkit import LAB, answered, local_course, put_submission, write_roster  # noqa: E402
from test_k8s_grading_run import kernel_account, run_grading_pod  # noqa: E402

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the kernel container's uid is a unix account (root)")]

READS = """
import json as _j, os as _o
_res = {}
for _n, _p in %r.items():
    try:
        if _o.path.isdir(_p):
            _res[_n] = "READ %%d entries" %% len(_o.listdir(_p))
        else:
            with open(_p, "rb") as _f:
                _res[_n] = "READ %%d bytes" %% len(_f.read())
    except OSError as _e:
        _res[_n] = "denied: " + type(_e).__name__
try:
    with open(%r, "ab") as _f:
        _res["gradebook_append"] = "WROTE"
except OSError as _e:
    _res["gradebook_append"] = "denied: " + type(_e).__name__
"""

PROBE = """
import glob as _g, signal as _s, subprocess as _sp, sys as _sys
from pathlib import Path as _P
_checks = _P(_o.environ.get("PYTHONPATH", "/nonexistent").split(":")[0])
_share, _mine = _checks.parents[1], _checks.parent.name
import labchecks as _lc
_res["other_checks_listed"] = sorted(x for x in _o.listdir(_lc.__path__[0])
                                     if x.endswith(".py") and x not in ("__init__.py", "%(lab)s.py"))
try:
    import labchecks.project3_complaint_rise
    _res["other_checks_imported"] = "IMPORTED"
except ImportError:
    _res["other_checks_imported"] = "denied"
_marks = [("BEGIN " + "HIDDEN TESTS").encode(), ("BEGIN " + "SOLUTION").encode(), b"SQLite format 3"]
_hits = []
for _root in (str(_share), str(_P.cwd().parents[1])):  # the shared folder, the kernel container's /tmp
    for _b, _ds, _fs in _o.walk(_root):
        for _f in _fs:
            try:
                with open(_o.path.join(_b, _f), "rb") as _fh:
                    _data = _fh.read(5000000)
            except OSError:
                continue
            _hits += [[_o.path.join(_b, _f), _m.decode()] for _m in _marks if _m in _data]
_res["marked_files"] = _hits
_graders = []
for _pid in [p for p in _o.listdir("/proc") if p.isdigit()]:
    try:
        with open("/proc/%%s/cmdline" %% _pid, "rb") as _fh:
            if b"k8s_jobs" not in _fh.read():
                continue
    except OSError:
        continue
    _seen = {"pid": _pid}
    for _what in ("environ", "cwd"):
        try:
            _p = "/proc/%%s/%%s" %% (_pid, _what)
            _seen[_what] = "READ " + str(len(_o.listdir(_p) if _what == "cwd" else open(_p, "rb").read()))
        except OSError as _e:
            _seen[_what] = "denied"
    _graders.append(_seen)
_res["grader_processes"] = _graders
_res["course_env"] = sorted(k for k in _o.environ if k.startswith(("DATALIT_LAB", "DATALIT_K8S")))
for _target in {1, _o.getppid()}:
    try:
        _o.kill(_target, _s.SIGKILL)
    except OSError:
        pass
_daemon = _sp.Popen([_sys.executable, "-c", %(daemon)r, str(_share), _mine], start_new_session=True,
                    stdin=_sp.DEVNULL, stdout=_sp.DEVNULL, stderr=_sp.DEVNULL)
_res["daemon_started"] = _daemon.poll() is None
print("PROBE" + _j.dumps(_res))
"""

# shipped in the hostile team's files (the kernel's working folder): checks that pass whatever the answer
FAKE_CHECKS = """
import sys, types
__path__ = []
class _Pass:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None
_lab = types.ModuleType(__name__ + ".%s")
_lab.__getattr__ = lambda name: _Pass()
sys.modules[_lab.__name__] = _lab
"""

DAEMON = """
import ctypes, glob, os, signal, sys, time
share, mine = sys.argv[1], sys.argv[2]
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # not dumpable: its /proc folder then shows root as owner
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(sig, signal.SIG_IGN)
from jupyter_client import BlockingKernelClient
done = set()
end = time.time() + 900
while time.time() < end:
    for f in glob.glob(os.path.join(share, "*", "kernel.json")):
        if mine in f or f in done:
            continue
        try:
            kc = BlockingKernelClient()
            kc.load_connection_file(f)
            kc.start_channels()
            kc.execute("import os; os._exit(3)")  # the next team's kernel dies: its cells get no points
            done.add(f)
        except Exception:
            pass
    time.sleep(0.02)
"""


def test_a_hostile_kernel_reaches_neither_checks_nor_course_nor_the_next_team(tmp_path, monkeypatch, repo,
                                                                             shared_datasets):
    from datalit.labs import collect, k8s_jobs, roster
    from datalit.labs.autograde import scores_of
    from datalit.labs.course import lab_info
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, "k8s-sidecar-attack")
    release(course, LAB)
    teams = {"k1evil": ["m-evil"], "k2honest": ["m-honest"]}  # one Job grades both, the hostile one first
    roster.import_csv(course, write_roster(tmp_path / "roster.csv", teams), known_users=None, known_labs=[LAB])
    checkout = tmp_path / "checkout"  # the Secret datalit-labchecks, mounted at <checkout>/grading/labchecks
    shutil.copytree(repo / "grading" / "labchecks", checkout / "grading" / "labchecks")
    gradebook = course.root / "gradebook.db"
    targets = {
        "secret_checks": str(checkout / "grading" / "labchecks"),
        "secret_other_lab_check": str(checkout / "grading" / "labchecks" / "project3_complaint_rise.py"),
        "gradebook": str(gradebook),
        "source_with_hidden_tests": str(course.root / "source" / LAB / f"{LAB}.ipynb"),
        "other_team_submission": str(course.root / "submitted" / "k2honest" / LAB / f"{LAB}.ipynb"),
        "course": str(course.root),
    }
    reads = READS % (targets, str(gradebook))

    evil = answered(course, overrides={"q4_answer": "share = 42.0\nshare"})  # plausible, wrong
    cell = next(c for c in evil.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    cell.source += "\n" + reads + PROBE % {"lab": LAB, "daemon": DAEMON}
    put_submission(course, "m-evil", evil,
                   extra={"labchecks.py": lambda p: p.write_text(FAKE_CHECKS % LAB, encoding="utf-8")})
    put_submission(course, "m-honest", answered(course))
    collect.collect(course, LAB)

    # the probe is sound: as the grader (here root, in the pod the course's owner) every read succeeds
    before = gradebook.read_bytes()
    control = subprocess.run([sys.executable, "-c", reads + "print('PROBE' + _j.dumps(_res))"],
                             capture_output=True, text=True, timeout=60)
    found = json.loads(control.stdout.split("PROBE", 1)[1])
    assert all(v.startswith(("READ", "WROTE")) for v in found.values()), found
    gradebook.write_bytes(before)

    (job,) = k8s_jobs.grading_jobs(LAB, "atk", workers=1, teams=len(teams))
    with kernel_account() as account:
        done, sidecar_log = run_grading_pod(job, course.root, checkout, shared_datasets, tmp_path, account)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:] + sidecar_log[-2000:]

    graded = nbformat.read(course.root / "autograded" / "k1evil" / LAB / f"{LAB}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in graded.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "PROBE" in text, text[-3000:]  # the attack ran, in the kernel the grader asked for
    seen = json.loads(text.split("PROBE", 1)[1].splitlines()[0])
    assert all(seen[k].startswith("denied") for k in [*targets, "gradebook_append"]), seen
    assert seen["other_checks_listed"] == [] and seen["other_checks_imported"] == "denied", seen
    assert seen["marked_files"] == [], seen
    assert seen["grader_processes"] == [], seen  # another PID namespace: no grader process to look into
    assert seen["course_env"] == [], seen
    assert seen["daemon_started"] is True, seen

    # the sidecar outlived the signals and the daemon did not outlive its kernel: the next team lost nothing
    assert sidecar_log.count(" started") == 2, sidecar_log
    assert "k2honest" in done.stdout and "ERR" not in done.stdout, done.stdout
    scores = scores_of(course, LAB)
    full = lab_info(LAB)["points"]["auto"]
    assert scores["k2honest"]["auto"] == full, scores
    # the real checks graded the hostile team: its wrong answer lost exactly that question's points
    q4 = next(c.metadata["nbgrader"]["points"] for c in nbformat.read(
        course.root / "source" / LAB / f"{LAB}.ipynb", as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "q4_test")
    assert (course.root / "autograded" / "k1evil" / LAB / "labchecks.py").is_file()  # it was there to be found
    assert scores["k1evil"]["auto"] == full - q4, scores
