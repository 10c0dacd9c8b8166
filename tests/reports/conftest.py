"""Make the helpers beside these tests (reportkit.py) importable in importlib mode."""
import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
