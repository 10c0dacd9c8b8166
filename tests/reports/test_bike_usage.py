"""bike_usage: the month's rentals, rank and busiest stations recomputed from the raw monthly CSV; known
answer: 20,000 October rentals planted at one quiet 마포구 station (a copy of the file) raise the district's
total by exactly that and put the station first among the ten busiest, with its planted count."""
from __future__ import annotations

import csv
import re

import pytest
from knownanswer import copy_dataset, rewrite_csv, run

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "bike_usage"
PLANTED = 20_000
FILE = "서울특별시 공공자전거 대여소별 이용정보(월별)_23.7-12.csv"


@pytest.fixture(scope="module")
def mapo(repo, tmp_path_factory):
    return run(repo, NB, tmp_path_factory.mktemp("bk"))["findings"]     # defaults: 마포구, 2023-10


def _october(shared):
    with open(shared / "seoul_bike_station_monthly_usage_2023" / FILE, encoding="cp949", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r[2] == "202310"]
    totals: dict[str, int] = {}
    for r in rows:
        totals[r[0]] = totals.get(r[0], 0) + int(r[3])
    return rows, totals


def test_rentals_and_rank_from_the_raw_file(mapo, shared_datasets):
    rows, totals = _october(shared_datasets)
    assert mapo["rentals"] == totals["마포구"]
    assert mapo["rentals_rank"] == 1 + sum(v > totals["마포구"] for v in totals.values())
    mine = sorted((int(r[3]) for r in rows if r[0] == "마포구"), reverse=True)
    assert [s["rentals"] for s in mapo["top_stations"]] == mine[:10]


def test_known_answer_planted_busy_station(repo, shared_datasets, tmp_path, mapo):
    rows, _ = _october(shared_datasets)
    target = min((r for r in rows if r[0] == "마포구" and int(r[3]) > 500), key=lambda r: int(r[3]))
    folder = copy_dataset(shared_datasets, tmp_path / "data", "seoul_bike_station_monthly_usage_2023")

    def plant(row):
        if row[:3] == target[:3]:
            row[3] = str(int(row[3]) + PLANTED)
        return row

    assert rewrite_csv(folder / FILE, plant, encoding="cp949") == 1
    got = run(repo, NB, tmp_path / "out", data_root=tmp_path / "data")["findings"]
    assert got["rentals"] == mapo["rentals"] + PLANTED
    assert got["returns"] == mapo["returns"]
    name = re.sub(r"^\d+\.\s*", "", target[1]).strip()          # the reader drops the station number
    assert got["top_stations"][0] == {"name": name, "rentals": int(target[3]) + PLANTED}
    assert name not in [s["name"] for s in mapo["top_stations"]]


def test_ranks_per_station_and_per_resident_from_the_raw_file(mapo, shared_datasets):
    """Total rentals mostly count a district's stations: the headline ranks per station and per resident.
    Stations are the distinct station numbers of the month's raw rows ('NNN. name'; a row without a number,
    성동구 'AS센터', is a repair centre, not a station, and counts in neither); residents the 2025 Q1
    registered population."""
    from datalit import data

    rows, totals = _october(shared_datasets)
    stations: dict[str, set] = {}
    numbered: dict[str, int] = {}
    for r in rows:
        if re.match(r"^\d+\.", r[1]):
            stations.setdefault(r[0], set()).add(r[1].split(".")[0])
            numbered[r[0]] = numbered.get(r[0], 0) + int(r[3])
    per_station = {g: numbered[g] / len(s) for g, s in stations.items()}
    assert mapo["per_station_rank"] == 1 + sum(v > per_station["마포구"] for v in per_station.values())
    ages = data.load("seoul_population_by_dong_age_2025q1", "by_age")
    residents = ages[ages["period"] == "2025.1/4"].groupby("gu")["population"].sum()
    assert mapo["residents"] == residents["마포구"]
    per_1k = {g: totals[g] / residents[g] * 1000 for g in totals}
    assert abs(mapo["rentals_per_1k"] - per_1k["마포구"]) < 1e-9
    assert mapo["per_resident_rank"] == 1 + sum(v > per_1k["마포구"] for v in per_1k.values())
    assert abs(mapo["pooled_per_1k"] - sum(totals.values()) / residents.sum() * 1000) < 1e-9
