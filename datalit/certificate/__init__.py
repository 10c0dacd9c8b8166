"""교육 이수증: a Korean A4 PDF for a learner who completed a course, with a verification code.

* :mod:`datalit.certificate.code`: the code (HMAC-SHA256 with a hub secret over user|tier|hours|completed
  date), the root-only register of issued certificates, and verification;
* :mod:`datalit.certificate.pdf`: the page (fpdf2, NanumGothic from koreanize-matplotlib);
* :mod:`datalit.certificate.issue`: completion (``datalit.progress.completion``) -> register -> PDF;
* :mod:`datalit.certificate.cli`: ``datalit certificate USER --tier T --out FILE.pdf`` and
  ``datalit certificate verify CODE``; :mod:`datalit.certificate.pages`: the public hub page
  ``/hub/certificate/verify?code=``.

What a certificate attests is written on it (:data:`datalit.certificate.pdf.ATTESTS`): the lesson checks
ran in the learner's own kernel and are formative; lab grades come from the hub-mediated exchange.
"""
