"""seoul_citydata_hotspot_population_log_2026 against its SOURCE.md; values read from the raw file."""
import pandas as pd

from datalit import data


def test_population_log_rows_gaps_and_known_values():
    frame = data.load("seoul_citydata_hotspot_population_log_2026")
    assert len(frame) == 18639
    assert list(frame.columns) == list(data.labels("seoul_citydata_hotspot_population_log_2026"))
    assert frame["collected_at"].nunique() == 155 and frame["place"].nunique() == 121
    assert frame["collected_at"].min() == pd.Timestamp("2026-06-04 08:00")
    assert frame["collected_at"].max() == pd.Timestamp("2026-06-27 13:00")
    assert frame["population_min"].isna().sum() == 9 and frame["updated_at"].isna().sum() == 9
    level = frame["congestion_level"]
    assert level.cat.ordered and list(level.cat.categories) == ["여유", "보통", "약간 붐빔", "붐빔"]
    assert level.value_counts()["붐빔"] == 484
    assert ((frame["population_min"] + frame["population_max"]) / 2 == frame["population_mid"]).sum() == 18630
    # raw: 2026-06-04 13:00:00,강남역,강남역,붐빔,...,90000.0,92000.0,2026-06-04 13:20,91000.0
    row = frame.set_index(["collected_at", "place"]).loc[(pd.Timestamp("2026-06-04 13:00"), "강남역")]
    assert (row["congestion_level"], row["population_min"], row["population_max"]) == ("붐빔", 90000.0, 92000.0)
    assert row["updated_at"] == pd.Timestamp("2026-06-04 13:20") and row["population_mid"] == 91000.0
    # a failed look-up is kept: 2026-06-05 00:00:00,회기역 with empty API fields
    failed = frame.set_index(["collected_at", "place"]).loc[(pd.Timestamp("2026-06-05 00:00"), "회기역")]
    assert pd.isna(failed["population_min"]) and pd.isna(failed["congestion_level"])


def test_population_log_cached_load_is_identical():
    first = data.load("seoul_citydata_hotspot_population_log_2026", use_cache=False)
    data.load("seoul_citydata_hotspot_population_log_2026")
    cached = data.load("seoul_citydata_hotspot_population_log_2026")
    pd.testing.assert_frame_equal(first, cached)
    assert cached["congestion_level"].cat.ordered
