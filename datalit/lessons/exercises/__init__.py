"""Exercise modules, one per lesson, named after the lesson file: ``courses/<tier>/NN-some-slug.ipynb`` ->
``datalit/lessons/exercises/<tier>/some_slug.py`` (``courses.exercise_module(path)``; e.g.
``beginner/03-select-filter-sort.ipynb`` -> ``beginner.select_filter_sort``). ``datalit lesson check`` and
``tests/lessons/test_one_source.py`` hold every lesson to this rule.

Each module defines ``q1`` ... ``qN`` (``datalit.lessons.Question``) with reference functions that load the
real data through ``datalit.data.load`` and take the lesson's parameters as keyword arguments with the
same defaults as the notebook's ``parameters`` cell. Each Question lists at least one ``Wrong`` example
(a typical mistake and the words its feedback must contain); ``tests/lessons`` self-tests every module.
Checkers shared by several lessons live in ``datalit.lessons.checkers``, not here.

A lesson imports them with ``from datalit.lessons.exercises.beginner.select_filter_sort import q1, q2, q3``.
Modules must do no work at import time (load data inside the reference functions).
"""
from __future__ import annotations

import importlib
import pkgutil


def module_names() -> list[str]:
    """All exercise modules, e.g. ['advanced.bike_demand_forecast', ..., 'intermediate.self_gas_stations']."""
    out = []
    for tier in pkgutil.iter_modules(__path__):
        if tier.ispkg and not tier.name.startswith("_"):
            sub = importlib.import_module(f"{__name__}.{tier.name}")
            out += [f"{tier.name}.{m.name}" for m in pkgutil.iter_modules(sub.__path__) if not m.name.startswith("_")]
    return sorted(out)


def load_module(name: str):
    return importlib.import_module(f"{__name__}.{name}")
