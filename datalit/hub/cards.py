"""Printable account cards of a workshop batch: A4, 8 cut-out cards a page, Korean, one QR code each.

Why a PDF beside the CSV and the HTML sheet: a browser prints the HTML sheet with its own margins and
fonts (cards cut in half, Hangul missing on a borrowed PC); the PDF is the same everywhere. The font is
NanumGothic from the koreanize-matplotlib wheel (as the certificate, datalit/certificate/pdf.py), embedded
by fpdf2, so ``pdftotext`` reads every account back.

The QR code opens the hub's login page with the user name filled in (``/hub/login?username=<name>``):
a phone camera saves typing the name, the password is still typed from the card. The code is drawn as
vector squares (segno's module matrix), sharp at any print resolution.
"""
from __future__ import annotations

from urllib.parse import quote

from datalit.hub.roles import TIER_NAMES

PROGRAMME = "서울 데이터 리터러시 랩"
PAGE_W, PAGE_H = 210.0, 297.0          # A4, mm
COLS, ROWS = 2, 4                       # 8 cards a page
CARD_W, CARD_H = 95.0, 68.0
MARGIN_X = (PAGE_W - COLS * CARD_W) / 2
MARGIN_Y = (PAGE_H - ROWS * CARD_H) / 2
QR_SIZE = 30.0


def login_link(hub_login_url: str, username: str) -> str:
    """The login page with the name filled in; '' when the hub's address is unknown (no QR then)."""
    if not hub_login_url:
        return ""
    base = hub_login_url.rstrip("/")
    if not base.endswith("/hub/login"):
        base += "/hub/login"
    return f"{base}?username={quote(username)}"


def _draw_qr(pdf, text: str, x: float, y: float, size: float) -> None:
    import segno

    qr = segno.make_qr(text, error="m")
    matrix = [list(row) for row in qr.matrix]
    quiet = 2  # modules of white border inside SIZE (the card around it is white too)
    n = len(matrix) + 2 * quiet
    cell = size / n
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per horizontal run: fewer PDF operators, no hairline gaps
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + (start + quiet) * cell, y + (r + quiet) * cell, (c - start) * cell, cell, style="F")
            else:
                c += 1


def _card(pdf, x: float, y: float, row: dict, hub_url: str, expiry: str) -> None:
    pdf.set_draw_color(120, 120, 120)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.set_dash_pattern()
    pad = 5.0
    text_w = CARD_W - 2 * pad - QR_SIZE - 2
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font("Nanum", "B", 10.5)
    pdf.cell(CARD_W - 2 * pad, 6, f"{PROGRAMME} · 워크숍 계정", new_x="LEFT", new_y="NEXT")
    pdf.ln(1.5)
    link = login_link(hub_url, row["username"])

    def field(label: str, value: str, size: float = 11.0, bold: bool = True) -> None:
        pdf.set_x(x + pad)
        pdf.set_font("Nanum", "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(text_w, 4, label, new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + pad)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("Nanum", "B" if bold else "", size)
        pdf.multi_cell(text_w, size * 0.45, value, new_x="LEFT", new_y="NEXT")
        pdf.ln(0.8)

    field("아이디", row["username"], 13)
    field("비밀번호", row["password"], 13)
    field("과정", f"{TIER_NAMES.get(row['tier'], row['tier'])} 과정", 10)
    field("사용 기한", f"{expiry}까지", 9.5, bold=False)
    pdf.set_xy(x + pad, y + CARD_H - pad - 8)
    pdf.set_font("Nanum", "", 7.5)
    pdf.multi_cell(CARD_W - 2 * pad, 3.6, f"접속 주소: {hub_url or '(진행자가 알려 드리는 주소)'}",
                   new_x="LEFT", new_y="NEXT")
    if link:
        qx, qy = x + CARD_W - pad - QR_SIZE, y + pad + 8
        _draw_qr(pdf, link, qx, qy, QR_SIZE)
        pdf.set_xy(qx - 2, qy + QR_SIZE + 0.5)
        pdf.set_font("Nanum", "", 7)
        pdf.multi_cell(QR_SIZE + 4, 3.2, "휴대폰 카메라로 찍으면 로그인 화면이 열리고 아이디가 채워집니다.",
                       align="C")


def render(rows: list[dict], hub_url: str, expiry: str) -> bytes:
    """The PDF bytes: ROWS (username, password, tier) as cards; EXPIRY as people read it (KST, labelled)."""
    from fpdf import FPDF

    from datalit.certificate.pdf import font_path

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(f"{PROGRAMME} 워크숍 계정 카드")
    pdf.set_creator("datalit workshop create")
    pdf.add_font("Nanum", "", font_path())
    pdf.add_font("Nanum", "B", font_path(bold=True))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    per_page = COLS * ROWS
    for i, row in enumerate(rows):
        if i % per_page == 0:
            pdf.add_page()
        slot = i % per_page
        _card(pdf, MARGIN_X + (slot % COLS) * CARD_W, MARGIN_Y + (slot // COLS) * CARD_H, row, hub_url, expiry)
    import logging

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "TSI0 NOT subset": hinting tables left out
    return bytes(pdf.output())
