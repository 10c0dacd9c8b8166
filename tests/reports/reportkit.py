"""Helpers for the report tests: a tiny parameterised notebook on real data, CLI runner, HTML text."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

DATALIT = str(Path(sys.executable).parent / "datalit")


def small_notebook(path: Path, extra_cell: str | None = None) -> Path:
    """A report notebook that reads the real CCTV table and prints one district's count."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "datalit": {"title": "{gu} CCTV 시험 보고서", "parameters": {"gu": {"type": "gu", "label": "자치구"}}},
    }
    params = nbformat.v4.new_code_cell('gu = "마포구"')
    params.metadata["tags"] = ["parameters"]
    cells = [
        nbformat.v4.new_markdown_cell("# 시험 보고서"),
        params,
        nbformat.v4.new_code_cell(
            "from datalit import data\n"
            "cctv = data.load('seoul_cctv_by_gu', 'cctv')\n"
            "n = int(cctv.loc[cctv['gu'] == gu, 'cctv_total'].iloc[0])\n"
            "print(f'{gu} CCTV 합계: {n}대')"
        ),
    ]
    if extra_cell:
        cells.append(nbformat.v4.new_code_cell(extra_cell))
    nb.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def cli(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([DATALIT, "report", *args], capture_output=True, text=True, env=full_env, timeout=timeout)


def data_copy(shared: Path, tmp: Path, dataset: str = "seoul_cctv_by_gu") -> Path:
    """A private DATALIT_DATA_DIR holding one dataset copied from the shared folder."""
    root = tmp / "data"
    shutil.copytree(shared / dataset, root / dataset)
    return root


def html_text(path: Path) -> str:
    """Visible text of a report HTML (styles, scripts, images and tags removed)."""
    h = Path(path).read_text(encoding="utf-8")
    h = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", h, flags=re.S)
    h = re.sub(r"<[^>]+>", " ", h)
    return re.sub(r"\s+", " ", h)


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def text_outputs(ipynb: Path) -> list[str]:
    """Text and markdown outputs of an executed notebook (the numbers a report shows)."""
    nb = nbformat.read(str(ipynb), as_version=4)
    out = []
    for cell in nb.cells:
        if "datalit-manifest" in cell.metadata.get("tags", []):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stdout":
                out.append(o["text"])
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in o.get("data", {}):
                    out.append(o["data"][mime])
    return out


def assert_refused_before_kernel(notebook: Path, pairs: list[str], words: list[str], out: Path) -> None:
    """``datalit report run NOTEBOOK -p ...`` fails, names each of WORDS, and writes no output folder."""
    from click.testing import CliRunner

    from datalit.reports.cli import report

    result = CliRunner().invoke(report, ["run", str(notebook), "-p", *pairs, "--out", str(out)])
    assert result.exit_code != 0
    for word in words:
        assert word in result.output, result.output
    assert not out.exists()
