"""seoul_population_by_dong_2021q2 against its SOURCE.md: 425 dongs, 25 gu subtotals, '.' -> '·'."""
from datalit import data
from datalit.data.readers.common import GU_NAMES

DS = "seoul_population_by_dong_2021q2"


def test_dong_rows_columns_and_totals():
    dong = data.load(DS)
    assert list(dong.columns) == list(data.labels(DS))
    assert len(dong) == 425 and not dong["dong"].isin(["소계", "합계"]).any()
    assert dong["population"].dtype == "int64" and dong["persons_per_household"].dtype == "float64"
    # SOURCE.md: Seoul 2021 Q2 = 9,795,426 persons, 229,436 foreigners, 1,576,971 aged 65+
    assert dong["population"].sum() == 9795426
    assert dong["foreigners"].sum() == 229436 and dong["aged_65_plus"].sum() == 1576971
    assert not dong.duplicated(["gu", "dong"]).any() and dong["dong"].duplicated().any()  # 신사동 twice


def test_known_dong_row_and_dot_normalisation():
    dong = data.load(DS).set_index(["gu", "dong"])
    # raw line 5: 2021.2/4  종로구  사직동  4,674  9,636  4,380  5,256 ... 2  1,761
    row = dong.loc[("종로구", "사직동")]
    assert (row["households"], row["population"], row["population_female"], row["aged_65_plus"]) == (4674, 9636, 5256, 1761)
    assert ("종로구", "종로1·2·3·4가동") in dong.index and not dong.index.get_level_values(1).str.contains(".", regex=False).any()


def test_gu_subtotals_add_up():
    gu = data.load(DS, "gu")
    dong = data.load(DS)
    assert list(gu.columns) == list(data.labels(DS, "gu"))
    assert sorted(gu["gu"]) == sorted(GU_NAMES)
    # raw 소계 row of 종로구: 73,525 households, 155,106 persons
    jongno = gu.set_index("gu").loc["종로구"]
    assert (jongno["households"], jongno["population"]) == (73525, 155106)
    assert dong.groupby("gu")["population"].sum().to_dict() == gu.set_index("gu")["population"].to_dict()
