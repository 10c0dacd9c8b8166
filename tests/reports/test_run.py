"""One report end to end on real data: HTML with the district's numbers, manifest hashes, same numbers twice."""
from __future__ import annotations

import json

import pytest
from reportkit import cli, html_text, text_outputs

from datalit import data
from datalit.data.locate import sha256_of

pytestmark = [pytest.mark.reports, pytest.mark.slow]


@pytest.fixture(scope="module")
def mapo(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "마포구"
    result = cli("run", str(repo / "reports" / "safety_profile.ipynb"), "-p", "gu", "마포구", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_html_shows_the_district_and_its_numbers(mapo):
    text = html_text(mapo / "safety_profile.html")
    cctv = data.load("seoul_cctv_by_gu", "cctv").set_index("gu")
    pop = data.load("seoul_cctv_by_gu", "population").set_index("gu")
    crime = data.load("seoul_crime_by_police_station", "by_gu").set_index("gu")
    n_cctv = int(cctv.at["마포구", "cctv_total"])
    n_pop = int(pop.at["마포구", "population"])
    n_crime = int(crime.loc["마포구", [c for c in crime.columns if c.endswith("_reported")]].sum())
    assert "마포구 인구와 안전 인프라 프로필" in text            # Korean title block with the parameter
    assert f"{n_cctv:,}대" in text and f"{n_pop:,}명" in text and f"{n_crime:,}건" in text
    assert f"{n_cctv / n_pop * 10_000:.1f}대" in text           # per capita
    assert "데이터 출처" in text and "서울 열린데이터광장" in text and "작성 일시" in text
    raw = (mapo / "safety_profile.html").read_text(encoding="utf-8")
    assert "data.load(" not in raw and "_datalit_manifest" not in raw   # no code, no manifest cell
    assert raw.count("data:image/png;base64") >= 2                      # plots embedded


def test_manifest_hashes_match_the_files(mapo, shared_datasets, repo):
    m = json.loads((mapo / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["parameters"] == {"gu": "마포구"}
    assert m["notebook_sha256"] == sha256_of(repo / "reports" / "safety_profile.ipynb")
    assert len(m["git"]["commit"] or "") == 40
    assert {"pandas", "papermill", "matplotlib"} <= set(m["packages"]) and m["python"].startswith("3.")
    assert m["start"] <= m["end"] and m["duration_s"] > 0
    expected = {"seoul_cctv_by_gu/01. CCTV_in_Seoul.csv", "seoul_cctv_by_gu/01. population_in_Seoul.xls",
                "seoul_crime_by_police_station/02. crime_in_Seoul.csv"}
    assert set(m["data_files"]) == expected
    for key, digest in m["data_files"].items():
        assert digest == sha256_of(shared_datasets / key), key


def test_same_report_twice_gives_the_same_numbers(mapo, repo):
    first = text_outputs(mapo / "safety_profile.ipynb")
    nb = str(repo / "reports" / "safety_profile.ipynb")
    result = cli("run", nb, "-p", "gu", "마포구", "--out", str(mapo), "--force")   # --force: runs again
    assert result.returncode == 0 and "재사용" not in result.stdout, result.stderr
    assert first and text_outputs(mapo / "safety_profile.ipynb") == first
    # an unchanged rerun into the same folder reuses the result instead of running again
    result = cli("run", nb, "-p", "gu", "마포구", "--out", str(mapo))
    assert result.returncode == 0 and "재사용" in result.stdout
