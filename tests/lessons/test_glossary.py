"""용어집 (issue #23 item 4): every number in a Seoul example is recomputed here from the raw files, the
builder hands the glossary out beside each course's lessons, and the hygiene check finds an unlinked first
use and a link to a term the glossary does not have."""
from __future__ import annotations

import re

import nbformat
import pytest

from datalit.lessons import glossary

pytestmark = pytest.mark.lessons

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _eok(manwon: float) -> str:
    """94,000 만 원 -> '9억 4천만 원' (the rounding a reader does)."""
    return f"{int(manwon // 10_000)}억 {int(manwon % 10_000 // 1_000)}천만 원"


def _apartments():
    from datalit import data

    s = data.load("seoul_apartment_sales_2022")
    return s.loc[~s["is_cancelled"], "price_manwon"]


def _mapo(year=None):
    from datalit import data

    air = data.load("seoul_air_quality_daily")
    d = air[air["gu"] == "마포구"].set_index("date").sort_index()
    return d if year is None else d[d.index.year == year]


def _cctv():
    """(per 10,000 residents as the lesson merges it, the raw CCTV table)."""
    from datalit import data
    from datalit.lessons.exercises.intermediate import merge_per_capita

    return merge_per_capita.cctv_per_10k().set_index("gu"), data.load("seoul_cctv_by_gu").set_index("gu")


def facts() -> dict[str, tuple[list[str], list[str]]]:
    """term -> (strings computed from the data, strings that are the example's inputs: years, thresholds)."""
    out = {}
    p = _apartments()
    out["평균"] = ([f"{len(p):,}건", f"약 {round(p.mean()):,}만 원({_eok(p.mean())})"], ["2022년"])
    gap = p.mean() - p.median()
    out["중앙값"] = ([f"{len(p):,}건", f"{p.median():,.0f}만 원({_eok(p.median())})", f"{p.max():,.0f}만 원({p.max() / 10_000:.0f}억 원)",
                   f"{int(gap // 10_000)}억 원 넘게"], [])
    per, raw = _cctv()
    ranked = per.sort_values("cctv_per_10k", ascending=False)
    assert raw["cctv_total"].idxmax() == "강남구" and ranked.index[0] == "용산구"
    out["분모"] = ([f"강남구({raw.loc['강남구', 'cctv_total']:,}대)", f"1만 명당 {per.loc['강남구', 'cctv_per_10k']:.1f}대로 "
                 f"{list(ranked.index).index('강남구') + 1}위"], [])
    y = per.loc["용산구"]
    out["1만 명당"] = ([f"CCTV {int(y['cctv_total']):,}대 ÷ 인구 {int(y['population']):,}명", f"{y['cctv_per_10k']:.1f}대"],
                    ["1만", "10,000", "2017년 1분기"])
    m19 = _mapo(2019)["pm25"].dropna()
    out["비율"] = ([f"{len(m19)}일", f"{int((m19 > 35).sum())}일", f"{(m19 > 35).mean() * 100:.1f}%"], ["2019년", "35㎍/㎥"])
    allm = _mapo()["pm25"]
    assert (allm.index.min().date().isoformat(), allm.index.max().date().isoformat()) == ("2014-01-01", "2022-12-31")
    out["결측값"] = ([f"{len(allm):,}일", f"{int(allm.isna().sum())}일"], ["2014–2022년"])
    bands = [(m19 <= 15).sum(), ((m19 > 15) & (m19 <= 35)).sum(), ((m19 > 35) & (m19 <= 75)).sum(), (m19 > 75).sum()]
    out["구간"] = ([f"{len(m19)}일", *(f"{n}일" for n in bands)], ["2019년", "15 이하", "15 초과 35 이하", "35 초과 75 이하",
                                                               "75 초과"])
    out["시계열"] = ([f"{len(allm):,}일"], ["2014년 1월 1일", "2022년 12월 31일"])
    from datalit.lessons.exercises.intermediate import fine_dust_time_series as i3

    roll = i3.rolling30().loc["2019"]
    peak = roll.idxmax()
    out["이동평균"] = ([f"{m19.max():.0f}㎍/㎥", f"{peak.month}월 {peak.day}일의 {roll.max():.1f}㎍/㎥"], ["2019년", "30일"])
    from datalit.lessons.exercises.intermediate import reshape_subway_hourly as i1

    wide = i1._wide()  # the file's layout: one row per station, a column per hour and direction
    hours = sorted({c.split("_")[1] for c in wide.columns if c.startswith("boardings_")})
    out["넓은 표"] = ([f"역 {len(wide)}개", f"열이 {wide.shape[1]}개"], ["2024년 11월"])
    long = i1.long_boardings()
    assert len(long) == len(wide) * len(hours)
    out["긴 표"] = ([f"{len(wide)}개 역 × {len(hours)}개 시간대 = {len(long):,}줄", f"열 {long.shape[1]}개"], [])
    from datalit.lessons.exercises.intermediate import maps_folium as i4

    den = i4.density().set_index("gu")
    top = den.index[0]
    assert top == "양천구"
    out["좌표계"] = ([f"{den.loc[top, 'area_km2']:.2f}㎢"], ["EPSG:5179"])
    out["인구밀도"] = ([f"{den.loc[top, 'population']:,}명 ÷ {den.loc[top, 'area_km2']:.2f}㎢",
                    f"1㎢당 {den.loc[top, 'density']:,.0f}명"], ["2021년 2분기"])
    from datalit.lessons.exercises.intermediate import living_population as i6

    dn = i6.day_night()
    assert dn["gu"].iloc[0] == "중구" and len(dn) == 25
    from datalit import data

    lp = data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")
    assert (lp["date"].min().strftime("%Y-%m"), lp["date"].max().strftime("%Y-%m")) == ("2018-04", "2020-07")
    out["생활인구"] = ([f"{dn['day_night_ratio'].iloc[0]:.2f}배", "25개 구"], ["2018년 4월–2020년 7월", "9–18시", "19–8시"])
    from datalit.lessons.exercises.advanced import bootstrap_permutation as a1

    diff, (lo, hi) = a1.observed_diff(), a1.bootstrap_ci()
    out["표본"] = ([f"{len(a1.gu_year())}일"], ["2019년", "PM10"])
    out["부트스트랩"] = ([f"−{abs(diff):.1f}㎍/㎥", f"{a1.N_BOOT:,}번"], ["2019년", "PM10"])
    out["신뢰구간"] = ([f"−{abs(diff):.1f}㎍/㎥", f"−{abs(lo):.1f} ~ {hi:.1f}㎍/㎥"], ["95%"])
    pval = a1.permutation_p()
    out["순열검정"] = ([f"{a1.N_PERM:,}번", f"({abs(diff):.1f}㎍/㎥)", f"약 {pval * 100:.0f}%"], ["2019년", "PM10"])
    out["p값"] = ([f"p값은 {pval:.2f}"], [])
    from datalit.lessons.exercises.advanced import reproducible_analysis as a6

    r, (clo, chi) = a6.spearman_wind(), a6.bootstrap_ci()
    out["상관"] = ([f"−{abs(r):.2f}", f"−{abs(clo):.2f} ~ {chi:.2f}"], ["2019년", "PM10", "95%"])
    from datalit.lessons.exercises.advanced import rain_ridership_confounding as a7

    d = a7.days()
    weekday = d["date"].dt.day_of_week
    busiest = d.groupby(weekday)["boardings"].mean().idxmax()
    assert busiest == 4 and a7.naive_pct() < 0 < a7._adjusted_no_month()  # Friday; the sign flips with weekdays
    out["교란 변수"] = ([f"{abs(a7.naive_pct()):.2f}% 적었지만", f"오히려 {a7._adjusted_no_month():.2f}% 많았고",
                      f"차이가 {abs(a7.adjusted_pct()):.2f}%", f"비 온 평일 {int(d['rainy'].sum())}일",
                      f"금요일은 {int((d['rainy'] & (weekday == busiest)).sum())}일뿐"], [])
    from datalit.lessons.exercises.intermediate import self_gas_stations as i9

    out["인과관계"] = ([f"{i9.overall_gap():.1f}원 싸지만", f"{i9.within_gu_gap():.1f}원 차이"], [])
    from datalit.lessons.exercises.advanced import cluster_districts as a5

    f = a5.district_features()
    out["표준화"] = ([f"{f['aged_share'].min():.1f}–{f['aged_share'].max():.1f}%",
                   f"{f['bike_docks_per_10k'].min():.1f}–{f['bike_docks_per_10k'].max():.1f}개"], ["65세", "1만 명당"])
    k = a5.best_k()
    out["군집"] = ([f"{len(f)}개 구", f"{k}개({a5.silhouette(k):.3f})"], [])
    return out


@pytest.mark.slow
def test_model_numbers_in_the_glossary_match_the_data():
    from datalit.lessons.exercises.advanced import bike_demand_forecast as a2

    ex = {e.term: e.example for e in glossary.entries()}
    assert f"R²는 {a2._train_r2():.2f}" in ex["학습 데이터"]
    assert f"R²가 {a2.model_r2():.2f}" in ex["시험 데이터"]
    assert f"R²가 {a2._random_split_r2():.2f}로" in ex["정보 누출"] and f"나누면 {a2.model_r2():.2f})" in ex["정보 누출"]


MODEL_TERMS = {"학습 데이터", "시험 데이터", "정보 누출"}


def test_every_number_in_a_seoul_example_is_recomputed_from_the_raw_files():
    items = {e.term: e for e in glossary.entries()}
    assert len(items) >= 25 and all(e.example for e in items.values()), [t for t, e in items.items() if not e.example]
    computed = facts()
    assert set(computed) | MODEL_TERMS == set(items)
    for term, (found, given) in computed.items():
        example = items[term].example
        for s in found + given:
            assert s in example, f"{term}: {s!r} not in {example!r}"
        covered = " ".join(found + given)
        for n in NUMBER.findall(example):
            assert n in covered, f"{term}: the number {n} in {example!r} is neither recomputed nor an input"


def test_the_glossary_notebook_is_handed_out_beside_every_course(tmp_path):
    from datalit.lessons.build import build_all

    result = build_all(tmp_path, handbook=False)
    for tier in result:
        nb = nbformat.read(str(tmp_path / tier / glossary.NOTEBOOK_NAME), as_version=4)
        nbformat.validate(nb)
        headings = [c.source.splitlines()[0][3:] for c in nb.cells[1:]]
        assert headings == [e.term for e in glossary.entries()]
        assert [c.id for c in nb.cells[1:]] == [e.anchor for e in glossary.entries()]
        assert all(re.fullmatch(r"용어집\.ipynb#cell-id=term-[a-z0-9-]+", e.href) for e in glossary.entries())
        assert len({e.anchor for e in glossary.entries()}) == len(glossary.entries())
        assert glossary.NOTEBOOK_NAME not in [p.name for p in result[tier]]  # not a lesson: no progress, no check


def _lesson(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 제목\n\n목표"), *cells, nbformat.v4.new_markdown_cell("## 핵심 정리")]
    return nb


def test_an_unlinked_first_use_and_a_dangling_link_are_caught():
    md = nbformat.v4.new_markdown_cell
    h = {e.term: e.href for e in glossary.entries()}
    good = _lesson(md(f"## 평균과 중앙값\n\n[평균]({h['평균']})은 큰 값에 끌려가요. 평균보다 "
                      f"[중앙값]({h['중앙값']})이 나을 때가 있어요. `평균` 코드는 세지 않아요."),
                   md(f"[신뢰구간]({h['신뢰구간']})은 구간 하나예요… 상관없이 쓰는 말은 용어가 아니에요.") )
    problems = glossary.link_problems(good)
    assert problems == [f"cell 2: first use of glossary term '구간' is not linked (write [구간]({h['구간']}))"]
    bad = _lesson(md(f"평균은 [평균]({h['평균']})이에요. [분모]({h['분모']})와 "
                     "[1만 명당](용어집.ipynb#1만-명당), [없는 말](용어집.ipynb#cell-id=term-nothing), [용어집](../용어집.md)"))
    problems = glossary.link_problems(bad)
    assert problems[0].startswith("cell 1: first use of glossary term '평균' is not linked")
    assert any("'용어집.ipynb#1만-명당': no such term" in p and "a heading anchor" in p for p in problems)
    assert any("'용어집.ipynb#cell-id=term-nothing': no such term" in p for p in problems)
    assert any("'../용어집.md' must point to 용어집.ipynb" in p for p in problems)
    assert len(problems) == 5, problems
