"""seoul_crime_by_police_station against its SOURCE.md: 31 stations mapped to the 25 gu."""
from datalit import data
from datalit.data.readers.common import GU_NAMES

DS = "seoul_crime_by_police_station"


def test_stations_rows_columns_and_separators():
    st = data.load(DS)
    assert list(st.columns) == list(data.labels(DS))
    assert len(st) == 31 and st["station"].is_unique
    assert st["theft_reported"].dtype == "int64"
    # raw CP949 line 2: 중부서,2,2,3,2,105,65,"1,395",477,"1,355","1,170"
    jungbu = st.set_index("station").loc["중부서"]
    assert (jungbu["gu"], jungbu["murder_reported"], jungbu["theft_reported"], jungbu["violence_cleared"]) == (
        "중구", 2, 1395, 1170)


def test_every_gu_has_a_station_and_only_gangseo_differs_from_the_book():
    st = data.load(DS)
    assert set(st["gu"]) == set(GU_NAMES)
    differs = st[st["gu"] != st["gu_book"]]
    assert differs[["station", "gu", "gu_book"]].values.tolist() == [["강서서", "강서구", "양천구"]]


def test_by_gu_sums_and_joins_with_cctv():
    by_gu = data.load(DS, "by_gu")
    st = data.load(DS)
    assert list(by_gu.columns) == list(data.labels(DS, "by_gu"))
    assert len(by_gu) == 25 and by_gu["station_count"].sum() == 31
    gangnam = by_gu.set_index("gu").loc["강남구"]
    # 강남서 300 + 수서서 149 rapes reported (raw rows)
    assert gangnam["stations"] == "강남서+수서서" and gangnam["rape_reported"] == 449
    assert by_gu["theft_reported"].sum() == st["theft_reported"].sum()
    cctv = data.load("seoul_cctv_by_gu")
    assert len(by_gu.merge(cctv, on="gu", validate="one_to_one")) == 25
