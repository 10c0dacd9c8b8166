"""How similar_answers matches a question: question boilerplate removed, and a threshold whose precision
is measured, not assumed.

Boilerplate: character n-grams of "어떻게 … 하나요/되나요" are shared by hundreds of unrelated FAQ titles;
with them the stat review saw "인사위원회 임기는 어떻게 되나요?" score 0.186 against "소화기는 어떻게
사용하나요?", within 0.05 of the right answer. ``strip_boilerplate`` drops such words and endings from the
question and from every document before the TF-IDF, so what is left to match is what the question is about.

Calibration: ``CALIBRATION`` pairs a question as a citizen might write it (written for this purpose, not
data) with the title of the real 120다산콜 FAQ entry that answers it, and ``UNANSWERABLE`` lists questions
the corpus has no answer for. ``evaluate`` runs them through the report's own search and says, at a
threshold, how many were answered and how many of those answers were the right entry (precision); the
report prints that beside its verdict. tests/reports/test_similar_answers.py holds out other pairs.
"""
from __future__ import annotations

import re

# Whole words that say "this is a question", not what it is about.
STOP_WORDS = frozenset("""
어떻게 어떤 어떤게 무엇 무엇인가요 무엇입니까 뭔가요 뭐예요 뭐에요 알려주세요 알려 주세요 궁금합니다 궁금해요
문의 문의합니다 질문 질문입니다 좀 혹시 하나요 되나요 있나요 인가요 합니까 됩니까 있습니까 싶습니다 싶어요
가능한가요 가능한지 가능합니까 방법은 방법이 방법 어떻게요 하는지 되는지 해야 하나 됩니다 합니다
""".split())
# Endings cut off a word ("사용하나요" -> "사용"); longest first.
ENDINGS = tuple(sorted("""
하나요 되나요 있나요 없나요 인가요 한가요 할까요 될까요 하는지 되는지 하려면 되려면 해야하나요 해야 하나요
합니까 됩니까 입니까 습니까 했나요 나요 까요 세요 주세요 해주세요 인지 는지 은지 려면 으면 면요 이에요 예요 에요
""".split(), key=len, reverse=True))
_PUNCT = re.compile(r"[?？!！.,·~]+")


def strip_boilerplate(text: str) -> str:
    """TEXT without question words and endings; a word that is all ending is dropped, others keep their stem."""
    words = []
    for word in _PUNCT.sub(" ", str(text)).split():
        if word in STOP_WORDS:
            continue
        for end in ENDINGS:
            if word.endswith(end) and len(word) > len(end):
                word = word[: -len(end)]
                break
        if word and word not in STOP_WORDS:
            words.append(word)
    return " ".join(words)


PARTICLES = ("에서", "으로", "은", "는", "이", "가", "을", "를", "에", "의", "로", "도", "와", "과")


def content_words(text: str) -> list[str]:
    """The words a question is about (boilerplate gone, one trailing particle cut, two letters or more): a past
    question holding none of them is unrelated, however many letter pieces it shares."""
    out = []
    for word in strip_boilerplate(text).split():
        for p in PARTICLES:
            if word.endswith(p) and len(word) - len(p) >= 2:
                word = word[: -len(p)]
                break
        if len(word) >= 2:
            out.append(word)
    return out


# (question as a citizen might ask it, title of the 120다산콜 FAQ entry that answers it)
CALIBRATION = [
    ("소화기 쓰는 법을 알려주세요", "소화기 사용요령과 관리요령?"),
    ("소화기를 살 수 있는 곳은 어디인가요?", "[소방시설] 소화기는 어디에서 구입하나요?"),
    ("소방서 직원이라면서 소화기를 강제로 팔려고 해요", "[소방관계법 위반] 직원사칭한 소화기 강매하려는 사람은 어떻게 해야 하나요?"),
    ("수도 요금이랑 사용량은 어디서 조회하나요?", "수도요금 및 사용량을 알고 싶은데 조회를 어떻게 하여야 하나요?"),
    ("미세먼지 경보가 나오면 시민은 무엇을 해야 하나요?", "미세먼지 고농도 예보 및 경보 발령시 시민들은 어떻게 대처해야 하나요?"),
    ("주민등록증이 위조인지 확인할 수 있나요?", "주민등록증에 나온것이 맞는지, 위조는 아닌지 진위확인하는 방법이 있나요?"),
    ("버스에 들고 탈 수 있는 짐의 기준이 있나요?", "버스를 탈 때 휴대물품의 제한 기준은?"),
    ("과태료를 미리 스스로 내는 제도가 있나요?", "과태료 자진납부제도가 무엇인가요?"),
    ("보건소에서 휠체어를 빌릴 수 있나요?", "보건소 방문시 휠체어를 빌리고 싶습니다."),
    ("지하수에서 비린 냄새가 나요", "지하수에서 비린내가 날 때는 어떻게 하나요?"),
    ("건물 하수관이 막혀 하수가 안 빠져요", "건물에서 배출되는 하수관에 문제가 생겨 하수가 배출되지 않는데 어떻게 해야 하나요?"),
    ("버스 정류소 아이디는 어디서 보나요?", "버스 정류소 번호 또는 정류소 아이디가 무엇인가요?"),
    ("서울 시내버스 노선 수와 운행 대수가 궁금합니다", "현재 서울시 시내버스 노선수 및 운행대수는?"),
    ("시각장애인용 점자 주민등록증을 발급받고 싶어요", "시각장애인 점자 주민등록증 발급"),
    ("아빠가 육아휴직을 하면 장려금이 나오나요?", "아빠 육아휴직 장려금"),
    ("심야에 택시를 같이 타는 동승 앱이 있나요?", "반반택시 (심야시간 택시 동승앱)"),
    ("임산부가 탈 수 있는 전용 택시가 있나요?", "광진맘택시 운영(임산부,영아 양육가정 전용 택시)"),
    ("직장 내 성희롱 예방센터에 상담하고 싶어요", "위드유 서울 직장 성희롱.성폭력 예방센터"),
    ("형편이 어려운 집 반려동물 중성화 지원이 있나요?", "취약가구 반려동물 동물등록.중성화 지원"),
    ("사회서비스원은 무슨 일을 하는 곳인가요?", "서울시 사회서비스원은 무엇을 하는 곳인가요?"),
    ("보도블록에 걸려 넘어졌는데 손해배상을 받을 수 있나요?", "보도블록(보도블럭) 안전사고 손해배상 제도 안내"),
    ("공립 어린이집 연장 보육 비용은 누가 내나요?", "공립 어린이집 시간 연장 비용은 이용자가 부담하나요?"),
    ("서울시 온라인 여론조사 패널 가입 방법", "서울시 온라인여론조사 패널에 가입대상과 방법은?"),
    ("혼자 사는 어르신 지원 제도에는 무엇이 있나요?", "독거노인(일반, 장애인)지원은 무엇이 있나요"),
]
# Questions the corpus has no answer for: any answer above the threshold is a wrong one.
UNANSWERABLE = [
    "화성 탐사선은 언제 발사하나요?",
    "비트코인 시세가 어떻게 되나요?",
    "오늘 저녁 메뉴를 추천해 주세요",
    "프로야구 한국시리즈 우승팀은 어디인가요?",
    "아이폰 배터리 교체 비용은 얼마인가요?",
    "노트북 살 때 무엇을 봐야 하나요?",
    "기타 줄은 얼마나 자주 갈아야 하나요?",
    "감기에 좋은 차는 무엇인가요?",
]


def evaluate(search, threshold: float, pairs=CALIBRATION, unanswerable=UNANSWERABLE) -> dict:
    """SEARCH(question) -> (title of the best match, its score). At THRESHOLD: how many answerable
    questions were answered, how many of those with the right entry, how many unanswerable ones got an
    (always wrong) answer, and the precision of all answers given."""
    answered = right = wrong_extra = 0
    for question, title in pairs:
        best, score = search(question)
        if score >= threshold:
            answered += 1
            right += best == title
    for question in unanswerable:
        _, score = search(question)
        wrong_extra += score >= threshold
    given = answered + wrong_extra
    return {"threshold": threshold, "pairs": len(pairs), "answered": answered, "right": right,
            "unanswerable": len(unanswerable), "answered_unanswerable": wrong_extra,
            "precision": right / given if given else None}
