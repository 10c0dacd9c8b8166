"""Exercises for courses/advanced/03-civic-text-classification.ipynb (120 Dasan answers -> category).

Korean text without a tokenizer download: TF-IDF over character 2-3-grams inside word boundaries
(``analyzer="char_wb"``) and a linear SVM. The split is stratified with the lesson's ``seed``.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

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


def _majority_train_share(seed=42):
    train, _ = split(seed)
    return float((train["category"] == train["category"].value_counts().idxmax()).mean())


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
    checker=ck.probability(abs_tol=1e-9),
    hints=["가장 흔한 분류: train[\"category\"].value_counts().idxmax()",
           "시험 데이터에서 그 분류인 비율: (test[\"category\"] == most).mean()"],
    solution='''most = train["category"].value_counts().idxmax()
base_acc = (test["category"] == most).mean()''',
    wrong=[Wrong(lambda seed: majority_accuracy(seed) * 100,
                 "퍼센트(%)로 답했어요. 정확도는 0~1 사이의 비율로 답하세요: (test[\"category\"] == most).mean()",
                 diagnose=True),
           Wrong(_majority_train_share,
                 "가장 흔한 분류의 비율을 학습 데이터(train)에서 쟀어요. 기준 정확도는 그 분류로 '시험' 데이터를 예측했을 때의 "
                 "정확도예요: (test[\"category\"] == most).mean()", diagnose=True)],
)

q2 = Question(
    "q2", variable="acc",
    prompt="make_pipeline()(글자 n-gram TF-IDF + 선형 SVM)을 train으로 학습하고 test에서 잰 정확도",
    reference=accuracy,
    checker=ck.score(abs_tol=0.01, name="정확도"),
    hints=["model = make_pipeline().fit(train[\"doc\"], train[\"category\"])",
           "pred = model.predict(test[\"doc\"])",
           "from sklearn.metrics import accuracy_score; acc = accuracy_score(test[\"category\"], pred)"],
    solution='''model = make_pipeline().fit(train["doc"], train["category"])
pred = model.predict(test["doc"])
acc = accuracy_score(test["category"], pred)''',
    wrong=[Wrong(_train_accuracy,
                 "학습 데이터(train)로 정확도를 쟀어요. 모델이 이미 본 글이라 거의 100%가 나와요: "
                 "test[\"doc\"]를 예측해 test[\"category\"]와 비교하세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="recall_cat",
    prompt="우리 관심 분류(category)의 재현율: 시험 데이터에서 실제 그 분류인 글 중 모델이 맞게 찾은 비율",
    reference=recall_of,
    checker=ck.probability(abs_tol=0.02),
    hints=["재현율 = (실제 그 분류이고 예측도 그 분류) / (실제 그 분류)",
           "actual = test[\"category\"] == category; (pred[actual] == category).mean()",
           "또는 sklearn.metrics.recall_score(test[\"category\"], pred, labels=[category], average=\"macro\")"],
    solution='''actual = (test["category"] == category).to_numpy()
recall_cat = (pred[actual] == category).mean()''',
    wrong=[Wrong(lambda category, seed: recall_of(category, seed) * 100,
                 "퍼센트(%)로 답했어요. 재현율은 0~1 사이의 비율로 답하세요: (pred[actual] == category).mean()",
                 diagnose=True)],
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
    wrong=[Wrong(_duplicates_within_test,
                 "시험 데이터 안에서 겹치는 제목을 셌어요. 이 연습은 시험 제목이 학습 데이터(p_train)에 있는지를 세요: "
                 "p_test[\"title\"].isin(set(p_train[\"title\"])).sum()", diagnose=True),
           Wrong(lambda seed: int((~petition_split(seed)[1]["title"].isin(set(petition_split(seed)[0]["title"]))).sum()),
                 "학습 데이터에 '없는' 제목을 셌어요. isin(...)이 True인 것(학습에 있는 제목)의 개수가 필요해요 (~를 빼세요).",
                 diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("기본값(seed = 42)에서 국민청원 시험 글 2,500건 중 제목이 학습 데이터에 글자 그대로 있던 58건의 정확도는 0.638, "
            "처음 보는 제목 2,442건은 0.414였어요 (가장 흔한 분야로 찍기 0.168). 이 표로 말할 수 있는 것은?"),
    options={"가": "이미 본 제목은 외운 답을 맞힌 것이라, 새 청원에서의 성능은 처음 보는 제목의 정확도에 가깝다. 나누기 전에 중복을 지워야 한다.",
             "나": "모델이 중복 청원을 특히 잘 이해한다는 뜻이다. 같은 요구가 여러 번 올라온 자료일수록 배울 거리가 많아 더 좋은 모델이 나오니 중복은 남겨 둔다.",
             "다": "같은 제목을 학습 데이터에서 이미 외웠는데도 0.638밖에 못 맞히니, 모델이나 코드 어딘가가 고장 났다.",
             "라": "정확도가 0.5도 안 되니 이 모델은 찍기와 다를 바 없다."},
    answer="가",
    why={"가": "새로 들어오는 청원은 대부분 처음 보는 글이에요. 그래서 평가도 처음 보는 글로 해야 하고, 나누기 전에 drop_duplicates(\"title\")로 중복을 지워요.",
         "나": "이미 본 제목을 맞히는 건 이해가 아니라 기억이에요. 중복이 시험에 섞일수록 점수만 부풀고, 새 청원에서의 실력은 그대로예요.",
         "다": "분야는 청원인이 고른 것이라 같은 제목이 다른 분야로 올라오기도 해요. 이 58건 중 19건은 학습 데이터의 같은 제목과 분야가 달랐어요. 고장이 아니라 정답 이름표 자체가 "
              "흔들리는 거예요.",
         "라": "분야가 17개라 찍기(가장 흔한 분야)는 0.168이에요. 처음 보는 제목의 0.414는 그보다 두 배 넘게 높아요. 정확도는 기준과 비교해서 읽어요."},
    hints=["처음 보는 글과 이미 본 글 중, 실제로 들어올 새 청원과 닮은 것은 어느 쪽일까요?"],
)
