"""From a learner's course standing (``datalit.progress.completion``) to a signed, registered certificate.

Plain functions: the CLI and the learner's page (download button) both call :func:`issue`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datalit import atomic, kst
from datalit.certificate import code as codes
from datalit.certificate import pdf
from datalit.certificate.code import CertificateError, Claim
from datalit.progress.record import CourseError, completion


@dataclass
class Issued:
    claim: Claim
    code: str
    pdf: bytes


def _day(when) -> str:
    return kst.shown(when)[:10]


def claim_of(standing: dict, name: str | None = None, today=None) -> Claim:
    """The claim of a completed standing; CertificateError (Korean + English) when it is not completed."""
    if not standing.get("completed"):
        left = [l["title"] for l in standing.get("lessons", []) if not l.get("completed_at")]
        left += [lab["title"] for lab in standing.get("labs", []) if not lab.get("done")]  # the rule's team labs
        shown = ", ".join(left[:5]) + (" 외" if len(left) > 5 else "")
        raise CertificateError(
            f"{standing['user']} 님은 아직 「{standing['course_title']}」 과정을 이수하지 않았어요"
            + (f" (남은 수업: {shown})" if left else "") + ". 이수증은 과정을 마친 뒤에 발급돼요.",
            f"{standing['user']} has not completed the {standing['tier']} course yet"
            + (f" ({len(left)} lesson(s) left)" if left else "") + ": no certificate")
    completed = _day(standing["completed_at"])
    return Claim(user=standing["user"], tier=standing["tier"], hours=codes.hours_text(standing["hours"]),
                 completed=completed, name=(name or "").strip() or standing["user"],
                 course_title=standing["course_title"],
                 started=_day(standing["first_at"]) if standing.get("first_at") else completed,
                 issued=_day(today))


def from_standing(state_dir, standing: dict, name: str | None = None, hub_url: str = "") -> Issued:
    claim = claim_of(standing, name)
    code = codes.record(state_dir, claim)
    done = [l for l in standing.get("lessons", []) if l.get("completed_at")]
    labs = [lab for lab in standing.get("labs", []) if lab.get("done")]  # the rule's team labs, all passed here
    return Issued(claim, code, pdf.render(claim, code, done, hub_url, labs))


def issue(state_dir, user: str, tier: str, name: str | None = None, hub_url: str = "") -> Issued:
    """USER's certificate for TIER from the learning record in STATE_DIR (refused unless completed)."""
    try:
        standing = completion(state_dir, user, tier)
    except CourseError as exc:
        raise CertificateError(f"과정 {tier}의 이수 기준을 찾을 수 없어요: {exc}", str(exc)) from None
    return from_standing(state_dir, standing, name, hub_url)


def write(path, data: bytes) -> Path:
    """Write the PDF (0644: the learner takes it home); the folder must exist."""
    path = Path(path)
    if not path.parent.is_dir():
        raise CertificateError(f"{path.parent} 폴더가 없어요.", f"no folder {path.parent}")
    return atomic.write_bytes(path, data)  # (mode as open() makes it: 0644 under the usual umask)
