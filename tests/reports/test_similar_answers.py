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
from datalit.reports.answer_match import strip_boilerplate

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "similar_answers"
MIN_SCORE = 0.26          # the template's default, calibrated on answer_match.CALIBRATION


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
    counts = [grams(strip_boilerplate(d)) for d, _, _ in docs]     # question boilerplate out, as the report does
    df = Counter(g for c in counts for g in c)
    idf = {g: math.log((1 + len(docs)) / (1 + k)) + 1 for g, k in df.items()}

    def vector(c):
        v = {g: (1 + math.log(n)) * idf[g] for g, n in c.items() if g in idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    q = vector(grams(strip_boilerplate(question)))
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
    table = bikes[bikes.index("순위 1"):]
    for i, (score, title, who) in enumerate(expected, start=1):
        row = f"{i} {score:.3f} "
        assert row in table, row
        after = table[table.index(row):]
        assert after.index(title) < after.index(who) < 300, (title, who)
    # issue 21: the 2016 proposal titled "따릉이" (answered about card registration) was this question's only
    # "match"; at the calibrated threshold it is below the bar and the report says so
    assert expected[0][1] == "따릉이" and expected[0][0] < MIN_SCORE
    assert "관련 답변이 없어요" in bikes and "가장 비슷한 질문:" not in bikes


@pytest.fixture(scope="module")
def fire(repo, tmp_path_factory):
    return _run(repo, tmp_path_factory, "소화기는 어떻게 사용하나요?")


def test_published_answer_of_the_best_match_is_quoted(fire):
    faq = data.load("seoul_120_dasan_faq_text", "faq")
    score, title, who = rank("소화기는 어떻게 사용하나요?")[0]
    assert title == "소화기 사용요령과 관리요령?" and score >= MIN_SCORE
    assert f"가장 비슷한 질문: “{title}” (유사도 {score:.3f}" in fire and f"답변한 곳: {who}" in fire
    answer = faq.loc[faq["title"] == title, "text"].iloc[0]
    words = re.sub(r"\s+", " ", answer.strip())[:120]
    assert words in fire
    assert "유사 민원 답변 찾기 — “소화기는 어떻게 사용하나요?”" in fire        # title block with the question
    assert "데이터 출처" in fire and "120다산콜재단" in fire and "민주주의 서울" in fire


def test_nothing_similar_enough_warns_and_quotes_nothing(lunch):
    best = rank("오늘 점심 메뉴 추천해 주세요")[0][0]
    assert best < MIN_SCORE
    assert f"관련 답변이 없어요. 가장 비슷한 질문의 유사도({best:.3f})가 기준({MIN_SCORE:.2f})보다 낮습니다" in lunch
    assert f"관련 답변이 없어요. 기준(유사도 {MIN_SCORE:.2f})을 넘은 질문이 없어 답변을 옮기지 않습니다" in lunch


def test_default_question_is_one_the_corpus_answers(repo, tmp_path):
    found = run(repo, NB, tmp_path / "out")["findings"]           # no parameters: the template's defaults
    expected = rank(found["question"])[:5]
    assert found["answered"] and found["best_score"] >= found["min_score"]
    passing = [m for m in found["matches"] if m["score"] >= found["min_score"]]
    assert passing[0]["question"] == "소화기 사용요령과 관리요령?" and all("소화기" in m["question"] for m in passing), passing
    # stat review: "인사위원회 임기는 어떻게 되나요?" (unrelated, boilerplate only) sat within 0.05 of the answer
    assert "인사위원회 임기는 어떻게 되나요?" not in [m["question"] for m in found["matches"]]
    assert found["unrelated"] == next(t for _, t, _ in rank(found["question"]) if "소화기" not in t and "사용" not in t)
    assert found["gap_to_unrelated"] > 0.1
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


# Held out: never used to choose the threshold (answer_match.CALIBRATION was). Each question is written as a
# citizen might ask it; the title is the real 120다산콜 FAQ entry that answers it.
HELD_OUT = [
    ("지하수 원상복구 폐공은 어떤 절차로 하나요?", "지하수 원상복구(폐공) 절차는 어떻게 되나요?("),
    ("하수관과 차집관로는 무엇이 다른가요?", "하수관과 차집관로의 차이점은 무엇입니까?"),
    ("운전면허 학원을 차리려면 어디에 신청하나요?", "운전면허 학원을 낼려고 하는데 어디로 하나요?"),
    ("CNG 버스를 몰려면 교육을 받아야 하나요?", "CNG가스버스 운행하려면 교육을 꼭 이수해야하나요?"),
    ("전입신고를 안 한 세입자도 주거이전비를 받나요?", "전입신고 없이 사는 세입자 도 주거이전비 받을 수 있나요 ?"),
    ("가로등 격등제는 어떻게 운영되나요?", "가로등 격등제 운영및 설치 현황은?"),
    ("부동산 등기부등본을 떼고 싶어요", "부동산 등기부등본 발급 문의"),
    ("과태료 자진 납부하면 어떤 혜택이 있나요?", "과태료 자진납부제도가 무엇인가요?"),
    ("ESCO 사업의 좋은 점은 무엇인가요?", "ESCO(에너지절약전문기업)사업의 장점은?"),
    ("중1 고1 입학준비금을 받을 수 있나요?", "2021년도 중1·고1 신입생 입학준비금 지원"),
    ("시내버스는 종류별로 어떻게 구분하나요?", "시내버스 종류별 기능 및 구분방법은?"),
    ("버스 기사 정년은 몇 살인가요?", "버스기사 정년이 어떻게 되나요?"),
]
HELD_OUT_UNANSWERABLE = ["달 착륙은 몇 년에 했나요?", "주식 배당금은 언제 들어오나요?", "김치찌개 맛있게 끓이는 법 알려주세요",
                         "축구 월드컵 다음 개최지는 어디인가요?", "고양이가 밥을 안 먹어요"]


def test_threshold_precision_is_measured_and_holds_on_held_out_questions(repo, tmp_path):
    """The report states its threshold's precision on the calibration questions (recomputed here by the hand
    TF-IDF); on questions held out from the calibration, answers at that threshold are right at least 80% of
    the time and no unanswerable question gets one."""
    from datalit.reports import answer_match

    found = run(repo, NB, tmp_path / "out")["findings"]
    assert found["min_score"] == MIN_SCORE
    faq_titles = set(data.load("seoul_120_dasan_faq_text", "faq")["title"])
    assert {t for _, t in answer_match.CALIBRATION + HELD_OUT} <= faq_titles     # real FAQ entries
    assert not {q for q, _ in HELD_OUT} & {q for q, _ in answer_match.CALIBRATION}

    def search(question):
        score, title, _ = rank(question)[0]
        return title, score

    assert found["calibration"] == pytest.approx(answer_match.evaluate(search, MIN_SCORE))
    assert found["calibration"]["precision"] >= 0.9
    held = answer_match.evaluate(search, MIN_SCORE, HELD_OUT, HELD_OUT_UNANSWERABLE)
    assert held["answered"] >= len(HELD_OUT) // 2 and held["answered_unanswerable"] == 0
    assert held["precision"] >= 0.8, held
    page = html.unescape(html_text(tmp_path / "out" / f"{NB}.html"))
    c = found["calibration"]
    assert (f"기준 {MIN_SCORE:.2f}에서 답을 아는 질문 {c['pairs']}개 가운데 {c['answered']}개에 답했고 {c['right']}개가 맞았으며") in page


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
