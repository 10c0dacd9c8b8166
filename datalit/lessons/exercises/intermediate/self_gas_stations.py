"""Exercises for courses/intermediate/09-self-gas-stations.ipynb (self-service vs full-service gasoline prices,
one Opinet snapshot of Seoul's 537 stations, c. late 2017): the overall gap, then within each district."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

DATASET = "seoul_gas_station_prices"
TOP = 5


def _stations():
    return data.load(DATASET)


def mean_by_self():
    """Mean regular-gasoline price (원/L) of full-service (False) and self-service (True) stations; stations
    that do not sell gasoline ('-' in the file, missing here) are left out."""
    return _stations().groupby("is_self")["gasoline"].mean()


def _median_by_self():
    return _stations().groupby("is_self")["gasoline"].median()


def _mean_by_self_zero_filled():
    st = _stations()
    return st["gasoline"].fillna(0).groupby(st["is_self"]).mean()


def _mean_by_self_diesel():
    return _stations().groupby("is_self")["diesel"].mean()


def _sum_by_self():
    return _stations().groupby("is_self")["gasoline"].sum()


def overall_gap():
    """Full-service mean minus self-service mean, 원/L (+ = self-service is cheaper)."""
    m = mean_by_self()
    return float(m[False] - m[True])


def _overall_gap_median():
    m = _median_by_self()
    return float(m[False] - m[True])


def _overall_gap_zero_filled():
    m = _mean_by_self_zero_filled()
    return float(m[False] - m[True])


def by_gu():
    """Per district: mean gasoline price of full- and self-service stations and the gap, only districts that
    have both kinds, largest gap first."""
    t = _stations().groupby(["gu", "is_self"])["gasoline"].mean().unstack()
    t = t.rename(columns={False: "full_service", True: "self_service"}).dropna()
    t["gap"] = t["full_service"] - t["self_service"]
    t.columns.name = None
    return t.reset_index().sort_values("gap", ascending=False).reset_index(drop=True)


def _by_gu_all_districts():
    t = _stations().groupby(["gu", "is_self"])["gasoline"].mean().unstack()
    t = t.rename(columns={False: "full_service", True: "self_service"})
    t["gap"] = t["full_service"] - t["self_service"]
    t.columns.name = None
    return t.reset_index().sort_values("gap", ascending=False).reset_index(drop=True)


def _by_gu_reversed():
    t = by_gu()
    t["gap"] = t["self_service"] - t["full_service"]
    return t.sort_values("gap", ascending=False).reset_index(drop=True)


def _by_gu_median():
    t = _stations().groupby(["gu", "is_self"])["gasoline"].median().unstack()
    t = t.rename(columns={False: "full_service", True: "self_service"}).dropna()
    t["gap"] = t["full_service"] - t["self_service"]
    t.columns.name = None
    return t.reset_index().sort_values("gap", ascending=False).reset_index(drop=True)


def within_gu_gap():
    """Mean over the districts with both kinds of (full-service mean - self-service mean), 원/L."""
    return float(by_gu()["gap"].mean())


def _within_gu_gap_median():
    return float(by_gu()["gap"].median())


def cheapest(gu="강남구"):
    """The district's 5 stations with the cheapest regular gasoline (ties by name); stations that do not
    sell gasoline are left out."""
    st = _stations()
    mine = st[(st["gu"] == gu) & st["gasoline"].notna()]
    out = mine.sort_values(["gasoline", "name"]).head(TOP)[["name", "brand", "is_self", "gasoline"]]
    return out.astype({"brand": str}).reset_index(drop=True)


def _most_expensive(gu="강남구"):
    st = _stations()
    mine = st[(st["gu"] == gu) & st["gasoline"].notna()]
    out = mine.sort_values(["gasoline", "name"], ascending=False).head(TOP)[["name", "brand", "is_self", "gasoline"]]
    return out.astype({"brand": str}).reset_index(drop=True)


def _cheapest_in_seoul(gu="강남구"):
    st = _stations()
    out = st[st["gasoline"].notna()].sort_values(["gasoline", "name"]).head(TOP)
    return out[["name", "brand", "is_self", "gasoline"]].astype({"brand": str}).reset_index(drop=True)


def _cheapest_self_only(gu="강남구"):
    st = _stations()
    mine = st[(st["gu"] == gu) & st["gasoline"].notna() & st["is_self"]]
    out = mine.sort_values(["gasoline", "name"]).head(TOP)[["name", "brand", "is_self", "gasoline"]]
    return out.astype({"brand": str}).reset_index(drop=True)


q1 = Question(
    "q1", variable="mean_price",
    prompt="셀프 여부(is_self)별 휘발유(gasoline) 평균 가격 (인덱스 False = 일반, True = 셀프)",
    reference=mean_by_self,
    checker=ck.series(rel=1e-6),
    hints=["st.groupby(\"is_self\")[\"gasoline\"]로 셀프 여부별로 묶어요.",
           "묶은 뒤 .mean()으로 평균! 휘발유를 팔지 않는 주유소(빈 값)는 mean()이 알아서 빼요."],
    solution='mean_price = st.groupby("is_self")["gasoline"].mean()',
    wrong=[Wrong(_median_by_self, "평균(mean)이 아니라 중앙값(median)을 구했어요. 문제는 셀프 여부별 휘발유 '평균' "
                 "가격이에요: .median() 대신 .mean()을 쓰세요.", diagnose=True),
           Wrong(_mean_by_self_zero_filled, "원본의 '-'(휘발유를 팔지 않음)를 0원으로 바꿔 평균에 넣었어요. 팔지 않는 "
                 "주유소는 '0원'이 아니라 '값 없음'이라 평균이 낮아져요: fillna(0) 없이 빈 값 그대로 mean()을 쓰세요.",
                 diagnose=True),
           Wrong(_mean_by_self_diesel, "휘발유(gasoline)가 아니라 경유(diesel) 열의 평균을 구했어요. "
                 "st.groupby(\"is_self\")[\"gasoline\"]을 쓰세요.", diagnose=True),
           Wrong(_sum_by_self, "평균(mean)이 아니라 합계(sum)를 구했어요. 일반 주유소가 셀프보다 두 배 넘게 많아서 "
                 "합계로는 가격을 비교할 수 없어요: .mean()을 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="gap",
    prompt="일반 주유소 평균 - 셀프 주유소 평균 (원/리터, 셀프가 싸면 양수)",
    reference=overall_gap,
    checker=ck.number(rel=1e-6),
    hints=["mean_price[False]가 일반, mean_price[True]가 셀프 주유소의 평균이에요.",
           "gap = mean_price[False] - mean_price[True]"],
    solution="gap = mean_price[False] - mean_price[True]",
    wrong=[Wrong(lambda: -overall_gap(), "부호가 반대"),
           Wrong(_overall_gap_median, "중앙값(median)끼리 뺐어요. 문제는 '평균'의 차이예요: 연습 1의 평균(mean)으로 "
                 "다시 빼 보세요. 중앙값 차이가 더 작다는 건 비싼 일반 주유소 몇 곳이 평균을 끌어올린다는 뜻이에요.",
                 diagnose=True),
           Wrong(_overall_gap_zero_filled, "'-'(휘발유를 팔지 않음)를 0원으로 센 평균끼리 뺐어요. 팔지 않는 주유소는 "
                 "빈 값으로 두고 평균을 내세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="gu_gap",
    prompt="자치구별 일반·셀프 휘발유 평균과 차이(열 gu, full_service, self_service, gap), 두 종류가 다 있는 구만, 차이가 큰 순서",
    reference=by_gu,
    checker=ck.frame(columns=["gu", "full_service", "self_service", "gap"], ordered=True, rel=1e-6),
    hints=["st.groupby([\"gu\", \"is_self\"])[\"gasoline\"].mean().unstack()로 셀프 여부를 열로 펼쳐요.",
           ".rename(columns={False: \"full_service\", True: \"self_service\"})로 열 이름을 바꾸고, "
           "셀프 주유소가 없는 구(빈 값)는 .dropna()로 빼요.",
           "gap = full_service - self_service, 그리고 .reset_index().sort_values(\"gap\", ascending=False)"],
    solution='''t = st.groupby(["gu", "is_self"])["gasoline"].mean().unstack()
t = t.rename(columns={False: "full_service", True: "self_service"}).dropna()
t["gap"] = t["full_service"] - t["self_service"]
gu_gap = t.reset_index().sort_values("gap", ascending=False)''',
    wrong=[Wrong(_by_gu_all_districts, "셀프 주유소가 없는 구(마포구·용산구·종로구·중구)를 빼지 않았어요. 이 구들은 "
                 "셀프 평균과 차이가 빈 값이라 비교할 수 없어요: unstack() 뒤에 .dropna()로 빼세요.", diagnose=True),
           Wrong(_by_gu_reversed, "차이를 셀프 - 일반으로 거꾸로 뺐어요. gap은 full_service - self_service "
                 "(셀프가 싸면 양수)예요.", diagnose=True),
           Wrong(_by_gu_median, "구별 평균(mean)이 아니라 중앙값(median)을 구했어요. .mean()으로 다시 계산하세요.",
                 diagnose=True)],
)

q4 = Question(
    "q4", variable="within_gap",
    prompt="같은 구 안에서 비교한 차이: gu_gap의 gap(구별 차이)을 평균한 값 (원/리터)",
    reference=within_gu_gap,
    checker=ck.number(rel=1e-6),
    hints=["연습 3의 gu_gap에 구마다 '같은 구 안의' 차이가 들어 있어요.",
           "within_gap = gu_gap[\"gap\"].mean()"],
    solution='within_gap = gu_gap["gap"].mean()',
    wrong=[Wrong(overall_gap, "구를 나누지 않은 전체 평균의 차이(연습 2)를 넣었어요. 여기서는 구마다 구한 차이 "
                 "(gu_gap[\"gap\"])를 평균해야 '같은 구끼리' 비교한 값이 돼요.", diagnose=True),
           Wrong(_within_gu_gap_median, "구별 차이의 평균(mean)이 아니라 중앙값(median)을 구했어요. "
                 "gu_gap[\"gap\"].mean()을 쓰세요.", diagnose=True)],
)

q5 = Question(
    "q5", variable="cheap",
    prompt="우리 구(gu)에서 휘발유가 가장 싼 주유소 5곳 (열 name, brand, is_self, gasoline; 싼 순서, 같은 값은 이름순)",
    reference=cheapest,
    checker=ck.frame(columns=["name", "brand", "is_self", "gasoline"], keys=["name"], ordered=True),
    hints=["mine = st[st[\"gu\"] == gu]로 우리 구만 골라요.",
           "mine.sort_values([\"gasoline\", \"name\"])로 싼 순서(같은 값은 이름순)로 정렬해요. 빈 값은 맨 뒤로 가요.",
           ".head(5)[[\"name\", \"brand\", \"is_self\", \"gasoline\"]]"],
    solution='''mine = st[st["gu"] == gu]
cheap = mine.sort_values(["gasoline", "name"]).head(5)[["name", "brand", "is_self", "gasoline"]]''',
    wrong=[Wrong(_most_expensive, "가장 '비싼' 5곳을 골랐어요 (내림차순). 싼 곳부터 보려면 sort_values()를 "
                 "ascending=True(기본값)로 정렬하세요.", diagnose=True),
           Wrong(_cheapest_in_seoul, "우리 구만 고르지 않았어요(필터 빠짐): 서울 전체에서 가장 싼 5곳이 나왔어요. "
                 "st[st[\"gu\"] == gu]로 먼저 고르세요.", diagnose=True),
           Wrong(_cheapest_self_only, "셀프 주유소만 골랐어요. 문제는 우리 구의 모든 주유소(일반 + 셀프) 가운데 "
                 "가장 싼 5곳이에요.", diagnose=True)],
)

q6 = Concept(
    "q6", variable="answer_q6",
    prompt="이 수업의 표와 그림으로 말할 수 있는 것은?",
    options={
        "가": "셀프 주유소로 바꾸기만 하면 휘발유 값이 리터당 약 118원 내려간다.",
        "나": "같은 구 안에서 비교해도 대부분의 구에서 셀프가 더 쌌지만, 그 차이(구별 평균 약 66원)는 전체 평균끼리의 차이(약 118원)보다 작았다.",
        "다": "셀프 주유소가 싼 까닭은 인건비가 덜 들기 때문이라는 것이 이 표로 증명된다.",
        "라": "지금도 서울의 셀프 주유소는 일반 주유소보다 리터당 약 118원 싸다.",
    },
    answer="나",
    why={
        "가": "118원은 '셀프 주유소들'과 '일반 주유소들'의 평균 차이일 뿐이에요. 셀프 주유소가 하나도 없는 중구·용산구·"
              "종로구·마포구가 가장 비싼 구들이라 위치 차이가 섞여 있고, 한 주유소가 셀프로 바뀔 때 값이 어떻게 되는지는 "
              "이 표에 없어요.",
        "나": "구별 표(연습 3·4)가 보여 주는 그대로예요: 두 종류가 다 있는 21개 구 중 18곳에서 셀프가 더 쌌고, "
              "같은 구끼리 비교하자 차이가 약 118원에서 약 66원으로 줄었어요. 차이의 일부는 '어디에 있느냐'로 설명돼요.",
        "다": "이 표에는 가격만 있고 인건비·임대료 같은 비용 자료가 없어요. 인건비는 그럴듯한 설명(가설)이지만, "
              "이 자료로는 확인할 수 없어요.",
        "라": "이 자료는 2017년 말~2018년 초 무렵 한 번 내려받은 가격(날짜 미기록)이에요. 유가는 매주 바뀌니 "
              "지금의 차이는 오피넷에서 새로 받아 확인해야 해요.",
    },
    hints=["연습 2(전체 차이)와 연습 4(같은 구 안의 차이)를 나란히 놓고 보세요.",
           "표에 없는 것(원인, 비용, 오늘의 가격)을 말하는 보기는 아닌지 따져 보세요."],
)
