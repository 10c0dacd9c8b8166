# 교육 이수증 (datalit/certificate/): the public page /hub/certificate/verify?code= checks a certificate code
# against the register in the state directory. After 46-teams, which sets extra_handlers.
from datalit.certificate import pages as certificate_pages

c.JupyterHub.extra_handlers.extend(certificate_pages.handlers(settings["state_dir"]))
