"""``datalit lesson``: list, check, run, build (thin wrappers over the functions in this package)."""
from __future__ import annotations

import sys

import click

from datalit.lessons.schema import TIERS


@click.group()
def lesson():
    """Course lessons: list, check, run, build."""


@lesson.command("list")
@click.option("--tier", type=click.Choice(TIERS), default=None)
def list_cmd(tier):
    """Tier, number, title, minutes of every lesson."""
    from datalit.lessons.courses import lessons

    for l in lessons(tier):
        click.echo(f"{l.tier:<13} {l.number:>2}  {l.minutes:>3}분  {l.title}  ({l.path.name})")


@lesson.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check_cmd(paths):
    """Hygiene of the lessons (or only PATHS): exit 1 with the reasons."""
    from datalit.lessons.hygiene import check_all

    problems = check_all(paths=paths or None)
    for p in problems:
        click.echo(p, err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("lessons ok")


@lesson.command("feedback-stats")
@click.argument("modules", nargs=-1)
@click.option("-v", "--verbose", is_flag=True, help="List the specific cases too.")
@click.option("--min", "minimum", type=float, default=None, help="Exit 1 if the specific share is below this (0..1).")
@click.option("--mutants", is_flag=True, help="Mutate every exercise's solution the ways beginners go wrong and count "
              "the mutants whose feedback names the mistake (MODULES: lesson notebooks; default all).")
@click.option("--minimum", "minimum_pct", type=float, default=None,
              help="With --mutants: exit 1 if any tier names fewer than this percentage (e.g. 90).")
@click.option("--no-cache", is_flag=True, help="With --mutants: measure every lesson again.")
@click.option("--workers", default=2, show_default=True, help="With --mutants: lessons measured at once.")
def feedback_stats_cmd(modules, verbose, minimum, mutants, minimum_pct, no_cache, workers):
    """How many wrong-answer self-tests (or, with --mutants, mutated solutions) get feedback that names the
    mistake (not a generic fragment)."""
    if mutants:
        from datalit.lessons.mutant_stats import run as run_mutants

        sys.exit(run_mutants(modules or None, verbose, minimum_pct, use_cache=not no_cache, workers=workers))
    from datalit.lessons.feedback_stats import run

    sys.exit(run(modules, verbose, minimum))


@lesson.command("run")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--learner", is_flag=True, help="Run the learner form (solutions removed).")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Override a parameter (checked and typed as `datalit report run -p` does).")
@click.option("--timeout", default=120, show_default=True, help="Seconds per cell.")
def run_cmd(path, learner, params, timeout):
    """Execute one lesson top to bottom and print the time."""
    from datalit.lessons.run import run_lesson
    from datalit.reports.params import ParameterError

    try:
        r = run_lesson(path, "learner" if learner else "solution", dict(params), timeout=timeout)
    except ParameterError as exc:
        raise click.ClickException(str(exc)) from None
    status = "ok" if r.ok else "FAILED"
    click.echo(f"{path} [{r.form}] {status} in {r.seconds:.1f} s")
    if r.error:
        click.echo(r.error, err=True)
        sys.exit(1)


@lesson.command("build")
@click.option("--out", "out_dir", default="build/courses", show_default=True, type=click.Path(file_okay=False))
@click.option("--tier", type=click.Choice(TIERS), multiple=True)
def build_cmd(out_dir, tier):
    """Write the learner forms to OUT/<tier>/NN-slug.ipynb (instructor notes removed) and each course's
    instructor handbook to OUT/<tier>/강사용-안내서.md."""
    from datalit.lessons.build import build_all
    from datalit.lessons.instructor import HANDBOOK_NAME

    result = build_all(out_dir, tiers=list(tier) or None)
    for t, paths in result.items():
        click.echo(f"{t}: {len(paths)} lesson(s) -> {out_dir}/{t}  (강사용: {out_dir}/{t}/{HANDBOOK_NAME})")
