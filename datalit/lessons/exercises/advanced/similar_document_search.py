"""Exercises for courses/advanced/04-similar-document-search.ipynb (citizen proposals: search, duplicates, routing).

TF-IDF over character 2-3-grams and cosine similarity: no model download. Proposals are the "free"
proposals of 민주주의 서울 (4,002); routing uses the adopted proposals that name a department.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "seoul_citizen_proposals"
DUP_THRESHOLD = 0.9
MIN_PER_DEPARTMENT = 3


def make_vectorizer():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=2, dtype=np.float32)


def proposals():
    """Free proposals with a search document: title + the first 300 characters of the text."""
    fr = data.load(DATASET, "free")
    return fr.assign(doc=fr["title"] + " " + fr["content"].fillna("").str[:300]).reset_index(drop=True)


@lru_cache(maxsize=1)
def _index():
    docs = proposals()
    vec = make_vectorizer()
    return vec, vec.fit_transform(docs["doc"]), docs


def similarities(query="따릉이 대여소를 늘려 주세요"):
    from sklearn.metrics.pairwise import cosine_similarity

    vec, X, _ = _index()
    return cosine_similarity(vec.transform([query]), X).ravel()


def top_titles(query="따릉이 대여소를 늘려 주세요", top_n=5):
    import numpy as np

    _, _, docs = _index()
    order = np.argsort(-similarities(query), kind="stable")[:top_n]
    return docs["title"].iloc[order].tolist()


def _bottom_titles(query="따릉이 대여소를 늘려 주세요", top_n=5):
    import numpy as np

    _, _, docs = _index()
    order = np.argsort(similarities(query), kind="stable")[:top_n]
    return docs["title"].iloc[order].tolist()


@lru_cache(maxsize=1)
def title_similarity():
    """Cosine similarity between all free-proposal titles (dense float32, 4,002 × 4,002)."""
    titles = proposals()["title"]
    X = make_vectorizer().fit_transform(titles)
    return (X @ X.T).toarray()


def duplicate_pairs():
    import numpy as np

    S = title_similarity()
    return int((np.triu(S, k=1) >= DUP_THRESHOLD).sum())


def _pairs_with_diagonal():
    import numpy as np

    S = title_similarity()
    return int((np.triu(S) >= DUP_THRESHOLD).sum())


def adopted():
    """Adopted proposals whose department has at least 3 proposals (so a neighbour can share it)."""
    a = data.load(DATASET, "adopted").dropna(subset=["department"])
    counts = a["department"].value_counts()
    a = a[a["department"].isin(counts[counts >= MIN_PER_DEPARTMENT].index)].reset_index(drop=True)
    return a.assign(doc=a["title"] + " " + a["content"].fillna("").str[:300])


def _adopted_similarity():
    from sklearn.metrics.pairwise import cosine_similarity

    a = adopted()
    X = make_vectorizer().fit_transform(a["doc"])
    return a, cosine_similarity(X)


def routing_accuracy():
    """Leave-one-out: route each proposal to the department of its most similar OTHER proposal."""
    import numpy as np

    a, S = _adopted_similarity()
    np.fill_diagonal(S, -1)
    dept = a["department"].astype(str).to_numpy()
    return float((dept[S.argmax(axis=1)] == dept).mean())


def _routing_with_self():
    a, S = _adopted_similarity()
    dept = a["department"].astype(str).to_numpy()
    return float((dept[S.argmax(axis=1)] == dept).mean())


q1 = Question(
    "q1", variable="top",
    prompt="검색어(query)와 가장 비슷한 제안 top_n개의 제목을 비슷한 순서대로 리스트로 만들기",
    reference=top_titles,
    checker=ck.values(ordered=True, normalize=False),
    hints=["q_vec = vec.transform([query]) — 검색어도 같은 vectorizer로 바꿔요 (fit 다시 하지 않기!)",
           "scores = cosine_similarity(q_vec, X).ravel()",
           "가장 큰 순서: np.argsort(-scores)[:top_n] → docs[\"title\"].iloc[...].tolist()"],
    solution='''scores = cosine_similarity(vec.transform([query]), X).ravel()
order = np.argsort(-scores, kind="stable")[:top_n]
top = docs["title"].iloc[order].tolist()''',
    wrong=[Wrong(_bottom_titles,
                 "가장 덜 비슷한 제안들이에요. np.argsort(scores)는 작은 값부터 정렬해요: 큰 값부터 보려면 "
                 "np.argsort(-scores)를 쓰세요.", diagnose=True),
           Wrong(lambda query, top_n: top_titles(query, top_n)[::-1], "순서가 반대")],
)

q2 = Question(
    "q2", variable="n_pairs",
    prompt=f"제목끼리의 코사인 유사도가 {DUP_THRESHOLD} 이상인 '거의 같은 제안' 쌍(i < j)의 개수",
    reference=duplicate_pairs,
    checker=ck.number(integer=True),
    hints=["T = title_vec.fit_transform(docs[\"title\"]);  S = (T @ T.T).toarray()  (TF-IDF는 길이가 1이라 곱이 곧 코사인)",
           "자기 자신(대각선, 값 1)과 (j, i) 중복을 빼야 해요: np.triu(S, k=1)",
           "n_pairs = int((np.triu(S, k=1) >= 0.9).sum())"],
    solution='''T = make_vectorizer().fit_transform(docs["title"])
S = (T @ T.T).toarray()
n_pairs = int((np.triu(S, k=1) >= 0.9).sum())''',
    wrong=[Wrong(_pairs_with_diagonal,
                 "대각선(자기 자신과의 유사도 1.0)까지 셌어요. np.triu(S, k=1)처럼 k=1을 줘야 i < j인 쌍만 남아요.",
                 diagnose=True),
           Wrong(lambda: duplicate_pairs() * 2,
                 "같은 쌍을 두 번 셌어요: (i, j)와 (j, i)는 같은 쌍이에요. 위 삼각형 np.triu(S, k=1)만 세세요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="route_acc",
    prompt="채택 제안을 '가장 비슷한 다른 제안'의 담당부서로 보냈을 때 맞는 비율 (자기 자신 제외)",
    reference=routing_accuracy,
    checker=ck.probability(abs_tol=1e-6),
    hints=["S = cosine_similarity(A) 에서 대각선은 자기 자신(1.0)이라 항상 1등이에요.",
           "np.fill_diagonal(S, -1)로 자기 자신을 빼고 S.argmax(axis=1)로 가장 비슷한 다른 제안을 찾아요.",
           "route_acc = (dept[nearest] == dept).mean()"],
    solution='''S = cosine_similarity(A)
np.fill_diagonal(S, -1)
nearest = S.argmax(axis=1)
dept = adopted["department"].astype(str).to_numpy()
route_acc = (dept[nearest] == dept).mean()''',
    wrong=[Wrong(_routing_with_self,
                 "자기 자신을 빼지 않았어요. 자기 자신과의 유사도는 1이라 항상 가장 비슷해서 정답률이 1.0(100%)이 돼요. "
                 "np.fill_diagonal(S, -1)로 대각선을 지운 뒤 argmax 하세요.", diagnose=True)],
)

FAQ_DATASET = "seoul_120_dasan_faq_text"
BODY_CHARS = 200
MIN_SCORE = 0.2


def faq_answers():
    """120 다산콜 FAQ: question (title), published answer (text), document = title + first 200 answer characters."""
    f = data.load(FAQ_DATASET, "faq")
    return f.assign(doc=f["title"] + " " + f["text"].str[:BODY_CHARS]).reset_index(drop=True)


def _faq_scores(query, column="doc"):
    from sklearn.feature_extraction.text import TfidfVectorizer

    f = faq_answers()
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    X = vec.fit_transform(f[column])
    return (X @ vec.transform([query]).T).toarray().ravel()


def best_faq_score(query="따릉이 대여소를 늘려 주세요"):
    return float(_faq_scores(query).max())


def _best_title_only_score(query="따릉이 대여소를 늘려 주세요"):
    return float(_faq_scores(query, "title").max())


q4 = Question(
    "q4", variable="best_score",
    prompt="120다산콜 FAQ 문서(질문 제목 + 답변 앞 200자) 가운데 검색어와 가장 비슷한 문서의 코사인 유사도",
    reference=best_faq_score,
    checker=ck.number(rel=1e-6),
    hints=["fv = TfidfVectorizer(analyzer=\"char_wb\", ngram_range=(2, 3), sublinear_tf=True); F = fv.fit_transform(faq[\"doc\"])",
           "faq_scores = (F @ fv.transform([query]).T).toarray().ravel()",
           "best_score = faq_scores.max()"],
    solution='''fv = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
F = fv.fit_transform(faq["doc"])
faq_scores = (F @ fv.transform([query]).T).toarray().ravel()
best_score = faq_scores.max()''',
    wrong=[Wrong(_best_title_only_score, "질문 제목만 비교했어요. 제목은 짧아서 겹치는 글자 조각이 적어요: 제목 + 답변 앞 200자(faq[\"doc\"])로 "
                 "비교하세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("채택제안 187건(제안이 3건 이상인 37개 부서)으로 잰 담당부서 추천(가장 비슷한 다른 제안의 부서)의 정답률은 0.337, 가장 흔한 부서로 모두 보내면 0.064, "
            "자기 자신을 빼지 않고 재면 1.0이에요. 이 결과로 할 수 있는 일은?"),
    options={
        "가": "정답률이 찍기보다 다섯 배 높으니, 새 제안을 이 추천대로 자동으로 배정해도 된다.",
        "나": "담당자에게 비슷한 과거 제안과 부서 후보를 보여 주는 데 쓰고, 배정은 사람이 확인해 정한다.",
        "다": "자기 자신을 포함해 잰 1.0이 모델의 진짜 실력이다.",
        "라": "정답률 0.337은 셋 중 둘이 틀리니 찍기와 다를 바 없어 쓸모가 없다.",
    },
    answer="나",
    why={
        "가": "셋 중 둘은 틀린 부서로 가요. 부서 이름도 조직 개편으로 바뀌고, 뜻은 같지만 글자가 다른 제안은 잘 못 찾아요. "
              "잘못 보낸 민원은 시민의 시간을 잃게 해요.",
        "나": "찍기(0.064)보다는 훨씬 낫지만 확정하기엔 약해요. 후보를 제안하고 사람이 고르는 쓰임이 이 정확도에 맞아요.",
        "다": "자기 자신은 유사도가 1이라 항상 1등이에요. 정답을 보고 정답을 맞힌 것이라(정보 누출) 실력이 아니에요.",
        "라": "정확도는 기준과 비교해서 읽어요. 부서가 많아서 가장 흔한 부서로 찍으면 0.064뿐이에요. 0.337은 그보다 다섯 배쯤 높아요.",
    },
    hints=["찍기 기준(0.064)과 비교하면 어떤가요? 그리고 틀렸을 때 누가 어떤 손해를 보나요?"],
)
