"""Member side: ``datalit lab fetch LAB [--feedback]`` and ``datalit lab submit LAB``.

Thin wrappers over nbgrader's own exchange commands (the same ones the JupyterLab assignment list
uses), run with the course id and exchange root of the datalit config. A member submits under
their own user name; ``datalit lab collect`` maps members to teams, so any member submits for the
team, and who submitted when is recorded.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from datalit.config import load_config
from datalit.labs.course import LabError


def _nbgrader(args: list[str], cwd: Path) -> str:
    cfg = load_config()["lab"]
    exe = str(Path(sys.executable).parent / "nbgrader")
    cmd = [exe, *args, f"--course={cfg['course_id']}", f"--Exchange.root={cfg['exchange_dir']}"]
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise LabError(f"nbgrader {args[0]} 실패:\n{out}")
    return out


def fetch(lab: str, where: str | Path | None = None, feedback: bool = False) -> str:
    cwd = Path(where or Path.cwd())
    return _nbgrader(["fetch_feedback" if feedback else "fetch_assignment", lab], cwd)


def submit(lab: str, path: str | Path | None = None) -> str:
    folder = Path(path) if path else Path.cwd() / lab
    if not folder.is_dir():
        raise LabError(f"제출할 폴더가 없습니다: {folder} (먼저 'datalit lab fetch {lab}'로 받으세요)")
    if folder.name != lab:
        raise LabError(f"폴더 이름이 실습 이름 '{lab}'과 같아야 합니다: {folder}")
    return _nbgrader(["submit", lab], folder.parent)
