"""``planner plan --person NAME`` keeps the plan in the logbook, for ``planner log`` to record
against; ``planner plan --adapt`` plans the next weeks from what the log says was done
(``planner.adaptation``) and says why each thing changed."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from planner.adaptation import (
    Adaptation,
    AdaptationStop,
    adapt,
    logged_weeks,
    next_start,
    progressions,
)
from planner.catalog import Catalog
from planner.cli import InputError, ScreeningStop
from planner.cli.log import db_option, open_logbook
from planner.logbook import DEFAULT_PERSON, Logbook, catalog_hash
from planner.logbook import default_path as default_db
from planner.plan import Plan
from planner.profile_file import dump_profile
from planner.ramp import NO_HISTORY


@dataclass(frozen=True)
class Keeping:
    """Where a plan is kept (the logbook file and whose it is) and, with ``--adapt``, the
    adaptation it was planned from."""

    db: Path
    person: str
    adapt: bool
    adaptation: Adaptation | None = None

    def open(self) -> Logbook:
        return open_logbook(self.db)

    def keep(self, plan: Plan, catalog: Catalog) -> list[str]:
        """Record ``plan`` and its profile for the person; the lines that say what the log
        changed (with --adapt) and where the plan is kept."""
        lines = []
        if self.adaptation is not None:
            first = [e for e in plan.entries if e.week == plan.history.next_week]
            changes = [*self.adaptation.changes, *progressions(self.adaptation, first)]
            lines += [f"Adapted: {c}" for c in changes] or ["Adapted: nothing to change."]
        with self.open() as book:
            book.save_profile(self.person, dump_profile(plan.profile))
            book.record_plan(self.person, plan, catalog_hash(catalog.source))
        lines.append(
            f"Kept the plan in {self.db} for {self.person}: record each session with "
            "planner log session DATE."
        )
        return lines


def keeping_options(command: Callable) -> Callable:
    """``--person``, ``--db`` and ``--adapt`` for ``plan`` (outside ``profile_options``): the
    command gets ``keeping`` (None unless one was given). With ``--adapt`` and no
    ``--profile``, the person's kept profile stands for the file."""

    @functools.wraps(command)
    def wrapper(person, db_path, adapt, profile_path, **values):
        if person is None and db_path is None and not adapt:
            return command(profile_path=profile_path, keeping=None, **values)
        person = DEFAULT_PERSON if person is None else person
        if not person.strip():
            raise InputError("--person: a person needs a name; give one, or leave it out for me")
        db = Path(db_path) if db_path is not None else default_db()
        keeping = Keeping(db, person, adapt)
        if adapt and profile_path is None and db.exists():
            with keeping.open() as book:
                text = book.profile(person)
            if text is not None:
                values["profile_text"] = (f"{db} (the profile kept for {person})", text)
        return command(profile_path=profile_path, keeping=keeping, **values)

    for option in (
        click.option(
            "--adapt",
            is_flag=True,
            help="Plan the next weeks from what the log says was done (with --person; the "
            "profile kept for the person unless --profile is given).",
        ),
        db_option,
        click.option(
            "--person",
            metavar="NAME",
            help="Keep the plan in the logbook for NAME (me when only --db or --adapt is "
            "given), for planner log session to record against; needs --start.",
        ),
    ):
        wrapper = option(wrapper)
    return wrapper


def adapted(command: Callable) -> Callable:
    """Inside ``profile_options`` and ``after_option``: with ``--adapt``, the history and
    start date come from the person's log (``planner.adaptation``)."""

    @functools.wraps(command)
    def wrapper(catalog, profile, history, inputs, keeping, **values):
        if keeping is None or not keeping.adapt:
            if keeping is not None and profile.start is None:
                raise InputError(
                    "--person keeps the plan for planner log, which needs dates; give --start "
                    "YYYY-MM-DD (or start in the profile)"
                )
            return command(
                catalog=catalog,
                profile=profile,
                history=history,
                inputs=inputs,
                keeping=keeping,
                **values,
            )
        if inputs.get("--after") is not None or history is not NO_HISTORY:
            raise InputError("--adapt and --after cannot be used together; give one of them")
        if inputs.get("--keep") is not None:
            raise InputError("--adapt and --keep cannot be used together; give one of them")
        if not keeping.db.exists():
            raise InputError(f"--adapt: no logbook at {keeping.db}; plan with --person first")
        with keeping.open() as book:
            schedule = book.schedule(keeping.person)
            entries = book.entries(keeping.person)
        if not schedule:
            raise InputError(
                f"--adapt: no plan kept for {keeping.person} in {keeping.db}; plan with "
                f"--person {keeping.person} --start YYYY-MM-DD first"
            )
        start = profile.start or next_start(schedule, dt.date.today())
        profile = profile.with_changes(start=start)
        try:
            adaptation = adapt(catalog, profile, schedule, entries, start)
        except AdaptationStop as err:
            raise ScreeningStop(str(err)) from None
        return command(
            catalog=catalog,
            profile=profile,
            history=adaptation.history,
            inputs=inputs,
            keeping=Keeping(keeping.db, keeping.person, True, adaptation),
            **values,
        )

    return wrapper


def log_options(command: Callable) -> Callable:
    """``--person`` and ``--db`` for ``explain`` and ``report`` (inside ``profile_options``):
    the command gets ``log``, the weeks of the person's log as done against the plans kept
    (``planner.adaptation.logged_weeks``; none unless one of the two was given)."""

    @functools.wraps(command)
    def wrapper(person, db_path, catalog, **values):
        log = []
        if person is not None or db_path is not None:
            person = DEFAULT_PERSON if person is None else person
            db = Path(db_path) if db_path is not None else default_db()
            if not db.exists():
                raise InputError(f"--db: no logbook at {db}; planner log creates one")
            with Keeping(db, person, False).open() as book:
                log = logged_weeks(catalog, book.schedule(person), book.entries(person))
        return command(catalog=catalog, log=log, **values)

    return click.option(
        "--person",
        metavar="NAME",
        help="Also show what NAME's log says was done against the plans kept (me when only "
        "--db is given).",
    )(db_option(wrapper))
