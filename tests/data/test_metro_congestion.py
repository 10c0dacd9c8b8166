"""seoul_metro_congestion against its SOURCE.md: both surveys harmonised, values from the raw files."""
import pandas as pd

from datalit import data

Y2019, Y2024 = pd.Timestamp("2019-12-31"), pd.Timestamp("2024-06-30")


def test_congestion_long_form_harmonises_both_surveys():
    frame = data.load("seoul_metro_congestion")
    assert len(frame) == 2 * 1668 * 39
    assert list(frame.columns) == list(data.labels("seoul_metro_congestion"))
    assert frame["congestion"].dtype == "float64" and frame["time"].cat.ordered
    assert list(frame["time"].cat.categories[[0, -2, -1]]) == ["05:30", "00:00", "00:30"]
    assert sorted(frame["line"].unique()) == [f"{n}호선" for n in range(1, 9)]
    assert set(frame["day_type"]) == {"평일", "토요일", "일요일"}
    missing = frame[frame["congestion"].isna()].groupby("survey_date").size()
    assert (missing.loc[Y2019], missing.loc[Y2024]) == (2628, 1556)
    key = frame.set_index(["survey_date", "day_type", "station_no", "direction", "time"])["congestion"]
    # raw 2019: 평일,1호선,150,서울역,상선,8.2,12.9,... last slot (24시30분) 0.9
    assert key.loc[(Y2019, "평일", 150, "상선", "05:30")] == 8.2
    assert key.loc[(Y2019, "평일", 150, "상선", "00:30")] == 0.9
    # raw 2024: 1,평일,1,158,청량리,상선,9.6 ,9.3 ,...,8.9 , (last slot empty); 하선 ends 2.0 ,0.2
    assert key.loc[(Y2024, "평일", 158, "상선", "05:30")] == 9.6
    assert pd.isna(key.loc[(Y2024, "평일", 158, "상선", "00:30")])
    assert key.loc[(Y2024, "평일", 158, "하선", "00:30")] == 0.2


def test_congestion_wide_table_and_branch_lines():
    wide = data.load("seoul_metro_congestion", "wide")
    assert wide.shape == (3336, 46)
    assert list(wide.columns) == list(data.labels("seoul_metro_congestion", "wide"))
    # 2019 성수지선 용답 (244) is line 2, as in 2024
    assert set(wide.loc[wide["station_no"] == 244, "line"]) == {"2호선"}
    assert (wide.groupby("survey_date").size() == 1668).all()
    gu = wide.drop_duplicates(["line", "station"]).set_index(["line", "station"])["gu"]
    assert gu.loc[("2호선", "신천")] == "송파구"  # 2019 name of 잠실새내, matched by station number 217
    assert gu.loc[("4호선", "미아삼거리")] == "강북구"
    assert gu.loc[("2호선", "성수E")] == "성동구" and gu.loc[("6호선", "응암S")] == "은평구"
    assert pd.isna(gu.loc[("7호선", "부천시청")])
    assert gu.notna().sum() >= 270 and gu.nunique() == 25


def test_congestion_cached_load_keeps_the_ordered_time_category():
    first = data.load("seoul_metro_congestion", use_cache=False)
    data.load("seoul_metro_congestion")  # writes the cache if an earlier test has not
    cached = data.load("seoul_metro_congestion")
    pd.testing.assert_frame_equal(first, cached)
    assert cached["time"].cat.ordered
