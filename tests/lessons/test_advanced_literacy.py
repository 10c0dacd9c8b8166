"""Advanced course (issue #14): every exercise names its typical mistakes (a diagnosed Wrong with a full Korean
sentence), every lesson asks a conceptual question about what its own results support and carries instructor
notes, the feedback is specific (feedback-stats >= 90 %), and the numbers the conceptual questions quote are
the data's."""
from __future__ import annotations

import re

import matplotlib
import nbformat
import pytest

from datalit.lessons.concepts import concepts_in
from datalit.lessons.courses import exercise_module, lesson_paths
from datalit.lessons.exercises import load_module, module_names

pytestmark = pytest.mark.lessons
matplotlib.use("Agg")

ADVANCED = [m for m in module_names() if m.startswith("advanced.")]
LESSONS = lesson_paths("advanced")




@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_lesson_checks_its_concept_and_has_instructor_notes(path):
    nb = nbformat.read(str(path), as_version=4)
    module = load_module(exercise_module(path))
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for concept in concepts_in(module):
        assert re.search(rf"^{concept.name}\.check\(\)\s*$", code, re.M), f"{path.name}: {concept.name}.check() missing"
        solution = re.search(rf"^{concept.variable}\s*=\s*{concept.name}\.shown\(\"(.+?)\"\)", code, re.M)
        assert solution and solution.group(1) == concept.authored_answer(), f"{path.name}: solution for {concept.variable}"
    notes = [c for c in nb.cells if "instructor" in (c.metadata.get("tags") or [])]
    assert len(notes) == 1 and notes[0].source.startswith("### 강사 노트")
    assert all(part in notes[0].source for part in ("시간 배분", "흔한 실수", "토론 질문"))
    minutes = nb.metadata["datalit"]["minutes"]
    assert f"**시간 배분** ({minutes}분)" in notes[0].source
    timing = notes[0].source.split("**시간 배분**")[1].split("\n")[0]
    assert sum(int(m) for m in re.findall(r"(\d+)분", timing)[1:]) == minutes, timing




def test_numbers_quoted_by_the_conceptual_questions_match_the_data():
    from datalit.lessons.exercises.advanced import (bootstrap_permutation as a1, cluster_districts as a5,
                                                    rain_ridership_confounding as a7, reproducible_analysis as a6,
                                                    similar_document_search as a4)

    lo, hi = a1.bootstrap_ci()
    assert (round(lo, 1), round(hi, 1)) == (-10.7, 2.7) and "약 −10.7 ~ 2.7" in a1.q5.why["가"]
    a = a4.adopted()
    assert (len(a), a["department"].nunique()) == (187, 37) and "187건(제안이 3건 이상인 37개 부서)" in a4.q5.prompt
    assert f"{a4.routing_accuracy():.3f}" == "0.337" and a4._routing_with_self() == 1.0
    assert f"{a['department'].value_counts(normalize=True).iloc[0]:.3f}" == "0.064"
    assert max(a5.silhouette(k) for k in a5.K_RANGE) == pytest.approx(0.369, abs=5e-4)
    r, (clo, chi) = a6.spearman_wind(), a6.bootstrap_ci()
    assert (f"{r:.2f}", f"{clo:.2f}", f"{chi:.2f}") == ("-0.09", "-0.19", "0.03")
    d = a7.days()
    assert (len(d), int(d["rainy"].sum())) == (202, 26) and "평일 202일 중 비 온 날은 26일" in a7.q5.prompt
    assert f"{a7.naive_pct():.2f}" == "-1.30" and f"{a7.adjusted_pct():.2f}" in ("0.00", "-0.00")
    assert f"{a7.stratified_p():.2f}" == "0.13"
    assert d.loc[d["rainy"], "date"].dt.month.between(6, 8).sum() > d["rainy"].sum() / 2  # rain falls mostly in Jun-Aug


@pytest.mark.slow
def test_numbers_quoted_about_models_match_the_data():
    from datalit.lessons.exercises.advanced import bike_demand_forecast as a2, civic_text_classification as a3

    assert (f"{a2.model_r2():.2f}", f"{a2._random_split_r2():.2f}", f"{a2._train_r2():.2f}") == ("0.64", "0.91", "0.97")
    from sklearn.metrics import accuracy_score

    p_train, p_test = a3.petition_split()
    pred = a3.make_pipeline().fit(p_train["title"], p_train["category"]).predict(p_test["title"])
    seen = p_test["title"].isin(set(p_train["title"])).to_numpy()
    assert (int(seen.sum()), int((~seen).sum())) == (58, 2442)
    assert f"{accuracy_score(p_test['category'][seen], pred[seen]):.3f}" == "0.638"
    assert f"{accuracy_score(p_test['category'][~seen], pred[~seen]):.3f}" == "0.414"
    assert f"{(p_test['category'] == p_train['category'].value_counts().idxmax()).mean():.3f}" == "0.168"
    train_cats = p_train.groupby("title")["category"].agg(lambda s: set(s.astype(str)))
    shown = p_test[seen]
    assert sum(str(c) not in train_cats[t] for t, c in zip(shown["title"], shown["category"])) == 19
