"""Batches: a forced failure, reuse and invalidation of earlier results, the Dask path."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from reportkit import cli, data_copy, html_text, small_notebook, summary, text_outputs

pytestmark = [pytest.mark.reports, pytest.mark.slow]


def test_batch_with_one_forced_failure(repo, tmp_path):
    nb = nbformat.read(str(repo / "reports" / "safety_profile.ipynb"), as_version=4)
    boom = nbformat.v4.new_code_cell('if gu == "중구":\n    raise RuntimeError("강제로 낸 오류 (test)")')
    nb.cells.insert(4, boom)
    path = tmp_path / "safety_failing.ipynb"
    nbformat.write(nb, str(path))
    out = tmp_path / "out"
    result = cli("batch", str(path), "--each", "gu=종로구,중구,용산구", "--out", str(out), "--workers", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "실패 1" in result.stdout and "성공 2" in result.stdout          # summary table
    s = summary(out)
    status = {r["parameters"]["gu"]: r["status"] for r in s["reports"]}
    assert status == {"종로구": "ok", "중구": "failed", "용산구": "ok"}
    # the failing report keeps its partial notebook with the failing cell marked
    partial = nbformat.read(str(out / "gu-중구" / "safety_failing.ipynb"), as_version=4)
    marked = [c for c in partial.cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert marked, "papermill marks the failing cell"
    failing = [c for c in partial.cells if c.cell_type == "code" and any(o.get("output_type") == "error"
                                                                          for o in c.get("outputs", []))]
    assert len(failing) == 1 and "강제로 낸 오류" in failing[0].source
    assert json.loads((out / "gu-중구" / "manifest.json").read_text())["error"]["ename"] == "RuntimeError"
    # the others are complete; index.html lists all three with status and links
    assert "종로구" in html_text(out / "gu-종로구" / "safety_failing.html")
    index = html_text(out / "index.html")
    for word in ("보고서 목록", "종로구", "중구", "용산구", "성공", "실패", "RuntimeError"):
        assert word in index
    raw = (out / "index.html").read_text(encoding="utf-8")
    assert "gu-%EC%A2%85%EB%A1%9C%EA%B5%AC/safety_failing.html" in raw        # link to 종로구's report
    # batch kernels are forked from a pre-warmed server; they give the same numbers as a fresh kernel
    forked = json.loads((out / "gu-종로구" / "manifest.json").read_text())
    assert forked["kernel"] == "pre-warmed fork"
    single = tmp_path / "single"
    result = cli("run", str(path), "-p", "gu", "종로구", "--out", str(single))
    assert result.returncode == 0, result.stderr
    assert json.loads((single / "manifest.json").read_text())["kernel"] == "fresh process"
    assert text_outputs(single / "safety_failing.ipynb") == text_outputs(out / "gu-종로구" / "safety_failing.ipynb")


def test_reuse_and_invalidation(shared_datasets, tmp_path):
    env = {"DATALIT_DATA_DIR": str(data_copy(shared_datasets, tmp_path)), "DATALIT_DATA_VERIFY": "0"}
    nb = small_notebook(tmp_path / "cctv.ipynb")
    out = tmp_path / "out"
    args = ("batch", str(nb), "--each", "gu=강남구", "--out", str(out))

    def run():
        result = cli(*args, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        return [r["status"] for r in summary(out)["reports"]]

    assert run() == ["ok"]
    assert "강남구 CCTV 합계: 2780대" in html_text(out / "gu-강남구" / "cctv.html")
    first = json.loads((out / "gu-강남구" / "manifest.json").read_text())
    assert run() == ["cached"]                                           # nothing changed: reused
    assert json.loads((out / "gu-강남구" / "manifest.json").read_text()) == first
    # a fully cached rerun only reads manifests and hashes files: no pandas, no kernel, no git
    probe = ("import sys\nfrom datalit.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n"
             "    assert not e.code, e.code\nassert 'pandas' not in sys.modules, 'pandas imported'\n")
    full_env = dict(os.environ, **env)
    proc = subprocess.run([sys.executable, "-c", probe, "report", *args], capture_output=True, text=True,
                          env=full_env, timeout=120)
    assert proc.returncode == 0 and "재사용 1" in proc.stdout + proc.stderr, proc.stdout + proc.stderr

    csv = tmp_path / "data" / "seoul_cctv_by_gu" / "01. CCTV_in_Seoul.csv"
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace('"2780"', '"2781"'), encoding="utf-8-sig")
    assert run() == ["ok"]                                               # changed data file: rerun
    assert "강남구 CCTV 합계: 2781대" in html_text(out / "gu-강남구" / "cctv.html")
    changed = json.loads((out / "gu-강남구" / "manifest.json").read_text())["data_files"]
    assert changed["seoul_cctv_by_gu/01. CCTV_in_Seoul.csv"] != first["data_files"]["seoul_cctv_by_gu/01. CCTV_in_Seoul.csv"]

    small_notebook(nb, extra_cell="print('바뀐 노트북')")
    assert run() == ["ok"]                                               # changed notebook: rerun
    assert "바뀐 노트북" in html_text(out / "gu-강남구" / "cctv.html")


def test_dask_local_cluster(shared_datasets, tmp_path):
    import os

    from dask.distributed import Client, LocalCluster

    nb = small_notebook(tmp_path / "cctv.ipynb")
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result = cli("batch", str(nb), "--each", "gu=종로구,마포구", "--out", str(out),
                     "--dask", cluster.scheduler_address, "--no-progress")
        assert result.returncode == 0, result.stdout + result.stderr
        worker_pids = set(client.run(os.getpid).values())
    s = summary(out)
    assert s["backend"] == f"dask:{cluster.scheduler_address}"
    assert [r["status"] for r in s["reports"]] == ["ok", "ok"]
    assert {r["worker_pid"] for r in s["reports"]} <= worker_pids      # ran on the cluster's workers
    assert "마포구 CCTV 합계" in html_text(out / "gu-마포구" / "cctv.html")
