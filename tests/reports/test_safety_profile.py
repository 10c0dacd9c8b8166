"""safety_profile: the Seoul figure is named for what it is. '서울 전체' is the rate of the 25 districts pooled
(population-weighted), '25개 구 값의 평균' the unweighted mean of the district rates; both are recomputed from
the raw tables. Known answer: 1,000 thefts planted at 마포경찰서 (a copy of the real station table) raise
마포구's rate by exactly 1,000 per its population, the pooled rate by 1,000 per Seoul's population and the
mean of districts by a 25th of 마포구's rise, and the district's rank moves to where the planted count puts it."""
from __future__ import annotations

import pytest
from knownanswer import copy_dataset, rewrite_csv, run
from reportkit import html_text

from datalit import data

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "safety_profile"
PLANTED = 1000


@pytest.fixture(scope="module")
def mapo(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("sp")
    return run(repo, NB, out, gu="마포구"), html_text(out / f"{NB}.html")


def _seoul(extra_mapo_thefts=0):
    pop = data.load("seoul_cctv_by_gu", "population").set_index("gu")["population"]
    cctv = data.load("seoul_cctv_by_gu", "cctv").set_index("gu")["cctv_total"]
    crime = data.load("seoul_crime_by_police_station", "by_gu").set_index("gu")
    reported = crime[[c for c in crime.columns if c.endswith("_reported")]].sum(axis=1)
    reported["마포구"] += extra_mapo_thefts
    pop = pop.reindex(reported.index)
    return pop, cctv.reindex(reported.index), reported


def test_seoul_figures_are_pooled_and_mean_of_districts_by_name(mapo):
    manifest, text = mapo
    found = manifest["findings"]
    pop, cctv, reported = _seoul()
    pooled = {"crime_per_10k": reported.sum() / pop.sum() * 1e4, "cctv_per_10k": cctv.sum() / pop.sum() * 1e4}
    mean = {"crime_per_10k": (reported / pop * 1e4).mean(), "cctv_per_10k": (cctv / pop * 1e4).mean()}
    for key in pooled:
        assert abs(found["seoul_pooled"][key] - pooled[key]) < 1e-6
        assert abs(found["mean_of_districts"][key] - mean[key]) < 1e-6
    assert abs(pooled["crime_per_10k"] - mean["crime_per_10k"]) > 10     # 124.0 vs 137.3: the choice matters
    assert f"서울 전체 {pooled['cctv_per_10k']:.1f}대, 25개 구 값의 평균 {mean['cctv_per_10k']:.1f}대" in text
    assert f"서울 전체 {pooled['crime_per_10k']:.1f}건, 25개 구 값의 평균 {mean['crime_per_10k']:.1f}건" in text
    assert "서울 평균" not in text


def test_known_answer_planted_thefts(repo, shared_datasets, tmp_path, mapo):
    real = mapo[0]["findings"]
    folder = copy_dataset(shared_datasets, tmp_path / "data", "seoul_crime_by_police_station")

    def plant(row):
        if row[0].strip() == "마포서":
            row[7] = str(int(row[7].replace(",", "")) + PLANTED)       # 절도 발생
        return row

    assert rewrite_csv(folder / "02. crime_in_Seoul.csv", plant, encoding="cp949") == 1
    got = run(repo, NB, tmp_path / "out", data_root=tmp_path / "data", gu="마포구")["findings"]
    pop, _, reported = _seoul(PLANTED)
    rise = PLANTED / pop["마포구"] * 1e4
    assert abs(got["crime_per_10k"] - (real["crime_per_10k"] + rise)) < 1e-6
    assert abs(got["seoul_pooled"]["crime_per_10k"] - (real["seoul_pooled"]["crime_per_10k"] + PLANTED / pop.sum() * 1e4)) < 1e-6
    assert abs(got["mean_of_districts"]["crime_per_10k"] - (real["mean_of_districts"]["crime_per_10k"] + rise / 25)) < 1e-6
    rates = reported / pop * 1e4
    assert got["crime_rank"] == int((rates > rates["마포구"]).sum()) + 1 < real["crime_rank"]
    assert got["cctv_per_10k"] == real["cctv_per_10k"]                  # nothing else moved


def test_cctv_subtotal_is_not_called_a_cumulative_and_the_conclusion_is_not_causal(mapo):
    """The raw '소계' is smaller than the sum of the yearly-installation columns in every district, so it is not
    'installed up to 2016'; the report names it for what it is, gives the yearly-sum reading and its rank too,
    and its one-sentence conclusion does not invite 'more CCTV, less crime' when districts show the opposite."""
    manifest, text = mapo
    found = manifest["findings"]
    cctv = data.load("seoul_cctv_by_gu", "cctv").set_index("gu")
    pop = data.load("seoul_cctv_by_gu", "population").set_index("gu")["population"].reindex(cctv.index)
    year_sum = cctv[["cctv_until_2013", "cctv_2014", "cctv_2015", "cctv_2016"]].sum(axis=1)
    below = int((cctv["cctv_total"] < year_sum).sum())
    assert below == found["districts_subtotal_below_year_sum"] == 25
    per_10k = year_sum / pop * 1e4
    assert found["cctv_year_sum"] == year_sum["마포구"] == 980
    assert found["cctv_sum_rank"] == int((per_10k > per_10k["마포구"]).sum()) + 1 == 19
    assert "2016년까지 누적" not in text and "소계는 연도별 설치의 누적이 아닙니다" in text
    assert f"연도별 설치 합계로 읽으면 {per_10k['마포구']:.1f}대, 19위" in text
    _, _, reported = _seoul()
    rho = (cctv["cctv_total"] / pop).rank().corr((reported / pop.reindex(reported.index)).reindex(cctv.index).rank())
    assert abs(found["cctv_crime_spearman"] - rho) < 1e-9 and rho > 0
    head = text[text.index("결론"):text.index("결론") + 300]
    assert "CCTV를 늘리면 범죄가 준다고 말할 수 없습니다" in head
    assert "CCTV가 많은 구는 범죄가 적을까" not in text and "(인과 아님" in text
