"""The opt-in error explainer, in a real kernel: Korean help appears under the traceback or warning."""
from __future__ import annotations

import nbformat
import pytest

from datalit.lessons import explain
from datalit.lessons.run import cell_text

pytestmark = pytest.mark.lessons

CELLS = [
    ("%load_ext datalit.lessons.explain\nimport pandas as pd\n"
     "df = pd.DataFrame({'cctv_total': [1, 2], 'gu': ['중구', '종로구']})", "켜졌어요"),
    ("df['cctv_totl']", "혹시 'cctv_total'"),
    ("from datalit import data\ncctv = data.load('seoul_cctv_by_gu', 'cctv')\ncctv['소계']", "'cctv_total' 열"),
    ("print(gu_name)", "아직 없어요"),
    ("plt.plot([1, 2])", "import matplotlib.pyplot as plt"),
    ("b'\\xc3\\xf8\\xc1\\xa4'.decode('utf-8')", "CP949"),
    ("df[df['cctv_total'] > 1]['gu'] = '강남구'", "df.loc[조건, '열'] = 값"),
    ("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
     "ax.set_title('한글', fontfamily='DejaVu Sans')\nfig.canvas.draw()", "hangul.use()"),
    ("1 / 0", None),
    ("%unload_ext datalit.lessons.explain\nprint(gu_name)", None),
]


def test_explainer_in_a_real_kernel(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src, metadata={"tags": ["raises-exception"]}) for src, _ in CELLS]
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    for cell, (src, says) in zip(nb.cells, CELLS):
        text = cell_text(cell)
        if says is None:
            assert explain.BANNER.strip() not in text, (src, text)
        else:
            assert says in text, (src, text)
    glyph = cell_text(nb.cells[7])
    assert glyph.count(explain.BANNER.strip()) == 1  # one help line, not one per missing character


def test_explain_functions_directly():
    import pandas as pd

    ns = {"air": pd.DataFrame(columns=["pm10", "pm25", "station"])}
    assert "혹시 'pm10'" in explain.explain_exception(KeyError("pm1O"), ns)
    assert "공백" in explain.explain_exception(KeyError(" zzz "), {})
    assert "여러 열" in explain.explain_exception(KeyError(["a", "b"]), ns)
    assert "오타" in explain.explain_exception(NameError("name 'aier' is not defined"), ns)
    assert "불러오지 않았어요" in explain.explain_exception(NameError("name 'q2' is not defined"), ns)
    err = UnicodeDecodeError("utf-8", b"\xc3\xf8", 0, 1, "invalid")
    assert "cp949" in explain.explain_exception(err)
    assert explain.explain_exception(ZeroDivisionError()) is None
    assert explain.explain_warning("Glyph 54620 missing from font(s) DejaVu Sans.", UserWarning)
    assert explain.explain_warning("x", pd.errors.ChainedAssignmentError)
    assert explain.explain_warning("something else", UserWarning) is None


def test_run_command_with_parameters(tmp_path):
    """`datalit lesson run PATH -p NAME VALUE` checks the value, injects it after the parameters cell (the reports'
    params module), exits 1 on a refused value or an error."""
    from click.testing import CliRunner

    from datalit.lessons.cli import lesson as lesson_cli

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["datalit"] = {"parameters": {"gu": {"type": "gu"}}}  # year: typed by its default, as for reports
    nb.cells = [nbformat.v4.new_code_cell('gu = "마포구"\nyear = 2019', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell('assert (gu, year) == ("강남구", 2022), (gu, year)')]
    path = tmp_path / "01-tiny.ipynb"
    nbformat.write(nb, str(path))
    ok = CliRunner().invoke(lesson_cli, ["run", str(path), "-p", "gu", "강남구", "-p", "year", "2022"])
    assert ok.exit_code == 0 and "ok in" in ok.output, ok.output
    refused = CliRunner().invoke(lesson_cli, ["run", str(path), "-p", "gu", "강남"])  # checked before any kernel
    assert refused.exit_code == 1 and "혹시 강남구" in refused.output and "FAILED" not in refused.output
    bad = CliRunner().invoke(lesson_cli, ["run", str(path)])
    assert bad.exit_code == 1 and "FAILED" in bad.output and "마포구" in bad.output
