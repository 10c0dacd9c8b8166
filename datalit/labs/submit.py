"""Member side: ``datalit lab fetch LAB [--feedback]`` and ``datalit lab submit LAB [--yes]``.

The same exchange classes as JupyterLab's Assignments panel (datalit.exchange.nbgrader_plugin),
talking to the ``datalit-exchange`` hub service with the server's own hub token: a member submits
under the identity the hub gives them, for their team; any member fetches the team's feedback.
"""
from __future__ import annotations

from pathlib import Path

from datalit.config import load_config
from datalit.exchange.client import ExchangeClient, Refused
from datalit.exchange.nbgrader_plugin import fetch_feedback_into, lab_files, shown_seconds, write_files
from datalit.exchange.store import StoreError
from datalit.labs.course import LabError


def _client() -> ExchangeClient:
    try:
        return ExchangeClient()
    except StoreError as exc:
        raise LabError(str(exc)) from None


def fetch(lab: str, where: str | Path | None = None, feedback: bool = False) -> str:
    folder = Path(where or Path.cwd()) / lab
    client = _client()
    try:
        if feedback:
            got = fetch_feedback_into(client, lab, folder)
            return f"피드백 {len(got)}개를 받았습니다: {folder / 'feedback'}" if got else "아직 피드백이 없습니다."
        if folder.exists():
            raise LabError(f"'{lab}' 폴더가 이미 있습니다: {folder}")
        _, files = client.fetch(lab)
    except StoreError as exc:
        raise LabError(str(exc)) from None
    write_files(folder, files)
    return f"{lab}을(를) 받았습니다: {folder}"


def submit(lab: str, path: str | Path | None = None, yes: bool = False, ask=None) -> str:
    """Submit the lab folder; over a teammate's newer submission, ``ask(message)`` decides (or --yes)."""
    folder = Path(path) if path else Path.cwd() / lab
    if not folder.is_dir():
        raise LabError(f"제출할 폴더가 없습니다: {folder} (먼저 'datalit lab fetch {lab}'로 받으세요)")
    if folder.name != lab:
        raise LabError(f"폴더 이름이 실습 이름 '{lab}'과 같아야 합니다: {folder}")
    files = lab_files(folder, load_config()["lab"]["max_file_mb"] * 2**20)
    client = _client()
    try:
        try:
            record = client.submit(lab, files, confirm=yes)
        except Refused as exc:
            if exc.code != "confirm" or ask is None or not ask(str(exc)):
                raise
            record = client.submit(lab, files, confirm=True)
    except StoreError as exc:
        raise LabError(str(exc)) from None
    return f"제출했습니다: {lab} · {shown_seconds(record['timestamp'])} · {record['member']} (팀 {record['team']})"
