"""Exercises for courses/advanced/02-bike-demand-forecast.ipynb (hourly 따릉이 demand, time-based validation).

The model is scikit-learn's HistGradientBoostingRegressor with fixed settings (``make_model``) fitted on
``FEATURES``; fits run on one thread so that a shared 2-core server stays responsive and results repeat.
"""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "seoul_bike_demand_uci"
TARGET = "rented_bikes"
FEATURES = ["hour", "weekday", "holiday", "temperature", "humidity", "wind_speed", "visibility",
            "dew_point", "solar_radiation", "rainfall", "snowfall"]


def bikes():
    """Operating hours only (the 295 non-functioning hours have 0 rentals by definition), with the weekday."""
    b = data.load(DATASET)
    b = b[b["functioning_day"]].copy()
    b["weekday"] = b["timestamp"].dt.day_of_week
    return b


def make_model():
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=150, learning_rate=0.1, random_state=0)


def split(test_start="2018-10-01"):
    b = bikes()
    return b[b["timestamp"] < test_start], b[b["timestamp"] >= test_start]


def test_set(test_start="2018-10-01"):
    return split(test_start)[1]


def split_checker():
    """ck.frame plus the two typical split mistakes named: a random split and closed hours left in."""
    base = ck.frame(columns=["timestamp", TARGET], keys=["timestamp"])

    def check(answer, expected):
        import pandas as pd

        msg = base(answer, expected)
        if msg is None or not isinstance(answer, pd.DataFrame):
            return msg
        if "timestamp" in answer.columns and len(answer) and answer["timestamp"].min() < expected["timestamp"].min():
            return ("시험 데이터에 test_start 이전 시간이 섞여 있어요. 무작위로 나누지 말고(train_test_split 금지) "
                    "timestamp >= test_start 인 행을 시험 데이터로 쓰세요.")
        if "functioning_day" in answer.columns and not answer["functioning_day"].astype(bool).all():
            return f"{msg} 운영하지 않은 시간(functioning_day가 False, 대여 0)이 남아 있어요."
        return msg

    return check


def _test_with_closed_days(test_start="2018-10-01"):
    b = data.load(DATASET)
    return b[b["timestamp"] >= test_start]


def _random_test(test_start="2018-10-01"):
    b = bikes()
    return b.sample(len(test_set(test_start)), random_state=0)


def rmse(y_true, y_pred) -> float:
    import numpy as np

    return float(np.sqrt(np.mean((np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)) ** 2)))


def baseline_rmse(test_start="2018-10-01"):
    """Seasonal-naive baseline: the training period's mean rentals for that hour of the day."""
    train, test = split(test_start)
    by_hour = train.groupby("hour")[TARGET].mean()
    return rmse(test[TARGET], test["hour"].map(by_hour))


def _baseline_leaky(test_start="2018-10-01"):
    _, test = split(test_start)
    by_hour = bikes().groupby("hour")[TARGET].mean()
    return rmse(test[TARGET], test["hour"].map(by_hour))


def _fit_r2(train, test):
    from sklearn.metrics import r2_score
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        model = make_model().fit(train[FEATURES].astype(float), train[TARGET])
        return float(r2_score(test[TARGET], model.predict(test[FEATURES].astype(float))))


def model_r2(test_start="2018-10-01"):
    train, test = split(test_start)
    return _fit_r2(train, test)


def _random_split_r2(test_start="2018-10-01"):
    from sklearn.model_selection import train_test_split

    b = bikes()
    train, test = train_test_split(b, test_size=len(test_set(test_start)), random_state=0)
    return _fit_r2(train, test)


def _train_r2(test_start="2018-10-01"):
    train, _ = split(test_start)
    return _fit_r2(train, train)


q1 = Question(
    "q1", variable="test",
    prompt="운영한 시간(functioning_day)만 남기고, test_start 이후(포함)의 모든 시간을 시험 데이터 test로 나누기",
    reference=test_set,
    checker=split_checker(),
    hints=["먼저 운영하지 않은 시간(functioning_day가 False)을 빼요: bikes[bikes[\"functioning_day\"]]",
           "시간 순서로 나눠요: 학습 = timestamp < test_start, 시험 = timestamp >= test_start",
           "무작위로 섞어 나누면(train_test_split) 미래의 정보로 과거를 맞히게 돼요."],
    solution='''train = bikes[bikes["timestamp"] < test_start]
test = bikes[bikes["timestamp"] >= test_start]''',
    wrong=[Wrong(_test_with_closed_days,
                 "운영하지 않은 시간(functioning_day가 False, 대여 0)이 시험 데이터에 남아 있어요. 정의상 0인 시간은 "
                 "예측할 대상이 아니니 먼저 bikes[bikes[\"functioning_day\"]]로 빼세요.", diagnose=True),
           Wrong(_random_test, "무작위로 나누지")],
)

q2 = Question(
    "q2", variable="base_rmse",
    prompt="기준 모델(학습 기간의 '같은 시각 평균')로 시험 기간을 예측했을 때의 RMSE",
    reference=baseline_rmse,
    checker=ck.number(rel=1e-6),
    hints=["by_hour = train.groupby(\"hour\")[\"rented_bikes\"].mean()  ← 학습 데이터로만!",
           "예측: test[\"hour\"].map(by_hour)",
           "RMSE = ((실제 - 예측) ** 2).mean() ** 0.5"],
    solution='''by_hour = train.groupby("hour")["rented_bikes"].mean()
base_pred = test["hour"].map(by_hour)
base_rmse = ((test["rented_bikes"] - base_pred) ** 2).mean() ** 0.5''',
    wrong=[Wrong(_baseline_leaky,
                 "시험 기간까지 포함한 전체 자료로 시각별 평균을 냈어요. 예측할 때는 미래(시험 기간)를 모르니 "
                 "by_hour는 train으로만 구해야 해요. 그래서 오차가 실제보다 작게 나왔어요.", diagnose=True),
           Wrong(lambda test_start: baseline_rmse(test_start) ** 2,
                 "RMSE가 아니라 MSE(오차 제곱의 평균)예요. 마지막에 제곱근(** 0.5)을 씌워야 단위가 '대'로 돌아와요.",
                 diagnose=True)],
)

q3 = Question(
    "q3", variable="r2_time",
    prompt="make_model()을 학습 기간으로 학습하고 시험 기간에서 잰 R²(결정계수)",
    reference=model_r2,
    checker=ck.score(abs_tol=0.02, name="R²"),
    hints=["model = make_model().fit(train[FEATURES].astype(float), train[\"rented_bikes\"])",
           "pred = model.predict(test[FEATURES].astype(float))",
           "from sklearn.metrics import r2_score; r2_time = r2_score(test[\"rented_bikes\"], pred)"],
    solution='''model = make_model().fit(train[FEATURES].astype(float), train["rented_bikes"])
pred = model.predict(test[FEATURES].astype(float))
r2_time = r2_score(test["rented_bikes"], pred)''',
    wrong=[Wrong(_random_split_r2, "너무 좋아요"),
           Wrong(_train_r2,
                 "학습 데이터(train)로 R²를 쟀어요. 모델이 이미 본 시간이라 점수가 부풀려져요: "
                 "r2_score(test[\"rented_bikes\"], model.predict(test[FEATURES].astype(float)))처럼 시험 기간으로 재세요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("기본값(test_start = 2018-10-01)에서 같은 모델의 R²는 시간 분할 약 0.64, 같은 크기의 무작위 분할 약 0.91, "
            "학습 데이터 자체로 재면 약 0.97이에요. 논문은 시험 R² 0.92를 발표했어요. "
            "다음 달 시간대별 수요를 예측하는 업무에 쓸 성능으로 보고할 숫자는?"),
    options={"가": "시간 분할 R² (약 0.64): 과거로 학습하고 그 뒤 기간으로 시험해서 업무와 같은 조건이다.",
             "나": "무작위 분할 R² (약 0.91): 일 년 전체의 여러 계절에서 고르게 뽑아 시험했으니 어느 한 시기에 치우치지 않아 가장 공정하다.",
             "다": "논문의 R² 0.92: 같은 자료로 전문가가 심사를 거쳐 발표한 숫자라서 우리가 잰 숫자보다 믿을 만하다.",
             "라": "학습 데이터 R² (약 0.97): 자료를 가장 많이 써서 잰 숫자다."},
    answer="가",
    why={"가": "업무에서는 미래 자료가 없어요. 평가도 업무처럼 과거로 배우고 미래로 시험해야 그 숫자를 믿을 수 있어요.",
         "나": "무작위로 나누면 시험 시간의 바로 앞뒤 시간이 학습에 들어가요. 모델이 '옆 시간'을 보고 맞히는 셈이라 미래를 모를 때의 성능보다 부풀려져요.",
         "다": "발표된 숫자는 검증 방법과 함께 읽어야 해요. 초록에는 시험 세트를 시간 순서로 떼어 냈다는 말이 없고, 우리 표의 무작위 분할 R²와 비슷한 수준이에요. 질문이 다르면 숫자도 "
              "달라요.",
         "라": "모델이 이미 본 데이터로 잰 점수는 외운 정도까지 재요. 시험 데이터는 학습에 쓰지 않은 것이어야 해요."},
    hints=["내일이나 다음 달을 예측할 때 손에 있는 자료는 어느 기간의 자료일까요?"],
)
