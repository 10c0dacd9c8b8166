"""Exercises for courses/advanced/99-review.ipynb: mixed retrieval questions from lessons 01, 02, 05 and 06.

Each answer is computed again here from the raw data, the way the earlier lesson asks for it (exercise
modules do not import one another), for the learner's district where the lesson had one; the wrong answers
are the mistakes those lessons already name."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

YEAR = 2019
BIKES = "seoul_bike_demand_uci"


def _pm10(gu):
    """Lesson 01's sample: the district's 2019 days with a PM10 value, and which of them are weekend days."""
    air = data.load("seoul_air_quality_daily")
    d = air[(air["gu"] == gu) & (air["date"].dt.year == YEAR)].dropna(subset=["pm10"])
    return d["pm10"], d["date"].dt.day_of_week


def weekend_diff(gu="마포구"):
    """Weekend mean − weekday mean of the district's daily PM10 in 2019."""
    pm, dow = _pm10(gu)
    return float(pm[dow >= 5].mean() - pm[dow < 5].mean())


def _weekday_minus_weekend(gu="마포구"):
    return -weekend_diff(gu)


def _median_diff(gu="마포구"):
    pm, dow = _pm10(gu)
    return float(pm[dow >= 5].median() - pm[dow < 5].median())


def _sunday_only(gu="마포구"):
    pm, dow = _pm10(gu)
    return float(pm[dow == 6].mean() - pm[dow != 6].mean())


def _wind_days(gu):
    """Lesson 06's join: the district's 2019 PM10 and the same day's mean wind speed (days with both)."""
    air = data.load("seoul_air_quality_daily")
    weather = data.load("seoul_weather_asos108_daily_2014_2024")
    mine = air[(air["gu"] == gu) & (air["date"].dt.year == YEAR)][["date", "pm10"]]
    return mine.merge(weather[["date", "wind_mean_ms"]], on="date", how="inner").dropna()


def wind_rho(gu="마포구"):
    """Spearman correlation of daily PM10 with the day's mean wind speed."""
    d = _wind_days(gu)
    return float(d["pm10"].corr(d["wind_mean_ms"], method="spearman"))


def _pearson(gu="마포구"):
    d = _wind_days(gu)
    return float(d["pm10"].corr(d["wind_mean_ms"]))


def _rmse_by_hour(test_start, means_from_all=False):
    b = data.load(BIKES)
    b = b[b["functioning_day"]]
    train, test = b[b["timestamp"] < test_start], b[b["timestamp"] >= test_start]
    means = (b if means_from_all else train).groupby("hour")["rented_bikes"].mean()
    return float(((test["rented_bikes"] - test["hour"].map(means)) ** 2).mean() ** 0.5)


def baseline(test_start="2018-10-01"):
    """Lesson 02's baseline: RMSE on the test period of the training period's mean for that hour of the day."""
    return _rmse_by_hour(test_start)


def _baseline_leaky(test_start="2018-10-01"):
    return _rmse_by_hour(test_start, means_from_all=True)


q1 = Question(
    "q1", variable="diff",
    prompt="(고급 01) 2019년 우리 구(gu) 미세먼지(PM10) 일평균의 '주말 평균 − 평일 평균'(㎍/㎥)",
    reference=weekend_diff,
    checker=ck.number(rel=1e-6),
    hints=["air = data.load(\"seoul_air_quality_daily\")에서 우리 구와 2019년을 고르고, pm10이 빈 날은 빼요.",
           "주말: date.dt.day_of_week >= 5 (토·일)",
           "주말 평균에서 평일 평균을 빼요 (순서가 바뀌면 부호가 뒤집혀요)."],
    solution='''air = data.load("seoul_air_quality_daily")
d = air[(air["gu"] == gu) & (air["date"].dt.year == 2019)].dropna(subset=["pm10"])
weekend = d["date"].dt.day_of_week >= 5
diff = d.loc[weekend, "pm10"].mean() - d.loc[~weekend, "pm10"].mean()''',
    wrong=[Wrong(_weekday_minus_weekend, "평일 평균 − 주말 평균으로 거꾸로 뺐어요. 문제는 주말 평균 − 평일 평균이에요: "
                 "부호가 뒤집혀요.", diagnose=True),
           Wrong(_median_diff, "평균(mean)이 아니라 중앙값(median)의 차이를 구했어요. .mean()으로 바꾸세요.",
                 diagnose=True),
           Wrong(_sunday_only, "일요일만 주말로 셌어요. 토요일(5)과 일요일(6)이 모두 주말이에요: "
                 "dt.day_of_week >= 5.", diagnose=True)],
)

q2 = Question(
    "q2", variable="rho",
    prompt="(고급 06) 2019년 우리 구 PM10 일평균과 그날 서울 평균 풍속(wind_mean_ms)의 스피어만 상관계수",
    reference=wind_rho,
    checker=ck.number(rel=1e-6),
    hints=["weather = data.load(\"seoul_weather_asos108_daily_2014_2024\")",
           "우리 구 2019년 pm10과 날씨를 date로 합친(merge, how=\"inner\") 뒤 빈 값이 있는 줄을 빼요(dropna).",
           "d[\"pm10\"].corr(d[\"wind_mean_ms\"], method=\"spearman\")"],
    solution='''air = data.load("seoul_air_quality_daily")
weather = data.load("seoul_weather_asos108_daily_2014_2024")
mine = air[(air["gu"] == gu) & (air["date"].dt.year == 2019)][["date", "pm10"]]
d = mine.merge(weather[["date", "wind_mean_ms"]], on="date", how="inner").dropna()
rho = d["pm10"].corr(d["wind_mean_ms"], method="spearman")''',
    wrong=[Wrong(_pearson, "스피어만(순위) 상관이 아니라 피어슨 상관을 구했어요. corr(..., method=\"spearman\")으로 "
                 "바꾸세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="baseline_rmse",
    prompt="(고급 02) 학습 기간의 '같은 시각 평균'으로 시험 기간을 예측했을 때의 RMSE (시간당 대여 건수)",
    reference=baseline,
    checker=ck.number(rel=1e-6),
    hints=["b = data.load(\"seoul_bike_demand_uci\")에서 운영한 시간(functioning_day)만 남겨요.",
           "train = test_start 이전, test = test_start 이후(포함). 평균은 train으로만 구해요.",
           "pred = test[\"hour\"].map(train.groupby(\"hour\")[\"rented_bikes\"].mean()); "
           "RMSE = ((test[\"rented_bikes\"] - pred) ** 2).mean() ** 0.5"],
    solution='''b = data.load("seoul_bike_demand_uci")
b = b[b["functioning_day"]]
train, test = b[b["timestamp"] < test_start], b[b["timestamp"] >= test_start]
pred = test["hour"].map(train.groupby("hour")["rented_bikes"].mean())
baseline_rmse = ((test["rented_bikes"] - pred) ** 2).mean() ** 0.5''',
    wrong=[Wrong(_baseline_leaky, "시각별 평균을 시험 기간까지 포함한 전체 자료로 구했어요(정보 누출). 평균은 "
                 "학습 데이터(train)로만 구하세요.", diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("(고급 01) 2019년 마포구 PM10의 '주말 평균 − 평일 평균'은 약 −4.2㎍/㎥이고, 부트스트랩 95% 신뢰구간은 "
            "약 −10.7 ~ 2.7㎍/㎥예요. 이것으로 말할 수 있는 것은?"),
    options={"가": "주말에는 미세먼지가 평일보다 4.2㎍/㎥ 낮다는 것이 확실하게 증명되었다.",
             "나": "신뢰구간이 넓으니 계산이 잘못되었고, 표본을 더 모아도 아무 것도 알 수 없다.",
             "다": "마포구의 2019년 하루하루 가운데 95%의 날은 주말·평일 차이가 −10.7과 2.7㎍/㎥ 사이에 있었다.",
             "라": "구간이 0을 포함하므로, 이 자료만으로는 주말과 평일에 차이가 없다는 설명도 배제할 수 없다."},
    answer="라",
    why={"가": "구간에 0과 양수도 들어 있어요. 이 자료로는 차이의 방향조차 확실하지 않아요.",
         "나": "넓은 구간은 잘못이 아니라 불확실성이 크다는 정보예요. 더 많은 해를 모으면 구간이 좁아질 수 있어요.",
         "다": "신뢰구간은 날마다의 값이 아니라 '평균의 차이'가 있을 만한 범위예요.",
         "라": "0이 구간 안에 있으면 차이가 없다는 설명도 자료와 어긋나지 않아요. 차이가 있다고 말하려면 더 많은 자료가 필요해요."},
    hints=["신뢰구간이 무엇의 범위인지, 그 안에 0이 있는지 보세요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("(고급 02) 같은 따릉이 모델을 무작위로 나눈 시험 데이터로 재면 R²가 0.91, 시간 순서대로 나중 기간으로 재면 "
            "0.64예요. 어느 숫자를 보고서에 적어야 할까요?"),
    options={"가": "0.91: 더 높은 숫자가 모델을 더 정확하게 보여 준다.",
             "나": "0.64: 예측은 앞으로 올 날을 맞혀야 하고, 무작위 분할은 이웃한 시간대가 학습에 섞여 성능이 부풀기 때문이다.",
             "다": "둘의 평균인 0.78: 두 방법의 장점을 모두 반영한 가장 공정한 숫자이기 때문이다.",
             "라": "어느 것도 아니다: 학습 데이터로 잰 R²(0.97)만이 모델이 배운 것을 정확히 보여 주는, 믿을 만한 유일한 숫자다."},
    answer="나",
    why={"가": "무작위 분할에서는 바로 앞뒤 시간대가 학습 데이터에 들어가요. 미래를 맞히는 능력보다 크게 보여요(정보 누출).",
         "나": "시험 데이터는 학습 기간보다 나중이어야 실제로 쓸 때의 성능에 가까워요.",
         "다": "부풀려진 숫자를 섞은 평균도 부풀려져 있어요. 평균을 낸다고 공정해지지 않아요.",
         "라": "학습 데이터로 잰 R²는 모델이 본 자료를 얼마나 외웠는지만 보여 줘요. 처음 보는 날의 성능은 말해 주지 않아요."},
    hints=["모델을 실제로 쓸 때 맞혀야 하는 것은 어떤 날인지 생각해 보세요."],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt=("(고급 05) 자치구를 65세 이상 비율(14.2–20.7%)과 인구 1만 명당 따릉이 거치대 수(19.1–99.9개)로 묶으려 해요. "
            "두 값을 표준화하지 않고 그대로 k-평균에 넣으면 어떻게 될까요?"),
    options={"가": "k-평균이 두 값의 눈금을 알아서 맞추니, 결과는 표준화했을 때와 같다.",
             "나": "범위가 넓은 거치대 수가 거리를 거의 독차지해, 묶음이 사실상 거치대 수로만 나뉜다.",
             "다": "값이 작은 65세 이상 비율이 더 무겁게 다뤄져서, 고령 인구가 비슷한 구끼리 한데 묶인다.",
             "라": "단위가 다른 값 사이에서는 거리를 잴 수 없어서, k-평균이 오류를 내고 멈춘다."},
    answer="나",
    why={"가": "k-평균은 값을 그대로 써서 거리를 재요. 눈금을 맞추는 일(표준화)은 우리가 먼저 해야 해요.",
         "나": "거치대 수는 구에 따라 80개 넘게, 65세 이상 비율은 6.5%포인트쯤 벌어져요. 표준화하지 않으면 거리의 "
              "차이는 대부분 거치대 수에서 나와요.",
         "다": "반대예요. 범위가 넓은 값이 거리를 차지하고, 범위가 좁은 65세 이상 비율은 거의 무시돼요.",
         "라": "k-평균은 숫자만 보고 계산하니 오류 없이 돌아가요. 그래서 더 조심해야 해요: 잘못된 묶음도 그럴듯하게 나와요."},
    hints=["거리는 두 값의 차이를 그대로 써서 계산해요. 두 값이 구마다 얼마나 벌어지는지 견주어 보세요."],
)
