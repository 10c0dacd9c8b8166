"""A TF-IDF index of a report's corpus, fitted once and reused by every report that searches the same texts.

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
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(fitted, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache still answers, it just fits again next time
    return fitted
