"""Korean particles in every learner-facing message template of datalit/lessons: no "이(가)"-style double
forms, and no fixed particle right after an interpolated name or value (it must come from ``josa``)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from datalit.lessons.checkers.korean import josa

ROOT = Path(__file__).resolve().parents[2] / "datalit" / "lessons"
DOUBLE = re.compile(r"이\(가\)|을\(를\)|은\(는\)|와\(과\)|과\(와\)|\(으\)로|으로\(로\)|\(이\)")
AFTER_VALUE = re.compile(r"^['\"`)\]]?(이라는|라는|이에요|예요|이어야|여야|으로|로|이|가|을|를|은|는|와|과)(?![가-힣])")


def _templates():
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield path, node.lineno, node.value, None
            if isinstance(node, ast.JoinedStr):
                text = ""
                for before, after in zip(node.values, node.values[1:]):
                    text += before.value if isinstance(before, ast.Constant) else "{}"
                    # "조건(if {x})을": the particle follows the word before the parenthesis, not the value
                    glossed = after.value.startswith(")") and text.count("(") > text.count(")") if isinstance(after, ast.Constant) else False
                    if isinstance(before, ast.FormattedValue) and isinstance(after, ast.Constant) and not glossed:
                        yield path, node.lineno, after.value, before


def test_no_double_particle_forms_and_no_fixed_particle_after_a_value():
    problems = []
    for path, line, text, value in _templates():
        where = f"{path.relative_to(ROOT.parents[1])}:{line}"
        if value is None:
            if DOUBLE.search(text) and path.name != "test_feedback_particles.py":
                problems.append(f"{where}: double particle form in {text[:60]!r}")
            continue
        called = value.value
        if isinstance(called, ast.Call) and getattr(called.func, "id", None) == "josa":
            continue
        if AFTER_VALUE.match(text):
            problems.append(f"{where}: fixed particle after {{{ast.unparse(called)}}}: {text[:30]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("word, pair, want", [
    ("숫자", "이/가", "숫자가"), ("문자열(str)", "이/가", "문자열(str)이"), ("DataFrame(표)", "이/가", "DataFrame(표)이"),
    ("Series(열 하나)", "이/가", "Series(열 하나)가"), ("강남구", "은/는", "강남구는"), ("강남역", "은/는", "강남역은"),
    ("'마포구'", "을/를", "'마포구'를"), ("'강남역'", "을/를", "'강남역'을"), ("서울", "으로/로", "서울로"),
    ("강남역", "으로/로", "강남역으로"), ("학교", "으로/로", "학교로"), ("80", "과/와", "80과"), ("35", "과/와", "35와"),
    ("2019-09-13", "은/는", "2019-09-13은"), ("2022", "이에요/예요", "2022예요"), ("pm10", "이/가", "pm10이"),
    ("R²", "이/가", "R²이"), ("R²", "을/를", "R²을"), ("x³", "은/는", "x³은"), ("①", "이/가", "①가"),
    ("'households'", "로", None),
])
def test_josa_reads_the_final_sound(word, pair, want):
    if want is None:
        with pytest.raises(KeyError):
            josa(word, pair)
        return
    assert josa(word, pair) == want


def test_checker_type_messages_read_naturally():
    from datalit.lessons import checkers as ck
    import pandas as pd

    assert "숫자가 들어 있어요" in ck.series()(3, pd.Series([1]))
    assert "값 2개짜리 DataFrame(표)이에요" in ck.number()(pd.DataFrame({"a": [1, 2]}), 1)
    assert "문자열(str)이 들어 있어요" in ck.frame()("x", pd.DataFrame({"a": [1]}))
