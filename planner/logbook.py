"""The training log: an embedded SQLite database of people, the plans made for them and what
they did.

One file serves a coach's clients: each person has a name (``me`` unless told otherwise) and
their own profile, plans and log entries. The schema is versioned with ``PRAGMA user_version``
and ``MIGRATIONS`` upgrade an older file in place, each step in one transaction; the file runs
in WAL mode with foreign keys on, and every write is one transaction (all or nothing).

>>> with Logbook.open(path) as book:                                  # doctest: +SKIP
...     book.record_plan("me", plan, catalog_hash(SHIPPED))
...     book.add_entry("me", LogEntry(dt.date(2026, 12, 4), "glute_bridge", sets=2, reps=12))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from planner.plan import Plan

DEFAULT_PERSON = "me"
ENV_VAR = "PLANNER_DB"

# The schema, one script per version: MIGRATIONS[n] takes a file from version n to n + 1.
# Append a new script to change the schema; never edit one that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE person (
        id INTEGER PRIMARY KEY,
        name TEXT UNIQUE NOT NULL CHECK (name <> ''),
        profile_toml TEXT,
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE plan (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person(id),
        created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        options_json TEXT NOT NULL,
        catalog_hash TEXT NOT NULL,
        first_week INTEGER NOT NULL CHECK (first_week >= 1),
        weeks INTEGER NOT NULL CHECK (weeks >= 1)
    );
    CREATE TABLE planned (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
        week INTEGER NOT NULL CHECK (week >= 1),
        day INTEGER NOT NULL CHECK (day BETWEEN 0 AND 6),
        date TEXT,
        position INTEGER NOT NULL CHECK (position >= 1),
        exercise_id TEXT NOT NULL,
        sets INTEGER NOT NULL CHECK (sets >= 0),
        reps INTEGER NOT NULL CHECK (reps >= 0),
        hold_s INTEGER NOT NULL CHECK (hold_s >= 0)
    );
    CREATE INDEX planned_plan ON planned(plan_id);
    CREATE TABLE entry (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person(id),
        date TEXT NOT NULL,
        exercise_id TEXT,
        planned_id INTEGER REFERENCES planned(id) ON DELETE SET NULL,
        sets INTEGER CHECK (sets >= 0),
        reps INTEGER CHECK (reps >= 0),
        hold_s INTEGER CHECK (hold_s >= 0),
        session_rpe INTEGER CHECK (session_rpe BETWEEN 0 AND 10),
        pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10),
        pain_next_morning INTEGER CHECK (pain_next_morning BETWEEN 0 AND 10),
        note TEXT NOT NULL DEFAULT '',
        skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
        imported_key TEXT UNIQUE
    );
    CREATE INDEX entry_person_date ON entry(person_id, date);
    """,
    # 2: when a plan starts, what each planned row takes (seconds) and carries (AU, R8) as
    # planned, so that the log can be judged against the plan as it was made whatever the
    # catalogue says later; the red-flag question a person answered yes to while logging.
    """
    ALTER TABLE plan ADD COLUMN start TEXT;
    ALTER TABLE planned ADD COLUMN seconds INTEGER CHECK (seconds >= 0);
    ALTER TABLE planned ADD COLUMN load REAL CHECK (load >= 0);
    ALTER TABLE entry ADD COLUMN red_flag TEXT NOT NULL DEFAULT '';
    CREATE INDEX planned_date ON planned(date);
    """,
]


class LogbookError(ValueError):
    """A logbook file that cannot be opened: not a database, or newer than this planner."""


def default_path() -> Path:
    """Where the logbook lives: ``$PLANNER_DB`` if set, else ``planner.db`` in the platform's
    user data directory (e.g. ``~/.local/share/planner`` on Linux)."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given)
    import platformdirs  # only when the default is asked for

    return platformdirs.user_data_path("planner") / "planner.db"


def catalog_hash(source: str | os.PathLike[str] | bytes) -> str:
    """The sha256 (hex) of a catalogue file's bytes, or of the bytes given: which catalogue a
    plan was made from (``planner.catalog.SHIPPED`` is the shipped one's path)."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return hashlib.sha256(data).hexdigest()


def _check_range(name: str, value: int | None, low: int, high: int | None = None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        within = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {within}, not {value}")


@dataclass(frozen=True)
class LogEntry:
    """What a person did on one day: one exercise (``exercise_id``), or the whole session when
    ``exercise_id`` is None. Pains are 0-10 (0 none, 10 worst), session RPE is CR-10 (0-10)."""

    date: dt.date
    exercise_id: str | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    session_rpe: int | None = None
    pain_during: int | None = None
    pain_next_morning: int | None = None
    note: str = ""
    skipped: bool = False
    planned_id: int | None = None  # the planned row this carries out, when known
    imported_key: str | None = None  # a source's own key: importing it twice adds it once
    red_flag: str = ""  # a screening question (planner.screening) answered yes while logging

    def __post_init__(self) -> None:
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise ValueError(f"date must be a date, not {self.date!r}")
        if self.exercise_id is not None and not (
            isinstance(self.exercise_id, str) and self.exercise_id
        ):
            raise ValueError(
                f"exercise_id must be an exercise id or None, not {self.exercise_id!r}"
            )
        for name in ("sets", "reps", "hold_s"):
            _check_range(name, getattr(self, name), 0)
        for name in ("session_rpe", "pain_during", "pain_next_morning"):
            _check_range(name, getattr(self, name), 0, 10)
        if not isinstance(self.note, str):
            raise ValueError(f"note must be text, not {self.note!r}")
        if not isinstance(self.skipped, bool):
            raise ValueError(f"skipped must be True or False, not {self.skipped!r}")
        if self.red_flag:
            from planner.screening import BY_ID

            if self.red_flag not in BY_ID:
                raise ValueError(f"red_flag must be a screening question id, not {self.red_flag!r}")


_ENTRY_COLUMNS = tuple(f.name for f in dataclasses.fields(LogEntry))


@dataclass(frozen=True)
class Planned:
    """One exercise of a kept plan on its day: the dose planned, what it takes (seconds) and
    carries (load, AU) as planned; both None in rows kept before schema version 2."""

    id: int
    plan_id: int
    date: dt.date
    week: int
    day: int  # 0 = Monday
    position: int
    exercise_id: str
    sets: int
    reps: int
    hold_s: int
    seconds: int | None
    load: float | None


_PLANNED_COLUMNS = tuple(f.name for f in dataclasses.fields(Planned))


class Logbook:
    """An open logbook file; use as a context manager (``with Logbook.open(path) as book``),
    which closes it."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Self:
        """Open (or create) the logbook at ``path`` (``default_path()`` if None), upgraded to
        the current schema; ``LogbookError`` if it is not a planner database or is newer."""
        path = Path(path) if path is not None else default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path)
        try:
            try:
                # The first read of the file: a file that is not SQLite fails here.
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as error:
                # Not "database is locked" or "unable to open": those are about access.
                if error.sqlite_errorcode not in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                    raise
                raise LogbookError(f"{path} is not a planner database ({error})") from None
            conn.execute("PRAGMA foreign_keys=ON")
            _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # People ---------------------------------------------------------------------------------

    def person(self, name: str = DEFAULT_PERSON) -> int:
        """The id of the person called ``name``, added if new."""
        with self.conn:
            return self._person_id(name)

    def save_profile(self, name: str, toml_text: str) -> None:
        """Keep ``toml_text`` as the person's profile (adding the person if new)."""
        with self.conn:
            person_id = self._person_id(name)
            self.conn.execute(
                "UPDATE person SET profile_toml = ? WHERE id = ?", (toml_text, person_id)
            )

    def profile(self, name: str) -> str | None:
        """The person's saved profile TOML, or None (no such person, or no profile saved)."""
        row = self.conn.execute(
            "SELECT profile_toml FROM person WHERE name = ?", (name,)
        ).fetchone()
        return row[0] if row else None

    def _person_id(self, name: str) -> int:
        """Get or add a person, inside the caller's transaction."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a person needs a name, not {name!r}")
        self.conn.execute("INSERT OR IGNORE INTO person (name) VALUES (?)", (name,))
        return self.conn.execute("SELECT id FROM person WHERE name = ?", (name,)).fetchone()[0]

    # Plans ----------------------------------------------------------------------------------

    def record_plan(self, name: str, plan: Plan, catalog_hash: str) -> int:
        """Store ``plan`` for the person, every entry a ``planned`` row, with the solver
        options it was made with and the hash of its catalogue; the plan's id."""
        weeks = sorted({e.week for e in plan.entries})
        options = json.dumps(dataclasses.asdict(plan.options), sort_keys=True)
        with self.conn:
            person_id = self._person_id(name)
            plan_id = self.conn.execute(
                "INSERT INTO plan (person_id, options_json, catalog_hash, first_week, weeks, start)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    person_id,
                    options,
                    catalog_hash,
                    weeks[0] if weeks else plan.history.next_week,
                    len(weeks) or plan.profile.weeks,
                    _iso(plan.profile.start),
                ),
            ).lastrowid
            self.conn.executemany(
                "INSERT INTO planned (plan_id, week, day, date, position, exercise_id, sets,"
                " reps, hold_s, seconds, load) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        plan_id,
                        e.week,
                        e.day,
                        _iso(plan.date(e.week, e.day)),
                        e.order,
                        e.exercise.id,
                        e.sets,
                        e.reps,
                        e.hold_s,
                        e.seconds,
                        e.load,
                    )
                    for e in plan.entries
                ],
            )
        return plan_id

    def schedule(
        self, name: str, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Planned]:
        """The person's planned rows dated ``start`` to ``end`` (both included, either open),
        by date and position. Each day's rows come from the newest plan covering it (a plan
        covers its start to 7 x weeks days on): a plan kept later replaces an earlier one
        from its own start on. Plans kept without dates are left out."""
        plans = self.conn.execute(
            "SELECT plan.id, plan.start, date(plan.start, (7 * plan.weeks) || ' days')"
            " FROM plan JOIN person ON person.id = plan.person_id"
            " WHERE person.name = ? AND plan.start IS NOT NULL ORDER BY plan.id DESC",
            (name,),
        ).fetchall()
        rows, taken = [], None  # taken: the first day a newer plan covers
        columns = ", ".join(_PLANNED_COLUMNS)
        for plan_id, begin, until in plans:  # newest first
            stop = until if taken is None else min(until, taken)
            taken = begin if taken is None else min(taken, begin)
            query = f"SELECT {columns} FROM planned WHERE plan_id = ? AND date >= ? AND date < ?"
            args: list[object] = [plan_id, begin, stop]
            if start is not None:
                query += " AND date >= ?"
                args.append(start.isoformat())
            if end is not None:
                query += " AND date <= ?"
                args.append(end.isoformat())
            rows += self.conn.execute(query, args).fetchall()
        planned = [_planned(row) for row in rows]
        return sorted(planned, key=lambda p: (p.date, p.position))

    # Log entries ----------------------------------------------------------------------------

    def add_entry(self, name: str, entry: LogEntry) -> int:
        """Log ``entry`` for the person; its id. An entry whose ``imported_key`` is already in
        the log is not added again: the id of the one there."""
        with self.conn:
            return self._insert(self._person_id(name), entry)

    def _insert(self, person_id: int, entry: LogEntry) -> int:
        """Insert ``entry`` inside the caller's transaction (once by its imported_key)."""
        if entry.imported_key is not None:
            found = self.conn.execute(
                "SELECT id FROM entry WHERE imported_key = ?", (entry.imported_key,)
            ).fetchone()
            if found:
                return found[0]
        values = [getattr(entry, column) for column in _ENTRY_COLUMNS]
        values[_ENTRY_COLUMNS.index("date")] = entry.date.isoformat()
        values[_ENTRY_COLUMNS.index("skipped")] = int(entry.skipped)
        return self.conn.execute(
            f"INSERT INTO entry (person_id, {', '.join(_ENTRY_COLUMNS)})"
            f" VALUES (?{', ?' * len(_ENTRY_COLUMNS)})",
            (person_id, *values),
        ).lastrowid

    def add_entries(self, name: str, entries) -> list[int]:
        """Log several entries for the person in one transaction (all or none); each is
        added once by its ``imported_key`` as ``add_entry`` does. Their ids."""
        ids = []
        with self.conn:
            person_id = self._person_id(name)
            for entry in entries:
                ids.append(self._insert(person_id, entry))
        return ids

    def entries(
        self, name: str, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[LogEntry]:
        """The person's log entries from ``start`` to ``end`` (both included, either open), by
        date and then in the order they were logged."""
        query = (
            f"SELECT {', '.join('entry.' + c for c in _ENTRY_COLUMNS)} FROM entry"
            " JOIN person ON person.id = entry.person_id WHERE person.name = ?"
        )
        args: list[object] = [name]
        if start is not None:
            query += " AND entry.date >= ?"
            args.append(start.isoformat())
        if end is not None:
            query += " AND entry.date <= ?"
            args.append(end.isoformat())
        rows = self.conn.execute(query + " ORDER BY entry.date, entry.id", args).fetchall()
        return [_log_entry(row) for row in rows]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _planned(row: tuple) -> Planned:
    fields = dict(zip(_PLANNED_COLUMNS, row, strict=True))
    fields["date"] = dt.date.fromisoformat(fields["date"])
    return Planned(**fields)


def _log_entry(row: tuple) -> LogEntry:
    fields = dict(zip(_ENTRY_COLUMNS, row, strict=True))
    fields["date"] = dt.date.fromisoformat(fields["date"])
    fields["skipped"] = bool(fields["skipped"])
    return LogEntry(**fields)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the file up to ``len(MIGRATIONS)``, each step and its version in one transaction
    (``user_version`` is in the file's header, so it rolls back with the step)."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    known = len(MIGRATIONS)
    if found > known:
        raise LogbookError(
            f"{path} has schema version {found}, but this planner knows versions up to {known}:"
            " upgrade planner to open it"
        )
    for version in range(found, known):
        try:
            conn.executescript(
                f"BEGIN;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
