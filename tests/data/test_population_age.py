"""seoul_population_by_dong_age_2025q1 against its SOURCE.md: cut-off last line, '-', gu from row order."""
from datalit import data
from datalit.data.readers.common import GU_NAMES

DS = "seoul_population_by_dong_age_2025q1"


def test_by_age_rows_columns_and_dtypes():
    age = data.load(DS)
    assert list(age.columns) == list(data.labels(DS))
    assert len(age) == 17892 == 2 * 426 * 21  # 28,116 lines = 426 dongs x 22 ages x 3 items, 2 quarters
    assert set(age["period"]) == {"2024.4/4", "2025.1/4"} and set(age["gu"]) == set(GU_NAMES)
    assert age["age_group"].cat.ordered and list(age["age_group"].cat.categories)[:2] == ["0~4세", "5~9세"]
    assert age["population"].dtype == "int64" and age["age_to"].isna().sum() == 2 * 426
    assert (age["population"] == age["korean"] + age["foreigners"]).all()


def test_known_values_first_and_cut_off_last_line():
    age = data.load(DS).set_index(["period", "gu", "dong", "age_group"])
    # line 5: "사직동","0~4세","계","","163","155",
    assert age.loc[("2024.4/4", "종로구", "사직동", "0~4세"), "population"] == 163
    assert age.loc[("2025.1/4", "종로구", "사직동", "0~4세"), "population"] == 155
    # cut-off last line: "상일2동","100세 이상","등록외국인","","-","-   ('-' = 0)
    last = age.loc[("2025.1/4", "강동구", "상일2동", "100세 이상")]
    assert last["foreigners"] == 0 and last["population"] == 4


def test_dong_total_and_gu_recovery():
    tot = data.load(DS, "dong_total")
    assert list(tot.columns) == list(data.labels(DS, "dong_total")) and len(tot) == 852
    q1 = tot[tot["period"] == "2025.1/4"]
    assert q1["population"].sum() == 9602826 and q1["foreigners"].sum() == 267092
    first = q1.set_index(["gu", "dong"]).loc[("종로구", "사직동")]
    assert (first["population"], first["korean"], first["foreigners"]) == (9177, 8937, 240)
    assert sorted(q1.loc[q1["dong"] == "신사동", "gu"]) == ["강남구", "관악구"]
    gu_of = q1.drop_duplicates("dong", keep=False).set_index("dong")["gu"]
    assert (gu_of["항동"], gu_of["개포3동"], gu_of["상일2동"]) == ("구로구", "강남구", "강동구")
    age = data.load(DS)
    summed = age.groupby(["period", "gu", "dong"])["population"].sum()
    assert summed.to_dict() == tot.set_index(["period", "gu", "dong"])["population"].to_dict()
