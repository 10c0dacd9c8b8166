"""The one-machine hub's configuration, loaded once by hub_config/jupyterhub_config.py in this order:

1. the hub definition (datalit/hub/definition.py, the same one the Kubernetes chart loads), platform "local"
2. ``<state_dir>/config.d/*.py`` (sorted): an admin's snippets for this one installation, so they win

Each snippet runs with ``c`` (the JupyterHub config) and ``settings`` (what ``datalit hub`` resolved).
"""
from __future__ import annotations

from pathlib import Path

from datalit.config import load_config
from datalit.hub import definition
from datalit.paths import repo_path


def snippet_files(state_dir: Path | None) -> list[Path]:
    return sorted((state_dir / "config.d").glob("*.py")) if state_dir is not None else []


def load_snippets(c, settings: dict) -> list[Path]:
    state = Path(settings["state_dir"]) if settings.get("state_dir") else None
    files = snippet_files(state)
    for path in files:
        namespace = {"c": c, "settings": settings, "__file__": str(path), "__name__": "datalit_hub_layer"}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return files


def load_layers(c, settings: dict | None = None) -> list[str]:
    """The definition, then the admin's snippets; returns what was loaded, for the hub's log."""
    site = definition.load(c, "local") if settings is None else _configure_local(c, settings)
    loaded = ["datalit.hub.definition (local)", *map(str, load_snippets(c, site))]
    return loaded + [f"WARNING: {p} is not loaded: hub_config/shared and hub_config/local are gone, the hub is "
                     "defined in datalit/hub/definition.py (a page: page_handlers)" for p in stray_layers()]


def stray_layers() -> list[Path]:
    """Layer files of the old layout, left in a checkout: said in the log, never executed (one definition)."""
    return sorted(p for folder in ("shared", "local", "k8s") for p in repo_path("hub_config", folder).glob("*.py"))


def _configure_local(c, settings: dict) -> dict:
    """As definition.load(c, "local"), with SETTINGS given instead of read from the environment (tests)."""
    cfg = load_config(state_dir=settings["state_dir"])
    site = definition.local_site(cfg, settings)
    definition.configure(c, cfg, "local", site)
    return site
