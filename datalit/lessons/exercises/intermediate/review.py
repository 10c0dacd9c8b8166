"""Exercises for courses/intermediate/99-review.ipynb: mixed retrieval questions from lessons 02, 03, 06 and 09.

Each answer is computed again here from the raw data, the way the earlier lesson asks for it (exercise
modules do not import one another), for the learner's district; the wrong answers are the mistakes those
lessons already name, so a learner who slips back into one hears the same sentence."""
from __future__ import annotations

from datalit import data
from datalit.lessons import Question, Wrong, checkers as ck
from datalit.lessons.concepts import Concept

YEAR = 2019  # the year of the fine-dust question (lesson 03's default)
PM25_STANDARD = 35  # ㎍/㎥, the 24-hour standard lesson 03 uses


def _gu_row(frame, gu):
    row = frame[frame["gu"] == gu]
    if row.empty:
        raise ValueError(f"{gu}: not one of the 25 districts")
    return row.iloc[0]


def _cctv(gu):
    """Lesson 02's merge: CCTV totals and the 2017 Q1 population, one district."""
    cctv = data.load("seoul_cctv_by_gu", "cctv")
    pop = data.load("seoul_cctv_by_gu", "population")
    return _gu_row(cctv[["gu", "cctv_total", "cctv_2016"]].merge(pop[["gu", "population", "korean"]], on="gu"), gu)


def cctv_10k(gu="마포구"):
    """The district's CCTV cameras per 10,000 residents."""
    r = _cctv(gu)
    return float(r["cctv_total"] / r["population"] * 10_000)


def _cctv_1k(gu="마포구"):
    return cctv_10k(gu) / 10


def _cctv_korean_only(gu="마포구"):
    r = _cctv(gu)
    return float(r["cctv_total"] / r["korean"] * 10_000)


def _cctv_2016_only(gu="마포구"):
    r = _cctv(gu)
    return float(r["cctv_2016"] / r["population"] * 10_000)


def _pm25(gu, year=YEAR):
    air = data.load("seoul_air_quality_daily")
    return air[(air["gu"] == gu) & ((air["date"].dt.year == year) if year else True)]["pm25"]


def bad_pct(gu="마포구"):
    """Share (%) of the measured days of 2019 above the PM2.5 standard."""
    return float((_pm25(gu).dropna() > PM25_STANDARD).mean() * 100)


def _bad_pct_ratio(gu="마포구"):
    return bad_pct(gu) / 100


def _bad_pct_365(gu="마포구"):
    return float((_pm25(gu) > PM25_STANDARD).mean() * 100)


def _bad_pct_all_years(gu="마포구"):
    return float((_pm25(gu, None).dropna() > PM25_STANDARD).mean() * 100)


def _living(gu):
    lp = data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")
    return lp[lp["gu"] == gu]


def day_night(gu="마포구"):
    """The district's daytime ÷ night-time mean living population over the whole period."""
    mine = _living(gu)
    return float(mine["daytime_mean"].mean() / mine["nighttime_mean"].mean())


def _night_day(gu="마포구"):
    return 1 / day_night(gu)


q1 = Question(
    "q1", variable="cctv_10k",
    prompt="(중급 02) 우리 구(gu)의 인구 1만 명당 CCTV 수 (CCTV 전체 ÷ 2017년 1분기 인구 × 10,000)",
    reference=cctv_10k,
    checker=ck.number(rel=1e-6),
    hints=["cctv = data.load(\"seoul_cctv_by_gu\", \"cctv\"), pop = data.load(\"seoul_cctv_by_gu\", \"population\")",
           "두 표를 gu로 합친(merge) 뒤 우리 구 한 줄을 골라요.",
           "cctv_total ÷ population × 10,000"],
    solution='''cctv = data.load("seoul_cctv_by_gu", "cctv")
pop = data.load("seoul_cctv_by_gu", "population")
m = cctv[["gu", "cctv_total"]].merge(pop[["gu", "population"]], on="gu")
row = m[m["gu"] == gu].iloc[0]
cctv_10k = row["cctv_total"] / row["population"] * 10_000''',
    wrong=[Wrong(_cctv_1k, "10배 작아요"),
           Wrong(_cctv_korean_only, "분모로 내국인 인구(korean)를 썼어요. 1만 명당의 분모는 외국인을 포함한 전체 인구"
                 "(population)예요.", diagnose=True),
           Wrong(_cctv_2016_only, "2016년에 설치한 CCTV(cctv_2016)만 셌어요. 분자는 지금까지 설치한 전체(cctv_total)예요.",
                 diagnose=True)],
)

q2 = Question(
    "q2", variable="bad_pct",
    prompt="(중급 03) 2019년 우리 구 초미세먼지(PM2.5)를 잰 날 가운데 환경기준 35㎍/㎥를 넘은 날의 비율(%)",
    reference=bad_pct,
    checker=ck.number(rel=1e-6),
    hints=["air = data.load(\"seoul_air_quality_daily\")에서 우리 구, 2019년을 골라요.",
           "잰 날만 남겨요: .dropna() — 빈 날(결측값)을 분모에 넣으면 비율이 작아져요.",
           "(값 > 35).mean() × 100"],
    solution='''air = data.load("seoul_air_quality_daily")
mine = air[(air["gu"] == gu) & (air["date"].dt.year == 2019)]["pm25"].dropna()
bad_pct = (mine > 35).mean() * 100''',
    wrong=[Wrong(_bad_pct_ratio, "100배 작아요"),
           Wrong(_bad_pct_365, "분모에 잰 날이 아니라 2019년의 모든 날(빈 날 포함)을 넣었어요. 결측값은 .dropna()로 "
                 "빼고, 잰 날 가운데의 비율을 구하세요.", diagnose=True),
           Wrong(_bad_pct_all_years, "2019년만 고르지 않고 9년 전체로 계산했어요. air[\"date\"].dt.year == 2019로 "
                 "먼저 고르세요.", diagnose=True)],
)

q3 = Question(
    "q3", variable="day_night",
    prompt="(중급 06) 우리 구의 주간(09~18시) 평균 ÷ 야간(19~08시) 평균 생활인구 (2018.4~2020.7 전체 기간)",
    reference=day_night,
    checker=ck.number(rel=1e-6),
    hints=["lp = data.load(\"seoul_living_population_gu_daily_2018_2020\", \"gu_daily\")",
           "우리 구를 고른 뒤 daytime_mean과 nighttime_mean의 평균을 각각 구해요.",
           "주간 ÷ 야간: 1보다 크면 낮에 사람이 몰려드는 구예요."],
    solution='''lp = data.load("seoul_living_population_gu_daily_2018_2020", "gu_daily")
mine = lp[lp["gu"] == gu]
day_night = mine["daytime_mean"].mean() / mine["nighttime_mean"].mean()''',
    wrong=[Wrong(_night_day, "야간 ÷ 주간으로 거꾸로 나눴어요. 문제는 주간(daytime_mean) ÷ 야간(nighttime_mean)이에요.",
                 diagnose=True)],
)

q4 = Concept(
    "q4", variable="answer_q4",
    prompt=("(중급 09) 서울 셀프 주유소의 휘발유는 전체 평균으로 약 118원 싸지만, 같은 구 안에서 비교하면 약 66원 차이예요. "
            "이 두 숫자로 말할 수 있는 것은?"),
    options={"가": "셀프로 바꾸기만 하면 서울의 어느 주유소든 휘발유 값이 평균 118원쯤 내려간다.",
             "나": "66원이 더 작으니 계산이 틀렸고, 118원이 맞는 차이다.",
             "다": "구를 나누어 비교하면 차이가 사라지므로 셀프와 일반은 값이 같다.",
             "라": "차이의 일부는 셀프 여부가 아니라 주유소가 어느 구에 있는지와 함께 움직인다."},
    answer="라",
    why={"가": "관찰한 차이는 원인을 말해 주지 않아요. 비싼 구에 일반 주유소가 많은 것처럼, 위치가 두 가지 모두와 얽혀 있어요.",
         "나": "둘 다 맞는 계산이에요. 비교하는 범위(서울 전체와 같은 구 안)가 다를 뿐이에요.",
         "다": "같은 구 안에서도 셀프가 평균 약 66원 싸요. 줄었을 뿐 사라지지 않았어요.",
         "라": "위치(구)가 혼동 요인이에요. 같은 구끼리 비교하면 그 몫이 빠져 차이가 118원에서 66원으로 줄어요."},
    hints=["전체 비교와 같은 구 안 비교가 무엇이 다른지 생각해 보세요."],
)

q5 = Concept(
    "q5", variable="answer_q5",
    prompt=("(중급 02·06) 중구는 주민 1만 명당 CCTV가 많은 편인데, 낮 생활인구는 밤의 약 1.65배예요. "
            "이 사실을 함께 놓고 할 수 있는 말은?"),
    options={"가": "주민으로 나눈 '1만 명당'은 낮에 오는 사람을 세지 않으니, 낮 기준으로는 CCTV가 덜 빽빽할 수 있다.",
             "나": "생활인구는 통신 자료로 만든 추정치라 믿을 수 없으니, 어떤 질문이든 언제나 주민등록인구로만 나누어 비교해야 한다.",
             "다": "낮에 사람이 많으니 중구의 CCTV 수 자체가 부풀려 집계되었다.",
             "라": "1만 명당 값은 분모와 상관이 없으니 어떤 인구로 나누어도 순위는 같다."},
    answer="가",
    why={"가": "분모를 바꾸면 같은 CCTV 수도 다르게 읽혀요. 어떤 인구로 나눴는지 결과에 적어야 해요.",
         "나": "추정치라는 한계를 적고 쓰면 돼요. 질문(낮에 있는 사람을 지키는가?)에 맞는 분모를 고르는 것이 중요해요.",
         "다": "CCTV 대수는 설치 현황이라 생활인구와 관계없어요. 바뀌는 것은 분모예요.",
         "라": "'~당' 값은 분모에 따라 달라져요. 주민이 적고 낮 인구가 많은 구일수록 차이가 커요."},
    hints=["'1만 명당'에서 나누는 쪽(분모)이 누구인지 보세요."],
)
