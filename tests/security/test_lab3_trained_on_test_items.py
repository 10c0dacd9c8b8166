"""Issue #14: a team trains lab 3's classifier on the grader's own test items and is graded as if it had
not.

The attack: every FAQ title and its category is in the table the lab loads, and the lab tells teams the
split (test_size=0.2, random_state=42, stratified), so a team can ``fit`` on all 2,645 titles, test items
included. Its model then scores 0.766 on the grader's test split (the honest reference: 0.645) and the
old grader (accuracy >= 0.55 on that split) gave full points. Now the grader refits a copy of the team's
model on the training split only: the copy scores what the settings really achieve, the submitted model
scores clearly better than its own copy, and the test cell fails with the reason.

Through real nbgrader release and a sandboxed autograde (as root), like every grading attack here.
"""
from __future__ import annotations

import os

import nbformat
import pytest

pytestmark = [pytest.mark.grading, pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox needs root (CI runs as root)")]

LAB3 = "lab3_civic_router"
CHEAT = '''from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
model.fit(faq["title"], faq["category"].astype(str))  # every item, the grader's test items included
print("시험 자료 정확도:", round(model.score(X_test, y_test), 3))'''


def _answered(course, overrides=None):
    """Lab 3's released notebook with the reference solutions filled in; overrides: grade_id -> source."""
    src = nbformat.read(course.root / "source" / LAB3 / f"{LAB3}.ipynb", as_version=4)
    solutions = {}
    for c in src.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution"):
            solutions[meta["grade_id"]] = "\n".join(
                ln for ln in c.source.splitlines() if "### BEGIN SOLUTION" not in ln and "### END SOLUTION" not in ln)
    nb = nbformat.read(course.root / "release" / LAB3 / f"{LAB3}.ipynb", as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in solutions:
            c.source = solutions[gid]
        if overrides and gid in overrides:
            c.source = overrides[gid]
    return nb


def _outputs(course, team, grade_id):
    nb = nbformat.read(course.root / "autograded" / team / LAB3 / f"{LAB3}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") + o.get("evalue", "") + "".join(o.get("traceback", []))
                   for o in cell.get("outputs", []))


def test_training_on_the_test_items_is_detected_not_passed(tmp_path, monkeypatch):
    from labkit import local_course

    from datalit.labs.autograde import autograde
    from datalit.labs.release import release

    from datalit.config import DEFAULTS

    course = local_course(tmp_path, monkeypatch, "datalit-test-lab3-cheat")
    # the real limits, not labkit's small ones for hostile cases: lab 3 fits text models (twice, with the refit)
    for key in ("timeout", "cell_timeout", "cpu_seconds", "memory_mb", "max_processes"):
        monkeypatch.setenv(f"DATALIT_LAB_{key.upper()}", str(DEFAULTS["lab"][key]))
        monkeypatch.setitem(course.cfg, key, DEFAULTS["lab"][key])
    release(course, LAB3, to_exchange=False)
    for team, nb in {"honest": _answered(course), "cheat": _answered(course, {"q3_answer": CHEAT})}.items():
        work = course.root / "submitted" / team / LAB3
        work.mkdir(parents=True)
        nbformat.write(nb, work / f"{LAB3}.ipynb")
        (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")

    report = autograde(course, LAB3, workers=2, progress=False)
    assert report["sandboxed"] and all(r["success"] for r in report["results"]), report
    scores = report["scores"]

    # the cheat's own printout: far better than the honest model on the grader's test split ...
    assert "시험 자료 정확도: 0.766" in _outputs(course, "cheat", "q3_answer")
    assert "시험 자료 정확도: 0.645" in _outputs(course, "honest", "q3_answer")
    # ... detected: Q3's 3 points lost, with the reason the team reads in its feedback
    assert scores["honest"]["auto"] == 10, scores
    assert scores["cheat"]["auto"] == 7, scores
    said = _outputs(course, "cheat", "q3_test")
    assert "시험 자료로 학습한 모델이에요" in said and "0.766" in said and "0.645" in said, said
    assert _outputs(course, "honest", "q3_test") == ""
