"""Hub tests use the ``hub`` fixture of tests/hub_fixtures.py (a pytest plugin listed in tests/conftest.py)."""
import sys

if "hub_fixtures" not in sys.modules:  # until tests/conftest.py lists the plugin
    from hub_fixtures import hub  # noqa: F401
