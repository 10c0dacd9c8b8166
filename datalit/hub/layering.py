"""Configuration layers, loaded once by hub_config/jupyterhub_config.py in this order:

1. ``hub_config/shared/*.py``   (sorted) the same on every platform: auth, roles, groups, services
2. ``hub_config/local/*.py`` or ``hub_config/k8s/*.py``   platform specifics (spawner)
3. ``<state_dir>/config.d/*.py``   an admin's snippets for this one installation

Each file runs with ``c`` (the JupyterHub config) and ``settings`` (what ``datalit hub`` resolved).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from datalit.hub.launch import SETTINGS_ENV


def platform() -> str:
    explicit = os.environ.get("DATALIT_HUB_PLATFORM")
    if explicit:
        return explicit
    return "k8s" if os.environ.get("KUBERNETES_SERVICE_HOST") else "local"


def load_settings() -> dict:
    raw = os.environ.get(SETTINGS_ENV)
    if not raw:
        raise RuntimeError(f"{SETTINGS_ENV} is not set: start the hub with 'datalit hub', not 'jupyterhub'")
    return json.loads(raw)


def layer_files(config_dir: Path, state_dir: Path | None, which: str) -> list[Path]:
    files = sorted((config_dir / "shared").glob("*.py"))
    files += sorted((config_dir / which).glob("*.py"))
    if state_dir is not None:
        files += sorted((state_dir / "config.d").glob("*.py"))
    return files


def load_layers(c, config_dir: Path, settings: dict) -> list[Path]:
    state = Path(settings["state_dir"]) if settings.get("state_dir") else None
    files = layer_files(config_dir, state, platform())
    for path in files:
        namespace = {"c": c, "settings": settings, "__file__": str(path), "__name__": "datalit_hub_layer"}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return files
