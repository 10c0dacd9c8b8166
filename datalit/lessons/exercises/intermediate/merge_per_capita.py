"""Exercises for courses/intermediate/02-merge-per-capita.ipynb (CCTV, population and crime per district)."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

CRIMES = ["murder", "robbery", "rape", "theft", "violence"]


def _cctv():
    return data.load("seoul_cctv_by_gu", "cctv")


def _population():
    return data.load("seoul_cctv_by_gu", "population")


def _stations():
    return data.load("seoul_crime_by_police_station", "stations")


def cctv_per_10k():
    """CCTV cameras per 10,000 residents, highest first."""
    m = _cctv()[["gu", "cctv_total"]].merge(_population()[["gu", "population"]], on="gu")
    m["cctv_per_10k"] = m["cctv_total"] / m["population"] * 10_000
    return m.sort_values("cctv_per_10k", ascending=False).reset_index(drop=True)


def _per_1k():
    m = cctv_per_10k()
    m["cctv_per_10k"] = m["cctv_per_10k"] / 10
    return m


def _per_10k_korean_only():
    m = _cctv()[["gu", "cctv_total"]].merge(_population()[["gu", "population", "korean"]], on="gu")
    m["cctv_per_10k"] = m["cctv_total"] / m["korean"] * 10_000
    return m.drop(columns="korean").sort_values("cctv_per_10k", ascending=False).reset_index(drop=True)


def _per_10k_one_year():
    m = _cctv()[["gu", "cctv_total", "cctv_2016"]].merge(_population()[["gu", "population"]], on="gu")
    m["cctv_per_10k"] = m["cctv_2016"] / m["population"] * 10_000
    return m.drop(columns="cctv_2016").sort_values("cctv_per_10k", ascending=False).reset_index(drop=True)


def _not_sorted():
    return cctv_per_10k().sort_values("gu").reset_index(drop=True)


def crime_by_gu():
    """Five major crimes reported, per police station -> per district (stations summed)."""
    st = _stations().copy()
    st["crimes"] = st[[f"{c}_reported" for c in CRIMES]].sum(axis=1)
    return st.groupby("gu", as_index=False)["crimes"].sum()


def _crime_per_station():
    st = _stations().copy()
    st["crimes"] = st[[f"{c}_reported" for c in CRIMES]].sum(axis=1)
    return st[["gu", "crimes"]]


def _crime_by_gu_cleared():
    st = _stations().copy()
    st["crimes"] = st[[f"{c}_cleared" for c in CRIMES]].sum(axis=1)
    return st.groupby("gu", as_index=False)["crimes"].sum()


def _crime_by_gu_mean():
    st = _stations().copy()
    st["crimes"] = st[[f"{c}_reported" for c in CRIMES]].sum(axis=1)
    return st.groupby("gu", as_index=False)["crimes"].mean()


def crime_rate():
    """Crimes per 10,000 residents by district, highest first."""
    m = crime_by_gu().merge(_population()[["gu", "population"]], on="gu")
    m["crimes_per_10k"] = m["crimes"] / m["population"] * 10_000
    return m.sort_values("crimes_per_10k", ascending=False).reset_index(drop=True)


def _crime_rate_unsummed():
    m = _crime_per_station().merge(_population()[["gu", "population"]], on="gu")
    m["crimes_per_10k"] = m["crimes"] / m["population"] * 10_000
    return m.sort_values("crimes_per_10k", ascending=False).reset_index(drop=True)


def _crime_rate_per_person():
    m = crime_rate()
    m["crimes_per_10k"] = m["crimes"] / m["population"]
    return m


def gu_rank(gu="강남구"):
    """Rank (1 = most crimes per 10,000 residents) of the district."""
    r = crime_rate()
    return int(r.index[r["gu"] == gu][0]) + 1


def _gu_rank_by_count(gu="강남구"):
    r = crime_rate().sort_values("crimes", ascending=False).reset_index(drop=True)
    return int(r.index[r["gu"] == gu][0]) + 1


def _gu_rank_ascending(gu="강남구"):
    r = crime_rate().iloc[::-1].reset_index(drop=True)
    return int(r.index[r["gu"] == gu][0]) + 1


q1 = Question(
    "q1", variable="cctv_rate",
    prompt="CCTV 표와 인구 표를 gu로 합쳐 인구 1만 명당 CCTV 수(cctv_per_10k)를 구하고 많은 순서로 정렬하기",
    reference=cctv_per_10k,
    checker=ck.frame(columns=["gu", "cctv_total", "population", "cctv_per_10k"], ordered=True, rel=1e-6),
    hints=["cctv.merge(pop[[\"gu\", \"population\"]], on=\"gu\")로 두 표를 붙여요.",
           "1만 명당 = 개수 / 인구 × 10,000",
           "sort_values(\"cctv_per_10k\", ascending=False)"],
    solution='''cctv_rate = cctv[["gu", "cctv_total"]].merge(pop[["gu", "population"]], on="gu")
cctv_rate["cctv_per_10k"] = cctv_rate["cctv_total"] / cctv_rate["population"] * 10_000
cctv_rate = cctv_rate.sort_values("cctv_per_10k", ascending=False)''',
    wrong=[Wrong(_per_1k, "10배 작아요"), Wrong(_not_sorted, "정렬 순서"),
           Wrong(_per_10k_korean_only, "전체 인구(population) 대신 내국인(korean)만으로 나눴어요. CCTV는 외국인 "
                 "주민도 함께 쓰니 분모는 전체 인구예요: population으로 나누세요.", diagnose=True),
           Wrong(_per_10k_one_year, "전체 설치 대수(cctv_total) 대신 2016년 한 해 설치분(cctv_2016)으로 계산했어요. "
                 "지금 있는 CCTV 전체를 보려면 cctv_total을 쓰세요.", diagnose=True)],
)

q2 = Question(
    "q2", variable="crime_gu",
    prompt="경찰서별 5대 범죄 발생 건수를 더해(crimes) 자치구별 합계 표(gu, crimes) 만들기",
    reference=crime_by_gu,
    checker=ck.frame(columns=["gu", "crimes"]),
    hints=["5대 범죄 발생 열: murder_reported, robbery_reported, rape_reported, theft_reported, violence_reported",
           "여러 열을 행마다 더하려면 st[cols].sum(axis=1)",
           "경찰서가 두 곳인 구가 있어요. groupby(\"gu\", as_index=False)[\"crimes\"].sum()으로 구별로 더하세요."],
    solution='''cols = [c + "_reported" for c in ["murder", "robbery", "rape", "theft", "violence"]]
stations["crimes"] = stations[cols].sum(axis=1)
crime_gu = stations.groupby("gu", as_index=False)["crimes"].sum()''',
    wrong=[Wrong(_crime_per_station, "경찰서별 행을 자치구별로 더하지 않았어요(groupby 빠짐): 경찰서가 두 곳인 구는 행이 두 개 나와요. groupby(\"gu\", as_index=False)[\"crimes\"].sum()으로 구마다 더하세요.", diagnose=True),
           Wrong(_crime_by_gu_cleared, "발생(_reported)이 아니라 검거(_cleared) 건수를 더했어요. "
                 "murder_reported … violence_reported 다섯 열을 더하세요.", diagnose=True),
           Wrong(_crime_by_gu_mean, "경찰서별 건수를 구마다 '더하지' 않고 평균(mean)을 냈어요. 경찰서가 두 곳인 구는 "
                 "절반쯤으로 줄어요: .sum()을 쓰세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="crime_rate",
    prompt="crime_gu에 인구를 합쳐 인구 1만 명당 범죄 발생(crimes_per_10k)을 구하고 많은 순서로 정렬하기",
    reference=crime_rate,
    checker=ck.frame(columns=["gu", "crimes", "population", "crimes_per_10k"], ordered=True),
    hints=["crime_gu.merge(pop[[\"gu\", \"population\"]], on=\"gu\")",
           "crimes_per_10k = crimes / population × 10,000, 그리고 내림차순 정렬"],
    solution='''crime_rate = crime_gu.merge(pop[["gu", "population"]], on="gu")
crime_rate["crimes_per_10k"] = crime_rate["crimes"] / crime_rate["population"] * 10_000
crime_rate = crime_rate.sort_values("crimes_per_10k", ascending=False)''',
    wrong=[Wrong(_crime_rate_unsummed, "경찰서별 행을 자치구별로 더하지 않았어요(groupby 빠짐): 경찰서가 두 곳인 구는 행이 두 개 나와요. groupby(\"gu\", as_index=False)[\"crimes\"].sum()으로 구마다 더하세요.", diagnose=True),
           Wrong(_crime_rate_per_person, "1만 배 작아요")],
)

q4 = Question(
    "q4", variable="rank",
    prompt="우리 구(gu)는 인구 1만 명당 범죄 발생이 25개 구 중 몇 번째로 많은가요? (1 = 가장 많음)",
    reference=gu_rank,
    checker=ck.number(integer=True),
    hints=["crime_rate를 내림차순으로 정렬했다면 우리 구가 몇 번째 행인지 보면 돼요.",
           "ordered = crime_rate.reset_index(drop=True) 후 ordered.index[ordered[\"gu\"] == gu][0] + 1"],
    solution='''ordered = crime_rate.reset_index(drop=True)
rank = int(ordered.index[ordered["gu"] == gu][0]) + 1''',
    wrong=[Wrong(_gu_rank_ascending, "순위를 거꾸로(적은 순서로) 셌어요. 1위는 인구 1만 명당 범죄가 가장 '많은' "
                 "구예요: crimes_per_10k 내림차순 표에서 몇 번째인지 세세요.", diagnose=True),
           Wrong(_gu_rank_by_count, "인구로 나누지 않은 범죄 건수(crimes)로 순위를 매겼어요. 인구가 많은 구일수록 "
                 "위로 올라가요: 인구 1만 명당 값(crimes_per_10k)으로 순위를 매기세요.", diagnose=True)],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt="인구 1만 명당 5대 범죄 발생이 가장 많은 구는 중구(약 372건)였어요. 이 숫자로 말할 수 있는 것은?",
    options={"가": "중구는 낮에 일하러·놀러 오는 사람이 많아서, 주민등록인구로 나누면 1만 명당 값이 실제보다 크게 보일 수 있다.",
             "나": "중구 주민이 다른 구 주민보다 범죄를 가장 많이 저지른다.",
             "다": "중구에 CCTV를 더 달면 범죄가 줄어든다.",
             "라": "인구로 나누었으니 구의 크기 차이는 사라졌다. 이제 주민이 많든 적든, 낮에 사람이 몰리든 말든 어떤 구끼리든 공정하게 비교된다."},
    answer="가",
    why={"가": "분모인 주민등록인구는 그곳에 '사는' 사람만 세요. 낮에 그곳에 '있는' 사람이 훨씬 많은 도심은 분모가 작게 잡혀 값이 부풀어요(중급 06 생활인구).",
         "나": "이 표는 경찰서 관할 지역에서 '일어난' 범죄 건수예요. 범죄를 저지른 사람이 어디 사는지는 담겨 있지 않아요.",
         "다": "산점도는 CCTV와 범죄가 함께 움직이는지(상관)만 보여 줘요. 범죄가 많은 곳에 CCTV를 더 달았을 수도 있어서, 더 달면 줄어든다는 원인은 말할 수 없어요.",
         "라": "분모도 선택이에요. 주민등록인구는 도심처럼 찾아오는 사람이 많은 구에 불리해요. 기준 시점(CCTV 2016년, 인구 2017년 1분기, 범죄 연도 미기록)도 서로 달라요."},
    hints=["'1만 명당'의 분모가 누구인지(사는 사람? 있는 사람?) 생각해 보세요."],
)
