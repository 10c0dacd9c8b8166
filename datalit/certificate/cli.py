"""``datalit certificate``: issue a 교육 이수증 PDF and verify a code (runs as root on the hub's machine:
the learning record and the certificate secret are root-only).

    datalit certificate USER --tier T --out FILE.pdf [--name 홍길동]
    datalit certificate verify CODE
"""
from __future__ import annotations

import sys

import click

from datalit.hub.cli import resolve_state_dir, state_option
from datalit.lessons.schema import TIERS


class _IssueByDefault(click.Group):
    """``datalit certificate USER ...`` means ``datalit certificate issue USER ...``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["issue", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_IssueByDefault)
def certificate():
    """교육 이수증: USER --tier T --out FILE.pdf issues one; verify CODE checks one."""


def _fail(exc) -> None:
    click.echo(f"{exc.ko}\n{exc.en}", err=True)
    sys.exit(1)


def _state(state_dir):
    import os

    state = resolve_state_dir(state_dir)
    if state.exists() and not os.access(state, os.R_OK | os.X_OK):
        raise click.ClickException(f"{state} is readable by root only: run this command with sudo")
    return state


@certificate.command("issue")
@click.argument("user")
@click.option("--tier", required=True, type=click.Choice(TIERS))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="the PDF file to write")
@click.option("--name", default=None, help="the name printed (default: the user name)")
@click.option("--hub-url", default="", help="public hub address printed with the code, e.g. https://lab.seoul.go.kr")
@state_option
def issue_cmd(user, tier, out, name, hub_url, state_dir):
    """Write USER's certificate for the TIER course (refused unless the course is completed)."""
    from datalit.certificate.code import CertificateError
    from datalit.certificate.issue import issue, write

    try:
        done = issue(_state(state_dir), user, tier, name=name, hub_url=hub_url)
        write(out, done.pdf)
    except CertificateError as exc:
        _fail(exc)
    click.echo(f"{out}: {done.claim.name}, {done.claim.course_title}, {done.claim.hours}시간, "
               f"이수일 {done.claim.completed} (KST); code {done.code}")


@certificate.command("verify")
@click.argument("code")
@state_option
def verify_cmd(code, state_dir):
    """Check a certificate code: exit 0 and what it attests, or exit 1 (forged, altered, mistyped)."""
    from datalit.certificate.code import CertificateError, verify

    try:
        claim = verify(_state(state_dir), code)
    except CertificateError as exc:
        _fail(exc)
    click.echo(f"유효한 이수증이에요 / valid certificate\n성명: {claim.name}\n과정: {claim.course_title}\n"
               f"교육 시간: {claim.hours}시간\n이수일: {claim.completed} (KST)")
