"""korea_petitions_categorized against its SOURCE.md: full texts (3,691) and titles (85,856 raw rows)."""
import pandas as pd

from datalit import data

DATASET = "korea_petitions_categorized"


def test_full_text_petitions():
    pet = data.load(DATASET)  # default table: petitions
    assert len(pet) == 3691
    assert list(pet.columns) == list(data.labels(DATASET))
    assert isinstance(pet["category"].dtype, pd.CategoricalDtype)
    assert len(pet["category"].cat.categories) == 17
    counts = pet["category"].value_counts()
    assert (counts["기타"], counts["육아/교육"], counts["저출산/고령화대책"]) == (419, 413, 34)
    assert pet["status"].value_counts().to_dict() == {"청원종료": 3668, "브리핑": 23}
    assert pd.api.types.is_datetime64_any_dtype(pet["begin"]) and pet["num_agree"].dtype == "int64"
    assert pet["begin"].dt.strftime("%Y-%m").value_counts().to_dict() == {
        "2017-08": 662, "2019-04": 494, "2019-05": 714, "2019-06": 572, "2019-07": 610, "2019-08": 639,
    }
    assert (pet["content"] == "").sum() == 23 and pet["content"].notna().all()
    first = pet.iloc[0]  # first line of petitions_2017-08
    assert (first["petition_id"], first["category"], first["num_agree"]) == (510, "육아/교육", 88)
    assert first["title"] == "학교는 인력센터, 취업센터가 아닙니다. 정말 간곡히 부탁드립니다."
    assert first["begin"] == pd.Timestamp("2017-08-25")
    top = pet.loc[pet["num_agree"].idxmax()]
    assert (top["petition_id"], top["num_agree"], top["category"]) == (579682, 1831900, "정치개혁")


def test_titles_cleaned():
    tit = data.load(DATASET, "titles")
    assert len(tit) == 85856 - 3 and tit["petition_id"].is_unique
    assert list(tit.columns) == list(data.labels(DATASET, "titles"))
    assert tit["petition_id"].dtype == "int64" and tit["num_agree"].dtype == "int64"
    counts = tit["category"].value_counts()
    assert (counts["정치개혁"], counts["농산어촌"]) == (14597, 535)
    first = tit.iloc[0]
    assert (first["petition_id"], first["category"], first["num_agree"]) == (449459, "교통/건축/국토", 319)
    assert first["title"] == "불법건축물 양성화 특별법 발의 청원"
    assert first["expiry_date"] == pd.Timestamp("2021-01-20")
    by_id = tit.set_index("petition_id")
    assert by_id.loc[403154, "title"] == "우리 아들 **이의 억울함을 풀어주세요."  # was a whole scraped page
    assert by_id.loc[447489, "title"] == "초등학교1학년 엄마입니다. 이시국에 매일등교 라니요..."
    assert not tit["title"].str.contains(r"[\r\n\t]|  ", regex=True).any()
    assert (tit["title"] == "").sum() == 8
    assert tit["expiry_date"].min() == pd.Timestamp("2019-01-20")
