"""living_population on real data: the batch runs for all 25 districts; the day/night ratio, the COVID-19
count of districts that rose and the hotspot's rank and busiest hour it prints match an independent
computation from the raw CSV files (positional columns, not the datalit reader); the key place is one inside
the district; the KT 아현 fire is flagged where it touches; a planted drop is found; bad parameters are
refused before a kernel starts, with the allowed values listed."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from knownanswer import copy_dataset, rewrite_csv, run
from reportkit import assert_refused_before_kernel, cli, html_text, summary

from datalit import data

pytestmark = [pytest.mark.reports, pytest.mark.slow]
NB = "living_population"
MAPO = "11440"          # 행정안전부 code of 마포구


@pytest.fixture(scope="module")
def batch(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("lp")
    result = cli("batch", str(repo / "reports" / f"{NB}.ipynb"), "--each", "gu=all", "--out", str(out),
                 "--workers", "2", "--no-progress", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def raw(shared_datasets):
    path = shared_datasets / "seoul_living_population_gu_daily_2018_2020" / "자치구단위 서울 생활인구 일별 집계표.csv"
    df = pd.read_csv(path, encoding="utf-8-sig", header=0, dtype={1: str})
    df = df.iloc[:, [0, 1, 3, 9, 10]]
    df.columns = ["day", "code", "total", "day_mean", "night_mean"]
    df["day"] = pd.to_datetime(df["day"].astype(str), format="%Y%m%d")
    return df[df["code"] != "11000"]


def test_every_district_ran(batch):
    s = summary(batch)
    assert len(s["reports"]) == 25
    assert {r["status"] for r in s["reports"]} == {"ok"}


def test_batch_reports_show_their_charts(batch):
    """Forked batch kernels draw inline: every chart is an image, never matplotlib's "<Figure size …>" text
    (seen when the fork server imported matplotlib_inline before the kernel existed)."""
    for html in sorted(batch.glob("gu-*/*.html")):
        page = html.read_text(encoding="utf-8")
        assert "&lt;Figure size" not in page and "<Figure size" not in page, html
        assert page.count("data:image/png") >= 5, html


def test_day_night_ratio_and_covid_count(batch, raw):
    text = html_text(batch / "gu-마포구" / f"{NB}.html")
    mapo = raw[raw["code"] == MAPO]
    ratio = mapo["day_mean"].mean() / mapo["night_mean"].mean()
    assert f"주간 ÷ 야간 비율: {ratio:.3f}배" in text, text[:2000]
    weekend = mapo["day"].dt.day_of_week >= 5
    pct = (mapo.loc[weekend, "total"].mean() / mapo.loc[~weekend, "total"].mean() - 1) * 100
    assert f"주말(토·일) 하루 평균은 평일보다 {pct:+.1f}%" in text

    def spring(year):
        d = raw[(raw["day"] >= f"{year}-03-01") & (raw["day"] <= f"{year}-06-30")]
        return d.groupby("code")["total"].mean()

    change = (spring(2020) / spring(2019) - 1) * 100
    rose, fell = int((change > 0).sum()), int((change < 0).sum())
    assert rose + fell == 25 and rose > fell                     # issue 14: "몇 곳" was wrong, most rose
    assert f"25개 구 가운데 {rose}곳이 늘고 {fell}곳이 줄었습니다" in text
    assert f"마포구: 하루 평균 생활인구 {change[MAPO]:+.1f}%" in text
    assert "원인" in text and "방법과 한계" in text and "데이터 출처" in text


def test_change_is_read_against_the_seoul_total(batch, raw):
    """Stat review: the 'usual range' was the spread across districts of ONE pre-COVID year in which all 25
    fell, and its '범위 밖 18곳' were mostly rises a reader takes for 'COVID made it grow'. Now each district's
    2020 change is read against the Seoul total's (difference in %p), and only a gap beyond ±10 %p is judged.
    Recomputed from the raw CSV (Seoul total = sum of the 25 districts, each a mean over the same days)."""
    text = html_text(batch / "gu-마포구" / f"{NB}.html")
    found = json.loads((batch / "gu-마포구" / "manifest.json").read_text(encoding="utf-8"))["findings"]

    def span(year, start, end):
        d = raw[(raw["day"] >= f"{year}-{start}") & (raw["day"] <= f"{year}-{end}")]
        return d.groupby("code")["total"].mean()

    now, before = span(2020, "03-01", "06-30"), span(2019, "03-01", "06-30")
    seoul = (now.sum() / before.sum() - 1) * 100
    gap = (now / before - 1) * 100 - seoul
    assert abs(found["seoul_covid_pct"] - seoul) < 1e-9
    assert abs(found["covid_vs_seoul_pp"] - gap[MAPO]) < 1e-9
    usual = (span(2019, "04-05", "06-30") / span(2018, "04-05", "06-30") - 1) * 100
    usual_gap = usual - (span(2019, "04-05", "06-30").sum() / span(2018, "04-05", "06-30").sum() - 1) * 100
    assert found["usual_vs_seoul_range_pp"] == pytest.approx([usual_gap.min(), usual_gap.max()], abs=1e-9)
    assert max(abs(usual_gap)) < 5                                       # so ±10 %p is about twice the usual spread
    codes = {"11140": "중구", "11110": "종로구"}
    assert {codes.get(c, c): ("fell" if v <= -10 else "rose") for c, v in gap.items() if abs(v) >= 10} == found["judged"]
    assert found["judged"] == {"중구": "fell", "종로구": "fell"} and found["verdict"] == "not_judged"
    assert f"서울 전체({seoul:+.1f}%)와 견주면 {gap[MAPO]:+.1f}%p → 한 해뿐이라 판정하지 않음" in text
    assert "범위를 벗어난 구" not in text and "범위 밖" not in text       # the old count is gone


def test_key_place_is_inside_the_district_and_its_busiest_hour(batch, shared_datasets):
    text = html_text(batch / "gu-마포구" / f"{NB}.html")
    found = json.loads((batch / "gu-마포구" / "manifest.json").read_text(encoding="utf-8"))["findings"]
    log = pd.read_csv(shared_datasets / "seoul_citydata_hotspot_population_log_2026" / "seoul_population_log.csv",
                      encoding="utf-8-sig").dropna(subset=["중앙추정인구", "업데이트시간"])
    means = log.groupby("지역명")["중앙추정인구"].mean().sort_values(ascending=False)
    hotspot = found["hotspot"]
    assert found["hotspot_gu"] == "마포구" and "명동" not in hotspot          # issue 21: 명동 (중구) was 마포구's place
    # the places named for 마포구 by their station or dong: all really in 마포구 by the station master / boundaries
    coords = data.load("seoul_subway_station_coords", "stations")
    dongs = set(data.load("seoul_dong_boundaries", "admdong_2021").query("gu == '마포구'")["dong"])
    for name in found["places_in_gu"]:
        base = re.sub(r"\(.*?\)", "", name).removesuffix("역")
        gus = set(coords.loc[coords["station_name"].str.replace(r"\(.*\)$", "", regex=True) == base, "gu"].dropna())
        assert gus == {"마포구"} or name in dongs, (name, gus)
    assert hotspot == max(found["places_in_gu"], key=lambda p: means[p])    # the busiest of them
    rank = list(means.index).index(hotspot) + 1
    assert f"{hotspot}의 평균 추정 인구(중앙 추정): {means[hotspot]:,.0f}명 , 121곳 가운데 {rank}위" in text
    place = log[log["지역명"] == hotspot]
    hours = place.groupby(pd.to_datetime(place["업데이트시간"]).dt.hour)["중앙추정인구"].agg(["mean", "size"])
    best = hours[hours["size"] >= 3]["mean"].idxmax()
    assert f"가장 붐빈 시간대(관측 3번 이상인 시각만): {best}시 ({hours.loc[best, 'mean']:,.0f}명" in text


def test_known_anomaly_flagged_where_it_touches(batch):
    mapo = html_text(batch / "gu-마포구" / f"{NB}.html")
    assert "KT 아현지사 화재 2018-11-24" in mapo and "사람이 줄어든 것이 아닙니다" in mapo
    assert mapo.count("⚠ KT 아현지사 화재") >= 2                               # the weekday chart and the daily chart
    gangnam = html_text(batch / "gu-강남구" / f"{NB}.html")
    assert gangnam.count("⚠ KT 아현지사 화재") == 1                             # only the 25-district comparison


def test_known_answer_planted_covid_drop(repo, shared_datasets, tmp_path, batch):
    """마포구's total x0.7 on 2020-03-01..06-30 in a copy of the real file: the printed change moves by exactly
    that factor, and its gap to the Seoul total passes the judged width (-10 %p), which it did not before."""
    real = json.loads((batch / "gu-마포구" / "manifest.json").read_text(encoding="utf-8"))["findings"]
    folder = copy_dataset(shared_datasets, tmp_path / "data", "seoul_living_population_gu_daily_2018_2020")

    def plant(row):
        if row[1].strip() == MAPO and "20200301" <= row[0].strip() <= "20200630":
            row[3] = repr(float(row[3]) * 0.7)
        return row

    assert rewrite_csv(next(folder.glob("*.csv")), plant) == 122          # every day of March-June 2020
    got = run(repo, NB, tmp_path / "out", data_root=tmp_path / "data", gu="마포구")["findings"]
    expected = ((1 + real["covid_total_pct"] / 100) * 0.7 - 1) * 100
    assert abs(got["covid_total_pct"] - expected) < 1e-6
    assert got["usual_total_pct"] == real["usual_total_pct"]
    assert got["seoul_covid_pct"] < real["seoul_covid_pct"]               # 마포구 is part of the Seoul total
    assert abs(got["covid_vs_seoul_pp"] - (got["covid_total_pct"] - got["seoul_covid_pct"])) < 1e-9
    assert real["verdict"] == "not_judged" and got["verdict"] == "fell" and got["judged"]["마포구"] == "fell"


@pytest.mark.parametrize("pairs, words", [
    (["gu", "서울"], ["허용되지 않습니다", "마포구", "강동구"]),
    (["hotspot", "없는 장소"], ["허용되지 않습니다", "강남역", "121개"]),
])
def test_bad_parameters_refused_before_a_kernel(repo, tmp_path, pairs, words):
    assert_refused_before_kernel(repo / "reports" / f"{NB}.ipynb", pairs, words, tmp_path / "out")
