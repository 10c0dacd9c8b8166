"""How the hub definition (datalit/hub/definition.py, spawn_options.py) wires the record in, the same on one
machine and on Kubernetes."""
from __future__ import annotations

from datalit.hub.roles import PROGRESS_SERVICE
from datalit.progress.post import URL_ENV

OAUTH_CLIENT = f"service-{PROGRESS_SERVICE}"


def with_progress_url(previous, url: str):
    """A pre-spawn hook: PREVIOUS (if any), then ``DATALIT_PROGRESS_URL`` in the server's environment (its
    kernels inherit it; datalit/progress/post.py posts only when it is there)."""
    def hook(spawner):
        if callable(previous):
            previous(spawner)
        spawner.environment = {**spawner.environment, URL_ENV: url}
    return hook


def skip_confirmation(c) -> None:
    """No 'Authorize access' page before 내 학습 현황. The hub builds its ``oauth_no_confirm_list`` from the
    services' ``oauth_no_confirm``, but one set in ``tornado_settings`` (the team servers', datalit/hub/
    teamhub.py) replaces it: the record's client is added to that one."""
    settings = c.JupyterHub.tornado_settings
    current = settings.to_dict().get("update", {}) if hasattr(settings, "to_dict") else dict(settings)
    no_confirm = current.get("oauth_no_confirm_list")
    if no_confirm is None:
        c.JupyterHub.tornado_settings.update({"oauth_no_confirm_list": {OAUTH_CLIENT}})
    else:
        no_confirm.add(OAUTH_CLIENT)
