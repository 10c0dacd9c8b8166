"""Bus datasets against their SOURCE.md: row counts, columns, quirks, values read from the raw files."""
import pandas as pd

from datalit import data


def test_bus_ridership_long_form_totals_and_night_routes():
    frame = data.load("seoul_bus_stop_hourly_ridership_202205")
    assert len(frame) == 40328 * 24
    assert list(frame.columns) == list(data.labels("seoul_bus_stop_hourly_ridership_202205"))
    assert (frame["month"] == pd.Timestamp("2022-05-01")).all()
    # SOURCE.md month totals and peaks
    assert frame["boardings"].sum() == 140_195_213 and frame["alightings"].sum() == 136_992_215
    by_hour = frame.groupby("hour")["boardings"].sum()
    assert by_hour.idxmax() == 8 and by_hour.loc[18] > 11_000_000
    assert frame["route_no"].nunique() == 628
    assert frame.loc[frame["route_no"].str.startswith("N"), "route_no"].nunique() == 14
    # raw: 202205,N13,N13번(상계동차고지~송파공영차고지),01288,종로중부새마을금고,29,22,45,69,14,32,0,...
    # (N13 also passes 01288 in the other direction, a separate row with route_name 송파공영차고지~상계동차고지)
    n13 = frame[(frame["route_name"] == "N13번(상계동차고지~송파공영차고지)") & (frame["ars_id"] == "01288")]
    n13 = n13.set_index("hour")
    assert len(n13) == 24
    assert (n13.loc[0, "stop_name"], n13.loc[0, "gu"]) == ("종로중부새마을금고", "종로구")
    assert tuple(n13.loc[1, ["boardings", "alightings"]]) == (45, 69)


def test_bus_ridership_wide_keeps_rows_with_commas():
    wide = data.load("seoul_bus_stop_hourly_ridership_202205", "wide")
    assert wide.shape == (40328, 54)
    assert list(wide.columns) == list(data.labels("seoul_bus_stop_hourly_ridership_202205", "wide"))
    assert wide["ars_id"].dropna().str.fullmatch(r"\d{5}").all()
    assert wide["ars_id"].isna().sum() == 225 and wide["ars_id"].nunique() == 12492
    # raw (55 fields): 202205,110B,110번(B,국민대방향,정릉~정릉),01133,세검정초등학교,0,0,0,0,0,0,0,0,51,27,...,262,273
    row = wide[(wide["route_no"] == "110B") & (wide["ars_id"] == "01133")].iloc[0]
    assert (row["route_name"], row["stop_name"]) == ("110번(B,국민대방향,정릉~정릉)", "세검정초등학교")
    assert (row["boardings_04"], row["alightings_04"], row["boardings_08"], row["alightings_08"]) == (51, 27, 262, 273)
    # a comma inside the stop name (route 1155)
    assert "유승한내들2차,세종로묘원입구" in set(wide.loc[wide["route_no"] == "1155", "stop_name"])


def test_bus_stops_text_ars_and_gu_from_prefix():
    frame = data.load("seoul_bus_stops")
    assert len(frame) == 11301
    assert list(frame.columns) == list(data.labels("seoul_bus_stops"))
    assert frame["ars_id"].str.fullmatch(r"\d{5}").all() and frame["ars_id"].is_unique
    assert frame["node_id"].dtype == "int64" and frame["lat"].notna().all()
    assert frame["lon"].between(126.45, 127.19).all() and frame["lat"].between(37.43, 37.70).all()
    assert frame["stop_type"].value_counts()["중앙차로"] == 407
    # raw first row: 100000001, 01001, 종로2가사거리, 126.987752, 37.569806, 중앙차로
    row = frame.set_index("ars_id").loc["01001"]
    assert (row["node_id"], row["stop_name"], row["gu"], row["stop_type"]) == (100000001, "종로2가사거리", "종로구", "중앙차로")
    assert abs(row["lon"] - 126.987752) < 1e-6 and abs(row["lat"] - 37.569806) < 1e-6
    assert frame["gu"].nunique() == 25 and frame["gu"].notna().all()


def test_bus_stop_gu_from_ars_agrees_with_district_boundaries():
    import geopandas as gpd

    stops = data.load("seoul_bus_stops")
    gu = data.load("seoul_gu_boundaries")[["gu", "geometry"]]
    points = gpd.GeoDataFrame(stops, geometry=gpd.points_from_xy(stops["lon"], stops["lat"]), crs="EPSG:4326")
    joined = gpd.sjoin(points, gu.rename(columns={"gu": "gu_polygon"}), how="inner", predicate="within")
    assert (joined["gu"] == joined["gu_polygon"]).mean() > 0.98
