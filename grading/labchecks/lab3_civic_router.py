"""Lab 3 (고급): 민원 자동 분류기 — route 120 다산콜 FAQ titles to one of 10 categories.

Every FAQ item and its label is public (learners load the whole table), so the grader cannot keep test
items secret. It checks instead what the model was trained on: it refits a copy of the team's model
(``sklearn.base.clone``: same settings, nothing learnt) on the training split only and scores that copy on
the test split. The graded accuracy is the copy's, so training on the test items gains nothing; and a
submitted model that scores clearly better on the test items than its own settings trained on the
training items alone has seen the test items (trained on all the data, or on another split): detected,
0 points, with the reason.

The pass mark is stated against the baseline the grader computes on the same split: always answering the
most common category of the training items (행정) is right 41.6 % of the time; a model passes at
``PASS_MARGIN`` (20 percentage points) above that, i.e. 0.616. The lab's reference model (character
1-2-gram TF-IDF + logistic regression) scores 0.645; word-level TF-IDF + logistic regression 0.531.
"""
from __future__ import annotations

from functools import lru_cache

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck

DATASET = "seoul_120_dasan_faq_text"
SEED = 42
PASS_MARGIN = 0.20      # accuracy over the majority baseline needed to pass
SEEN_TOLERANCE = 0.03   # how much better than its own refit on the training split a model may score


def faq():
    f = data.load(DATASET, "faq")
    return f[f["title"].fillna("").str.strip() != ""]


def category_counts():
    return faq()["category"].astype(str).value_counts()


@lru_cache(maxsize=1)
def _split():
    from sklearn.model_selection import train_test_split

    f = faq()
    return tuple(train_test_split(f["title"], f["category"].astype(str), test_size=0.2, random_state=SEED,
                                  stratify=f["category"].astype(str)))


def split():
    """X_train, X_test, y_train, y_test as the lab asks for them (copies)."""
    return tuple(part.copy() for part in _split())


def test_index():
    return sorted(split()[1].index.tolist())


def accuracy_of(model) -> float:
    """The model's accuracy on the test split as submitted (what a learner sees with model.score)."""
    _, x_test, _, y_test = _split()
    return float((model.predict(x_test) == y_test.to_numpy()).mean())


def baseline_accuracy() -> float:
    """Always the training split's most common category, scored on the test split."""
    _, _, y_train, y_test = _split()
    return float((y_test == y_train.value_counts().idxmax()).mean())


def standard() -> dict:
    """What a model is graded against: the majority baseline and the pass mark above it."""
    base = baseline_accuracy()
    return {"baseline": base, "pass_mark": round(base + PASS_MARGIN, 3)}


def refit_accuracy(model) -> float:
    """Accuracy on the test split of a fresh copy of the model trained on the training split only."""
    from sklearn.base import clone

    x_train, x_test, y_train, y_test = _split()
    fresh = clone(model).fit(x_train, y_train)
    return float((fresh.predict(x_test) == y_test.to_numpy()).mean())


def model_checker(answer, expected):
    """None if the model, retrained by the grader on the training split, clears the pass mark and the
    submitted model has not seen the test items; else the Korean reason."""
    base, mark = expected["baseline"], expected["pass_mark"]
    if not hasattr(answer, "predict"):
        return "model 은 predict() 가 있는 학습된 분류기여야 해요 (예: make_pipeline(TfidfVectorizer(...), LogisticRegression()))."
    try:
        submitted = accuracy_of(answer)
    except Exception as exc:  # noqa: BLE001 - not fitted, wrong input type...
        return (f"채점용 시험 자료(제목 문자열)로 예측하지 못했어요 ({type(exc).__name__}). model 이 제목 문자열을 "
                "받는 파이프라인이고 fit 까지 했는지 확인하세요.")
    try:
        fresh = refit_accuracy(answer)
    except Exception as exc:  # noqa: BLE001 - not a scikit-learn estimator: cannot be retrained
        return (f"채점기가 model 을 학습 자료로 다시 학습할 수 없어요 ({type(exc).__name__}). scikit-learn 모델이나 "
                "파이프라인(make_pipeline)으로 만들어야 시험 자료를 학습에 쓰지 않았는지 확인할 수 있어요.")
    if submitted > fresh + SEEN_TOLERANCE:
        return (f"시험 자료로 학습한 모델이에요: 제출한 model 의 시험 자료 정확도는 {submitted:.3f}인데, 같은 설정으로 "
                f"학습 자료(X_train)만 써서 다시 학습하면 {fresh:.3f}예요. 시험 자료를 이미 본 모델의 점수는 새 민원에서의 "
                "성능이 아니에요. Q2에서 나눈 X_train, y_train 으로만 fit 하세요.")
    if abs(fresh - base) < 0.005:
        return (f"모델이 가장 흔한 분야(행정) 하나만 고르는 기준선과 같은 정확도({fresh:.3f})예요: 제목에서 배운 것이 "
                f"없어요. 합격선은 기준선보다 {PASS_MARGIN * 100:.0f}%p 높은 {mark:.3f}예요. 제목을 글자 조각으로 바꾸는 "
                "TfidfVectorizer 와 분류기를 make_pipeline 으로 이어 학습하세요.")
    if fresh < mark:
        return (f"학습 자료로 다시 학습한 model 의 시험 자료 정확도({fresh:.3f})가 합격선 {mark:.3f}보다 낮아요. "
                f"합격선은 언제나 가장 흔한 분야(행정)로 답하는 기준선 {base:.3f}보다 {PASS_MARGIN * 100:.0f}%p 높은 값이에요. "
                "짧은 제목에는 낱말보다 글자 조각(TfidfVectorizer(analyzer=\"char_wb\", ngram_range=(1, 2)))이 잘 맞아요.")
    return None


def reference_model():
    """The lab's reference solution, trained on the training split."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    x_train, _, y_train, _ = split()
    return make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)),
                         LogisticRegression(max_iter=1000)).fit(x_train, y_train)


def trained_on_everything():
    """The cheat: the reference settings trained on every item, the test items included (scores 0.766)."""
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    x_train, x_test, y_train, y_test = split()
    return make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)),
                         LogisticRegression(max_iter=1000)).fit(pd.concat([x_train, x_test]), pd.concat([y_train, y_test]))


def _majority_model():
    from sklearn.dummy import DummyClassifier

    x_train, _, y_train, _ = split()
    return DummyClassifier(strategy="most_frequent").fit(x_train, y_train)


def _word_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    x_train, _, y_train, _ = split()
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)).fit(x_train, y_train)


class _Lookup:
    """Not a scikit-learn estimator: answers from a table of every title (cannot be retrained)."""

    def __init__(self):
        f = faq()
        self.table = dict(zip(f["title"], f["category"].astype(str)))

    def predict(self, texts):
        import numpy as np

        return np.array([self.table.get(t, "행정") for t in texts])


def _unfitted_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)), LogisticRegression(max_iter=1000))


q1 = Question("q1", variable="counts", prompt="분류별 FAQ 수(많은 순)", reference=category_counts,
              checker=ck.series(ordered=True),
              wrong=[Wrong(lambda: category_counts().sort_values(kind="stable"), "정렬 순서가 반대"),
                     Wrong(lambda: category_counts() / category_counts().sum(),
                           "개수가 아니라 비율을 구했어요. value_counts()의 normalize=True 를 빼고 건수를 세세요.",
                           diagnose=True)])
q2 = Question("q2", variable="test_ids", prompt="시험용(test) 자료의 인덱스(정렬)", reference=test_index,
              checker=ck.values(ordered=True, normalize=False),
              hints=["train_test_split(..., test_size=0.2, random_state=42, stratify=...)"],
              wrong=[Wrong(lambda: split()[1].index.tolist(), "순서가 달라요"),
                     Wrong(lambda: sorted(_unstratified_test().index.tolist()),
                           "층화(stratify)를 빼고 나눴어요. stratify=y 를 넣어야 작은 분야(건강, 여성가족)도 학습·시험 자료에 "
                           "같은 비율로 들어가요.", diagnose=True)])
q3 = Question("q3", variable="model", prompt="분류 모델: 학습 자료만으로 학습해 합격선(기준선 + 0.20)을 넘기",
              reference=standard, checker=model_checker, make_answer=reference_model,
              hints=["model = make_pipeline(TfidfVectorizer(analyzer=\"char_wb\", ngram_range=(1, 2)), LogisticRegression(max_iter=1000))",
                     "model.fit(X_train, y_train) — 시험 자료(X_test)는 fit 에 넣지 않아요."],
              wrong=[Wrong(trained_on_everything, "시험 자료로 학습한 모델이에요"),
                     Wrong(_majority_model, "기준선과 같은 정확도"),
                     Wrong(_word_model, "글자 조각"),
                     Wrong(_Lookup, "다시 학습할 수 없어요"),
                     Wrong(_unfitted_model, "fit 까지 했는지")])


def _unstratified_test():
    from sklearn.model_selection import train_test_split

    f = faq()
    return train_test_split(f["title"], f["category"].astype(str), test_size=0.2, random_state=SEED)[1]
