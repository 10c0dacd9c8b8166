"""nbgrader configuration of the Seoul Data Literacy Lab courses.

Usable by nbgrader's own commands unchanged: ``datalit lab release`` copies this file into the
course directory, where ``nbgrader generate_assignment``, ``nbgrader autograde``, ``nbgrader
formgrader`` … pick it up. Values come from datalit's layered config (section ``lab``; env
``DATALIT_LAB_<KEY>``), so the CLI, the hub and nbgrader agree on one course.

Teams are nbgrader *students* (student id = team id); members map to teams in the roster.
"""
import os

from datalit.config import load_config

_lab = load_config()["lab"]
c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = _lab["course_id"]
if os.environ.get("DATALIT_LAB_COURSE_DIR") or _lab["course_dir"]:
    c.CourseDirectory.root = os.environ.get("DATALIT_LAB_COURSE_DIR") or _lab["course_dir"]
    from datalit.labs.course import gradebook_url

    c.CourseDirectory.db_url = gradebook_url(c.CourseDirectory.root, _lab)  # lab.gradebook_url or gradebook.db
c.Exchange.assignment_dir = "."
# The exchange is the datalit-exchange hub service (identity from the hub, root-only storage):
# the Assignments panel and nbgrader's member commands go through these classes.
for _kind in ("list", "fetch_assignment", "fetch_feedback", "submit", "release_assignment", "collect",
              "release_feedback"):
    _cls = "".join(w.capitalize() for w in _kind.split("_"))
    setattr(c.ExchangeFactory, _kind, f"datalit.exchange.nbgrader_plugin.Exchange{_cls}")
c.CourseDirectory.max_file_size = _lab["max_file_mb"] * 1024  # kilobytes
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".datalit*"]

# A team's notebook is rendered for other people (the formgrader in the instructor's server, the
# feedback pages every member opens): sanitised, with one allow-list (datalit.labs.grading_html).
from datalit.labs.grading_html import clean_html, clean_markdown  # noqa: E402

c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"clean_html": clean_html, "strip_files_prefix": clean_markdown}

# Korean stubs for removed solutions
c.ClearSolutions.code_stub = {"python": "# 여기에 코드를 작성하세요\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "여기에 답을 작성하세요."

# Autograding: nbgrader's pipeline with the sandboxed Execute in place of Execute
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,  # noqa: E402
                                    LimitOutput, SaveAutoGrades)

from datalit.labs.preprocessors.sandboxed_execute import SandboxedExecute  # noqa: E402

c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor,
                                       LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.SandboxedExecute.timeout = _lab["cell_timeout"]
c.SandboxedExecute.max_output_bytes = _lab["max_output_bytes"]
c.SandboxedExecute.sandbox = _lab["sandbox"]
c.LimitOutput.max_lines = 200

# Late policy: a fraction of the lab's max score per started day late
c.AssignLatePenalties.plugin_class = "datalit.labs.late.LatePenalty"
c.LatePenalty.penalty_per_day = _lab["late_penalty_per_day"]
