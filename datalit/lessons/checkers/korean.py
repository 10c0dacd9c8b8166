"""Korean particles (조사) chosen from the word they follow, so that a message with an interpolated name or
value reads naturally: ``josa("숫자", "이/가")`` -> "숫자가". A parenthesised gloss is skipped and the word
outside it decides: ``josa("DataFrame(표)", "이/가")`` -> "DataFrame(표)이" (데이터프레임이), as are closing
quotes and brackets: ``josa("'강남역'", "을/를")`` -> "'강남역'을".

Pairs: "이/가", "을/를", "은/는", "과/와", "으로/로", "이에요/예요", "이라는/라는". The first form follows a final
consonant (받침), the second a vowel; "으로/로" also takes "로" after ㄹ. Digits and Latin words are read the
way Koreans say them (3 -> 삼: 받침, 2 -> 이: none; "DataFrame" -> 데이터프레임: 받침).
"""
from __future__ import annotations

import re

PAIRS = {"이/가": ("이", "가"), "을/를": ("을", "를"), "은/는": ("은", "는"), "과/와": ("과", "와"),
         "으로/로": ("으로", "로"), "이에요/예요": ("이에요", "예요"), "이라는/라는": ("이라는", "라는")}
_RIEUL = 8  # index of ㄹ among the final consonants
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0,
                "²": 17, "³": 17}  # R² is read 알 제곱, x³ 엑스 세제곱: both end in ㅂ
# how the English words the lessons show are read: True = ends in a consonant sound, "ㄹ" = ends in ㄹ
_WORDS = {"none": True, "dataframe": True, "series": False, "list": False, "tuple": False, "set": True,
          "dict": False, "int": False, "float": False, "str": True, "bool": "ㄹ", "ndarray": False, "nan": True,
          "true": False, "false": False, "axes": False, "index": False, "csv": False, "id": False, "sum": True,
          "mean": True, "median": True, "count": False, "len": True, "size": False, "max": False, "min": True}
_TRAILING = re.compile(r"(\([^()]*\)|[\s'\"`\])}.,]|%)+$")


def _final(word: str):
    """Final consonant index of the word's last sound: 0 = none, 8 = ㄹ, other = some 받침; None if unknown."""
    text = _TRAILING.sub("", str(word)) or str(word)
    if not text:
        return None
    ch = text[-1]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28
    if ch in _DIGIT_FINAL:
        return _DIGIT_FINAL[ch]
    if ch.isdigit():  # other Unicode digits (①, ⁴, ...): reading unknown
        return None
    m = re.search(r"[A-Za-z]+$", text)
    if m:
        w = m.group(0).lower()
        if w in _WORDS:
            v = _WORDS[w]
            return _RIEUL if v == "ㄹ" else (1 if v else 0)
        if w.endswith("l"):
            return _RIEUL
        return 1 if w[-1] in "mnk" or w.endswith("ng") else 0
    return None


def josa(word, pair: str) -> str:
    """``word`` followed by the right form of ``pair`` (e.g. "이/가"); unknown endings get the vowel form."""
    first, second = PAIRS[pair]
    final = _final(word)
    if pair == "으로/로":
        return f"{word}{second if final in (0, _RIEUL, None) else first}"
    return f"{word}{second if not final else first}"
