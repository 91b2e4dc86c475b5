"""``planner log``: what a person did, kept in the logbook (``planner.logbook``, an SQLite
file): ``session`` (a planned day done), ``add`` (one exercise), ``import`` and ``export`` (a
plan CSV filled in), ``show`` (planned against done, week by week).

These commands load neither the solver nor pandas: ``planner log session`` is a whole process
of a few tenths of a second."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path

import click

from planner.adherence import WEEKDAYS, Day, adherence
from planner.catalog import CatalogError, load_catalog
from planner.cli import InputError
from planner.cli.options import catalog_option
from planner.logbook import (
    DEFAULT_PERSON,
    ENV_VAR,
    Logbook,
    LogbookError,
    LogEntry,
    Planned,
    default_path,
    session_entries,
)
from planner.screening import BY_ID as SCREENING_QUESTIONS
from planner.screening import GROUPS as SCREENING_GROUPS
from planner.screening import Outcome, Screening, screen_verdict
from planner.screening import hint as screening_hint

DATE = click.DateTime(formats=["%Y-%m-%d"])
SCALE = click.IntRange(0, 10)  # pain 0-10 and session RPE CR-10


# --db for every command that reads or writes the logbook; the command gets ``db_path``.
db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help=f"The logbook file. Default: ${ENV_VAR}, else planner.db in the user data directory.",
)


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
    return db_option(wrapper)


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
    """What was done, as the plan prints it: ``2 x 12``, ``2 x 30 s``, ``3 x 5 x 10 s``,
    ``2 sets``, ``12 reps``, ``30 s``; None when no figure was logged."""
    amount = f"{entry.hold_s} s" if entry.hold_s is not None else None
    if amount is not None and entry.reps is not None and entry.reps > 1:
        amount = f"{entry.reps} x {amount}"  # reps of a hold, or of a pause: 5 x 10 s
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
    if entry.red_flag:
        parts.append(f"red flag: {entry.red_flag}")
    return [p for p in parts if p]


@click.group("log")
def log_group():
    """Keep a training log: what you did, how hard it felt and how much it hurt, in one SQLite
    file (--db, or $PLANNER_DB, else planner.db in your user data directory) that can hold
    several people's logs (--person).

    \b
    Example:
      planner log session 2026-12-07 --rpe 5 --pain 2 --skip dead_bug
      planner log add 2026-12-04 glute_bridge --sets 2 --reps 12 --rpe 6 --pain 2
      planner log show --from 2026-12-01
    """


def no_plan(person: str) -> InputError:
    return InputError(
        f"no plan recorded for {person}; run planner plan --person {person} --start YYYY-MM-DD"
        " to plan and record one"
    )


def nearest(schedule: list[Planned], date: dt.date) -> str:
    """The planned dates nearest ``date`` on either side, as a message says them."""
    before = [p.date for p in schedule if p.date < date]
    after = [p.date for p in schedule if p.date > date]
    near = [d for d in (before[-1] if before else None, after[0] if after else None) if d]
    return " and ".join(f"{WEEKDAYS[d.weekday()]} {d}" for d in near)


def red_flag_words(question_id: str) -> str:
    """What a red-flag answer asks of the person, in a few words."""
    outcome = screen_verdict(Screening({question_id: True})).outcome
    group = SCREENING_GROUPS[SCREENING_QUESTIONS[question_id].group]
    if outcome is Outcome.EMERGENCY:
        return f"red flag {question_id} ({group}): seek care today; do not exercise"
    if outcome is Outcome.CLEARANCE:
        return f"red flag {question_id} ({group}): get medical clearance before training again"
    return f"red flag {question_id} ({group}): see a doctor before training again"


@log_group.command("session")
@click.argument("date", type=DATE, metavar="DATE")
@click.option("--rpe", type=SCALE, metavar="N", help="How hard the session felt, 0-10 (CR-10).")
@click.option("--pain", type=SCALE, metavar="N", help="Pain during it, 0 (none) to 10.")
@click.option("--pain-next", type=SCALE, metavar="N", help="Pain the next morning, 0 to 10.")
@click.option("--skip", metavar="ID,...", help="Exercises of the session not done.")
@click.option("--note", default="", metavar="TEXT", help="Anything else worth keeping.")
@click.option(
    "--red-flag",
    metavar="QUESTION_ID",
    help="A screening question (planner screen asks them) you would now answer yes.",
)
@logbook_options
def log_session(date, rpe, pain, pain_next, skip, note, red_flag, db, person):
    """Log the session planned for DATE (YYYY-MM-DD) as done: every exercise at its planned
    dose, but those --skip names, with the session's RPE and pain.

    The plan comes from the logbook (planner plan --person NAME --start YYYY-MM-DD records
    it). Logging a day again replaces what was logged for it before: its entries carry the
    key session:PERSON:DATE, so nothing is counted twice.

    \b
    Example:
      planner log session 2026-12-07 --rpe 5 --pain 2 --skip dead_bug
    """
    date = date.date()
    if red_flag is not None and red_flag not in SCREENING_QUESTIONS:
        raise InputError(
            f"--red-flag: {red_flag!r} is not a screening question id{screening_hint(red_flag)}"
        )
    if not db.exists():
        raise no_plan(person)
    with open_logbook(db) as book:
        planned = book.schedule(person, date, date)
        if not planned:
            schedule = book.schedule(person)
            if not schedule:
                raise no_plan(person)
            raise InputError(
                f"DATE {date}: no session planned for {person} that day; nearest planned:"
                f" {nearest(schedule, date)}"
            )
        ids = [p.exercise_id for p in planned]
        skipped = [s.strip() for s in (skip or "").split(",") if s.strip()]
        for each in skipped:
            if each not in ids:
                raise InputError(
                    f"--skip: {each!r} is not in the session of {date}; its exercises:"
                    f" {', '.join(ids)}"
                )
        prefix, entries = session_entries(
            person, date, planned, rpe, pain, pain_next, skipped, note, red_flag or ""
        )
        replaced = book.replace_logged(person, prefix, entries)
    done = len(planned) - sum(p.exercise_id in skipped for p in planned)
    parts = [f"{done} of {len(planned)} exercises done"]
    if skipped:
        parts[0] += f" (skipped {', '.join(dict.fromkeys(skipped))})"
    parts += details(dataclasses.replace(entries[0], red_flag=""))
    if red_flag:
        parts.append(red_flag_words(red_flag))
    again = " again, replacing the earlier log" if replaced else ""
    click.echo(
        f"Logged {WEEKDAYS[date.weekday()]} {date} (week {planned[0].week}) for {person}{again}:"
        f" {', '.join(parts)}."
    )


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
    """Print planned against done, week by week: sessions, exercises, minutes and load (RPE x
    minutes) done of those planned, then a line a planned day; then the entries no plan
    accounts for. With no plan recorded, the entries one a line in date order. A logbook
    file that does not exist yet is not created.

    \b
    Example:
      planner log show --from 2026-12-01 --to 2026-12-31
    """
    start = start.date() if start else None
    end = end.date() if end else None
    if start and end and start > end:
        raise InputError(f"--from {start} is after --to {end}; give --from on or before --to")
    entries, schedule = [], []
    if db.exists():
        with open_logbook(db) as book:
            entries = book.entries(person, start, end)
            schedule = book.schedule(person, start, end)
    if not entries and not schedule:
        click.echo(f"No log entries for {person}.")
        return
    click.echo("\n".join(show_lines(person, schedule, entries)))


def show_lines(person: str, schedule: list[Planned], entries: list[LogEntry]) -> list[str]:
    """What ``planner log show`` prints: the weeks planned, each with its days, then the
    unplanned entries and the count of entries."""
    found = adherence(schedule, entries)
    lines = []
    for week in found.weeks:
        days = week.days
        lines.append(
            f"Week {week.week} ({week.first} to {week.last}):"
            f" {sum(d.session_done for d in days)} of {len(days)} sessions,"
            f" {sum(d.exercises_done for d in days)} of {sum(len(d.planned) for d in days)}"
            f" exercises, {sum(d.minutes_done for d in days):.0f} of"
            f" {sum(d.planned_minutes for d in days):.0f} min, load"
            f" {sum(d.load_done for d in days):.0f} of {sum(d.planned_load for d in days):.0f} AU"
        )
        lines += [f"  {day_line(day)}" for day in days]
    if found.unplanned:
        if found.weeks:
            lines.append("Not planned:")
        lines += [entry_line(entry) for entry in found.unplanned]
    count = len(entries)
    lines.append(f"{count} {'entry' if count == 1 else 'entries'} for {person}.")
    return lines


def day_line(day: Day) -> str:
    """'Mon 2026-12-07  5 of 7 done (skipped dead_bug), 18 of 21 min, load 95 of 84 AU,
    RPE 5, pain 2/10'; or '... not logged (7 exercises, 21 min)'."""
    when = f"{WEEKDAYS[day.date.weekday()][:3]} {day.date}"
    if not day.logged:
        return f"{when}  not logged ({len(day.planned)} exercises, {day.planned_minutes:.0f} min)"
    parts = [f"{day.exercises_done} of {len(day.planned)} done"]
    if day.skipped:
        parts[0] += f" (skipped {', '.join(day.skipped)})"
    parts.append(f"{day.minutes_done:.0f} of {day.planned_minutes:.0f} min")
    parts.append(f"load {day.load_done:.0f} of {day.planned_load:.0f} AU")
    if day.rpe is not None:
        parts.append(f"RPE {day.rpe}")
    if day.pain is not None:
        parts.append(f"pain {day.pain}/10")
    if day.pain_next is not None:
        parts.append(f"pain next morning {day.pain_next}/10")
    for entry in day.sessions:
        if entry.note:
            parts.append(f"note: {entry.note}")
        if entry.red_flag:
            parts.append(f"red flag: {entry.red_flag}")
    return f"{when}  {', '.join(parts)}"


def entry_line(entry: LogEntry) -> str:
    what = entry.exercise_id or "session"
    return f"{entry.date}  {what:<28} {', '.join(details(entry))}".rstrip()


@log_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="FILE.csv")
@catalog_option
@logbook_options
def log_import(file, catalog_path, db, person):
    """Log a plan CSV (planner plan --csv) filled in: a done column (yes or no; empty: not
    logged yet), and as you like sets_done (default: the sets planned), rpe (how hard it felt,
    0-10; the plan's RPE when left as it is), pain and pain_next (0-10) and note. Rows are
    matched to the recorded plan by date, exercise and order. Importing a file again logs
    nothing twice; a bad row stops the import with nothing written.

    \b
    Example:
      planner log import plan.csv
    """
    from planner.logfile import LogFileError, log_entries, read_log

    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None
    try:
        rows = read_log(file, lambda exercise_id: exercise_id in catalog)
    except LogFileError as err:
        raise InputError(str(err)) from None
    dates = [r.date for r in rows if r.done is not None and r.date is not None]
    with open_logbook(db) as book:
        schedule = book.schedule(person, min(dates), max(dates)) if dates else []
        entries = log_entries(rows, person, schedule)
        already = book.logged_keys(e.imported_key for e in entries)
        book.add_entries(person, entries)
    left = len(rows) - len(entries)
    notes = [f"{len(already)} already logged"] if already else []
    if left:
        notes.append(f"{left} {'row' if left == 1 else 'rows'} not logged yet")
    added = len(entries) - len(already)
    click.echo(
        f"Imported {added} {'entry' if added == 1 else 'entries'} from {file} for {person}"
        + (f" ({', '.join(notes)})." if notes else ".")
    )


@log_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE.csv")
@catalog_option
@logbook_options
def log_export(file, catalog_path, db, person):
    """Write everything logged for a person to FILE.csv, one row an entry, with its planned
    row's columns when it carried one out: the columns planner log import reads back. The
    file is replaced whole or not at all.

    \b
    Example:
      planner log export my-log.csv
    """
    from planner.logfile import log_csv
    from planner.output import OutputError, write
    from planner.plan import COLUMNS

    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None

    def facts(exercise_id: str) -> dict[str, str]:
        if exercise_id not in catalog:
            return {}
        e = catalog[exercise_id]
        return {
            "exercise": e.name,
            "role": e.role,
            "groups": ";".join(e.groups),
            "per_side": str(e.per_side).lower(),
        }

    entries, planned = [], {}
    if db.exists():
        with open_logbook(db) as book:
            entries = book.entries(person)
            planned = book.planned_rows(e.planned_id for e in entries if e.planned_id)
    try:
        write(file, log_csv(entries, planned, facts, COLUMNS))
    except OutputError as err:
        raise InputError(str(err)) from None
    count = len(entries)
    click.echo(f"Wrote {count} {'entry' if count == 1 else 'entries'} for {person} to {file}.")
