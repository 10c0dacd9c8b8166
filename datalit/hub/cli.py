"""``datalit hub`` / ``datalit users`` / ``datalit workshop``: thin wrappers over the plain functions."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from datalit.hub.state import NoHubRunning, find_hub_state

state_option = click.option("--state-dir", default=None,
                            help="the hub's state directory (default: the running hub's; refused when several "
                                 "or none run)")


def hub_state(state_dir: str | None, running: bool = True, optional: bool = False) -> Path | None:
    """The hub this command serves, found the one way (datalit.hub.state.find_hub_state), or a plain error
    (no traceback). From here on this process and what it starts read that hub's configuration
    (``<state>/datalit.yaml``) and its exchange store: DATALIT_HUB_STATE_DIR names it, as ``datalit hub``
    names it for its services. RUNNING: the hub must be up; OPTIONAL: None rather than a refusal."""
    from datalit.config import ConfigError

    try:
        state = find_hub_state(state_dir, require_running=running, optional=optional)
    except (NoHubRunning, ConfigError) as exc:
        raise click.ClickException(str(exc))
    if state is not None:
        os.environ["DATALIT_HUB_STATE_DIR"] = str(state)
    return state


def running_state(state_dir: str | None) -> Path:
    """The running hub's state directory (commands that talk to the hub)."""
    return hub_state(state_dir)


def resolve_state_dir(state_dir: str | None) -> Path:
    """The hub's state directory for commands that also work while the hub is stopped (workshop, progress)."""
    return hub_state(state_dir, running=False)


remote_options = [
    click.option("--hub-url", default=None,
                 help="a hub without a local state directory, e.g. on Kubernetes (env DATALIT_HUB_URL)"),
    click.option("--token", default=None, help="the datalit-cli service's API token (env DATALIT_HUB_TOKEN)"),
]


def with_remote_options(command):
    for option in reversed(remote_options):
        command = option(command)
    return command


def hub_api(state_dir: str | None, hub_url: str | None = None, token: str | None = None):
    """The hub's API: --hub-url/--token (or DATALIT_HUB_URL/DATALIT_HUB_TOKEN unless --state-dir is given),
    else the URL and token in the running hub's state directory."""
    from datalit.config import load_config
    from datalit.hub.api import HubAPI

    configured = load_config()["hub"]
    url = hub_url or ("" if state_dir else configured["url"])
    token = token or (configured["token"] if url else "")
    if url:
        if not token:
            raise click.ClickException("a hub URL needs the datalit-cli service token: --token or DATALIT_HUB_TOKEN "
                                       "(on Kubernetes: the chart's Secret 'hub', key "
                                       "hub.services.datalit-cli.apiToken)")
        return HubAPI(url, token)
    return HubAPI.from_state(running_state(state_dir))


def api_call(fn, *args):
    """Run FN(*args) against the hub; an unreachable hub or a refused token is a plain error, no traceback."""
    from datalit.hub.api import HubUnavailable

    try:
        return fn(*args)
    except (HubUnavailable, RuntimeError) as exc:
        raise click.ClickException(str(exc))


@click.group(invoke_without_command=True)
@click.option("--ip", default=None, help="address to listen on (default 127.0.0.1)")
@click.option("--port", default=None, type=int, help="port (default 8000)")
@click.option("--state-dir", default=None,
              help="state directory (default: hub.state_dir, else /var/lib/datalit as root)")
@click.pass_context
def hub(ctx, ip, port, state_dir):
    """Run the JupyterHub in the foreground (Ctrl-C stops it and every user server)."""
    ctx.obj = {"state_dir": state_dir}
    if ctx.invoked_subcommand is None:
        from datalit.hub.launch import run_hub

        sys.exit(run_hub(ip=ip, port=port, state_dir=state_dir))


@hub.command("status")
@state_option
@with_remote_options
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def hub_status(ctx, state_dir, hub_url, token, as_json):
    """Users, groups and running servers."""
    from datalit.hub.status import collect, render

    api = hub_api(state_dir or ctx.obj.get("state_dir"), hub_url, token)
    info = api_call(collect, api)
    click.echo(json.dumps(info, indent=1) if as_json else render(info, api.url.rsplit("/hub/api", 1)[0]))


@click.group()
def users():
    """List people and move them between groups."""


@users.command("list")
@state_option
@with_remote_options
@click.option("--json", "as_json", is_flag=True)
def users_list(state_dir, hub_url, token, as_json):
    """Users, their groups and whether their server runs."""
    from datalit.hub.accounts import list_users

    rows = api_call(list_users, hub_api(state_dir, hub_url, token))
    if as_json:
        click.echo(json.dumps(rows, indent=1))
        return
    for r in rows:
        click.echo(f"{r['name']:24} {'admin' if r['admin'] else '':5} {'running' if r['server'] else '':7} "
                   f"{','.join(r['groups'])}")


@users.command("move")
@click.argument("name")
@click.argument("groups", nargs=-1, required=True)
@click.option("--from", "from_groups", multiple=True, help="group to leave (repeatable)")
@state_option
@with_remote_options
def users_move(name, groups, from_groups, state_dir, hub_url, token):
    """Put NAME into GROUPS (a tier replaces the previous tier)."""
    from datalit.config import load_config
    from datalit.hub.accounts import AccountError, move

    api = hub_api(state_dir, hub_url, token)
    # a hub by URL (Kubernetes: in the hub pod) has no local state: a person must have logged in once
    remote = bool(hub_url or (not state_dir and load_config()["hub"]["url"]))
    state = None if remote else running_state(state_dir)
    try:
        result = api_call(move, api, name, list(groups), list(from_groups), True, state)
    except AccountError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{result['name']}: {', '.join(result['groups'])}")


@users.command("unlock")
@click.argument("name")
@state_option
def users_unlock(name, state_dir):
    """Forget NAME's failed logins: every browser may try again at once."""
    from datalit.hub.throttle import unlock

    click.echo(f"{name}: unlocked ({unlock(running_state(state_dir), name)['cleared']} locks cleared)")


@users.command("warm")
@click.option("--group", required=True, help="a course cohort, e.g. beginner")
@click.option("--at", "at", default=None, help='start time, Korea time: "2026-12-24 09:50" (default: now)')
@click.option("--until", "until", default=None, help="end of the class, Korea time (default: hub.prewarm_hours later)")
@click.option("--idle-minutes", type=int, default=None, help="idle rule during the class (default hub.prewarm_idle_minutes)")
@state_option
def users_warm(group, at, until, idle_minutes, state_dir):
    """Start the servers of GROUP's members before a class (lesson handed out, a kernel warm)."""
    from datalit.hub.roles import GROUPS
    from datalit.hub.workshop_ops import warm_up

    if group not in GROUPS:
        raise click.ClickException(f"unknown group {group!r} (known: {', '.join(GROUPS)})")
    _report_warm(warm_up, running_state(state_dir), f"group-{group}", at, until, idle_minutes, group=group)


def _report_warm(fn, state, key, at, until, idle_minutes, **kw):
    from datalit import kst

    try:
        entry = api_call(lambda: fn(state, key, at, until, idle_minutes, log=click.echo, **kw))
    except ValueError as exc:
        raise click.ClickException(str(exc))
    if entry.get("state") == "warm":
        click.echo(f"{key}: {len(entry['warmed'])} servers warm, {len(entry['failed'])} failed; "
                   f"workshop until {kst.shown(entry['until'])}")
        if entry["failed"]:
            raise click.ClickException(f"not warmed: {', '.join(sorted(entry['failed']))}")


@click.group()
def workshop():
    """Citizen workshop accounts (create, start, expire, purge)."""


@workshop.command("create")
@click.option("--count", type=int, required=True)
@click.option("--expires", required=True, help="last day (YYYY-MM-DD, Seoul time) or ISO timestamp")
@click.option("--tier", default="citizen", show_default=True,
              help="course the accounts receive (citizen: the short workshop course)")
@click.option("--prefix", default="ws", show_default=True)
@click.option("--url", "hub_url", default="", help="hub address printed on the sheet")
@state_option
def workshop_create(count, expires, tier, prefix, hub_url, state_dir):
    """Create COUNT accounts; writes credentials as CSV, a Korean HTML sheet and a PDF of cards with QR codes."""
    from datalit.hub.workshop_ops import create

    try:
        result = create(resolve_state_dir(state_dir), count, expires, tier, prefix, hub_url)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"batch {result['batch']}: {len(result['users'])} accounts ({result['users'][0]} ...)")
    click.echo(f"CSV:  {result['csv']}\nHTML: {result['html']}\nPDF:  {result['pdf']} (cards to print, 8 per A4 page)")
    if not result["registered"]:
        click.echo("(hub not running: accounts join their groups at the next hub start)")
    from urllib.parse import urlparse

    host = urlparse(result.get("hub_url", "")).hostname or ""
    if host in ("", "localhost", "127.0.0.1", "::1"):
        click.echo(f"warning: the cards show the hub address {result.get('hub_url') or '(none)'!s}, which participants' "
                   "devices cannot open: pass --url https://your-hub/hub/login or set hub.public_url")


@workshop.command("start")
@click.argument("batch")
@click.option("--at", "at", default=None, help='start time, Korea time: "2026-12-24 09:50" (default: now)')
@click.option("--until", "until", default=None, help="end of the workshop, Korea time (default: hub.prewarm_hours later)")
@click.option("--idle-minutes", type=int, default=None, help="the batch's idle rule (default hub.prewarm_idle_minutes)")
@state_option
def workshop_start(batch, at, until, idle_minutes, state_dir):
    """Start (or, with --at, schedule) the servers of BATCH before people arrive: lesson handed out, kernel warm."""
    from datalit.hub import prewarm
    from datalit.hub.workshop_ops import warm_up

    state = running_state(state_dir)
    try:
        names = prewarm.batch_users(state, batch)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    _report_warm(warm_up, state, batch, at, until, idle_minutes, names=names)


@workshop.command("expire")
@click.argument("names", nargs=-1, required=True)
@click.option("--at", "when", default=None, help="new expiry (default: now)")
@state_option
def workshop_expire(names, when, state_dir):
    """Change the expiry of accounts or whole batches (default: expire now)."""
    from datalit.hub.workshop_ops import expire

    try:
        changed = expire(resolve_state_dir(state_dir), list(names), when)
    except ValueError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{len(changed)} accounts: {', '.join(changed)}")


@workshop.command("purge")
@state_option
def workshop_purge(state_dir):
    """Archive (tar.gz in the state directory), then remove expired accounts and their homes."""
    from datalit.hub.workshop_ops import purge

    result = purge(resolve_state_dir(state_dir))
    if not result["purged"]:
        click.echo("no expired workshop accounts")
        return
    click.echo(f"purged {len(result['purged'])}: {', '.join(result['purged'])}\narchive: {result['archive']}")
    if result.get("homes_archive"):  # Kubernetes: the homes (claim-<user>) went to the archive claim
        click.echo(f"homes: {result['homes_archive']}")
