"""Lab 3 (고급): 민원 자동 분류기 — route 120 다산콜 FAQ titles to one of 10 categories."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, checkers as ck

DATASET = "seoul_120_dasan_faq_text"
SEED = 42


def faq():
    f = data.load(DATASET, "faq")
    return f[f["title"].fillna("").str.strip() != ""]


def category_counts():
    return faq()["category"].astype(str).value_counts()


def split():
    from sklearn.model_selection import train_test_split

    f = faq()
    return train_test_split(f["title"], f["category"].astype(str), test_size=0.2, random_state=SEED,
                            stratify=f["category"].astype(str))


def test_index():
    return sorted(split()[1].index.tolist())


def accuracy_of(model) -> float:
    _, x_test, _, y_test = split()
    return float((model.predict(x_test) == y_test.to_numpy()).mean())


q1 = Question("q1", variable="counts", prompt="분류별 FAQ 수(많은 순)", reference=category_counts,
              checker=ck.series(ordered=True))
q2 = Question("q2", variable="test_ids", prompt="시험용(test) 자료의 인덱스(정렬)", reference=test_index,
              checker=ck.values(ordered=True, normalize=False),
              hints=["train_test_split(..., test_size=0.2, random_state=42, stratify=...)"])
