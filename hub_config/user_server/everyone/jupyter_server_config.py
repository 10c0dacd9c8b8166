# Every server: JupyterLab also loads the 과제 panel's prebuilt extension from the datalit package (a menu entry
# and a launcher card opening datalit/labs/panel.py's Korean page; it hides nbgrader's English Assignments panel).
# The same folder as datalit.labs.panel.LABEXTENSIONS, found without importing the panel's dependencies here.
from pathlib import Path

import datalit.labs

c = get_config()  # noqa: F821
c.LabApp.extra_labextensions_path = [str(Path(datalit.labs.__file__).parent / "labextension")]
