"""Intermediate course (issue #14): every exercise names its typical mistakes, every lesson asks a conceptual
question and carries instructor notes, the claims the issue found wrong now match the data, and lesson 09
(셀프 주유소) says what the Opinet snapshot says and runs for a district without self-service stations."""
from __future__ import annotations

import re

import matplotlib
import nbformat
import pytest

from datalit.lessons.concepts import concepts_in
from datalit.lessons.courses import courses_dir, exercise_module, lesson_paths
from datalit.lessons.exercises import load_module, module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

INTERMEDIATE = [m for m in module_names() if m.startswith("intermediate.")]
LESSONS = lesson_paths("intermediate")


def _markdown(path) -> str:
    """The prose as read: glossary links ([중앙값](용어집.ipynb#중앙값)) count as their words."""
    nb = nbformat.read(str(path), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.sub(r"\[([^\]]*)\]\(용어집\.ipynb[^)]*\)", r"\1", text)


def _lesson(number: int):
    return next(p for p in LESSONS if p.name.startswith(f"{number:02d}-"))


def test_every_lesson_has_its_exercise_module():
    assert len(LESSONS) >= 9
    assert sorted(exercise_module(path) for path in LESSONS) == INTERMEDIATE




@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_lesson_checks_its_concept_and_has_instructor_notes(path):
    nb = nbformat.read(str(path), as_version=4)
    module = load_module(exercise_module(path))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for concept in concepts_in(module):
        assert re.search(rf"^{concept.name}\.check\(\)\s*$", code, re.M), f"{path.name}: {concept.name}.check() missing"
        assert re.search(rf"\b{concept.variable}\s*=", code), f"{path.name}: no solution for {concept.variable}"
    notes = [c for c in nb.cells if "instructor" in (c.metadata.get("tags") or [])]
    assert len(notes) == 1 and notes[0].source.startswith("### 강사 노트")
    assert all(part in notes[0].source for part in ("시간 배분", "흔한 실수", "토론 질문"))




def test_mean_instead_of_median_is_named():
    """Lesson 09 q1: medians instead of means get a sentence naming the mistake, not '값이 달라요'."""
    from datalit.lessons.exercises.intermediate import self_gas_stations as m

    msg = m.q1.feedback(m._median_by_self(), {})
    assert msg.startswith("평균(mean)이 아니라 중앙값(median)을 구했어요.")
    assert "fillna(0)" in m.q1.feedback(m._mean_by_self_zero_filled(), {})


def test_intermediate_06_says_how_many_districts_rose():
    from datalit.lessons.exercises.intermediate import living_population as m

    change = m.covid_change()
    rose = change[change > 0]
    text = _markdown(_lesson(6))
    assert len(rose) == 15 and "15곳은 오히려 늘었어요" in text
    assert {"강남구", "송파구"} <= set(rose.index) and "몇 곳은 오히려" not in text
    assert f"강동구(+{rose.max():.1f}%)" in text and rose.idxmax() == "강동구"
    assert f"중구({change['중구']:.1f}%)" in text and f"종로구({change['종로구']:.1f}%)" in text
    assert "가설" in text  # the stay-home explanation is not stated as fact


def test_intermediate_01_cleaning_claim_matches_the_data():
    from datalit.lessons.exercises.intermediate import reshape_subway_hourly as m

    raw = m._wide()["station"].nunique()
    assert m.n_stations() == raw == 529  # removing the sub-names changes nothing in this file: the lesson says so
    text = _markdown(_lesson(1))
    assert "괄호를 지워도 이름 수가 그대로예요" in text and f"행 수({len(m._wide())})" in text


def test_intermediate_09_numbers_in_the_text_match_the_data():
    from datalit import data
    from datalit.lessons.exercises.intermediate import self_gas_stations as m

    st = data.load("seoul_gas_station_prices")
    text = _markdown(_lesson(9))
    assert round(m.overall_gap()) == 118 and round(m.within_gu_gap()) == 66
    assert "약 118원에서 약 66원으로" in text
    gaps = m.by_gu()
    assert len(gaps) == 21 and int((gaps["gap"] > 0).sum()) == 18 and "21개 구 가운데 18곳" in text
    no_self = set(st["gu"]) - set(st.loc[st["is_self"], "gu"])
    assert no_self == {"중구", "용산구", "종로구", "마포구"}
    top5 = set(st.groupby("gu")["gasoline"].mean().nlargest(5).index)
    assert no_self | {"강남구"} == top5
    assert int((st["gasoline"] > 2000).sum()) == 28 and not st.loc[st["gasoline"] > 2000, "is_self"].any()
    self_prices = st.loc[st["is_self"], "gasoline"]
    assert f"{self_prices.min():,.0f}~{self_prices.max():,.0f}원" in text
    median = st.groupby("is_self")["gasoline"].median()
    assert f"중앙값으로는 {median[False] - median[True]:.0f}원" in text
    assert int(st["gasoline"].isna().sum()) == 4 and int(st["premium_gasoline"].isna().sum()) == 341
    assert f"{round(gaps.loc[gaps['gu'] == '강남구', 'gap'].item())}원으로 가장 커요" in text


@pytest.mark.slow
def test_intermediate_09_runs_for_a_district_without_self_service_stations():
    from datalit.lessons.checks import OK_MARK
    from datalit.lessons.run import cell_text, run_lesson

    r = run_lesson(courses_dir() / "intermediate" / "09-self-gas-stations.ipynb", "solution", params={"gu": "중구"})
    assert r.ok, r.error
    checks = [c for c in r.nb.cells if c.cell_type == "code" and re.match(r"^q\d+\.check\(\)\s*$", c.source)]
    assert len(checks) == 6 and all(OK_MARK in cell_text(c) for c in checks)
    assert any("중구의 가장 싼 5곳 가운데 셀프 주유소: 0곳" in cell_text(c) for c in r.nb.cells if c.cell_type == "code")
