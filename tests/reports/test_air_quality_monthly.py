"""air_quality_monthly: the month's PM10 against the 25 stations' mean and the same month of other years,
recomputed from the raw CSV; known answer: +70 ㎍/㎥ planted on ten days at 마포구's station (a copy of the
2022 file) raises the month's mean by exactly 70 x 10 / days measured, makes those days '나쁨', and flips the
verdict from below to above every other year's October."""
from __future__ import annotations

import csv

import pytest
from knownanswer import copy_dataset, rewrite_csv, run
from reportkit import html_text

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "air_quality_monthly"
DAYS = {f"202210{d:02d}" for d in range(1, 11)}


@pytest.fixture(scope="module")
def mapo(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("aq")
    return run(repo, NB, out), html_text(out / f"{NB}.html")          # defaults: 마포구, 2022-10


def _october(shared):
    with open(shared / "seoul_air_quality_daily" / "2022.csv", encoding="cp949", newline="") as fh:
        return {r[0]: float(r[6]) for r in csv.reader(fh) if r[1] == "마포구" and r[0].startswith("202210") and r[6]}


def test_month_mean_and_verdict_from_the_raw_file(mapo, shared_datasets):
    manifest, text = mapo
    found = manifest["findings"]
    october = _october(shared_datasets)
    assert abs(found["pm10"] - sum(october.values()) / len(october)) < 1e-9
    lo, hi = found["other_years_range"]
    assert found["verdict"] == ("higher" if found["pm10"] > hi else "lower" if found["pm10"] < lo else "within")
    assert "25개 구 측정소 평균" in text and "서울 평균" not in text
    assert "다른 해들의 같은 달보다 모두 낮습니다" in text               # 2022-10 was the cleanest October


def test_known_answer_planted_pollution(repo, shared_datasets, tmp_path, mapo):
    real = mapo[0]["findings"]
    october = _october(shared_datasets)
    folder = copy_dataset(shared_datasets, tmp_path / "data", "seoul_air_quality_daily")

    def plant(row):
        if row[1] == "마포구" and row[0] in DAYS and row[6]:
            row[6] = str(int(float(row[6])) + 70)
        return row

    planted = rewrite_csv(folder / "2022.csv", plant, encoding="cp949")
    assert planted == len(DAYS & set(october))
    got = run(repo, NB, tmp_path / "out", data_root=tmp_path / "data")["findings"]
    assert abs(got["pm10"] - (real["pm10"] + 70 * planted / len(october))) < 1e-9
    assert got["bad_pm10_days"] == real["bad_pm10_days"] + sum(october[d] + 70 > 80 for d in DAYS & set(october))
    assert got["other_years_range"] == real["other_years_range"]
    assert real["verdict"] == "lower" and got["verdict"] == "higher"


def test_seoul_too_and_close_ranks_from_the_raw_files(mapo, shared_datasets):
    """2022-10 was the lowest October at 마포구's station AND for the 25 stations' mean: the headline must say
    that Seoul too was lowest; the year table's 25-station column and the 'ranks are close' count recompute
    from the raw CSVs (2018–2022; earlier years are xlsx)."""
    from datalit.seoul import GU_NAMES as SEOUL_GU

    found, text = mapo[0]["findings"], mapo[1]
    by_gu: dict[str, list[float]] = {}
    for year in range(2018, 2023):
        with open(shared_datasets / "seoul_air_quality_daily" / f"{year}.csv", encoding="cp949", newline="") as fh:
            days = [(r[1], float(r[6])) for r in csv.reader(fh) if r[1] in SEOUL_GU and r[0].startswith(f"{year}10") and r[6]]
        assert abs(found["seoul_by_year"][str(year)] - sum(v for _, v in days) / len(days)) < 1e-6
        if year == 2022:
            for g, v in days:
                by_gu.setdefault(g, []).append(v)
    means = {g: sum(v) / len(v) for g, v in by_gu.items()}
    assert found["districts_within_1_5"] == sum(abs(v - means["마포구"]) < 1.5 for g, v in means.items() if g != "마포구")
    others = [v for y, v in found["seoul_by_year"].items() if y != "2022"]
    assert found["seoul_station_mean_pm10"] < min(others) and found["seoul_verdict"] == "lower"
    assert "25개 구 측정소 평균" in text and "서울 전체의 흐름" in text
