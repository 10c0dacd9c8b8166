"""seoul_admin_dong_codes against its SOURCE.md: 424 dongs, codes as zero-padded text, 96 inflow codes."""
from datalit import data
from datalit.data.readers.common import GU_NAMES

DS = "seoul_admin_dong_codes"


def test_dong_codes_rows_columns_and_first_row():
    codes = data.load(DS)
    assert list(codes.columns) == list(data.labels(DS))
    assert len(codes) == 424 and set(codes["gu"]) == set(GU_NAMES)
    assert codes["kostat_code"].str.fullmatch(r"\d{7}").all() and codes["adm_code8"].str.fullmatch(r"\d{8}").all()
    assert codes["kostat_code"].is_unique and codes["adm_code8"].is_unique
    # raw row 3: 1101053 (number), '11110530' (text), 서울, 종로구, 사직동
    first = codes.iloc[0]
    assert (first["kostat_code"], first["adm_code8"], first["gu"], first["gu_code"], first["dong"]) == (
        "1101053", "11110530", "종로구", "11110", "사직동")
    assert "종로1·2·3·4가동" in set(codes["dong"])
    assert sorted(codes.loc[codes["dong"] == "신사동", "gu"]) == ["강남구", "관악구"]


def test_codes_join_the_2021_boundaries():
    codes = data.load(DS)
    adm = data.load("seoul_dong_boundaries")
    merged = codes.merge(adm, on="kostat_code", suffixes=("", "_geo"))
    assert len(merged) == 423  # the 2021 split of one dong (1117068) is the only code missing
    assert (merged["gu"] == merged["gu_geo"]).all() and (merged["dong"] == merged["dong_geo"]).all()
    differ = merged[merged["adm_code10"].str[:8] != merged["adm_code8"]]
    # the 8-digit MOIS codes of six 강북구 dongs differ between the two vintages (see quirks)
    assert sorted(differ["dong"]) == ["번1동", "번2동", "번3동", "수유1동", "수유2동", "수유3동"]


def test_inflow_codes():
    inflow = data.load(DS, "inflow_codes")
    assert list(inflow.columns) == list(data.labels(DS, "inflow_codes"))
    assert len(inflow) == 96 and inflow["region_code"].str.fullmatch(r"\d{5}").all()
    seoul = inflow[inflow["region_code"].str.startswith("11")]
    assert dict(zip(seoul["region_code"], seoul["city"]))["11110"] == "종로구" and len(seoul) == 25
    assert inflow.loc[inflow["region_code"] == "52000", "city"].isna().all()
