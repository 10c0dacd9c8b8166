"""seoul_citizen_proposals against its SOURCE.md: adopted (336 raw rows) and free (4,002) proposals."""
import pandas as pd

from datalit import data

DATASET = "seoul_citizen_proposals"


def test_adopted_proposals_with_department_label():
    ad = data.load(DATASET)  # default table: adopted
    assert list(ad.columns) == list(data.labels(DATASET))
    assert len(ad) == 334 and ad["proposal_id"].is_unique
    assert isinstance(ad["department"].dtype, pd.CategoricalDtype)
    assert ad["department"].nunique() == 110 and ad["department"].isna().sum() == 55
    assert ad["department"].value_counts()["총무과"] == 12
    assert pd.api.types.is_datetime64_any_dtype(ad["registered_at"])
    first = ad.iloc[0]  # first data row of the workbook
    assert first["proposal_id"] == 178897
    assert first["title"] == "대중교통(시내버스 내) TV모니터로 폭우 및 폭설에 대한 공익광고 실시"
    assert first["registered_at"] == pd.Timestamp("2017-07-31 16:17:34")
    assert first["content"].startswith("▣ 현황 및 문제점\n\n서울시 전 지역을 운행하는 대중교통(시내버스)")
    assert first["content_html"].startswith("<!--StartFragment-->")
    body = ad["content"].dropna()
    assert not body.str.contains(r"<[a-zA-Z/!?]|&nbsp;|&#\d+;|StartFragment|mso-", regex=True).any()
    quoted = ad.set_index("proposal_id").loc[176436]
    assert quoted["title"].startswith("'공공인프라 공사 시작 전") and quoted["department"] == "토목부"
    lamp = ad.set_index("proposal_id").loc[171692, "expert_opinion"]
    assert lamp.startswith("청계천변 가로등과 관련된 의견을 주셨습니다.") and "\n\n청계천은 깨끗한 물이" in lamp


def test_free_proposals_votes_and_text():
    fr = data.load(DATASET, "free")
    assert list(fr.columns) == list(data.labels(DATASET, "free"))
    assert len(fr) == 4002 and fr["proposal_id"].is_unique
    assert fr["votes"].dtype == "int64" and fr["votes"].max() == 619
    assert fr["content"].isna().sum() == 95
    top = fr.set_index("proposal_id").loc[184557]
    assert top["votes"] == 619 and top["registered_at"] == pd.Timestamp("2019-05-29 02:35:14")
    assert fr.iloc[0]["proposal_id"] == 185171 and fr.iloc[0]["votes"] == 10
    assert fr["registered_at"].min() == pd.Timestamp("2017-09-01 15:30:35")
    styled = fr[fr["content_html"].str.contains("<style", na=False)]
    assert len(styled) == 2 and not styled["content"].str.contains("p.p1").any()
    assert not fr["title"].str.contains("&#39;|&#34;", regex=True).any()


def test_html_to_text_on_small_fixture():
    from datalit.data.readers.proposals import html_to_text

    markup = ('<!--StartFragment--><style>p.p1 {font: 12px}</style><P class=바탕글>'
              '<SPAN>&nbsp;&nbsp;첫 문단&#39;s</SPAN></P>\n<p>둘째<br>줄<o:p></o:p></p>')
    assert html_to_text(markup) == "첫 문단's\n\n둘째\n줄"
    assert html_to_text(None) is None and html_to_text("<p> </p>") is None
