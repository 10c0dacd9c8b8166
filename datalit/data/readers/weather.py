"""seoul_weather_asos108_daily_2014_2024: KMA ASOS daily observations, station 108 (Seoul).

CP949 csv with 62 Korean headers; renamed to English in file order (COLUMNS). Clock-time
columns (hhmi: 1428 = 14:28) and 16-point wind directions (degrees) are nullable integers.
An empty 일강수량 means no precipitation was recorded (KMA convention): precip_mm and
precip_9to9_mm are filled with 0 so totals and means are right, and ``precip_recorded``
keeps the distinction (0 in the file = a trace < 0.1 mm, recorded).
"""
from __future__ import annotations

import pandas as pd

from datalit.data.readers.common import rename_strict

# Korean header -> (English name, kind); kind: f=float, t=hhmi time, d=direction, i=int, s=str, date
COLUMNS = {
    "지점": ("station_id", "i"), "지점명": ("station_name", "s"), "일시": ("date", "date"),
    "평균기온(°C)": ("temp_mean_c", "f"), "최저기온(°C)": ("temp_min_c", "f"),
    "최저기온 시각(hhmi)": ("temp_min_time", "t"), "최고기온(°C)": ("temp_max_c", "f"),
    "최고기온 시각(hhmi)": ("temp_max_time", "t"), "강수 계속시간(hr)": ("precip_duration_hr", "f"),
    "10분 최다 강수량(mm)": ("precip_max_10min_mm", "f"), "10분 최다강수량 시각(hhmi)": ("precip_max_10min_time", "t"),
    "1시간 최다강수량(mm)": ("precip_max_1h_mm", "f"), "1시간 최다 강수량 시각(hhmi)": ("precip_max_1h_time", "t"),
    "일강수량(mm)": ("precip_mm", "f"),
    "최대 순간 풍속(m/s)": ("gust_max_ms", "f"), "최대 순간 풍속 풍향(16방위)": ("gust_max_dir_deg", "d"),
    "최대 순간풍속 시각(hhmi)": ("gust_max_time", "t"), "최대 풍속(m/s)": ("wind_max_ms", "f"),
    "최대 풍속 풍향(16방위)": ("wind_max_dir_deg", "d"), "최대 풍속 시각(hhmi)": ("wind_max_time", "t"),
    "평균 풍속(m/s)": ("wind_mean_ms", "f"), "풍정합(100m)": ("wind_run_100m", "f"),
    "최다풍향(16방위)": ("wind_dir_mode_deg", "d"), "평균 이슬점온도(°C)": ("dew_point_mean_c", "f"),
    "최소 상대습도(%)": ("humidity_min_pct", "f"), "최소 상대습도 시각(hhmi)": ("humidity_min_time", "t"),
    "평균 상대습도(%)": ("humidity_mean_pct", "f"), "평균 증기압(hPa)": ("vapor_pressure_mean_hpa", "f"),
    "평균 현지기압(hPa)": ("pressure_station_mean_hpa", "f"), "최고 해면기압(hPa)": ("pressure_sea_max_hpa", "f"),
    "최고 해면기압 시각(hhmi)": ("pressure_sea_max_time", "t"), "최저 해면기압(hPa)": ("pressure_sea_min_hpa", "f"),
    "최저 해면기압 시각(hhmi)": ("pressure_sea_min_time", "t"), "평균 해면기압(hPa)": ("pressure_sea_mean_hpa", "f"),
    "가조시간(hr)": ("daylight_possible_hr", "f"), "합계 일조시간(hr)": ("sunshine_hr", "f"),
    "1시간 최다일사 시각(hhmi)": ("radiation_max_1h_time", "t"), "1시간 최다일사량(MJ/m2)": ("radiation_max_1h_mj_m2", "f"),
    "합계 일사량(MJ/m2)": ("radiation_mj_m2", "f"), "일 최심신적설(cm)": ("new_snow_max_cm", "f"),
    "일 최심신적설 시각(hhmi)": ("new_snow_max_time", "t"), "일 최심적설(cm)": ("snow_depth_max_cm", "f"),
    "일 최심적설 시각(hhmi)": ("snow_depth_max_time", "t"), "합계 3시간 신적설(cm)": ("new_snow_3h_sum_cm", "f"),
    "평균 전운량(1/10)": ("cloud_total_mean_tenths", "f"), "평균 중하층운량(1/10)": ("cloud_low_mid_mean_tenths", "f"),
    "평균 지면온도(°C)": ("ground_temp_mean_c", "f"), "최저 초상온도(°C)": ("grass_temp_min_c", "f"),
    "평균 5cm 지중온도(°C)": ("soil_temp_5cm_c", "f"), "평균 10cm 지중온도(°C)": ("soil_temp_10cm_c", "f"),
    "평균 20cm 지중온도(°C)": ("soil_temp_20cm_c", "f"), "평균 30cm 지중온도(°C)": ("soil_temp_30cm_c", "f"),
    "0.5m 지중온도(°C)": ("soil_temp_0_5m_c", "f"), "1.0m 지중온도(°C)": ("soil_temp_1_0m_c", "f"),
    "1.5m 지중온도(°C)": ("soil_temp_1_5m_c", "f"), "3.0m 지중온도(°C)": ("soil_temp_3_0m_c", "f"),
    "5.0m 지중온도(°C)": ("soil_temp_5_0m_c", "f"), "합계 대형증발량(mm)": ("evaporation_large_mm", "f"),
    "합계 소형증발량(mm)": ("evaporation_small_mm", "f"), "9-9강수(mm)": ("precip_9to9_mm", "f"),
    "기사": ("phenomena", "s"), "안개 계속시간(hr)": ("fog_duration_hr", "f"),
}


def output_columns() -> list[str]:
    names = [eng for eng, _ in COLUMNS.values()]
    names.insert(names.index("precip_mm") + 1, "precip_recorded")
    return names


def read_daily(paths) -> pd.DataFrame:
    raw = pd.read_csv(paths[0], encoding="cp949", dtype=str, keep_default_na=False, engine="c")
    frame = rename_strict(raw, {ko: eng for ko, (eng, _) in COLUMNS.items()})
    for ko, (eng, kind) in COLUMNS.items():
        col = frame[eng].str.strip()
        if kind == "date":
            frame[eng] = pd.to_datetime(col, format="%Y-%m-%d")
        elif kind == "s":
            frame[eng] = col.replace("", None)
        else:
            num = pd.to_numeric(col.replace("", None), errors="raise")   # '.8' = 0.8
            frame[eng] = num.astype("float64") if kind == "f" else num.astype("Int64")
    frame["station_id"] = frame["station_id"].astype("int64")
    frame["precip_recorded"] = frame["precip_mm"].notna()
    frame["precip_mm"] = frame["precip_mm"].fillna(0.0)
    frame["precip_9to9_mm"] = frame["precip_9to9_mm"].fillna(0.0)
    frame = frame.sort_values("date").reset_index(drop=True)
    return frame[output_columns()]
