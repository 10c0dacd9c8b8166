"""Exercise modules, one per lesson: ``<tier>_<NN>.py`` (e.g. ``beginner_03.py``, ``intermediate_02.py``).

Each module defines ``q1`` ... ``qN`` (``datalit.lessons.Question``) with reference functions that load the
real data through ``datalit.data.load`` and take the lesson's parameters as keyword arguments with the
same defaults as the notebook's ``parameters`` cell. Each Question lists at least one ``Wrong`` example
(a typical mistake and the words its feedback must contain); ``tests/lessons`` self-tests every module.

A lesson imports them with ``from datalit.lessons.exercises.beginner_03 import q1, q2, q3``.
Modules must do no work at import time (load data inside the reference functions).
"""
from __future__ import annotations

import importlib
import pkgutil


def module_names() -> list[str]:
    """All exercise modules, e.g. ['beginner_01', ..., 'intermediate_02']."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load_module(name: str):
    return importlib.import_module(f"{__name__}.{name}")
