"""``planner log add`` and ``planner log show``: what a person did, kept in the logbook
(``planner.logbook``, an SQLite file)."""

from __future__ import annotations

import difflib
import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path

import click

from planner.catalog import CatalogError, load_catalog
from planner.cli import InputError
from planner.cli.options import catalog_option
from planner.logbook import DEFAULT_PERSON, ENV_VAR, Logbook, LogbookError, LogEntry, default_path

DATE = click.DateTime(formats=["%Y-%m-%d"])
SCALE = click.IntRange(0, 10)  # pain 0-10 and session RPE CR-10


def logbook_options(command: Callable) -> Callable:
    """``--db`` and ``--person``; the command gets ``db`` (a Path, ``$PLANNER_DB`` or the
    user data directory's file when not given) and ``person``."""

    @functools.wraps(command)
    def wrapper(db_path, person, **values):
        if not person.strip():
            raise InputError("--person: a person needs a name; give one, or leave it out for me")
        db = Path(db_path) if db_path is not None else default_path()
        return command(db=db, person=person, **values)

    wrapper = click.option(
        "--person",
        default=DEFAULT_PERSON,
        show_default=True,
        metavar="NAME",
        help="Whose log: one file can keep several people's.",
    )(wrapper)
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        metavar="PATH",
        help=f"The logbook file. Default: ${ENV_VAR}, else planner.db in the user data directory.",
    )(wrapper)


def open_logbook(db: Path) -> Logbook:
    """The logbook at ``db`` (created if missing); a file that cannot be one is an input
    error naming --db."""
    try:
        return Logbook.open(db)
    except LogbookError as err:
        raise InputError(f"--db {err}") from None
    except (OSError, sqlite3.Error) as err:
        raise InputError(f"--db {db}: cannot open it ({err})") from None


def dose(entry: LogEntry) -> str | None:
    """What was done, as the plan prints it: ``2 x 12``, ``2 x 30 s``, ``2 sets``, ``12 reps``,
    ``30 s``; None when no figure was logged."""
    amount = f"{entry.hold_s} s" if entry.hold_s is not None else None
    if amount is None and entry.reps is not None:
        amount = f"{entry.reps}" if entry.sets is not None else f"{entry.reps} reps"
    if entry.sets is None:
        return amount
    return f"{entry.sets} x {amount}" if amount else f"{entry.sets} sets"


def details(entry: LogEntry) -> list[str]:
    """The entry's figures and words, in a fixed order, each as it is printed."""
    parts = [dose(entry)]
    if entry.session_rpe is not None:
        parts.append(f"RPE {entry.session_rpe}")
    if entry.pain_during is not None:
        parts.append(f"pain {entry.pain_during}/10")
    if entry.pain_next_morning is not None:
        parts.append(f"pain next morning {entry.pain_next_morning}/10")
    if entry.skipped:
        parts.append("skipped")
    if entry.note:
        parts.append(f"note: {entry.note}")
    return [p for p in parts if p]


@click.group("log")
def log_group():
    """Keep a training log: what you did, how hard it felt and how much it hurt, in one SQLite
    file (--db, or $PLANNER_DB, else planner.db in your user data directory) that can hold
    several people's logs (--person).

    \b
    Example:
      planner log add 2026-12-04 glute_bridge --sets 2 --reps 12 --rpe 6 --pain 2
      planner log show --from 2026-12-01
    """


@log_group.command("add")
@click.argument("date", type=DATE, metavar="DATE")
@click.argument("exercise")
@catalog_option
@click.option("--sets", type=click.IntRange(min=1), metavar="N", help="Sets done.")
@click.option("--reps", type=click.IntRange(min=1), metavar="N", help="Reps in each set.")
@click.option("--hold", type=click.IntRange(min=1), metavar="S", help="Seconds held each set.")
@click.option("--rpe", type=SCALE, metavar="N", help="How hard the session felt, 0-10 (CR-10).")
@click.option("--pain", type=SCALE, metavar="N", help="Pain during it, 0 (none) to 10.")
@click.option("--pain-next", type=SCALE, metavar="N", help="Pain the next morning, 0 to 10.")
@click.option("--note", default="", metavar="TEXT", help="Anything else worth keeping.")
@click.option("--skipped", is_flag=True, help="It was planned but not done.")
@logbook_options
def log_add(
    date, exercise, catalog_path, sets, reps, hold, rpe, pain, pain_next, note, skipped, db, person
):
    """Log what you did on DATE (YYYY-MM-DD): EXERCISE is an exercise id of the catalogue
    (planner catalog lists them). The logbook file is created on the first entry.

    \b
    Example:
      planner log add 2026-12-04 glute_bridge --sets 2 --reps 12 --rpe 6 --pain 2
      planner log add 2026-12-05 dead_bug --skipped --note "back ached"
    """
    if reps is not None and hold is not None:
        raise InputError("--reps and --hold cannot be used together; give one of them")
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None
    if exercise not in catalog:
        near = difflib.get_close_matches(exercise, [e.id for e in catalog], n=1)
        hint = f"did you mean {near[0]!r}?" if near else "planner catalog lists its exercises"
        raise InputError(f"EXERCISE: {exercise!r} is not in the catalogue; {hint}")
    entry = LogEntry(
        date.date(),
        exercise,
        sets=sets,
        reps=reps,
        hold_s=hold,
        session_rpe=rpe,
        pain_during=pain,
        pain_next_morning=pain_next,
        note=note,
        skipped=skipped,
    )
    with open_logbook(db) as book:
        book.add_entry(person, entry)
    said = details(entry)
    click.echo(
        f"Logged {exercise} on {entry.date} for {person}"
        + (f": {', '.join(said)}." if said else ".")
    )


@log_group.command("show")
@click.option("--from", "start", type=DATE, metavar="DATE", help="From this day (YYYY-MM-DD).")
@click.option("--to", "end", type=DATE, metavar="DATE", help="Up to this day, included.")
@logbook_options
def log_show(start, end, db, person):
    """Print a person's log entries, one a line in date order, and how many there are. A
    logbook file that does not exist yet is not created.

    \b
    Example:
      planner log show --from 2026-12-01 --to 2026-12-31
    """
    start = start.date() if start else None
    end = end.date() if end else None
    if start and end and start > end:
        raise InputError(f"--from {start} is after --to {end}; give --from on or before --to")
    entries = []
    if db.exists():
        with open_logbook(db) as book:
            entries = book.entries(person, start, end)
    if not entries:
        click.echo(f"No log entries for {person}.")
        return
    for entry in entries:
        what = entry.exercise_id or "session"
        click.echo(f"{entry.date}  {what:<28} {', '.join(details(entry))}".rstrip())
    click.echo(f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'} for {person}.")
