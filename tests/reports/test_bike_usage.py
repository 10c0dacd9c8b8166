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
