"""``/hub/certificate/verify?code=``: anyone (an HR office, an employer) checks a 교육 이수증 code.

Public on purpose: no login, and it shows only what the paper already says (name, course, hours, date),
never the learner's record. A code that is not one this hub issued, or was altered, gets the same refusal
as a mistyped one (no hint about which). Registered by datalit/hub/definition.py (page_handlers)."""
from __future__ import annotations

import logging

from jupyterhub.handlers.base import BaseHandler

from datalit.certificate.code import CertificateError, verify

log = logging.getLogger("datalit.certificate")


class VerifyHandler(BaseHandler):
    def initialize(self, state_dir: str):
        self.state_dir = state_dir

    async def get(self):
        code = self.get_argument("code", "").strip()[:64]
        claim, error = None, None
        if code:
            try:
                claim = verify(self.state_dir, code)
            except CertificateError as exc:
                error = exc.ko
                self.set_status(404)
            log.info("certificate code checked: %s", "valid" if claim else "refused")
        html = await self.render_template("certificate_verify.html", code=code, claim=claim, error=error)
        self.finish(html)


def handlers(state_dir) -> list[tuple]:
    return [(r"/certificate/verify/?", VerifyHandler, {"state_dir": str(state_dir)})]
