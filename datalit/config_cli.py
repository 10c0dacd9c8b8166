"""``datalit config show``: every key of the configuration, its value and where the value came from.

An admin asking "why does the hub use this port?" gets the answer in one line per key instead of
reading DEFAULTS, the config file and the environment by hand; secrets are shown only as set or not.
"""
from __future__ import annotations

import click

from datalit.config import SCHEMA, ConfigError, env_name, load_config_sources


@click.group()
def config():
    """The configuration (datalit.yaml, DATALIT_* environment, defaults)."""


@config.command("show")
@click.option("--state-dir", default=None, type=click.Path(file_okay=False),
              help="the hub's state directory (its datalit.yaml is read)")
@click.option("--config", "config_path", default=None, type=click.Path(dir_okay=False),
              help="a config file to read instead (also DATALIT_CONFIG)")
@click.option("--env", "show_env", is_flag=True, help="also print each key's environment name")
def show(state_dir, config_path, show_env):
    """Print SECTION.KEY = VALUE (SOURCE): default, the file's path, env NAME or cli."""
    try:
        values, sources = load_config_sources(config_path, {"hub": {"state_dir": state_dir}})
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    for section, keys in SCHEMA.items():
        for key, setting in keys.items():
            value = values[section][key]
            shown = ("(set)" if value else "(empty)") if setting.secret else _format(value)
            extra = f"  [{env_name(section, key)}]" if show_env else ""
            click.echo(f"{section}.{key} = {shown} ({sources[(section, key)]}){extra}")


def _format(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return '""' if value == "" else str(value)
