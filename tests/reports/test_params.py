"""Parameters are declared, parsed by type and refused before any kernel starts (no output written)."""
from __future__ import annotations

import nbformat
import pytest
from click.testing import CliRunner

from datalit.reports.batch import combinations, folder_name
from datalit.reports.cli import report
from datalit.reports.params import ParameterError, expand, read_specs, resolve

pytestmark = pytest.mark.reports


@pytest.fixture(scope="module")
def air(repo):
    return read_specs(repo / "reports" / "air_quality_monthly.ipynb")


def test_declared_types_and_defaults(air):
    assert air["gu"].type == "gu" and air["month"].type == "month"
    assert resolve(air, {}) == {"gu": "마포구", "month": "2022-10"}
    assert resolve(air, {"gu": "강남구", "month": "2019-03"}) == {"gu": "강남구", "month": "2019-03"}


@pytest.mark.parametrize("given, words", [
    ({"gu": "마포"}, ["마포구", "허용", "Allowed", "강동구"]),                 # lists the 25 districts
    ({"month": "2023-10"}, ["2014-01 .. 2022-12", "범위", "out of range"]),  # outside the data's period
    ({"month": "10월"}, ["YYYY-MM", "not a valid month"]),
    ({"district": "마포구"}, ["알 수 없는 매개변수", "unknown parameter", "gu, month"]),
])
def test_refused_with_korean_and_english(air, given, words):
    with pytest.raises(ParameterError) as err:
        resolve(air, given)
    for word in words:
        assert word in str(err.value)


def test_choice_from_dataset_and_dates(repo):
    specs = read_specs(repo / "reports" / "subway_event_effect.ipynb")
    assert resolve(specs, {"gu": "송파구"})["station"] is None
    resolved = resolve(specs, {"gu": "송파구"})
    assert resolve(specs, resolved) == resolved          # a resolved set (None = not set) resolves again (workers)
    assert resolve(specs, {"station": "잠실(송파구청)", "event_date": "2023-04-05"})["event_date"] == "2023-04-05"
    with pytest.raises(ParameterError, match="없는역"):
        resolve(specs, {"station": "없는역"})
    with pytest.raises(ParameterError, match="2023-01-01 .. 2023-10-31"):
        resolve(specs, {"event_date": "2023-12-25"})


def test_each_expansion_and_folder_names(air):
    assert len(expand(air["gu"], "all")) == 25
    assert expand(air["month"], "2021-11..2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]
    combos = combinations(air, {"gu": "종로구,중구", "month": "2022-01..2022-03"}, {})
    names = {folder_name(c, ["gu", "month"]) for c in combos}
    assert len(combos) == 6 and len(names) == 6
    assert folder_name({"gu": "중구", "month": "2022-01"}, ["gu", "month"]) == "gu-중구_month-2022-01"
    # values that must be sanitised get a hash, so they cannot collide
    assert folder_name({"s": "a/b"}, ["s"]) != folder_name({"s": "a_b"}, ["s"])


def test_undeclared_parameters_cell_is_inferred(tmp_path):
    """Course lessons with only a papermill `parameters` cell run too (types from the defaults)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("year = 2023\nrate = 0.5\nname = 'x'")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, str(path))
    specs = read_specs(path)
    assert {n: s.type for n, s in specs.items()} == {"year": "int", "rate": "float", "name": "str"}
    assert resolve(specs, {"year": "2022"}) == {"year": 2022, "rate": 0.5, "name": "x"}
    with pytest.raises(ParameterError):
        resolve(specs, {"year": "이천"})


def test_cli_refuses_before_writing(repo, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(report, ["run", str(repo / "reports" / "safety_profile.ipynb"),
                                         "-p", "gu", "서울구", "--out", str(out)])
    assert result.exit_code != 0
    assert "허용되지 않습니다" in result.output and "not allowed" in result.output
    assert not out.exists()
    result = CliRunner().invoke(report, ["batch", str(repo / "reports" / "safety_profile.ipynb"),
                                         "--each", "gu=종로구,없는구", "--out", str(out)])
    assert result.exit_code != 0 and "없는구" in result.output and not out.exists()


def test_cli_params_lists_parameters(repo):
    result = CliRunner().invoke(report, ["params", str(repo / "reports" / "bike_usage.ipynb")])
    assert result.exit_code == 0, result.output
    assert "gu" in result.output and "month" in result.output and "2023-01 .. 2023-12" in result.output


def test_allowed_values_from_a_dataset_are_remembered_until_its_files_change(shared_datasets, tmp_path, monkeypatch):
    """A fully cached batch re-checks its parameters; values read from a dataset column come from the disk
    record while the dataset's files are unchanged, and from the data again once a file changes."""
    import os
    import shutil

    from datalit import data
    from datalit.reports import param_values

    shutil.copytree(shared_datasets / "seoul_cctv_by_gu", tmp_path / "data" / "seoul_cctv_by_gu")
    monkeypatch.setenv("DATALIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATALIT_DATA_VERIFY", "0")
    monkeypatch.setenv("DATALIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(param_values, "_VALUES_CACHE", {})
    first = param_values.dataset_values("seoul_cctv_by_gu", None, "gu")
    assert "강남구" in first and len(first) == 25

    def no_load(*a, **k):
        raise AssertionError("read the data again")

    monkeypatch.setattr(param_values, "_VALUES_CACHE", {})
    monkeypatch.setattr(data, "load", no_load)
    assert param_values.dataset_values("seoul_cctv_by_gu", None, "gu") == first   # another process: from disk

    csv = next((tmp_path / "data" / "seoul_cctv_by_gu").glob("*.csv"))
    os.utime(csv, ns=(csv.stat().st_atime_ns, csv.stat().st_mtime_ns + 10**9))
    monkeypatch.setattr(param_values, "_VALUES_CACHE", {})
    with pytest.raises(AssertionError, match="read the data again"):
        param_values.dataset_values("seoul_cctv_by_gu", None, "gu")
