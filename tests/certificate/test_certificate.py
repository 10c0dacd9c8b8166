"""교육 이수증 (issue #20): the PDF names the person, the course and the hours in Hangul; the code verifies,
an altered one does not; nothing is issued for a course that is not completed. The standing is a dict of
the shape ``datalit.progress.completion`` returns (the record itself is tested in its own files); the CLI
test runs the real ``completion`` on a real event log."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from datalit.certificate import code as codes
from datalit.certificate.code import CertificateError
from datalit.certificate.issue import claim_of, from_standing


STANDING = {
    "user": "kim-minji", "tier": "citizen", "course_title": "시민 데이터 읽기",
    "lessons": [{"lesson": "01-neighbourhood-air", "title": "우리 동네 공기", "passed": 4, "total": 4, "minutes": 35,
                 "completed_at": "2026-11-03T02:10:00+00:00"},
                {"lesson": "02-bike-near-me", "title": "우리 동네 따릉이", "passed": 4, "total": 4, "minutes": 35,
                 "completed_at": "2026-11-03T16:20:00+00:00"}],
    "hours": 70 / 60, "completed": True,
    "first_at": "2026-11-02T23:30:00+00:00", "completed_at": "2026-11-03T16:20:00+00:00",
}


@pytest.fixture
def state(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    return folder


def _text(pdf_path) -> str:  # pdftotext: Debian poppler-utils (./run test installs it)
    return subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_names_the_person_course_hours_and_dates_in_korea_time(state, tmp_path):
    done = from_standing(state, STANDING, name="김민지")
    out = tmp_path / "이수증.pdf"
    out.write_bytes(done.pdf)
    text = _text(out)
    assert "교육 이수증" in text and "김민지 (kim-minji)" in text
    assert "시민 데이터 읽기" in text and "1.2시간" in text
    # first event 2026-11-02 23:30 UTC is 11-03 08:30 in Korea; the last lesson 11-03 16:20 UTC is 11-04 (KST)
    assert "2026-11-03 ~ 2026-11-04 (KST)" in text and "이수일" in text
    assert "서울특별시 · 서울 데이터 리터러시 랩" in text
    assert "본인의 커널" in text and "형성 평가" in text and "exchange" in text
    assert done.code in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if line.split()[-5:-2] == ["yes", "yes", "yes"]]
    assert embedded and all("NanumGothic" in name for name in embedded), fonts  # every glyph from NanumGothic
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(out), str(png)], check=True)
    assert (tmp_path / "page.png").stat().st_size > 10_000
    keep = os.environ.get("DATALIT_KEEP_CERTIFICATE_PNG")  # to look at the page: set it to a folder
    if keep:
        shutil.copy(tmp_path / "page.png", keep)


def test_the_code_verifies_and_an_altered_code_does_not(state):
    done = from_standing(state, STANDING)
    claim = codes.verify(state, done.code)
    assert (claim.user, claim.tier, claim.hours, claim.completed) == ("kim-minji", "citizen", "1.2", "2026-11-04")
    assert codes.verify(state, done.code.lower().replace("-", " ")) == claim  # typed from paper
    for i in range(len(codes.normalise(done.code))):
        raw = list(codes.normalise(done.code))
        raw[i] = "A" if raw[i] != "A" else "B"
        with pytest.raises(CertificateError, match="유효하지 않은"):
            codes.verify(state, "".join(raw))
    for nonsense in ("", "../../etc/passwd", "A" * 15, "가나다"):
        with pytest.raises(CertificateError):
            codes.verify(state, nonsense)


def test_the_secret_and_register_are_root_only_files(state):
    done = from_standing(state, STANDING)
    assert oct((state / codes.SECRET_FILE).stat().st_mode & 0o777) == "0o600"
    assert oct((state / codes.REGISTER).stat().st_mode & 0o777) == "0o700"
    entry = state / codes.REGISTER / f"{codes.normalise(done.code)}.json"
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    # the register is trusted only while the claim signs to its code: more hours written into it are refused
    claim = json.loads(entry.read_text())
    entry.write_text(json.dumps({**claim, "hours": "40"}, ensure_ascii=False))
    with pytest.raises(CertificateError):
        codes.verify(state, done.code)


def test_no_certificate_for_a_course_not_completed(state):
    open_course = {**STANDING, "completed": False, "completed_at": None,
                   "lessons": [STANDING["lessons"][0], {**STANDING["lessons"][1], "completed_at": None}]}
    with pytest.raises(CertificateError) as err:
        claim_of(open_course)
    assert "아직" in err.value.ko and "우리 동네 따릉이" in err.value.ko and "not completed" in err.value.en
    assert not (state / codes.REGISTER).exists()


def test_cli_issues_from_the_real_record_and_verify_refuses_an_altered_code(state, tmp_path):
    """`datalit certificate USER --tier T --out` and `datalit certificate verify CODE`, as an admin runs them."""
    from datalit.progress import events
    from datalit.progress.record import course

    env = {**os.environ, "DATALIT_HUB_STATE_DIR": str(state)}
    cli = [sys.executable, "-m", "datalit"]
    refused = subprocess.run(cli + ["certificate", "nobody", "--tier", "citizen", "--out", str(tmp_path / "x.pdf")],
                             capture_output=True, text=True, env=env)
    assert refused.returncode == 1 and "이수하지 않았어요" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "x.pdf").exists()
    bad = subprocess.run(cli + ["certificate", "verify", "AAAA-BBBB-CCCC-DDDD"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "유효하지 않은" in bad.stderr and "not valid" in bad.stderr

    citizen = course("citizen")
    for i, entry in enumerate(citizen.lessons):  # every question of every lesson passed, a day apart
        for question in entry.questions:
            events.append(state, {"at": f"2026-11-{10 + i:02d}T01:00:00+00:00", "user": "lee-jun", "tier": "citizen",
                                  "lesson": entry.lesson, "question": question, "kind": "check", "ok": True})
    out = tmp_path / "이수증.pdf"
    issued = subprocess.run(cli + ["certificate", "lee-jun", "--tier", "citizen", "--out", str(out), "--name", "이준"],
                            capture_output=True, text=True, env=env)
    assert issued.returncode == 0, issued.stderr
    text = _text(out)
    hours = codes.hours_text(citizen.hours)
    assert "이준 (lee-jun)" in text and citizen.title in text and f"{hours}시간" in text
    code = issued.stdout.rsplit("code ", 1)[1].strip()
    assert code in text
    ok = subprocess.run(cli + ["certificate", "verify", code], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "이준" in ok.stdout and citizen.title in ok.stdout and f"{hours}시간" in ok.stdout
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    bad = subprocess.run(cli + ["certificate", "verify", altered], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "유효하지 않은" in bad.stderr and "Traceback" not in bad.stderr
