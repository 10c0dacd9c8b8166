"""Attack: a 교육 이수증 that was never earned. The attacker knows the code scheme (it is open source:
HMAC-SHA256 over user|tier|hours|completed date, base32) and what a genuine certificate prints. Through the
real hub's public page /hub/certificate/verify and the real ``datalit certificate verify``:

1. forge a code for an invented claim with guessed secrets (empty, "secret", the claim itself);
2. alter one character of a genuine code;
3. plant a claim file of their own outside the register and point the code at it (path traversal);
4. read the hub's certificate secret as an unprivileged unix user.

Every attempt must be refused with the same plain message (Korean on the page; Korean + English, exit 1
on the CLI), while the genuine code is accepted and shows only name, course, hours and date."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import uuid

import pytest
import requests

from datalit import kst
from datalit.certificate import code as codes

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _forge(secret: bytes, text: str) -> str:
    raw = base64.b32encode(hmac.new(secret, text.encode(), hashlib.sha256).digest()[:10]).decode()
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _page(hub, code: str) -> requests.Response:
    return requests.get(f"{hub.url}/hub/certificate/verify", params={"code": code}, timeout=60)


def _cli(hub, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datalit", "certificate", *args, "--state-dir", str(hub.state)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def genuine(hub, tmp_path_factory):
    """A learner who completed the citizen course (their record written as the progress service writes it)
    and the certificate an admin issued them."""
    from datalit.progress import events
    from datalit.progress.record import course

    learner = "cert" + uuid.uuid4().hex[:6]
    citizen = course("citizen")
    for i, entry in enumerate(citizen.lessons):
        for question in entry.questions:
            events.append(hub.state, {"at": f"2026-11-{10 + i:02d}T03:00:00+00:00", "user": learner,
                                      "tier": "citizen", "lesson": entry.lesson, "question": question,
                                      "kind": "check", "ok": True})
    out = tmp_path_factory.mktemp("cert") / "이수증.pdf"
    issued = _cli(hub, learner, "--tier", "citizen", "--out", str(out), "--name", "박서연")
    assert issued.returncode == 0, issued.stderr
    day = f"2026-11-{10 + len(citizen.lessons) - 1:02d}"  # the last lesson's day: the completion date printed
    return {"learner": learner, "code": issued.stdout.rsplit("code ", 1)[1].strip(), "course": citizen, "day": day}


def test_the_genuine_code_is_accepted_and_shows_only_what_the_paper_says(hub, genuine):
    page = _page(hub, genuine["code"])
    page.encoding = "utf-8"
    assert page.status_code == 200 and 'id="certificate-valid"' in page.text
    citizen = genuine["course"]
    assert "박서연" in page.text and citizen.title in page.text
    assert f"{codes.hours_text(citizen.hours)}시간" in page.text and f"{genuine['day']} (KST)" in page.text
    assert citizen.lessons[0].title not in page.text  # never the learner's record
    assert _cli(hub, "verify", genuine["code"]).returncode == 0


def _refused(hub, code: str) -> None:
    page = _page(hub, code)
    page.encoding = "utf-8"
    assert page.status_code == 404 and 'id="certificate-invalid"' in page.text, page.text[-800:]
    assert "유효하지 않은 이수증 코드" in page.text and 'id="certificate-valid"' not in page.text
    cli = _cli(hub, "verify", code)
    assert cli.returncode == 1 and "유효하지 않은" in cli.stderr and "not valid" in cli.stderr, cli
    assert "Traceback" not in cli.stderr


def test_a_code_forged_without_the_secret_is_refused(hub, genuine):
    today = kst.shown()[:10]
    claims = [f"mallory|advanced|40|{today}", f"{genuine['learner']}|advanced|40|{today}",
              f"{genuine['learner']}|citizen|{codes.hours_text(genuine['course'].hours)}|{genuine['day']}"]
    for text in claims:
        for guess in (b"", b"secret", b"datalit", text.encode()):
            forged = _forge(guess, text)
            if codes.normalise(forged) == codes.normalise(genuine["code"]):
                pytest.fail("a guessed secret reproduces the genuine code")
            _refused(hub, forged)


def test_an_altered_genuine_code_is_refused(hub, genuine):
    raw = codes.normalise(genuine["code"])
    for i in (0, 7, 15):
        altered = raw[:i] + ("Q" if raw[i] != "Q" else "R") + raw[i + 1:]
        _refused(hub, altered)


def test_a_planted_claim_outside_the_register_is_refused(hub, genuine, tmp_path):
    """The attacker's own claim file, named like a code, reached by a relative path from the register."""
    claim = {"user": "mallory", "tier": "advanced", "hours": "40", "completed": "2026-12-01", "name": "말로리",
             "course_title": "고급 과정", "started": "2026-11-01", "issued": "2026-12-01"}
    planted = tmp_path / "AAAABBBBCCCCDDDD.json"
    planted.write_text(json.dumps(claim, ensure_ascii=False))
    up = "../" * (len((hub.state / codes.REGISTER).parts) + 1)
    for code in (f"{up}{tmp_path}/AAAABBBBCCCCDDDD".replace("//", "/"), str(planted), "AAAABBBBCCCCDDDD"):
        _refused(hub, code)


def test_the_certificate_secret_is_not_readable_by_other_users(hub, genuine):
    secret = hub.state / codes.SECRET_FILE
    assert secret.exists() and (secret.stat().st_mode & 0o077) == 0
    read = subprocess.run(["runuser", "-u", "nobody", "--", "cat", str(secret)], capture_output=True, text=True)
    assert read.returncode != 0 and not read.stdout
    write = subprocess.run(["runuser", "-u", "nobody", "--", "touch", str(hub.state / codes.REGISTER / "X.json")],
                           capture_output=True, text=True)
    assert write.returncode != 0
