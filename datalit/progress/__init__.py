"""The learning record: every lesson check, concept answer, hint and solution request of a learner.

Kernels post events (:mod:`datalit.progress.post`) to the ``datalit-progress`` hub service
(:mod:`datalit.progress.service`), which takes the learner from the hub token and appends them to a
root-only JSONL file (:mod:`datalit.progress.events`). The record is summarised per course by
:mod:`datalit.progress.record` (the completion rule lives in ``courses/<tier>/course.yaml``).
"""
from __future__ import annotations


def completion(state_dir, user: str, tier: str) -> dict:
    """One learner's standing in one course; see :func:`datalit.progress.record.completion`."""
    from datalit.progress.record import completion as _completion

    return _completion(state_dir, user, tier)


__all__ = ["completion"]
