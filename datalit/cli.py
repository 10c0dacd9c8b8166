"""The ``datalit`` command: a click group whose subcommands live beside the code they wrap.

Subcommand modules are imported only when their command runs, so ``datalit --help``
stays fast and a broken optional part never breaks the others.
"""
from __future__ import annotations

import importlib

import click

# command name -> "module:attribute" of a click command or group
SUBCOMMANDS = {
    "data": "datalit.data.cli:data",
    "hub": "datalit.hub.cli:hub",
    "users": "datalit.hub.cli:users",
    "workshop": "datalit.hub.cli:workshop",
    "lesson": "datalit.lessons.cli:lesson",
    "team": "datalit.labs.cli:team",
    "lab": "datalit.labs.cli:lab",
    "report": "datalit.reports.cli:report",
    "certificate": "datalit.certificate.cli:certificate",
    "progress": "datalit.progress.cli:progress",
    "config": "datalit.config_cli:config",
}

HELP = {
    "data": "Seoul datasets: list, info, verify, docs.",
    "hub": "Run and inspect the JupyterHub.",
    "users": "List users and move them between groups.",
    "workshop": "Citizen workshop accounts.",
    "lesson": "Course lessons: list, check, run, build.",
    "team": "Team rosters for labs.",
    "lab": "Team labs graded with nbgrader.",
    "report": "Parameterised department reports (papermill).",
    "certificate": "교육 이수증: issue a PDF for a completed course, verify a code.",
    "progress": "The learning record: export (CSV for HR), gaps.",
    "config": "The configuration: show every key, its value and where it came from.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx, name):
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                return _unavailable(name, f"module {module_name} is not built yet")
            raise
        return getattr(module, attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _unavailable(name, why):
    @click.command(name=name, help=f"(unavailable: {why})")
    def _cmd():
        raise click.ClickException(f"'datalit {name}' is unavailable: {why}")

    return _cmd


@click.group(cls=LazyGroup)
@click.version_option(package_name="seoul-datalit")
def main():
    """Seoul Data Literacy Lab (서울 데이터 리터러시 랩)."""
