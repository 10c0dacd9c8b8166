"""The grading sandbox must be a folder the slot users can enter.

Seen in CI: the hub made its state folder /var/lib/datalit 0700 (issue #11), and the sandbox lived
inside it (/var/lib/datalit/sandbox). Every sandboxed kernel died with 'Permission denied' on its own
work folder and every team got 0 points, silently. Now the default lies outside the state folder, and
a sandbox that the slot users cannot reach is refused before anything is graded."""
from __future__ import annotations

import os

import nbformat
import pytest

from datalit.config import DEFAULTS, default_state_dir

pytestmark = [pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox needs root (CI runs as root)")]


def test_default_sandbox_is_outside_the_hub_state_folder():
    from pathlib import Path

    sandbox = Path(DEFAULTS["lab"]["sandbox_dir"])
    assert default_state_dir() not in sandbox.parents and sandbox != default_state_dir()


@pytest.mark.grading
def test_a_sandbox_behind_a_private_folder_is_refused_before_grading(tmp_path, monkeypatch):
    from labkit import LAB, answered, local_course

    from datalit.labs.autograde import autograde
    from datalit.labs.course import LabError
    from datalit.labs.release import release

    private = tmp_path / "state"
    private.mkdir()
    os.chmod(tmp_path, 0o711)
    os.chmod(private, 0o700)  # what the hub does to its state folder
    course = local_course(tmp_path, monkeypatch, "datalit-test-sbxloc")
    monkeypatch.setitem(course.cfg, "sandbox_dir", str(private / "sandbox"))
    release(course, LAB, to_exchange=False)
    work = course.root / "submitted" / "team1" / LAB
    work.mkdir(parents=True)
    nbformat.write(answered(course), work / f"{LAB}.ipynb")
    (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")
    with pytest.raises(LabError) as err:
        autograde(course, LAB, workers=1, progress=False)
    assert str(private) in str(err.value) and "sandbox_dir" in str(err.value)
    assert not (course.root / "autograded" / "team1").exists()


@pytest.mark.grading
def test_datasets_behind_a_private_folder_are_refused_before_grading(tmp_path, monkeypatch, shared_datasets):
    """Seen in a CI dry run: the checkout (and ../shared/datasets beside it) in a 0700 folder. The graded
    kernels could not open the data and every team got 0 points, reported as a success. Now it is refused
    before anything runs, naming the folder that stops the sandbox users."""
    from labkit import LAB, answered, local_course

    from datalit.labs.autograde import autograde
    from datalit.labs.course import LabError
    from datalit.labs.release import release

    os.chmod(tmp_path, 0o711)
    course = local_course(tmp_path, monkeypatch, "datalit-test-dataloc")
    release(course, LAB, to_exchange=False)
    work = course.root / "submitted" / "team1" / LAB
    work.mkdir(parents=True)
    nbformat.write(answered(course), work / f"{LAB}.ipynb")
    (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")

    private = tmp_path / "admin-home"
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    (private / "datasets").symlink_to(shared_datasets)
    monkeypatch.setenv("DATALIT_DATA_DIR", str(private / "datasets"))
    with pytest.raises(LabError) as err:
        autograde(course, LAB, workers=1, progress=False)
    assert str(private) in str(err.value) and "0 points" in str(err.value) and "DATALIT_DATA_DIR" in str(err.value)
    assert not (course.root / "autograded" / "team1").exists()
