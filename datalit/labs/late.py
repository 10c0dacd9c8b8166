"""nbgrader late-submission plugin: a fraction of the notebook's max score per started day late."""
from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

from datalit.config import DEFAULTS


class LatePenalty(LateSubmissionPlugin):
    penalty_per_day = Float(DEFAULTS["lab"]["late_penalty_per_day"], help="Fraction of the max score deducted per started day").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        if not total_seconds_late or total_seconds_late <= 0:
            return 0
        days = math.ceil(total_seconds_late / 86400)
        return min(score, score * self.penalty_per_day * days)
