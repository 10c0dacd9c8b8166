"""Exercises for courses/intermediate/07-event-effect.ipynb (a festival's effect on nearby subway stations, 2023)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.checkers.korean import josa
from datalit.lessons.concepts import Concept

RADIUS_KM = 1.0
WINDOW_DAYS = 28

# Seoul festivals of the festival list held inside the ridership period (2023-01 … 2023-10) with coordinates
# and at least one subway station within 1 km (computed from the data; the lesson parameter's choices).
FESTIVALS = [
    "석촌호수벚꽃축제", "한성백제문화제", "관악구 협치과제 S1472 어린이주간", "관악구 협치과제 이십세기 음악상점",
    "2023 GIG Festival", "2023 관악어린이가족축제_관악봄봄", "2023 어린이동화페스티벌",
]


def distance_km(lat, lon, lats, lons):
    """Great-circle (haversine) distance in km from one point to many."""
    import numpy as np

    p1, p2 = np.radians(lat), np.radians(lats)
    dphi, dlmb = p2 - p1, np.radians(lons) - np.radians(lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def festival_row(festival="석촌호수벚꽃축제"):
    f = data.load("korea_festivals_events_standard", "festivals")
    rows = f[f["is_seoul"] & (f["name"] == festival) & (f["start_date"].dt.year == 2023)]
    if rows.empty:
        raise ValueError(f"2023년 서울 축제 목록에 {josa(repr(festival), '이/가')} 없어요.")
    return rows.iloc[0]


def nearby_stations(festival="석촌호수벚꽃축제", radius_km=RADIUS_KM):
    """Names of subway stations (as written in the ridership table) within radius_km of the festival venue."""
    fest = festival_row(festival)
    st = data.load("seoul_subway_station_coords", "stations")
    d = distance_km(fest["latitude"], fest["longitude"], st["lat"], st["lon"])
    names = set(data.load("seoul_subway_daily_ridership_2023")["station"])
    return sorted(n for n in set(st.loc[d <= radius_km, "station_name"]) if n in names)


def _nearby_2km(festival="석촌호수벚꽃축제"):
    return nearby_stations(festival, radius_km=2.0)


def _nearby_all(festival="석촌호수벚꽃축제", radius_km=RADIUS_KM):
    fest = festival_row(festival)
    st = data.load("seoul_subway_station_coords", "stations")
    d = distance_km(fest["latitude"], fest["longitude"], st["lat"], st["lon"])
    return sorted(set(st.loc[d <= radius_km, "station_name"]))


def daily_traffic(festival="석촌호수벚꽃축제"):
    """Boardings + alightings per day at the nearby stations (all lines added)."""
    sub = data.load("seoul_subway_daily_ridership_2023")
    rows = sub[sub["station"].isin(nearby_stations(festival))]
    return (rows["boardings"] + rows["alightings"]).groupby(rows["date"]).sum()


def _daily_boardings_only(festival="석촌호수벚꽃축제"):
    sub = data.load("seoul_subway_daily_ridership_2023")
    rows = sub[sub["station"].isin(nearby_stations(festival))]
    return rows.groupby("date")["boardings"].sum()


def _daily_rows_not_summed(festival="석촌호수벚꽃축제"):
    sub = data.load("seoul_subway_daily_ridership_2023")
    rows = sub[sub["station"].isin(nearby_stations(festival))]
    return (rows["boardings"] + rows["alightings"]).set_axis(rows["date"])


def _festival_mask(daily, fest):
    return (daily.index >= fest["start_date"]) & (daily.index <= fest["end_date"])


def _holiday_mask(daily):
    """Korean public holidays (설날·추석 and substitute days included) from the holidays package."""
    import holidays
    import pandas as pd

    return daily.index.isin(pd.to_datetime(list(holidays.KR(years=sorted(set(daily.index.year))))))


def _comparable(festival, drop_holidays=True):
    import pandas as pd

    fest = festival_row(festival)
    daily = daily_traffic(festival)
    on = _festival_mask(daily, fest)
    weekdays = set(daily.index[on].day_of_week)
    window = (daily.index >= fest["start_date"] - pd.Timedelta(days=WINDOW_DAYS)) & \
             (daily.index <= fest["end_date"] + pd.Timedelta(days=WINDOW_DAYS))
    keep = window & ~on & daily.index.day_of_week.isin(list(weekdays))
    return daily[keep & ~_holiday_mask(daily)] if drop_holidays else daily[keep]


def comparable_days(festival="석촌호수벚꽃축제"):
    """Days with a festival weekday, within 28 days of the festival, festival days and public holidays excluded."""
    return _comparable(festival)


def _comparable_with_holidays(festival="석촌호수벚꽃축제"):
    return _comparable(festival, drop_holidays=False)


def _comparable_all_days(festival="석촌호수벚꽃축제"):
    fest = festival_row(festival)
    daily = daily_traffic(festival)
    return daily[~_festival_mask(daily, fest)]


def effect_pct(festival="석촌호수벚꽃축제"):
    """Festival-day mean against comparable-day mean, in percent (+ = more people)."""
    fest = festival_row(festival)
    daily = daily_traffic(festival)
    return float((daily[_festival_mask(daily, fest)].mean() / comparable_days(festival).mean() - 1) * 100)


def _effect_vs_all(festival="석촌호수벚꽃축제"):
    fest = festival_row(festival)
    daily = daily_traffic(festival)
    on = _festival_mask(daily, fest)
    return float((daily[on].mean() / daily[~on].mean() - 1) * 100)


q1 = Question(
    "q1", variable="near",
    prompt="축제 장소에서 1km 안에 있는 지하철역 이름 목록 (승하차 표에 있는 이름만)",
    reference=nearby_stations,
    checker=ck.values(ordered=False),
    hints=["distance_km(fest[\"latitude\"], fest[\"longitude\"], coords[\"lat\"], coords[\"lon\"])로 모든 역까지의 거리를 구해요.",
           "거리가 1 이하인 행의 station_name을 고르고, 환승역이 두 번 나오지 않게 set()으로 중복을 없애요.",
           "승하차 표에 있는 이름만: [n for n in 이름들 if n in set(sub[\"station\"])]"],
    solution='''d = distance_km(fest["latitude"], fest["longitude"], coords["lat"], coords["lon"])
near = sorted(n for n in set(coords.loc[d <= 1.0, "station_name"]) if n in set(sub["station"]))''',
    wrong=[Wrong(_nearby_2km, "반경을 2km로 잡았어요. 문제는 축제 장소에서 1km 안이에요: d <= 1.0으로 고르세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="daily",
    prompt="가까운 역들의 하루 이용객(승차 + 하차)을 날짜별로 더한 Series",
    reference=daily_traffic,
    checker=ck.series(ordered=True),
    hints=["sub[sub[\"station\"].isin(near)]로 가까운 역의 행만 골라요.",
           "이용객 = boardings + alightings. 날짜별로 더하기: (rows[\"boardings\"] + rows[\"alightings\"]).groupby(rows[\"date\"]).sum()"],
    solution='''rows = sub[sub["station"].isin(near)]
daily = (rows["boardings"] + rows["alightings"]).groupby(rows["date"]).sum()''',
    wrong=[Wrong(_daily_boardings_only, "승차(boardings)만 더했어요. 이용객은 승차 + 하차예요: "
                 "rows[\"boardings\"] + rows[\"alightings\"]를 날짜별로 더하세요.", diagnose=True),
           Wrong(_daily_rows_not_summed, "날짜별로 더하지 않았어요(groupby 빠짐): 역·호선마다 한 행씩 같은 날짜가 "
                 "여러 번 나와요. .groupby(rows[\"date\"]).sum()으로 하루에 하나로 만드세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="base",
    prompt="비교할 날: 축제 앞뒤 28일 안에서 축제 기간과 같은 요일인 날 (축제 날과 공휴일은 빼고)",
    reference=comparable_days,
    checker=ck.series(ordered=True),
    hints=["축제 날: on = (daily.index >= fest[\"start_date\"]) & (daily.index <= fest[\"end_date\"])",
           "축제 기간의 요일: set(daily.index[on].day_of_week). 앞뒤 28일: pd.Timedelta(days=28)",
           "공휴일: holiday = daily.index.isin(pd.to_datetime(list(holidays.KR(years=2023)))) — 설날·추석 연휴와 대체공휴일도 들어 있어요.",
           "네 조건(기간 안, 축제 날 아님, 같은 요일, 공휴일 아님)을 &로 이어요: ~on 은 '축제 날이 아님'"],
    solution='''on = (daily.index >= fest["start_date"]) & (daily.index <= fest["end_date"])
weekdays = list(set(daily.index[on].day_of_week))
window = ((daily.index >= fest["start_date"] - pd.Timedelta(days=28))
          & (daily.index <= fest["end_date"] + pd.Timedelta(days=28)))
holiday = daily.index.isin(pd.to_datetime(list(holidays.KR(years=2023))))
base = daily[window & ~on & daily.index.day_of_week.isin(weekdays) & ~holiday]''',
    wrong=[Wrong(_comparable_all_days, "축제 날만 뺐을 뿐 '앞뒤 28일 안'과 '같은 요일' 조건을 쓰지 않았어요. 계절과 "
                 "요일이 다른 날이 섞이면 '평소'가 아니에요: window와 day_of_week 조건을 &로 더하세요.", diagnose=True),
           Wrong(_comparable_with_holidays, "공휴일을 비교일에서 빼지 않았어요. 삼일절·어린이날·추석 같은 날은 출퇴근이 없어 "
                 "'평소'가 아니에요: holidays.KR(years=2023)의 날짜를 ~로 빼세요.", diagnose=True)],
)

q4 = Question(
    "q4", variable="effect",
    prompt="축제 날 하루 평균 이용객이 비교일 평균보다 몇 % 많은지",
    reference=effect_pct,
    checker=ck.number(rel=1e-6),
    hints=["축제 날 평균: daily[on].mean(), 비교일 평균: base.mean()",
           "(축제 날 평균 / 비교일 평균 - 1) × 100"],
    solution="effect = (daily[on].mean() / base.mean() - 1) * 100",
    wrong=[Wrong(_effect_vs_all, "비교일(base) 대신 축제 날이 아닌 '모든 날'의 평균과 비교했어요. 요일·계절·공휴일이 "
                 "섞여 효과가 부풀어요: base.mean()과 비교하세요.", diagnose=True),
           Wrong(lambda festival: effect_pct(festival) / 100, "100배 작아요")],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="연습 4의 효과(축제 날 평균 ÷ 비교일 평균 - 1)로 말할 수 있는 것은?",
    options={"가": "축제 날 가까운 역의 하루 평균 이용객이 같은 요일 비교일의 평균과 얼마나 달랐는지 알 수 있다. 다만 날씨·다른 행사·꽃 피는 시기가 섞였을 수 있다.",
             "나": "같은 요일의 앞뒤 28일과 견주었으니 요일이나 계절 같은 다른 까닭은 모두 걸러졌다. 그래서 이용객이 달라진 만큼이 모두 축제 때문이라고 확정할 수 있다.",
             "다": "늘어난 이용객 수가 곧 축제 방문객 수다.",
             "라": "비교일을 '축제 날이 아닌 모든 날'로 바꾸어도 결과는 같다."},
    answer="가",
    why={"가": "비교일을 같은 요일·가까운 기간으로 골라 요일과 계절 효과를 줄인 '차이'예요. 원인은 다른 설명들을 하나씩 따져 본 뒤에야 말할 수 있어요.",
         "나": "관찰 자료의 차이는 인과의 증거가 아니에요. 그날의 날씨, 근처의 다른 행사, 벚꽃 같은 계절 요인도 이용객을 바꿔요.",
         "다": "이용객 = 승차 + 하차라서 한 사람이 오가며 두 번 세어져요. 걸어서·버스·자동차로 온 방문객은 아예 세지 않아요.",
         "라": "효과는 '무엇과 비교했는가'에 달려 있어요. 모든 날과 비교하면 요일·계절·공휴일이 섞여 값이 달라져요."},
    hints=["효과 숫자를 만든 두 평균이 각각 어떤 날들인지 떠올려 보세요."],
)
