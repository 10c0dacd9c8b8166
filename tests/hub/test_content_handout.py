"""Course hand-out: new lessons arrive, untouched ones update, edited ones are never overwritten."""
from __future__ import annotations

import json

from datalit.hub import content


def _nb(path, title):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": [f"# {title}\n"], "metadata": {}}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False))


def test_sync_never_overwrites_a_learner_edit(tmp_path):
    src, home = tmp_path / "content", tmp_path / "home" / "courses"
    _nb(src / "beginner" / "01-first.ipynb", "첫 걸음")
    _nb(src / "beginner" / "02-tables.ipynb", "표 읽기")
    _nb(src / "advanced" / "01-models.ipynb", "모형")

    first = content.sync(src, home, ["beginner"])
    assert sorted(first["added"]) == ["beginner/01-first.ipynb", "beginner/02-tables.ipynb"]
    assert not (home / "advanced").exists()  # only the learner's tier

    # the learner edits lesson 1; upstream changes lessons 1 and 2 and adds lesson 3
    edited = home / "beginner" / "01-first.ipynb"
    edited.write_text(edited.read_text().replace("첫 걸음", "첫 걸음 - 내 메모"))
    _nb(src / "beginner" / "01-first.ipynb", "첫 걸음 (개정)")
    _nb(src / "beginner" / "02-tables.ipynb", "표 읽기 (개정)")
    _nb(src / "beginner" / "03-new.ipynb", "새 수업")

    second = content.sync(src, home, ["beginner"])
    assert "내 메모" in edited.read_text()  # kept
    beside = home / "beginner" / "01-first (새 버전).ipynb"
    assert "(개정)" in beside.read_text()
    assert second["beside"] == ["beginner/01-first.ipynb"]
    assert second["updated"] == ["beginner/02-tables.ipynb"]  # untouched: updated in place
    assert "(개정)" in (home / "beginner" / "02-tables.ipynb").read_text()
    assert second["added"] == ["beginner/03-new.ipynb"]

    third = content.sync(src, home, ["beginner"])  # idempotent
    assert not third["added"] and not third["updated"] and not third["beside"]


def test_sync_does_not_follow_planted_symlinks(tmp_path):
    src, home = tmp_path / "content", tmp_path / "home" / "courses"
    _nb(src / "beginner" / "01-first.ipynb", "첫 걸음")
    target = tmp_path / "not-yours.txt"
    target.write_text("secret")
    (home / "beginner").mkdir(parents=True)
    (home / "beginner" / "01-first.ipynb").symlink_to(target)
    report = content.sync(src, home, ["beginner"])
    assert report["kept"] == ["beginner/01-first.ipynb"] and target.read_text() == "secret"


def test_tiers_and_course_list(tmp_path):
    assert content.tiers_for({"intermediate", "citizens"}) == ["intermediate"]
    assert content.tiers_for({"instructors", "instructors-advanced"}) == ["advanced"]
    assert content.tiers_for({"admins"}) == ["beginner", "intermediate", "advanced", "citizen"]
    assert content.tiers_for(set()) == ["beginner"]
    assert content.tiers_for({"citizens", "citizen"}) == ["citizen"]  # a workshop account (the default tier)
    assert content.tiers_for({"citizens"}) == ["citizen"]  # a workshop account that lost its tier group
    assert content.tiers_for({"instructors", "instructors-citizen"}) == ["citizen"]
    _nb(tmp_path / "beginner" / "01-first.ipynb", "첫 걸음")
    assert content.course_list(tmp_path)["beginner"] == [{"file": "01-first.ipynb", "title": "첫 걸음"}]
