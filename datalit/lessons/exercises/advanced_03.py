"""Exercises for courses/advanced/03-civic-text-classification.ipynb (120 Dasan answers -> category).

Korean text without a tokenizer download: TF-IDF over character 2-3-grams inside word boundaries
(``analyzer="char_wb"``) and a linear SVM. The split is stratified with the lesson's ``seed``.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.exercises.advanced_01 import probability, score

DATASET = "seoul_120_dasan_faq_text"
PETITIONS = "korea_petitions_categorized"
N_PETITIONS = 10_000
CATEGORIES = ["행정", "경제", "복지", "환경", "주택도시계획", "문화관광", "교통", "안전", "건강", "여성가족"]
TEXT_CHARS = 300


def faq():
    """Title + the first 300 characters of the answer as one document per row."""
    f = data.load(DATASET)
    return f.assign(doc=f["title"] + " " + f["text"].str[:TEXT_CHARS])


def split(seed=42):
    from sklearn.model_selection import train_test_split

    f = faq()
    return train_test_split(f, test_size=0.25, random_state=seed, stratify=f["category"])


def make_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline as mk
    from sklearn.svm import LinearSVC

    return mk(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=2),
              LinearSVC(C=0.5, class_weight="balanced"))


def majority_accuracy(seed=42):
    train, test = split(seed)
    most = train["category"].value_counts().idxmax()
    return float((test["category"] == most).mean())


@lru_cache(maxsize=4)
def _fitted(seed=42):
    """The fitted pipeline for this split (cached: q2 and q3 share one fit)."""
    train, test = split(seed)
    model = make_pipeline().fit(train["doc"], train["category"])
    return model, train, test


def fitted(seed=42):
    """(model, train, test) for the lesson's split; the same objects each call (do not modify them)."""
    return _fitted(seed)


def accuracy(seed=42):
    from sklearn.metrics import accuracy_score

    model, _, test = _fitted(seed)
    return float(accuracy_score(test["category"], model.predict(test["doc"])))


def _train_accuracy(seed=42):
    from sklearn.metrics import accuracy_score

    model, train, _ = _fitted(seed)
    return float(accuracy_score(train["category"], model.predict(train["doc"])))


def recall_of(category="교통", seed=42):
    from sklearn.metrics import recall_score

    model, _, test = _fitted(seed)
    return float(recall_score(test["category"], model.predict(test["doc"]), labels=[category], average="macro"))


def _precision_of(category="교통", seed=42):
    from sklearn.metrics import precision_score

    model, _, test = _fitted(seed)
    return float(precision_score(test["category"], model.predict(test["doc"]), labels=[category], average="macro",
                                 zero_division=0))


q1 = Question(
    "q1", variable="base_acc",
    prompt="기준: 학습 데이터에서 가장 흔한 분류 하나로 시험 데이터를 모두 예측했을 때의 정확도(0~1)",
    reference=majority_accuracy,
    checker=probability(abs_tol=1e-9),
    hints=["가장 흔한 분류: train[\"category\"].value_counts().idxmax()",
           "시험 데이터에서 그 분류인 비율: (test[\"category\"] == most).mean()"],
    solution='''most = train["category"].value_counts().idxmax()
base_acc = (test["category"] == most).mean()''',
    wrong=[Wrong(lambda seed: majority_accuracy(seed) * 100, "100배")],
)

q2 = Question(
    "q2", variable="acc",
    prompt="make_pipeline()(글자 n-gram TF-IDF + 선형 SVM)을 train으로 학습하고 test에서 잰 정확도",
    reference=accuracy,
    checker=score(abs_tol=0.01, name="정확도"),
    hints=["model = make_pipeline().fit(train[\"doc\"], train[\"category\"])",
           "pred = model.predict(test[\"doc\"])",
           "from sklearn.metrics import accuracy_score; acc = accuracy_score(test[\"category\"], pred)"],
    solution='''model = make_pipeline().fit(train["doc"], train["category"])
pred = model.predict(test["doc"])
acc = accuracy_score(test["category"], pred)''',
    wrong=[Wrong(_train_accuracy, "너무 좋아요")],
)

q3 = Question(
    "q3", variable="recall_cat",
    prompt="우리 관심 분류(category)의 재현율: 시험 데이터에서 실제 그 분류인 글 중 모델이 맞게 찾은 비율",
    reference=recall_of,
    checker=probability(abs_tol=0.02),
    hints=["재현율 = (실제 그 분류이고 예측도 그 분류) / (실제 그 분류)",
           "actual = test[\"category\"] == category; (pred[actual] == category).mean()",
           "또는 sklearn.metrics.recall_score(test[\"category\"], pred, labels=[category], average=\"macro\")"],
    solution='''actual = (test["category"] == category).to_numpy()
recall_cat = (pred[actual] == category).mean()''',
    wrong=[Wrong(lambda category, seed: recall_of(category, seed) * 100, "100배")],
)


def petition_split(seed=42):
    """10,000 non-empty petition titles drawn with the seed, split 75/25 stratified by category."""
    from sklearn.model_selection import train_test_split

    titles = data.load(PETITIONS, "titles")
    sample = titles[titles["title"] != ""].sample(N_PETITIONS, random_state=seed)
    return train_test_split(sample, test_size=0.25, random_state=seed, stratify=sample["category"])


def seen_in_train(seed=42):
    """How many test petitions have a title that appears word for word in the training part."""
    p_train, p_test = petition_split(seed)
    return int(p_test["title"].isin(set(p_train["title"])).sum())


def _duplicates_within_test(seed=42):
    _, p_test = petition_split(seed)
    return int(p_test["title"].duplicated().sum())


q4 = Question(
    "q4", variable="n_seen",
    prompt="청원 시험 데이터(p_test) 중 제목이 학습 데이터(p_train)에 글자 그대로 있는 글의 수",
    reference=seen_in_train,
    checker=ck.number(integer=True),
    hints=["학습 제목의 집합: set(p_train[\"title\"])",
           "p_test[\"title\"].isin(...)은 제목마다 True/False를 돌려줘요.",
           "True의 개수: .sum()"],
    solution='''n_seen = int(p_test["title"].isin(set(p_train["title"])).sum())''',
    wrong=[Wrong(_duplicates_within_test, "작아요")],
)
