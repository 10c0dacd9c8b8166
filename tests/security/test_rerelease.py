"""Finding 7 of issue #10, as the instructor's mistake: re-releasing a lab failed half-way.

A second ``datalit lab release`` ended in nbgrader's 'Destination already exists' after the
gradebook's due date had changed. Now a second release without ``--force`` says so and changes
nothing; ``--force`` with a new due date changes it everywhere (gradebook, exchange); a forced release
whose source notebook is broken (a copied test cell: duplicate grade id, real nbgrader refuses it)
leaves the old due date and the old release intact.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest

from labkit import LAB, local_course

pytestmark = [pytest.mark.grading, pytest.mark.slow]


@pytest.fixture
def released_course(tmp_path, monkeypatch):
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, "datalit-rerelease")
    release(course, LAB, due="2026-12-20 18:00")
    return course


def _state(course) -> dict:
    """Everything a release changes: the gradebook's due date, the release folder, the exchange's copy."""
    from datalit.exchange.client import exchange_root
    from datalit.exchange.store import Store
    from datalit.labs.course import gradebook, in_course

    with in_course(course), gradebook(course) as gb:
        due = gb.find_assignment(LAB).duedate
    store = Store(exchange_root(course.cfg), course.course_id)
    files = sorted(p for p in (course.root / "release" / LAB).rglob("*") if p.is_file())
    return {"due": due, "exchange": store.released_meta(LAB),
            "release": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
            "exchange_files": sorted(store.released_files(LAB))}


def test_second_release_without_force_changes_nothing(released_course):
    from click.testing import CliRunner

    from datalit.labs.cli import lab
    from datalit.labs.course import LabError
    from datalit.labs.release import release

    course = released_course
    before = _state(course)
    assert before["due"] == dt.datetime(2026, 12, 20, 9, 0)
    with pytest.raises(LabError, match="--force"):
        release(course, LAB, due="2026-12-27 18:00")
    res = CliRunner().invoke(lab, ["release", LAB, "--course-dir", str(course.root), "--due", "2026-12-27 18:00"])
    assert res.exit_code != 0 and "--force" in res.output and "이미 배포" in res.output
    assert "Destination already exists" not in res.output and "Traceback" not in res.output
    assert _state(course) == before


def test_forced_release_changes_the_due_date_everywhere(released_course):
    from click.testing import CliRunner

    from datalit.labs.cli import lab

    course = released_course
    before = _state(course)
    res = CliRunner().invoke(lab, ["release", LAB, "--course-dir", str(course.root), "--force",
                                   "--due", "2026-12-27 18:00 KST"])
    assert res.exit_code == 0, res.output
    assert "2026-12-27 18:00 (KST)" in res.output and "다시 배포" in res.output
    after = _state(course)
    assert after["due"] == dt.datetime(2026, 12, 27, 9, 0)
    assert after["exchange"]["due"] == "2026-12-27T09:00:00+00:00"
    assert after["exchange"]["version"] != before["exchange"]["version"]
    assert after["release"] == before["release"] and f"{LAB}.ipynb" in after["release"]
    assert not list(course.meta.glob(".release-*"))  # no staging left behind


def test_forced_release_that_fails_keeps_the_old_release(released_course, tmp_path, monkeypatch):
    """The instructor copied a test cell in the source notebook: nbgrader refuses duplicate grade ids."""
    import nbformat

    from datalit.labs.course import LabError, lab_dir
    from datalit.labs.release import release

    course = released_course
    before = _state(course)
    checkout = tmp_path / "checkout"
    shutil.copytree(lab_dir(LAB), checkout / "labs" / LAB)
    src = checkout / "labs" / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(src, as_version=4)
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                     and not c.metadata["nbgrader"].get("solution"))
    copied = json.loads(json.dumps(test_cell))
    copied["id"] = "copied-test-cell"
    nb.cells.append(nbformat.from_dict(copied))
    nbformat.write(nb, src)
    monkeypatch.setenv("DATALIT_LAB_CHECKOUT_DIR", str(checkout))

    with pytest.raises(LabError, match="generate_assignment failed") as err:
        release(course, LAB, due="2026-12-27 18:00", force=True)
    assert "metadata may be corrupted" in str(err.value)  # nbgrader's own check of the grade ids
    assert _state(course) == before  # old due in the gradebook and the exchange, old release folder
    assert not list(course.meta.glob(".release-*"))

    # a due date it cannot read, with --force: refused before anything changes
    monkeypatch.delenv("DATALIT_LAB_CHECKOUT_DIR")
    with pytest.raises(LabError, match="마감 시각"):
        release(course, LAB, due="next friday", force=True)
    assert _state(course) == before
