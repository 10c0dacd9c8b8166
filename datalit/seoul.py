"""Seoul's 25 districts (자치구): names in the city's usual order and their 행정안전부 codes.

Plain constants without pandas, so that checking a report parameter does not import it."""
from __future__ import annotations

GU_NAMES = (
    "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 성북구 강북구 도봉구 노원구 은평구 서대문구 "
    "마포구 양천구 강서구 구로구 금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구"
).split()

# 행정안전부 5-digit 시군구 codes (SIG_CD) of the 25 gu, in GU_NAMES order; checked against
# seoul_gu_boundaries (juso_2015 SIG_CD/SIG_KOR_NM) in tests/data/test_living_population.py.
GU_CODES = dict(zip(
    "11110 11140 11170 11200 11215 11230 11260 11290 11305 11320 11350 11380 11410 11440 11470 "
    "11500 11530 11545 11560 11590 11620 11650 11680 11710 11740".split(),
    GU_NAMES,
))
