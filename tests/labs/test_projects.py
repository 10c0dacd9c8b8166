"""The open team projects (labs/project*): brief, milestones and rubric; the sanity checks of
datalit.lessons.project; and each reference solution released, submitted and autograded by real nbgrader
in the sandbox, getting every autograded point (a memo without the analysis' numbers loses the memo points).

The reference solutions also run top to bottom with every test in tests/labs/test_labs.py
(test_solution_passes_every_test), like the labs.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PROJECTS = sorted(p.parent.name for p in (REPO / "labs").glob("*/lab.yaml")
                  if yaml.safe_load(p.read_text(encoding="utf-8")).get("kind") == "project")
# production limits (datalit/config.py), not labkit's small ones for hostile cases
LIMITS = {"DATALIT_LAB_TIMEOUT": "300", "DATALIT_LAB_CELL_TIMEOUT": "60", "DATALIT_LAB_MEMORY_MB": "1024",
          "DATALIT_LAB_CPU_SECONDS": "120"}


def _nb(lab):
    return nbformat.read(REPO / "labs" / lab / f"{lab}.ipynb", as_version=4)


def _grade_cells(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


# ---- the briefs -------------------------------------------------------------------------------------------
def test_one_open_project_per_tier():
    tiers = sorted(yaml.safe_load((REPO / "labs" / p / "lab.yaml").read_text(encoding="utf-8"))["tier"] for p in PROJECTS)
    assert tiers == ["advanced", "beginner", "intermediate"]


@pytest.mark.parametrize("lab", PROJECTS)
def test_brief_milestones_and_rubric(lab):
    info = yaml.safe_load((REPO / "labs" / lab / "lab.yaml").read_text(encoding="utf-8"))
    assert [m["day"] for m in info["milestones"]] == [7, 14, 21] and all(m["title_ko"] for m in info["milestones"])
    readme = (REPO / "labs" / lab / "README.md").read_text(encoding="utf-8")
    for heading in ("부서의 질문", "데이터", "결과물", "일정", "평가 기준"):
        assert heading in readme, heading
    for dataset in info["datasets"]:
        assert f"`{dataset}`" in readme, dataset
    nb = _nb(lab)
    assert "부서의 질문" in nb.cells[0].source and "D+21일" in nb.cells[0].source
    cells = _grade_cells(nb)
    # the deliverables: a memo (Markdown) and a chart, graded in formgrader; the method in words
    assert cells["memo"].cell_type == "markdown" and cells["memo"].metadata.nbgrader["solution"]
    assert cells["chart"].cell_type == "code" and cells["chart"].metadata.nbgrader["solution"]
    assert cells["method"].cell_type == "markdown"
    manual = {g: c.metadata.nbgrader["points"] for g, c in cells.items() if c.metadata.nbgrader.get("solution")}
    auto = {g: c.metadata.nbgrader["points"] for g, c in cells.items() if not c.metadata.nbgrader.get("solution")}
    assert sum(manual.values()) == info["points"]["manual"] and sum(auto.values()) == info["points"]["auto"]
    assert {"chart_test", "memo_test"} <= set(auto)
    # every rubric criterion written out with its points, in the README and in the notebook's first cell
    rows = re.findall(r"^\| ([^|]+) \| ([^|]+) \| (\d+) \| ([^|]+) \|$", readme, re.M)
    assert sum(int(r[2]) for r in rows) == 20 and sum(int(r[2]) for r in rows if "강사" in r[3]) == sum(manual.values())
    for name, _, points, _ in rows:
        assert re.search(rf"\| {re.escape(name.strip())} \|[^\n]*\| {points} \|", nb.cells[0].source), name


# ---- the sanity checks ------------------------------------------------------------------------------------
def test_numbers_in_memo_text():
    from datalit.lessons.project import numbers_in, shown_in

    assert numbers_in("인구 2만 3,400명, 12.5%, 48.1만 명") == [(20000, 10000), (3400, 1), (12.5, 0.1), (481000, 1000)]
    assert shown_in(23128, "23,128명") and shown_in(3.361, "3.36곳") and shown_in(-11.31, "11.3% 적게")
    assert shown_in(481234, "48.1만 명") and not shown_in(0.25, "25%") and not shown_in(3.4, "3.36곳")


def _memo_nb(tmp_path, text):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["nbgrader"] = {"grade_id": "memo", "grade": True, "solution": True, "points": 8}
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "p.ipynb")


def test_memo_check_reads_the_saved_notebook_and_explains_in_korean(tmp_path):
    from datalit.lessons.project import assert_memo

    body = "우리 구의 대여소가 부족한 동을 찾았습니다. " * 20
    with pytest.raises(AssertionError, match="저장"):
        assert_memo({"a": 1, "b": 2, "c": 3}, folder=tmp_path)
    _memo_nb(tmp_path, "여기에 답을 작성하세요.")
    with pytest.raises(AssertionError, match="아직 쓰지 않았어요"):
        assert_memo({"a": 1, "b": 2, "c": 3}, folder=tmp_path)
    _memo_nb(tmp_path, "짧은 메모 23,128명")
    with pytest.raises(AssertionError, match="너무 짧아요"):
        assert_memo({"a": 23128, "b": 2, "c": 3}, folder=tmp_path)
    _memo_nb(tmp_path, body + "화곡8동 23,128명, 서울 3,493명, 3.36곳")
    with pytest.raises(AssertionError, match="3개 이상"):
        assert_memo({"a": 23128}, folder=tmp_path)
    with pytest.raises(AssertionError, match="보이지 않아요: 없는 숫자"):
        assert_memo({"a": 23128.0, "b": 3493, "없는 숫자": 77}, folder=tmp_path)
    with pytest.raises(AssertionError, match="주인공이 빠졌어요: 화곡4동"):
        assert_memo({"a": 23128.0, "b": 3493, "c": 3.361}, mentions=["화곡4동"], folder=tmp_path)
    assert_memo({"a": 23128.0, "b": 3493, "c": 3.361}, mentions=["화곡8동"], folder=tmp_path)


def test_chart_check_asks_for_a_korean_title_and_axis_names():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from datalit import hangul
    from datalit.lessons.project import chart_problem

    hangul.use()
    fig, ax = plt.subplots()
    assert "그려진 것이 없어요" in chart_problem(ax)
    ax.bar(["가", "나"], [1, 2])
    assert "제목이 없어요" in chart_problem(ax)
    ax.set_title("Stations")
    assert "한국어로" in chart_problem(ax)
    ax.set_title("대여소 수")
    assert "축 이름" in chart_problem(ax)
    ax.set_xlabel("dong")
    ax.set_ylabel("n")
    assert "한국어로" in chart_problem(ax)
    ax.set_ylabel("대여소 (곳)")
    assert chart_problem(ax) is None and chart_problem(fig) is None
    assert "Axes" in chart_problem("차트")
    plt.close(fig)


# ---- the reference solutions in a real, sandboxed autograde -----------------------------------------------
def _answered(course, lab, overrides=None):
    """The released notebook with the source's solutions filled in (markers dropped); overrides: grade_id -> source."""
    src = nbformat.read(course.root / "source" / lab / f"{lab}.ipynb", as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: "\n".join(
        ln for ln in c.source.splitlines() if "### BEGIN SOLUTION" not in ln and "### END SOLUTION" not in ln)
        for c in src.cells if c.metadata.get("nbgrader", {}).get("solution")}
    solutions.update(overrides or {})
    nb = nbformat.read(course.root / "release" / lab / f"{lab}.ipynb", as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in solutions:
            c.source = solutions[gid]
    return nb


def _submit(course, lab, team, nb):
    work = course.root / "submitted" / team / lab
    work.mkdir(parents=True)
    nbformat.write(nb, work / f"{lab}.ipynb")
    (work / "timestamp.txt").write_text("2026-12-01 09:00:00.000000 UTC")


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="sandboxed autograde needs root (CI runs as root)")
@pytest.mark.parametrize("lab", PROJECTS)
def test_reference_solution_gets_every_autograded_point(lab, tmp_path, monkeypatch):
    from labkit import local_course

    from datalit.labs.autograde import autograde
    from datalit.labs.release import release

    course = local_course(tmp_path, monkeypatch, f"proj-{lab[:8]}")
    for key, value in LIMITS.items():
        monkeypatch.setenv(key, value)
    release(course, lab, to_exchange=False)
    released = nbformat.read(course.root / "release" / lab / f"{lab}.ipynb", as_version=4)
    text = nbformat.writes(released)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN" not in text and "labchecks" not in text
    memo = next(c for c in released.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "memo")
    assert "여기에 답을 작성하세요" in memo.source or "YOUR ANSWER HERE" in memo.source

    reference = _answered(course, lab)
    _submit(course, lab, "ref", reference)
    # the same analysis, but a memo that does not use its numbers: only the memo check fails
    vague = "이번 분석에서 분명한 차이를 찾았습니다. 자세한 숫자는 노트북을 보세요. " * 15
    _submit(course, lab, "vague", _answered(course, lab, {"memo": vague}))
    _submit(course, lab, "empty", released)

    report = autograde(course, lab, workers=2, progress=False)
    assert report["sandboxed"] and all(r["success"] for r in report["results"]), report
    auto = yaml.safe_load((REPO / "labs" / lab / "lab.yaml").read_text(encoding="utf-8"))["points"]["auto"]
    scores = report["scores"]
    graded = nbformat.read(course.root / "autograded" / "ref" / lab / f"{lab}.ipynb", as_version=4)
    errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o.get("evalue", "")[:300])
              for c in graded.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert scores["ref"]["auto"] == auto, (scores["ref"], "\n".join(f"{g}: {e}" for g, e in errors))
    memo_points = _grade_cells(_nb(lab))["memo_test"].metadata.nbgrader["points"]
    assert scores["vague"]["auto"] == auto - memo_points, scores
    vague_nb = nbformat.read(course.root / "autograded" / "vague" / lab / f"{lab}.ipynb", as_version=4)
    assert "메모에 이 숫자가 보이지 않아요" in "".join(
        o.get("evalue", "") for c in vague_nb.cells if c.cell_type == "code" for o in c.outputs)
    assert scores["empty"]["auto"] == 0, scores


# ---- the hidden checks accept a right answer and name typical mistakes --------------------------------------

def test_project1_table_check(labchecks):
    import pandas as pd

    from datalit import data

    m = labchecks("project1_bike_new_stations")
    pop = data.load("seoul_population_by_dong_age_2025q1", "dong_total")
    mine = pop[(pop["period"] == "2025.1/4") & (pop["gu"] == "마포구")]
    counts = m.station_counts("마포구")
    table = pd.DataFrame({"dong": mine["dong"], "population": mine["population"],
                          "stations": [counts.get(d, 0) for d in mine["dong"]]})
    m.check_table(table, "마포구")
    m.check_table(table.set_index("dong"), "마포구")  # the dong as the index is fine too
    m.check_candidates(table["dong"].head(2).tolist(), "마포구")
    cases = {"계": table.assign(population=mine["korean"].to_numpy()),
             "빠졌어요": table.iloc[1:],
             "대여소 자료와 맞지 않아요": table.assign(stations=table["stations"] + 1),
             "자치구 이름": None}
    for says, wrong in cases.items():
        with pytest.raises(AssertionError, match=says):
            m.check_table(table if wrong is None else wrong, "마포" if wrong is None else "마포구")
    with pytest.raises(AssertionError, match="행정동이 아닌 후보"):
        m.check_candidates(["화곡8동"], "마포구")


def test_project2_daily_check(labchecks):
    import pandas as pd

    from datalit import data

    m = labchecks("project2_festival_crowds")
    sub = data.load("seoul_subway_daily_ridership_2023")
    fests = ["석촌호수벚꽃축제", "한성백제문화제"]
    near = {"석촌호수벚꽃축제": ["석촌", "송파나루"], "한성백제문화제": ["한성백제"]}
    total = sub.assign(t=sub["boardings"] + sub["alightings"])
    daily = pd.DataFrame({f: total[total["station"].isin(s)].groupby("date")["t"].sum() for f, s in near.items()})
    m.check_daily(daily, near, fests)
    boardings = pd.DataFrame({f: sub[sub["station"].isin(s)].groupby("date")["boardings"].sum() for f, s in near.items()})
    with pytest.raises(AssertionError, match="승차\\+하차"):
        m.check_daily(boardings, near, fests)
    with pytest.raises(AssertionError, match="목록에 없는 이름"):
        m.check_festivals(["석촌호수 벚꽃축제", "한성백제문화제"])
    with pytest.raises(AssertionError, match="승하차 표.*없는 역"):
        m.check_daily(daily, {**near, "한성백제문화제": ["올림픽공원역"]}, fests)
    with pytest.raises(AssertionError, match="축제 날"):
        m.check_daily(daily.loc["2023-05-01":], near, fests)


def test_project3_growth_and_keywords_checks(labchecks):
    m = labchecks("project3_complaint_rise")
    period = ("2020-03", "2020-05")
    ref = m.reference_counts(100, period)
    m.check_growth(ref, 100, period)
    with pytest.raises(AssertionError, match="MIN_AGREE 이상"):
        m.check_growth(m.reference_counts(0, period), 100, period)   # every petition counted, threshold claimed
    with pytest.raises(AssertionError, match="1년 전 같은 달"):
        m.check_growth(ref.assign(before=m.reference_counts(100, ("2019-12", "2020-02"))["now"]), 100, period)
    with pytest.raises(AssertionError, match="빠진 분야"):
        m.check_growth(ref.iloc[1:], 100, period)
    m.check_keywords(["코로나", "마스크", "의료", "병원", "감염"], "보건복지", period)
    with pytest.raises(AssertionError, match="나오지 않는 낱말.*없는낱말"):
        m.check_keywords(["코로나", "마스크", "의료", "병원", "없는낱말"], "보건복지", period)
