"""Account cards of a workshop batch (datalit/hub/cards.py): the PDF has every account, shows Hangul, and each
QR code opens the login page with the name filled in; the login page takes only the name from the URL; a
card's QR link in Chromium logs the person in to the first lesson in JupyterLab."""
from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from datalit.hub import cards, workshop


def _qr_links(pdf: Path, out: Path, page: int) -> list[str]:
    """The QR codes of one PDF page, decoded from its image (pdftoppm, 150 dpi) with zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(pdf), str(out)],
                   check=True, capture_output=True)
    image = next(out.parent.glob(f"{out.name}-*{page}.png"))
    found = zxingcpp.read_barcodes(Image.open(image))
    return sorted(r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode)


def test_cards_pdf_has_every_account_hangul_and_a_qr_code_per_card(tmp_path):
    hub_url = "https://lab.example.go.kr/hub/login"
    made = workshop.create_accounts(tmp_path, 10, "2099-12-31", tier="citizen", prefix="tc", hub_url=hub_url)
    pdf = made["pdf"]
    assert pdf.name == "cards.pdf" and oct(pdf.stat().st_mode & 0o777) == "0o600"
    assert made["csv"].exists()  # the CSV stays
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(made["csv"].open(encoding="utf-8-sig")))
    for r in rows:
        assert r["username"] in text and r["password"] in text, r["username"]
    assert text.count("2099-12-31 23:59 (KST)까지") == 10 and text.count("시민 과정") == 10
    assert "워크숍 계정" in text and "lab.example.go.kr/hub/login" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\b", info) and "(A4)" in info  # 8 cards a page, A4
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NanumGothic" in fonts and " yes " in fonts  # embedded: Hangul on any printer's PC
    names = [r["username"] for r in rows]
    assert _qr_links(pdf, tmp_path / "p1", 1) == sorted(f"{hub_url}?username={n}" for n in names[:8])
    assert _qr_links(pdf, tmp_path / "p2", 2) == sorted(f"{hub_url}?username={n}" for n in names[8:])


def test_a_card_without_a_known_hub_address_says_so_and_has_no_qr(tmp_path):
    made = workshop.create_accounts(tmp_path, 1, "2099-12-31", prefix="tc", hub_url="")
    text = subprocess.run(["pdftotext", str(made["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    assert "진행자가 알려 드리는 주소" in text
    assert _qr_links(made["pdf"], tmp_path / "p", 1) == []
    assert cards.login_link("http://h:8000", "a b") == f"http://h:8000/hub/login?username={quote('a b')}"


@pytest.mark.hub
@pytest.mark.slow
def test_the_login_page_takes_the_name_from_the_url_and_nothing_else(hub):
    session = hub.session()
    page = session.get(f"{hub.url}/hub/login", params={"username": "wsab01"}, timeout=30).text
    assert re.search(r'id="username_input"[^>]*value="wsab01"', page), page[:2000]
    # markup in the name stays text; a password or another field in the URL is not put in the form
    evil = '"><script>alert(1)</script>'
    page = session.get(f"{hub.url}/hub/login", params={"username": evil, "password": "pw-from-url",
                                                       "_xsrf": "planted"}, timeout=30).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "pw-from-url" not in page and 'value="planted"' not in page


@pytest.mark.hub
@pytest.mark.slow
@pytest.mark.browser
def test_a_cards_qr_link_logs_in_to_the_first_lesson_in_jupyterlab(hub, tmp_path):
    from browserkit import korean_page, shot

    made = hub.workshop("create", "--count", "1", "--expires", "2099-12-31", "--prefix", "tq")
    assert made.returncode == 0, made.stderr
    pdf = Path(made.stdout.split("PDF:")[1].split()[0])
    rows = list(csv.DictReader(Path(made.stdout.split("CSV:")[1].split()[0]).open(encoding="utf-8-sig")))
    name, password = rows[0]["username"], rows[0]["password"]
    hub.created.append(name)
    (link,) = _qr_links(pdf, tmp_path / "card", 1)
    assert link == f"{hub.url}/hub/login?username={name}"
    first = sorted((hub.state.parent / "content" / "citizen").glob("*.ipynb"))[0].name
    with korean_page() as page:
        page.goto(link)  # what the phone camera opens
        assert page.input_value("#username_input") == name
        page.fill("#password_input", password)
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf".*/user/{name}/lab/tree/courses/citizen/{re.escape(first)}.*"),
                          timeout=150_000)
        tab = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=first)
        tab.wait_for(timeout=60_000)
        page.locator(".jp-NotebookPanel .jp-MarkdownCell .jp-RenderedHTMLCommon h1").first.wait_for(timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
        shot(page, tmp_path, "workshop-qr-first-lesson.png", prefix="t8-")
    hub.stop_server(name)
