"""Text indexes for reports, computed once per corpus and reused by every report of a batch: a TF-IDF index
(similar_answers) and Korean nouns by a morphological analyser (complaint_causes).

similar_answers searches about 3,000 answered questions; fitting the character n-gram TF-IDF takes 1.5-2
CPU-seconds, more than the rest of the report. Every report of a batch (one kernel each) searches the same
corpus, so the fitted vectorizer and matrix are kept in the user cache (``DATALIT_CACHE_DIR`` or
~/.cache/datalit, ``reports/``), keyed by the sha256 of the documents, the vectorizer's settings and the
scikit-learn version: the first report fits, the others load it, and a changed corpus or setting can never
reuse a stale index. The cache is the user's own folder (pickles are read only from there).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from datalit import atomic
from datalit.paths import cache_dir


def _key(docs: list[str], settings: dict) -> str:
    import sklearn

    h = hashlib.sha256(json.dumps([settings, sklearn.__version__], sort_keys=True).encode())
    for doc in docs:
        h.update(doc.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def index_path(docs: list[str], settings: dict) -> Path:
    return cache_dir() / "reports" / f"tfidf-{_key(docs, settings)[:32]}.pkl"


def tfidf(docs: list[str], **settings):
    """(vectorizer, matrix) of DOCS for ``TfidfVectorizer(**settings)``: loaded if this corpus was fitted before."""
    docs = [str(d) for d in docs]
    path = index_path(docs, settings)
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**settings)
    fitted = (vec, vec.fit_transform(docs))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic.replacing(path, binary=True, durable=False) as fh:
            pickle.dump(fitted, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # a read-only cache still answers, it just fits again next time
    return fitted


# Parts of speech kept as terms: common and proper nouns, foreign words and Chinese characters. Numbers
# (SN) are dropped, so 코로나19 and 코로나 are one term; particles and endings never become terms.
NOUN_TAGS = ("NNG", "NNP", "SL", "SH")
# Kiwi's user dictionary: compounds its own dictionary splits, each with the one term it counts as.
# Without them '코로나바이러스' became 코로나 + 바이러스 and 'n번방' became n + 방 (번 is a bound noun), so one
# topic showed as two keywords; '무법천지' is listed so its 천지 is not read as a term of its own.
USER_WORDS = {"코로나바이러스": "코로나", "신천지": "신천지", "n번방": "n번방", "N번방": "n번방", "무법천지": "무법천지"}
# A term written apart right after another that already names the topic ('코로나 바이러스'): not a new term.
SECOND_HALF = {("코로나", "바이러스")}


def _nouns_key(texts: list[str]) -> str:
    import kiwipiepy

    h = hashlib.sha256(json.dumps([NOUN_TAGS, USER_WORDS, sorted(SECOND_HALF), kiwipiepy.__version__]).encode())
    for text in texts:
        h.update(text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def korean_nouns(texts: list[str]) -> list[list[str]]:
    """The nouns of each text by Kiwi (kiwipiepy), two characters or more, lower case; cached like ``tfidf``
    (tokenizing the 18,000 petition titles takes about 5 CPU-seconds, once per corpus)."""
    texts = [str(t) for t in texts]
    path = cache_dir() / "reports" / f"nouns-{_nouns_key(texts)[:32]}.pkl"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=min(2, os.cpu_count() or 1))
    for word in USER_WORDS:
        kiwi.add_user_word(word, "NNP")
    nouns = [_terms(tokens) for tokens in kiwi.tokenize(texts)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic.replacing(path, binary=True, durable=False) as fh:
            pickle.dump(nouns, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
    return nouns


def _terms(tokens) -> list[str]:
    """One text's terms: nouns of two characters or more, user-dictionary words as their one term, and a
    second half written apart ('코로나 바이러스') dropped."""
    out: list[str] = []
    before = None                              # the token just before (any part of speech)
    for t in tokens:
        term = USER_WORDS.get(t.form, t.form).lower()
        kept = t.tag in NOUN_TAGS and len(t.form) >= 2 and (before, term) not in SECOND_HALF
        before = term
        if kept:
            out.append(term)
    return out
