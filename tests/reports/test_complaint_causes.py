"""complaint_causes on the real petitions: the counts, growth, keywords and quotes it prints match an
independent count from the raw zip (not the datalit reader, not the notebook's code); 코로나/코로나19 are one
term (Kiwi nouns); the report says topics, not causes, and what a cause would need; known answer: 300
petitions on one topic planted in a copy of the zip raise that category by 300 and put the topic first;
bad parameters are refused before a kernel starts, with the allowed values listed."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from knownanswer import copy_dataset, run
from reportkit import assert_refused_before_kernel, cli, html_text


pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "complaint_causes"


@pytest.fixture(scope="module")
def raw(shared_datasets):
    """The titles csv straight from the zip: petitions with 100+ agreements, one row per id."""
    path = shared_datasets / "korea_petitions_categorized" / "petition_titles_2019-2021_data.zip"
    with zipfile.ZipFile(path) as z:
        df = pd.read_csv(z.open("data/petition_data.csv"), encoding="utf-8-sig")
    df = df.drop_duplicates("id")
    df = df[df["numOfAgrees"] >= 100].copy()
    df["month"] = pd.to_datetime(df["expiryDate"]).dt.strftime("%Y-%m")
    df["title"] = df["title"].fillna("").astype(str).str.split("\n").str[0].str.split().str.join(" ")
    return df


def _run(repo, tmp_path_factory, **params):
    out = tmp_path_factory.mktemp("cc")
    args = [a for k, v in params.items() for a in ("-p", k, v)]
    result = cli("run", str(repo / "reports" / f"{NB}.ipynb"), *args, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return html_text(out / f"{NB}.html"), (out / f"{NB}.html").read_text(encoding="utf-8"), out


@pytest.fixture(scope="module")
def welfare(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, category="보건복지", period="2020-03..2020-05")


@pytest.fixture(scope="module")
def everything(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, category="전체", period="2020-09")


def _between(df, lo, hi):
    return df[(df["month"] >= lo) & (df["month"] <= hi)]


def test_counts_and_growth_against_a_year_earlier(welfare, raw):
    text, _, _ = welfare
    cat = raw[raw["category"] == "보건복지"]
    now, before = _between(cat, "2020-03", "2020-05"), _between(cat, "2019-03", "2019-05")
    growth = (len(now) / len(before) - 1) * 100
    assert len(now) > len(before) > 0
    assert (f"기간 2020-03~2020-05: 청원 {len(now):,}건 , 1년 전 같은 달(2019-03~2019-05) {len(before):,}건 "
            f"→ 증감 {growth:+.1f}% ({len(now) - len(before):+,}건)") in text
    assert f"기간 {now['numOfAgrees'].sum():,} , 1년 전 {before['numOfAgrees'].sum():,}" in text
    assert "청원 주제 분석(원인 분석의 첫 단계) — 보건복지, 2020-03..2020-05" in text   # title block with the parameters
    assert "자기 선택 표본" in text and "서울시 민원 대장" in text            # limits section
    assert "데이터 출처" in text and "청와대 국민청원" in text


def test_keywords_are_words_of_the_period_titles(welfare, raw):
    _, page, _ = welfare
    cat = raw[raw["category"] == "보건복지"]
    now, before = _between(cat, "2020-03", "2020-05"), _between(cat, "2019-03", "2019-05")
    table = page[page.index("TF-IDF</th>"):]
    rows = re.findall(r"<th>([^<]+)</th>\s*<td>([\d.]+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>",
                      table)[:15]
    assert len(rows) == 15
    grew = 0
    for term, _score, n_now, n_before, agree in rows:
        in_now = now[now["title"].str.lower().str.contains(term, regex=False)]
        in_before = before["title"].str.lower().str.contains(term, regex=False).sum()
        # a title holding the word holds it as text: the report can count no more than that
        assert 0 < int(n_now) <= len(in_now), term
        assert int(n_before) <= in_before, term
        assert int(agree) <= in_now["numOfAgrees"].sum(), term
        grew += len(in_now) > in_before
    assert grew >= 12            # the topics behind the growth: (almost) all are more frequent than a year before


def test_most_agreed_petition_is_quoted(welfare, everything, raw):
    text, _, _ = welfare
    top = _between(raw[raw["category"] == "보건복지"], "2020-03", "2020-05").nlargest(1, "numOfAgrees").iloc[0]
    assert f"“{top['title']}” — 보건복지, 마감 {top['expiryDate'][:10]}, 동의 {top['numOfAgrees']:,}명" in text
    text, _, _ = everything
    top = _between(raw, "2020-09", "2020-09").nlargest(1, "numOfAgrees").iloc[0]
    assert f"“{top['title']}” — {top['category']}, 마감 {top['expiryDate'][:10]}" in text


def test_all_categories_ranked_by_growth(everything, raw):
    text, _, _ = everything
    now = _between(raw, "2020-09", "2020-09").groupby("category").size()
    before = _between(raw, "2019-09", "2019-09").groupby("category").size()
    diff = now.sub(before, fill_value=0).sort_values(ascending=False, kind="stable")
    assert f"{len(diff)}개 분야 중 {int((diff > 0).sum())}개 가 늘었습니다" in text
    first = diff.index[0]
    assert f"가장 많이 늘어난 분야: {first} ({int(diff.iloc[0]):+,}건)" in text
    assert f"청원 {now.sum():,}건 , 1년 전 같은 달(2019-09) {before.sum():,}건" in text


def test_corona_is_one_term_and_topics_are_not_called_causes(welfare, raw):
    text, page, _ = welfare
    table = page[page.index("TF-IDF</th>"):page.index("</table>", page.index("TF-IDF</th>"))]
    terms = re.findall(r"<th>([^<]+)</th>\s*<td>[\d.]+</td>", table)
    assert "코로나" in terms and "코로나19" not in terms and "19" not in terms, terms
    n_now = int(re.search(r"<th>코로나</th>\s*<td>[\d.]+</td>\s*<td>(\d+)</td>", table).group(1))
    titles = _between(raw[raw["category"] == "보건복지"], "2020-03", "2020-05")["title"]
    assert n_now >= 0.95 * titles.str.contains("코로나").sum()        # 코로나19, 코로나바이러스 … counted as 코로나
    assert re.search(r"주제\s*이지\s*원인\s*이 아닙니다", text), text[:1500]
    assert "원인이라고 말하려면" in text and "늘기 전에 일어난" in text
    assert text.lstrip().startswith("청원 주제 분석")                 # the title says topics


def test_rule_change_caveat_the_months_just_before_and_top_five_share(repo, tmp_path_factory, raw):
    """Stat review: the default's base (2019-03~05) straddles the board's rule change (2019-05), so '+70.9%'
    mixes COVID with a changed regime. The headline warns, and gives the change against the three months
    just before (same rules) and how much of the agreements the five biggest petitions hold, all recomputed
    from the raw zip."""
    text, _, out = _run(repo, tmp_path_factory)                            # the defaults: 전체, 2020-03..2020-05
    found = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["findings"]
    now, prior = _between(raw, "2020-03", "2020-05"), _between(raw, "2019-12", "2020-02")
    assert found["prior_months"] == ["2019-12", "2020-01", "2020-02"] and found["prior"] == len(prior)
    assert f"바로 앞 3개월(2019-12~2020-02): {len(prior):,}건 → 증감 {(len(now) / len(prior) - 1) * 100:+.1f}%" in text
    assert found["rule_change_in_base"] == ["2019-03", "2019-04", "2019-05"]
    assert "게시판 공개 규칙이 바뀐 2019년 5월과 겹치거나 그 전입니다" in text
    share = now.nlargest(5, "numOfAgrees")["numOfAgrees"].sum() / now["numOfAgrees"].sum() * 100
    assert abs(found["top5_agree_share_pct"] - share) < 1e-9
    assert f"동의가 가장 많은 5건이 기간 합계의 {share:.0f}%" in text


def test_user_dictionary_keeps_one_topic_one_term(welfare, everything):
    """'바이러스' was the second half of '코로나 바이러스' (a redundant keyword), 'n번방' came out as n + 방."""
    from kiwipiepy import Kiwi

    from datalit.reports import text_index

    _, page, _ = welfare
    table = page[page.index("TF-IDF</th>"):page.index("</table>", page.index("TF-IDF</th>"))]
    terms = re.findall(r"<th>([^<]+)</th>\s*<td>[\d.]+</td>", table)
    assert "코로나" in terms and "바이러스" not in terms, terms
    assert text_index.korean_nouns(["코로나 바이러스 검사", "코로나바이러스 확산", "N번방 방지법", "무법천지만은 막아 주십시오",
                                    "중국 바이러스 연구소"]) == [
        ["코로나", "검사"], ["코로나", "확산"], ["n번방", "방지법"], ["무법천지"], ["중국", "바이러스", "연구소"]]
    plain = [t.form for t in Kiwi().tokenize("N번방 방지법") if t.tag in text_index.NOUN_TAGS]
    assert "n번방" not in [f.lower() for f in plain]                 # without the dictionary Kiwi splits it


PLANTED_TOPIC = "드론"


def test_known_answer_planted_topic(repo, shared_datasets, tmp_path, everything):
    real_page = everything[1]
    real_terms = re.findall(r"<th>([^<]+)</th>\s*<td>[\d.]+</td>", real_page[real_page.index("TF-IDF</th>"):])
    assert PLANTED_TOPIC not in real_terms[:15]
    folder = copy_dataset(shared_datasets, tmp_path / "data", "korea_petitions_categorized")
    path = folder / "petition_titles_2019-2021_data.zip"
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    rows = members["data/petition_data.csv"].decode("utf-8-sig").rstrip("\n") + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i in range(300):
        writer.writerow([f"{990000 + i}.0", "안전/환경", f"{PLANTED_TOPIC} 비행 소음을 막아 주세요 {i + 1}", "2020-09-15", "150"])
    members["data/petition_data.csv"] = ("\ufeff" + rows + out.getvalue()).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    real = json.loads((everything[2] / "manifest.json").read_text(encoding="utf-8"))["findings"]
    got = run(repo, NB, tmp_path / "out", data_root=tmp_path / "data", category="전체", period="2020-09")["findings"]
    assert got["by_category"]["안전/환경"]["now"] == real["by_category"]["안전/환경"]["now"] + 300
    assert got["by_category"]["안전/환경"]["before"] == real["by_category"]["안전/환경"]["before"]
    assert got["now"] == real["now"] + 300
    top = got["keywords"][0]
    assert top["term"] == PLANTED_TOPIC and top["now"] >= 300 and top["before"] == 0, got["keywords"][:3]


@pytest.mark.parametrize("pairs, words", [
    (["category", "보건"], ["허용되지 않습니다", "보건복지", "정치개혁", "전체"]),
    (["period", "2019-03..2019-05"], ["허용 범위 밖", "2020-02 .. 2020-12"]),
    (["period", "2020-06..2020-03"], ["기간(YYYY-MM..YYYY-MM)", "2020-02 .. 2020-12"]),
])
def test_bad_parameters_refused_before_a_kernel(repo, tmp_path, pairs, words):
    assert_refused_before_kernel(repo / "reports" / f"{NB}.ipynb", pairs, words, tmp_path / "out")
