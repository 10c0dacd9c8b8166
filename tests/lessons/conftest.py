"""Lesson tests: print every lesson's run time in the test log (terminal summary)."""
from __future__ import annotations

import pytest

_TIMES: list[tuple[str, str, float, bool]] = []


@pytest.fixture(scope="session")
def lesson_times() -> list:
    """Append (lesson, form, seconds, ok); printed at the end of the run."""
    return _TIMES


def pytest_terminal_summary(terminalreporter):
    if not _TIMES:
        return
    terminalreporter.section("lesson run times (2 workers in parallel)")
    for name, form, seconds, ok in sorted(_TIMES):
        terminalreporter.write_line(f"{seconds:6.1f} s  {form:<8} {'ok ' if ok else 'ERR'} {name}")
