"""Hub tests use the ``hub`` fixture of tests/hub_fixtures.py (a pytest plugin listed in tests/conftest.py)."""
import sys

if "hub_fixtures" not in sys.modules:  # until tests/conftest.py lists the plugin
    from hub_fixtures import hub  # noqa: F401

# the Zero to JupyterHub chart rendered with our values and a real hub loaded from it (tests/hub/test_k8s_*.py)
sys.path.insert(0, __file__.rsplit("/", 1)[0])  # tests/hub/k8s_fixtures.py
from k8s_fixtures import k8s_chart, k8s_hub, k8s_rendered, k8s_values  # noqa: E402,F401
