"""Finding 3 of issue #10: graded answers were readable from a learner's kernel.

Seen: ``from datalit.labs.checks.lab1_bike_story import q2; q2.reference(gu="마포구")`` in a learner's
kernel returned the graded answers, and the checkout's ``.git`` (0755) gave ``git show
HEAD:labs/lab1_bike_story/lab1_bike_story.ipynb`` with ``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN
TESTS``. Now the reference checks live in the checkout's grading/labchecks (root-only) and, for grading,
in a copy only the sandbox group can read; the hub refuses to start while the checkout is readable.

Through a real ``datalit hub`` as root, after a release of every lab and a sandboxed autograde: a
learner's kernel tries the attack, and a fresh learner's uid walks the whole filesystem for the labs'
solutions, hidden tests, reference checks and reference answers (the canary scan, shown to find planted
copies).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.hub, pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="learners' uids need root (CI runs as root)")]

LABS = ("lab1_bike_story", "lab2_bike_stations", "lab3_civic_router",
        "project1_bike_new_stations", "project2_festival_crowds", "project3_complaint_rise")
MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")
# -xdev: these are walked too when they are other filesystems
OTHER_ROOTS = ("/tmp", "/var/tmp", "/srv", "/opt", "/var/lib", "/home")
MAX_BYTES = 5 * 1024 * 1024
# Not part of any deployment: the build machine's own harness (it keeps the submitted diff, checked-in lab
# notebooks included, world-readable in /farm/out). Everything else on the machine is walked.
FOREIGN_ROOTS = ("/farm",)


@pytest.fixture(scope="module")
def graded_hub():
    """A real hub; every lab released (real nbgrader); one team's lab 1 autograded in the sandbox."""
    from hub_fixtures import hub_base_dir
    from labkit import LAB, answered, course_hub, lab_env

    from datalit.labs.autograde import autograde
    from datalit.labs.course import open_course
    from datalit.labs.release import release

    base = hub_base_dir()
    env = lab_env(base)
    env["DATALIT_LAB_COURSE_DIR"] = str(base / "course")
    with course_hub(base, env) as hub:
        course = open_course(base / "course")
        for lab in LABS:
            release(course, lab)
        work = course.root / "submitted" / "team1" / LAB
        work.mkdir(parents=True)
        nbformat.write(answered(course), work / f"{LAB}.ipynb")
        (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")
        report = autograde(course, LAB, workers=1, progress=False)
        # the sandboxed kernel did import the reference checks: the reference solution gets every point
        assert report["sandboxed"] and report["results"][0]["success"], report
        assert report["scores"]["team1"]["auto"] == 10.0, report["scores"]
        yield hub, course


ATTACK = r"""
import json, subprocess, sys
res = {}
def attempt(key, fn):
    try:
        res[key] = ["ok", str(fn())[:300]]
    except BaseException as exc:
        res[key] = [type(exc).__name__, str(exc)[:200]]
attempt("import_installed", lambda: __import__("datalit.labs.checks.lab1_bike_story", fromlist=["q2"]).q2.reference(gu="마포구"))
attempt("import_labchecks", lambda: __import__("labchecks.lab1_bike_story", fromlist=["q2"]).q2.reference(gu="마포구"))
sys.path[:0] = [%(sandbox_checks)r, %(checkout_grading)r]
attempt("import_from_known_paths", lambda: __import__("labchecks.lab1_bike_story", fromlist=["q2"]).q2.reference(gu="마포구"))
attempt("read_sandbox_copy", lambda: open(%(sandbox_file)r).read())
attempt("read_checkout_checks", lambda: open(%(checkout_file)r).read())
attempt("read_checkout_lab", lambda: open(%(checkout_lab)r).read())
attempt("list_checkout_labs", lambda: __import__("os").listdir(%(checkout_labs)r))
git = subprocess.run(["git", "-c", "safe.directory=*", "-C", %(checkout)r, "show", "HEAD:labs/%(lab)s/%(lab)s.ipynb"],
                     capture_output=True, text=True)
res["git_show"] = [git.returncode, git.stdout[:3000] + git.stderr[:300]]
print(json.dumps(res))
"""


def test_learner_kernel_cannot_reach_checks_or_checkout(graded_hub):
    from labkit import LAB

    from datalit.labs.sandbox import labchecks_root
    from datalit.paths import checkout_path

    hub, course = graded_hub
    sandbox_checks = labchecks_root(course.cfg["sandbox_dir"])
    assert (sandbox_checks / "labchecks" / f"{LAB}.py").is_file()  # the grader's copy is there ...
    name, _ = hub.new_user(groups=("beginner",))
    token = hub.spawn(name)
    out = hub.run_code(name, token, ATTACK % {
        "sandbox_checks": str(sandbox_checks), "checkout_grading": str(checkout_path("grading")),
        "sandbox_file": str(sandbox_checks / "labchecks" / f"{LAB}.py"),
        "checkout_file": str(checkout_path("grading", "labchecks", f"{LAB}.py")),
        "checkout_lab": str(checkout_path("labs", LAB, f"{LAB}.ipynb")), "checkout_labs": str(checkout_path("labs")),
        "checkout": str(checkout_path()), "lab": LAB}, timeout=120)
    assert out["error"] is None, out
    res = json.loads(out["stdout"].strip().splitlines()[-1])
    # ... but the learner's kernel can neither import nor read it, nor the checkout's
    for key in ("import_installed", "import_labchecks", "import_from_known_paths"):
        assert res[key][0] == "ModuleNotFoundError", (key, res[key])
    for key in ("read_sandbox_copy", "read_checkout_checks", "read_checkout_lab", "list_checkout_labs"):
        assert res[key][0] == "PermissionError", (key, res[key])
    code, text = res["git_show"]
    assert code != 0 and "BEGIN SOLUTION" not in text and "BEGIN HIDDEN" not in text, res["git_show"]


# ---- the canary scan -------------------------------------------------------------------------------------
def _secret_lines(lab: str) -> set[str]:
    """Distinctive lines of the lab's solutions and hidden tests, and of its reference checks."""
    from datalit.paths import checkout_path

    lines: set[str] = set()
    nb = nbformat.read(checkout_path("labs", lab, f"{lab}.ipynb"), as_version=4)
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            s = line.strip()
            if s.startswith(MARKERS):
                inside = True
            elif s.startswith("### END"):
                inside = False
            elif inside and len(s) >= 30:  # shorter ones are everyday code (model.fit(X_train, y_train))
                lines.add(s)
    # the reference checks: their functions and what they compute (not their data loading or settings,
    # which the lessons share)
    for line in checkout_path("grading", "labchecks", f"{lab}.py").read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if (s.startswith("def ") and len(s) >= 20) or (s.startswith("return ") and len(s) >= 30 and "data.load" not in s):
            lines.add(s)
    return lines


def _reference_answers() -> dict[str, list[str]]:
    """Graded answers computed here from the real data with the reference checks (as the grader would)."""
    from datalit.paths import checkout_path

    sys.path.insert(0, str(checkout_path("grading")))
    try:
        from labchecks import lab1_bike_story, lab2_bike_stations

        answers = {"lab1_bike_story": [lab1_bike_story.top5_stations("마포구")],
                   "lab2_bike_stations": [lab2_bike_stations.fewest3(), lab2_bike_stations.no_station_dongs("관악구")]}
    finally:
        sys.path.remove(str(checkout_path("grading")))
        for mod in [m for m in sys.modules if m.startswith("labchecks")]:
            del sys.modules[mod]
    out = {}
    for lab, values in answers.items():
        forms = []
        for value in values:
            form = json.dumps(value, ensure_ascii=False)[1:-1]
            assert len(value) >= 2 and len(form) >= 12, value  # long enough that a match is the answer, not chance
            forms += [form, repr(value)[1:-1]]
        out[lab] = forms
    return out


def canary_patterns() -> dict[str, str]:
    """pattern -> what it reveals; lines also in their JSON-escaped notebook form."""
    from datalit.paths import checkout_path

    patterns = {}
    for lab in LABS:
        for line in _secret_lines(lab):
            patterns[line] = f"{lab}: solution/hidden-test/reference-check line"
            patterns[json.dumps(line, ensure_ascii=False)[1:-1]] = f"{lab}: solution/hidden-test line (notebook JSON)"
        title = nbformat.read(checkout_path("labs", lab, f"{lab}.ipynb"), as_version=4).cells[0].source.splitlines()[0]
        patterns[title] = f"{lab}: title (a hit only beside a solution marker)"
    for lab, forms in _reference_answers().items():
        for form in forms:
            patterns[form] = f"{lab}: reference answer"
    for marker in MARKERS:
        patterns[marker] = "marker"
    return patterns


def readable_files(user: str) -> list[str]:
    """Every regular file under 5 MB that USER can read: find / -xdev (not /proc, /sys or the build
    machine's harness), plus the usual separate filesystems."""
    root_dev = os.stat("/").st_dev
    roots = ["/"] + [p for p in OTHER_ROOTS if os.path.isdir(p) and os.stat(p).st_dev != root_dev]
    pruned = [arg for path in ("/proc", "/sys", *FOREIGN_ROOTS) for arg in ("-o", "-path", path)][1:]
    found = subprocess.run(["runuser", "-u", user, "--", "find", *roots, "-xdev", "(", *pruned, ")", "-prune",
                            "-o", "-readable", "-type", "f", "-size", f"-{MAX_BYTES // 1024}k", "-print0"], capture_output=True, timeout=600)
    files = [f for f in found.stdout.decode("utf-8", "surrogateescape").split("\0") if f]
    assert len(files) > 1000, found.stderr[-2000:]  # the walk really ran as that user
    return files


def canary_hits(user: str, patterns: dict[str, str], tmp: Path) -> dict[str, list[str]]:
    """Files readable by USER that reveal a lab's solutions, hidden tests, checks or answers -> why.

    The walk runs as USER; the grep runs as root over exactly those files (the patterns themselves are
    answers: they stay in root's tmp). A marker alone is no hit (nbgrader ships its own examples): a file
    is a hit if it holds a lab's line or answer, or a marker beside that lab's title."""
    files = readable_files(user)
    listing, pattern_file = tmp / "files.lst", tmp / "patterns.txt"
    listing.write_bytes(b"\0".join(f.encode("utf-8", "surrogateescape") for f in files))
    pattern_file.write_text("\n".join(patterns) + "\n", encoding="utf-8")
    grep = subprocess.run(f"xargs -0 -n 2000 -P 2 grep -l -F -f {pattern_file} < {listing}", shell=True,
                          capture_output=True, timeout=900)
    hits = {}
    for path in filter(None, grep.stdout.decode("utf-8", "surrogateescape").split("\n")):
        try:
            text = Path(path).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        why = sorted({what for pat, what in patterns.items() if what != "marker" and "title" not in what and pat in text})
        for marker in MARKERS:
            if marker in text:
                why += [f"marker {marker!r} beside {what}" for pat, what in patterns.items()
                        if "title" in what and pat in text]
        if why:
            hits[path] = why
    return hits


def test_canary_scan_finds_no_answers_a_learner_can_read(graded_hub, tmp_path):
    from datalit.paths import checkout_path

    hub, course = graded_hub
    learner, _ = hub.new_user(groups=("beginner",))  # approval made the unix account: a fresh person uid
    patterns = canary_patterns()
    # the scan can fail: planted copies readable by everyone are found
    plant = Path(tempfile.mkdtemp(prefix="datalit-canary-", dir="/var/tmp"))
    try:
        os.chmod(plant, 0o755)
        planted = {
            plant / "copied.ipynb": checkout_path("labs", "lab1_bike_story", "lab1_bike_story.ipynb"),
            plant / "checks.py": checkout_path("grading", "labchecks", "lab2_bike_stations.py"),
        }
        for dest, src in planted.items():
            shutil.copyfile(src, dest)
        answer = _reference_answers()["lab1_bike_story"][0]
        (plant / "notes.txt").write_text(f"top 5: {answer}\n", encoding="utf-8")
        for f in plant.iterdir():
            os.chmod(f, 0o644)
        hits = canary_hits(learner, patterns, tmp_path)
    finally:
        shutil.rmtree(plant, ignore_errors=True)
    planted_hits = {p: why for p, why in hits.items() if p.startswith(str(plant))}
    assert set(planted_hits) == {str(plant / "copied.ipynb"), str(plant / "checks.py"), str(plant / "notes.txt")}, hits
    assert any("marker" in w for w in planted_hits[str(plant / "copied.ipynb")])
    assert planted_hits[str(plant / "notes.txt")] == ["lab1_bike_story: reference answer"]
    # and nothing else a learner can read reveals a lab's answers
    leaks = {p: why for p, why in hits.items() if p not in planted_hits}
    assert leaks == {}, json.dumps(leaks, ensure_ascii=False, indent=1)
