"""``datalit team …`` and ``datalit lab …``: two-line wrappers over the plain functions."""
from __future__ import annotations

import json

import click
from sqlalchemy.exc import OperationalError

from datalit.config import ConfigError
from datalit.hub.cli import hub_state, state_option
from datalit.labs.course import CoursePathError, LabError, available_labs, open_course

COURSE = click.option("--course-dir", type=click.Path(file_okay=False), default=None,
                      help="nbgrader course directory (default: lab.course_dir)")
EXISTING_FILE = click.Path(exists=True, dir_okay=False)  # checked by click (exit 2) before anything runs


class PathProblem(click.ClickException):
    """A path that is not what the command needs: exit 2 like click's own checks of an argument."""
    exit_code = 2


def _run(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except CoursePathError as exc:
        raise PathProblem(str(exc)) from None
    except LabError as exc:
        raise click.ClickException(str(exc)) from None
    except ConfigError as exc:  # e.g. lab.gradebook_url with a password in it
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:  # the gradebook's PostgreSQL server refused or is not there
        raise click.ClickException(f"the gradebook database cannot be used (lab.gradebook_url; its password: "
                                   f"DATALIT_LAB_GRADEBOOK_PASSWORD): {str(exc.orig).strip()}") from None


def _hub(state_dir: str | None, store: bool = True):
    """The hub whose configuration and exchange store this command uses, found as every command finds it
    (datalit.hub.cli.hub_state: --state-dir, else the one running hub, else a refusal). STORE: the command
    reads or writes the exchange's store; it needs no hub when the store is configured elsewhere
    (lab.exchange_dir, lab.exchange_url). Commands that only read the course: a hub only if one is found."""
    from datalit.config import load_config

    lab_cfg = _run(load_config)["lab"]
    return hub_state(state_dir, running=False,
                     optional=not store or bool(lab_cfg["exchange_dir"] or lab_cfg["exchange_url"]))


@click.group()
def team():
    """Team rosters and team folders."""


@team.command("import")
@click.argument("csv_path", type=EXISTING_FILE)
@COURSE
@click.option("--any-user", is_flag=True, help="do not check members against the hub's (unix) users")
@state_option
def team_import(csv_path, course_dir, any_user, state_dir):
    """Import ROSTER.csv (lab,team,member); create team groups and folders (root)."""
    from datalit.labs import roster, teams
    known = None if any_user else roster.system_users()
    _run(roster.check_csv, csv_path, known, available_labs())  # a roster's mistakes first, whichever hub
    state = _hub(state_dir)
    course = _run(open_course, course_dir)
    result = _run(roster.import_csv, course, csv_path, known, available_labs())
    for line in teams.ensure_folders(course, result):
        click.echo(line)
    click.echo(f"{sum(len(t) for t in result.values())} teams in {len(result)} labs")
    from datalit.hub.membership import tell_hub  # who left a team loses its server now, not in minutes
    click.echo(tell_hub(state))


@team.command("form")
@click.argument("cohort_csv", type=EXISTING_FILE)
@click.option("--size", type=int, default=3, show_default=True, help="people per team (sizes differ by at most one)")
@click.option("--lab", "labs", multiple=True, required=True, help="lab(s) the teams are for (repeat the option)")
@click.option("--balanced-by", default=None, help="column to spread evenly over the teams, e.g. tier / 과정")
@click.option("--separate-by", default=None, help="column whose equal values are kept apart, e.g. department / 소속")
@click.option("--seed", type=int, default=None, help="the same seed gives the same teams (printed; random if omitted)")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="roster CSV for 'datalit team import'")
@click.option("--force", is_flag=True, help="overwrite --out")
def team_form(cohort_csv, size, labs, balanced_by, separate_by, seed, out, force):
    """Form teams from COHORT.csv (one person a row) at random or balanced; write a roster CSV."""
    from datalit.labs.forming import form_file
    result = _run(form_file, cohort_csv, size, list(labs), available_labs(), seed, balanced_by, separate_by, out, force)
    click.echo("\n".join(result["lines"] + [f"명단 / roster: {result['roster']}  (datalit team import {result['roster']})"]))


@team.command("list")
@COURSE
@click.option("--lab", default=None)
@click.option("--json", "as_json", is_flag=True)
@state_option
def team_list(course_dir, lab, as_json, state_dir):
    """Teams and members per lab."""
    from datalit.labs import roster
    _hub(state_dir, store=False)
    data = roster.load(_run(open_course, course_dir, create=False))
    data = {lab: data.get(lab, {})} if lab else data
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for lb, teams in sorted(data.items()):
        click.echo(lb)
        for t, members in sorted(teams.items()):
            click.echo(f"  {t}: {', '.join(members)}")


@team.command("activity")
@COURSE
@click.option("--team", "team_id", default=None, help="only this team")
@state_option
def team_activity(course_dir, team_id, state_dir):
    """Who did what on each team server: cells edited and executed, active minutes, submissions (instructors)."""
    from datalit.labs.contrib import table
    _hub(state_dir)
    click.echo(_run(table, _run(open_course, course_dir, create=False), team_id))


@click.group()
def lab():
    """Team labs graded with nbgrader."""


@lab.command("list")
def lab_list():
    """Available labs."""
    from datalit.labs.course import lab_info
    for name in available_labs():
        info = lab_info(name)
        click.echo(f"{name}  [{info.get('tier')}]  {info.get('title_ko')}")


@lab.command("release")
@click.argument("lab_id")
@COURSE
@click.option("--due", default=None,
              help="due date, Korea time unless a zone is given: '2026-12-01 18:00', '2026-12-01 18:00:00 KST', "
                   "'2026-12-01 18:00 +09:00' (or +0900), '2026-12-01 09:00 UTC' (default: lab.yaml's due)")
@click.option("--force", is_flag=True, help="release again (e.g. a new due date); all or nothing")
@state_option
def lab_release(lab_id, course_dir, due, force, state_dir):
    """nbgrader generate_assignment + publish to the exchange (a second release needs --force)."""
    from datalit.labs.release import release
    _hub(state_dir)
    r = _run(release, _run(open_course, course_dir), lab_id, due, force=force)
    click.echo(f"{r['lab']}: {'다시 배포했습니다 / released again' if r['replaced'] else '배포했습니다 / released'}")
    click.echo(f"마감 / due: {r['due_shown'] or '없음 / none'}")  # Korea time, labelled (KST)
    click.echo(f"배포본 / release: {r['release']}")


@lab.command("collect")
@click.argument("lab_id")
@COURSE
@state_option
def lab_collect(lab_id, course_dir, state_dir):
    """Archive every submission; the latest per team goes to submitted/<team>/<lab>/."""
    from datalit.labs.collect import collect
    _hub(state_dir)
    s = _run(collect, _run(open_course, course_dir, create=False), lab_id)
    from datalit.config import load_config
    from datalit.labs.collect import summary_lines
    for line in summary_lines(s, load_config()["lab"]["late_penalty_per_day"]):  # Korea time (KST)
        click.echo(line)
    if s["missing"]:
        click.echo(f"no submission: {', '.join(s['missing'])}")
    if s["unknown_members"]:
        click.echo(f"not in the roster (kept in the archive): {', '.join(s['unknown_members'])}")


@lab.command("autograde")
@click.argument("lab_id")
@COURSE
@click.option("--workers", type=int, default=0, help="parallel workers (default: number of cores)")
@click.option("--team", "teams", multiple=True, help="only these teams")
@state_option
def lab_autograde(lab_id, course_dir, workers, teams, state_dir):
    """Autograde every collected team submission in sandboxed parallel workers."""
    from datalit.labs.autograde import autograde, format_summary
    _hub(state_dir, store=False)
    report = _run(autograde, _run(open_course, course_dir, create=False), lab_id, workers, list(teams) or None,
                  progress=True)
    click.echo(format_summary(report))


@lab.command("feedback")
@click.argument("lab_id")
@COURSE
@state_option
def lab_feedback(lab_id, course_dir, state_dir):
    """Generate HTML feedback per team and release it to every member."""
    from datalit.labs.feedback import feedback
    _hub(state_dir)
    r = _run(feedback, _run(open_course, course_dir, create=False), lab_id)
    for t, rel in r["released"].items():
        click.echo(f"{t}: {', '.join(rel['members'])}")
        if rel.get("team_folder_refused"):
            click.echo(f"{t}: WARNING: {rel['team_folder_refused']}", err=True)


@lab.command("export")
@click.argument("lab_id")
@COURSE
@click.option("--out", type=click.Path(file_okay=False), default=None)
@state_option
def lab_export(lab_id, course_dir, out, state_dir):
    """CSV, one row per member, and the 이수 현황 summary across labs."""
    from datalit.labs.export import export
    _hub(state_dir, store=False)
    r = _run(export, _run(open_course, course_dir, create=False), lab_id, out)
    click.echo(f"{r['csv']} ({r['rows']} rows)\n{r['completion']}")


@lab.command("fetch")
@click.argument("lab_id")
@click.option("--feedback", is_flag=True, help="fetch released feedback instead of the lab")
def lab_fetch(lab_id, feedback):
    """(member) Fetch a released lab, or its feedback, into the current folder."""
    from datalit.labs.submit import fetch
    click.echo(_run(fetch, lab_id, None, feedback))


@lab.command("submit")
@click.argument("lab_id")
@click.option("--path", type=click.Path(exists=True, file_okay=False), default=None,
              help="the lab folder (default ./LAB)")
@click.option("--yes", is_flag=True, help="replace a teammate's newer submission without asking")
def lab_submit(lab_id, path, yes):
    """(member) Submit the lab folder for your team."""
    from datalit.labs.submit import submit
    import sys
    ask = (lambda msg: click.confirm(f"{msg}\n제출할까요?", default=False)) if sys.stdin.isatty() else None
    click.echo(_run(submit, lab_id, path, yes, ask))
