"""seoul_cctv_by_gu against its SOURCE.md: 25 districts, known values from the raw files."""
from datalit import data


def test_cctv_rows_columns_and_known_values():
    frame = data.load("seoul_cctv_by_gu")
    assert len(frame) == 25
    assert list(frame.columns) == [c for c in data.labels("seoul_cctv_by_gu")]
    assert frame["cctv_total"].dtype == "int64"
    gangnam = frame.set_index("gu").loc["강남구"]
    assert (gangnam["cctv_total"], gangnam["cctv_until_2013"], gangnam["cctv_2016"]) == (2780, 1292, 932)


def test_population_drops_total_row_and_parses_numbers():
    pop = data.load("seoul_cctv_by_gu", "population")
    assert len(pop) == 25 and "합계" not in set(pop["gu"])
    jongno = pop.set_index("gu").loc["종로구"]
    assert jongno["population"] == 162820 and jongno["aged_65_plus"] == 25425
    assert abs(jongno["persons_per_household"] - 2.11) < 1e-9
