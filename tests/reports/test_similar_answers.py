"""similar_answers on the real 120 FAQ and adopted proposals: the ranking and scores it prints match a
TF-IDF written out by hand here (character 2-3-grams inside words, sublinear tf, smooth idf, cosine);
a question like none in the data gets "관련 답변이 없어요" and no answer; the default question is one the
corpus answers; the index is fitted once and reused; known answer: a Q&A planted in a copy of the FAQ
turns "no related answer" into that answer; bad parameters are refused before a kernel starts."""
from __future__ import annotations

import csv
import html
import json
import math
import re
from collections import Counter

import pytest
from knownanswer import copy_dataset, run
from reportkit import assert_refused_before_kernel, cli, html_text

from datalit import data

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "similar_answers"


def grams(text: str) -> Counter:
    """Character 2- and 3-grams of each word padded with one space on both sides (lower case)."""
    out = Counter()
    for word in text.lower().split():
        w = f" {word} "
        for n in (2, 3):
            out.update(w[i:i + n] for i in range(len(w) - n + 1))
    return out


def rank(question: str) -> list[tuple[float, str, str]]:
    """(similarity, title, answerer) of every document, best first: TF-IDF by hand."""
    faq = data.load("seoul_120_dasan_faq_text", "faq")
    adopted = data.load("seoul_citizen_proposals", "adopted")
    adopted = adopted[adopted["department_opinion"].fillna("").str.strip() != ""]
    docs = [(t + " " + a[:200], t, f"120다산콜재단 (분류: {c})")
            for t, a, c in zip(faq["title"], faq["text"], faq["category"].astype(str))]
    docs += [(t + " " + (b if isinstance(b, str) else "")[:200], t, d if isinstance(d, str) else "담당부서 미기재")
             for t, b, d in zip(adopted["title"], adopted["content"], adopted["department"].astype(object))]
    counts = [grams(d) for d, _, _ in docs]
    df = Counter(g for c in counts for g in c)
    idf = {g: math.log((1 + len(docs)) / (1 + k)) + 1 for g, k in df.items()}

    def vector(c):
        v = {g: (1 + math.log(n)) * idf[g] for g, n in c.items() if g in idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    q = vector(grams(question))
    scored = []
    for c, (_, title, who) in zip(counts, docs):
        d = vector(c)
        scored.append((sum(x * d.get(g, 0.0) for g, x in q.items()), title, who))
    return sorted(scored, key=lambda s: -s[0])


def _run(repo, tmp_path_factory, question):
    out = tmp_path_factory.mktemp("sa")
    result = cli("run", str(repo / "reports" / f"{NB}.ipynb"), "-p", "question", question, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return html.unescape(html_text(out / f"{NB}.html"))   # the text a reader sees


@pytest.fixture(scope="module")
def bikes(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, "따릉이 대여소를 늘려 주세요")


@pytest.fixture(scope="module")
def lunch(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, "오늘 점심 메뉴 추천해 주세요")


def test_ranking_scores_and_answerers_match_a_hand_made_tfidf(bikes):
    expected = rank("따릉이 대여소를 늘려 주세요")[:5]
    assert expected[0][0] >= 0.2 > expected[1][0]                 # exactly one past question passes the bar
    table = bikes[bikes.index("순위 1"):]
    for i, (score, title, who) in enumerate(expected, start=1):
        row = f"{i} {score:.3f} "
        assert row in table, row
        after = table[table.index(row):]
        assert after.index(title) < after.index(who) < 300, (title, who)
    best = expected[0]
    assert f"가장 비슷한 질문: “{best[1]}” (유사도 {best[0]:.3f}" in bikes and f"답변한 곳: {best[2]}" in bikes


def test_published_answer_of_the_best_match_is_quoted(bikes):
    adopted = data.load("seoul_citizen_proposals", "adopted")
    best = rank("따릉이 대여소를 늘려 주세요")[0]
    answer = adopted.loc[adopted["title"] == best[1], "department_opinion"].iloc[0]
    words = re.sub(r"\s+", " ", answer.strip())[:120]
    assert words in bikes
    assert "유사 민원 답변 찾기 — “따릉이 대여소를 늘려 주세요”" in bikes        # title block with the question
    assert "데이터 출처" in bikes and "120다산콜재단" in bikes and "민주주의 서울" in bikes


def test_nothing_similar_enough_warns_and_quotes_nothing(lunch):
    best = rank("오늘 점심 메뉴 추천해 주세요")[0][0]
    assert best < 0.2
    assert f"관련 답변이 없어요. 가장 비슷한 질문의 유사도({best:.3f})가 기준(0.20)보다 낮습니다" in lunch
    assert "관련 답변이 없어요. 기준(유사도 0.20)을 넘은 질문이 없어 답변을 옮기지 않습니다" in lunch


def test_default_question_is_one_the_corpus_answers(repo, tmp_path):
    found = run(repo, NB, tmp_path / "out")["findings"]           # no parameters: the template's defaults
    expected = rank(found["question"])[:5]
    assert found["answered"] and found["best_score"] >= found["min_score"]
    passing = [m for m in found["matches"] if m["score"] >= found["min_score"]]
    assert len(passing) >= 2 and all("소화기" in m["question"] for m in passing), passing
    assert [round(m["score"], 3) for m in found["matches"]] == [round(e[0], 3) for e in expected]


def test_index_fitted_once_per_batch(repo, tmp_path):
    """A batch of two questions on the same corpus, in a fresh cache: one fitted index, written once."""
    cache = tmp_path / "cache"
    result = cli("batch", str(repo / "reports" / f"{NB}.ipynb"), "--each", "question=소화기는 어떻게 사용하나요?,따릉이 대여소",
                 "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress", env={"DATALIT_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stdout + result.stderr
    indexes = sorted((cache / "reports").glob("tfidf-*.pkl"))
    assert len(indexes) == 1, indexes
    assert not list((cache / "reports").glob("*.tmp"))


PLANTED = ["9999", "안전", "한강공원 드론 비행 승인은 어디에 신청하나요",
           "(시험용으로 심은 답변) 드론 비행 승인 신청 안내: 한강공원 드론 비행은 관할 기관의 승인을 받아야 합니다.", "9999"]
QUESTION = "한강공원에서 드론 비행 승인을 받으려면 어디에 신청하나요"


def test_known_answer_planted_faq_is_found(repo, shared_datasets, tmp_path):
    real = run(repo, NB, tmp_path / "real", question=QUESTION, source="120다산콜 FAQ")["findings"]
    assert not real["answered"]                                     # the real corpus has no such answer
    folder = copy_dataset(shared_datasets, tmp_path / "data", "seoul_120_dasan_faq_text")
    with open(folder / "seoul-120-text.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(PLANTED)
    out = tmp_path / "planted"
    got = run(repo, NB, out, data_root=tmp_path / "data", question=QUESTION, source="120다산콜 FAQ")["findings"]
    assert got["answered"] and got["matches"][0]["question"] == PLANTED[2], got["matches"][:2]
    assert got["best_score"] >= 0.4
    page = html.unescape(html_text(out / f"{NB}.html"))
    assert "시험용으로 심은 답변" in page and "관련 답변이 없어요" not in page
    assert json.loads((out / "manifest.json").read_text())["data_files"]["seoul_120_dasan_faq_text/seoul-120-text.csv"] \
        != json.loads((tmp_path / "real" / "manifest.json").read_text())["data_files"]["seoul_120_dasan_faq_text/seoul-120-text.csv"]


@pytest.mark.parametrize("pairs, words", [
    (["source", "120"], ["허용되지 않습니다", "120다산콜 FAQ", "민주주의 서울 채택제안", "전체"]),
    (["min_score", "1.5"], ["허용 범위 밖", "0.05 .. 0.95"]),
    (["top_n", "다섯"], ["정수", "1 .. 20"]),
])
def test_bad_parameters_refused_before_a_kernel(repo, tmp_path, pairs, words):
    assert_refused_before_kernel(repo / "reports" / f"{NB}.ipynb", pairs, words, tmp_path / "out")
