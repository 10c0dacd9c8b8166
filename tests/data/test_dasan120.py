"""seoul_120_dasan_faq_text against its SOURCE.md: 2,645 texts, 10 category labels."""
import pandas as pd

from datalit import data

DATASET = "seoul_120_dasan_faq_text"


def test_faq_text_frame_with_labels():
    faq = data.load(DATASET)
    assert len(faq) == 2645
    assert list(faq.columns) == list(data.labels(DATASET))
    assert faq["id"].dtype == "int64" and faq["content_id"].dtype == "int64"
    assert isinstance(faq["category"].dtype, pd.CategoricalDtype)
    counts = faq["category"].value_counts()
    assert counts.to_dict() == {
        "행정": 1098, "경제": 823, "복지": 217, "환경": 124, "주택도시계획": 110,
        "문화관광": 96, "교통": 90, "안전": 51, "건강": 23, "여성가족": 13,
    }
    assert faq["id"].is_unique and (faq["content_id"].min(), faq["content_id"].max()) == (2894089, 23734948)
    assert faq["text"].notna().all() and (faq["text"] == "").sum() == 5
    assert not faq["text"].str.contains("  ").any()


def test_known_rows_and_district_prefix():
    faq = data.load(DATASET).set_index("id")
    first = faq.loc[2645]  # first data line of the raw csv
    assert (first["category"], first["title"], first["content_id"]) == ("복지", "아빠 육아휴직 장려금", 23522464)
    assert first["text"].startswith("업무개요 남성근로자의 육아휴직을 장려하고")
    assert pd.isna(first["gu"]) and first["url"] == "https://opengov.seoul.go.kr/civilappeal/23522464"
    last = faq.loc[1]
    assert last["title"] == "폐기대상 문서의 폐기는 어떻게 하나요?" and last["category"] == "환경"
    by_title = faq.set_index("title")["gu"]
    assert by_title["(강북구) 정비중"] == "강북구"
    assert by_title['[성동구] 반려동물 "무료상담실" 운영 안내'] == "성동구"
    assert by_title["종로구립 박노수미술관"] == "종로구"
    assert pd.isna(by_title["구의아리수정수센터 견학 안내 (구. 구의 정수장 문화재, 구의 문화재)"])
    assert faq["gu"].notna().sum() == 133
