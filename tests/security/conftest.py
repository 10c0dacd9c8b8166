"""Attacks on grading and on other learners, each as a test (as root, through the real parts).

The lab helpers (tests/labs/labkit.py) are importable here as ``labkit``."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "labs"))
