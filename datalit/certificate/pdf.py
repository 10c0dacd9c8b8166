"""The 교육 이수증 page: Korean A4, NanumGothic from the koreanize-matplotlib wheel (no system font needed).

fpdf2 embeds the TrueType subset it uses, so the PDF shows Hangul on any reader and ``pdftotext`` gets the
text back (the tests read it)."""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from datalit.certificate.code import Claim

ISSUER = "서울특별시 · 서울 데이터 리터러시 랩"
ISSUER_EN = "Seoul Metropolitan Government · Seoul Data Literacy Lab"
VERIFY_PATH = "/hub/certificate/verify"
# what the certificate attests, exactly (docs/instructor-guide.md says the same)
ATTESTS = ("이 이수증은 과정의 이수 기준에 든 수업의 연습 문제 통과가 위 사람의 학습 기록에 남았음을 증명합니다. "
           "수업의 연습 문제 결과는 학습자 본인의 커널이 보낸 자기 보고(형성 평가)로, 검증된 시험 성적이 아닙니다. "
           "검증된 것은 허브를 거쳐 제출·채점된 팀 실습(랩)의 성적(exchange)뿐입니다.")
ATTESTS_LABS = (" 위에 적힌 팀 실습은 위 사람의 팀이 허브를 거쳐 제출했고, 강사의 채점(성적부)에서 이수 기준 점수 이상을 "
                "받았습니다.")  # only on certificates of a course whose rule has team labs


def font_path(bold: bool = False) -> str:
    """The font file inside the installed koreanize-matplotlib (found, not imported: importing it
    registers fonts with matplotlib)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("koreanize-matplotlib is not installed: it ships the NanumGothic font")
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    return str(Path(list(spec.submodule_search_locations)[0]) / "fonts" / name)


def render(claim: Claim, code: str, lessons: list[dict] | None = None, hub_url: str = "",
           labs: list[dict] | None = None) -> bytes:
    """The PDF bytes of one certificate. LESSONS (title, minutes) are listed when given, and LABS (title),
    the team labs of the course's rule, under them (they are part of what was completed)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(f"교육 이수증 - {claim.name} - {claim.course_title}")
    pdf.set_author(ISSUER)
    pdf.set_creator("datalit certificate")
    pdf.add_font("Nanum", "", font_path())
    pdf.add_font("Nanum", "B", font_path(bold=True))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 186, 273)
    pdf.set_line_width(0.3)
    pdf.rect(15, 15, 180, 267)

    pdf.set_y(34)
    pdf.set_font("Nanum", "B", 32)
    pdf.cell(0, 16, "교육 이수증", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Nanum", "", 11)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 7, "Certificate of Completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)

    pdf.set_y(72)
    rows = [("성명", claim.name if claim.name == claim.user else f"{claim.name} ({claim.user})"),
            ("과정", claim.course_title),
            ("교육 시간", f"{claim.hours}시간"),
            ("교육 기간", f"{claim.started} ~ {claim.completed} (KST)"),
            ("이수일", f"{claim.completed} (KST)")]
    for label, value in rows:
        pdf.set_x(35)
        pdf.set_font("Nanum", "B", 13)
        pdf.cell(35, 11, label)
        pdf.set_font("Nanum", "", 13)
        pdf.cell(0, 11, value, new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_x(30)
    pdf.set_font("Nanum", "", 13)
    pdf.multi_cell(150, 8, f"위 사람은 {ISSUER}의 「{claim.course_title}」 과정 "
                           f"{claim.hours}시간을 이수하였기에 이 증서를 드립니다.", align="C")

    if lessons:
        pdf.ln(3)
        pdf.set_font("Nanum", "B", 10)
        pdf.set_x(35)
        pdf.cell(0, 6, "이수한 수업", new_x="LMARGIN", new_y="NEXT")
        shown = lessons[:12]
        room = 201 - pdf.get_y() - (11 if labs else 0)  # what fits above the attestation (at 203)
        step = max(3.4, min(5.5, room / max(1, len(shown))))
        pdf.set_font("Nanum", "", min(9.5, step * 2.3))
        for lesson in shown:
            pdf.set_x(38)
            pdf.cell(115, step, f"· {lesson['title']}")
            pdf.cell(0, step, f"{lesson['minutes']}분", new_x="LMARGIN", new_y="NEXT")
    if labs:
        pdf.ln(1.5)
        pdf.set_x(35)
        pdf.set_font("Nanum", "B", 10)
        pdf.cell(22, 5, "팀 실습")
        pdf.set_font("Nanum", "", 9.5)
        pdf.multi_cell(128, 5, " · ".join(lab["title"] for lab in labs) + " (허브에서 제출·채점, 이수 기준 통과)")

    pdf.set_y(203)
    pdf.set_x(30)
    pdf.set_font("Nanum", "", 9)
    pdf.set_text_color(60, 60, 60)
    pdf.multi_cell(150, 5, ATTESTS + (ATTESTS_LABS if labs else ""))
    pdf.set_text_color(0, 0, 0)

    pdf.set_y(228)
    pdf.set_font("Nanum", "", 12)
    pdf.cell(0, 7, f"발급일 {claim.issued} (KST)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Nanum", "B", 15)
    pdf.cell(0, 10, ISSUER, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(258)
    pdf.set_font("Nanum", "", 9)
    pdf.cell(0, 5, f"확인 코드  {code}", align="C", new_x="LMARGIN", new_y="NEXT")
    where = f"{hub_url.rstrip('/')}{VERIFY_PATH}?code={code}" if hub_url else f"허브의 {VERIFY_PATH} 페이지"
    pdf.cell(0, 5, f"진위 확인: {where}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, f"(관리자: datalit certificate verify {code})", align="C")
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "TSI0 NOT subset": hinting tables left out
    return bytes(pdf.output())
