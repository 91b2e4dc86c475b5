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

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Self

from planner.screening import BY_ID as SCREENING_QUESTIONS

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
    # 2: the plan's start date (a plan covers start to start + 7 * weeks - 1), each planned
    # row's seconds and load (NULL in rows a version 1 file had), and the red-flag question
    # a person answered yes to while logging. A version 1 plan whose rows have dates takes
    # its first session's date as its start (its true start day was not kept). Indexes for
    # the schedule (a person's plans, a plan's rows by date).
    """
    ALTER TABLE plan ADD COLUMN start TEXT;
    UPDATE plan SET start = (SELECT min(date) FROM planned WHERE planned.plan_id = plan.id);
    ALTER TABLE planned ADD COLUMN seconds INTEGER CHECK (seconds >= 0);
    ALTER TABLE planned ADD COLUMN load REAL CHECK (load >= 0);
    ALTER TABLE entry ADD COLUMN red_flag TEXT NOT NULL DEFAULT '';
    DROP INDEX planned_plan;
    CREATE INDEX planned_plan_date ON planned(plan_id, date, position);
    CREATE INDEX plan_person ON plan(person_id);
    """,
]
# Seconds a write waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 30.0


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
    ``exercise_id`` is None. Pains are 0-10 (0 none, 10 worst). ``session_rpe`` is how hard it
    felt on the CR-10 scale (0-10): the whole session on a session entry, that exercise on an
    exercise entry (``log import`` reads one a row). ``red_flag`` is the id of a screening
    question (``planner.screening.QUESTIONS``) the person answered yes to while logging."""

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
    red_flag: str = ""

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
        if self.red_flag != "" and self.red_flag not in SCREENING_QUESTIONS:
            raise ValueError(
                f"red_flag must be a screening question id or '', not {self.red_flag!r}"
            )


@dataclass(frozen=True)
class Planned:
    """One planned exercise of one session, as recorded: its plan, date, week and day of the
    plan, position in the session and dose; ``seconds`` and ``load`` (AU, minutes x RPE) are
    None for a row recorded by a planner before schema version 2."""

    id: int
    plan_id: int
    date: dt.date
    week: int
    day: int
    position: int
    exercise_id: str
    sets: int
    reps: int
    hold_s: int
    seconds: int | None
    load: float | None


_ENTRY_COLUMNS = tuple(f.name for f in dataclasses.fields(LogEntry))


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
        # Another process writing makes this one wait its turn (busy timeout) rather than
        # fail: two ``planner log`` commands at once both land.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            try:
                # The first read of the file: a file that is not SQLite fails here.
                _write_ahead(conn)
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

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction, all or nothing. BEGIN IMMEDIATE takes the write lock before
        anything is read, so a write that reads first (is this key logged?) cannot race
        another process's, and waits for it (busy timeout) instead of failing."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    # People ---------------------------------------------------------------------------------

    def person(self, name: str = DEFAULT_PERSON) -> int:
        """The id of the person called ``name``, added if new."""
        with self._writing():
            return self._person_id(name)

    def save_profile(self, name: str, toml_text: str) -> None:
        """Keep ``toml_text`` as the person's profile (adding the person if new)."""
        with self._writing():
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
        """Store ``plan`` for the person, every entry a ``planned`` row with its date, seconds
        and load, with the plan's start date, the solver options it was made with and the
        hash of its catalogue; the plan's id. A plan without a start date has no dates, and
        ``schedule`` leaves it out."""
        weeks = sorted({e.week for e in plan.entries})
        first = weeks[0] if weeks else plan.history.next_week
        start = plan.profile.start
        if start is not None:  # the first planned week's first day
            start += dt.timedelta(weeks=first - plan.history.next_week)
        options = json.dumps(dataclasses.asdict(plan.options), sort_keys=True)
        with self._writing():
            person_id = self._person_id(name)
            plan_id = self.conn.execute(
                "INSERT INTO plan (person_id, options_json, catalog_hash, first_week, weeks, start)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    person_id,
                    options,
                    catalog_hash,
                    first,
                    len(weeks) or plan.profile.weeks,
                    _iso(start),
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
        """The person's planned rows dated from ``start`` to ``end`` (both included, either
        open), by date and then position in the session.

        Each date's rows come from the most recently recorded plan that covers it (a plan
        covers its start to start + 7 x weeks - 1): a newer plan replaces an older one on the
        days it covers, from its own start on. Plans without a start date are left out."""
        plans = self.conn.execute(
            "SELECT plan.id, plan.start, plan.weeks FROM plan"
            " WHERE plan.person_id = (SELECT id FROM person WHERE name = ?)"
            " AND plan.start IS NOT NULL ORDER BY plan.id DESC",
            (name,),
        ).fetchall()
        spans = _winning_spans(
            [(pid, dt.date.fromisoformat(first), weeks) for pid, first, weeks in plans],
            start,
            end,
        )
        if not spans:
            return []
        values = ", ".join(["(?, ?, ?)"] * len(spans))
        rows = self.conn.execute(
            f"WITH span(plan_id, first, last) AS (VALUES {values})"
            f" SELECT {', '.join('planned.' + c for c in _PLANNED_COLUMNS)} FROM span"
            " JOIN planned ON planned.plan_id = span.plan_id"
            " AND planned.date BETWEEN span.first AND span.last"
            " ORDER BY planned.date, planned.position, planned.id",
            [v for pid, lo, hi in spans for v in (pid, lo.isoformat(), hi.isoformat())],
        ).fetchall()
        return [_planned(row) for row in rows]

    def planned_rows(self, ids: Iterable[int]) -> dict[int, Planned]:
        """The planned rows with these ids (of any plan, replaced or not), by id."""
        ids = sorted(set(ids))
        found = {}
        for at in range(0, len(ids), 500):  # SQLite's bound on a statement's variables
            chunk = ids[at : at + 500]
            for row in self.conn.execute(
                f"SELECT {', '.join(_PLANNED_COLUMNS)} FROM planned"
                f" WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                planned = _planned(row)
                found[planned.id] = planned
        return found

    # Log entries ----------------------------------------------------------------------------

    def add_entry(self, name: str, entry: LogEntry) -> int:
        """Log ``entry`` for the person; its id. An entry whose ``imported_key`` is already in
        the log is not added again: the id of the one there."""
        return self.add_entries(name, [entry])[0]

    def add_entries(self, name: str, entries: Iterable[LogEntry]) -> list[int]:
        """Log ``entries`` for the person in one transaction (all or nothing); their ids, in
        order. An entry whose ``imported_key`` is already in the log (or earlier in
        ``entries``) is not added again: the id of the one there."""
        entries = list(entries)
        with self._writing():
            person_id = self._person_id(name)
            return [self._insert(person_id, entry) for entry in entries]

    def replace_logged(self, name: str, key_prefix: str, entries: Iterable[LogEntry]) -> int:
        """In one transaction, remove the person's entries on the dates of ``entries`` whose
        ``imported_key`` starts with ``key_prefix``, then log ``entries``: logging a thing
        again replaces it, rather than counting it twice. The number of entries removed."""
        entries = list(entries)
        dates = sorted({e.date.isoformat() for e in entries})
        with self._writing():
            person_id = self._person_id(name)
            removed = 0
            for date in dates:
                removed += self.conn.execute(
                    "DELETE FROM entry WHERE person_id = ? AND date = ?"
                    " AND substr(imported_key, 1, ?) = ?",
                    (person_id, date, len(key_prefix), key_prefix),
                ).rowcount
            for entry in entries:
                self._insert(person_id, entry)
        return removed

    def logged_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are already in the log as an entry's ``imported_key``."""
        keys = list(keys)
        found: set[str] = set()
        for at in range(0, len(keys), 500):  # SQLite's bound on a statement's variables
            chunk = keys[at : at + 500]
            found.update(
                key
                for (key,) in self.conn.execute(
                    "SELECT imported_key FROM entry WHERE imported_key IN"
                    f" ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def _insert(self, person_id: int, entry: LogEntry) -> int:
        """Add one entry inside the caller's transaction; an imported key already in the log
        gives the id of the entry there."""
        if entry.imported_key is not None:
            found = self.conn.execute(
                "SELECT id FROM entry WHERE imported_key = ?", (entry.imported_key,)
            ).fetchone()
            if found:
                return found[0]
        values = [getattr(entry, column) for column in _ENTRY_COLUMNS]
        values[_DATE] = entry.date.isoformat()
        values[_SKIPPED] = int(entry.skipped)
        return self.conn.execute(_INSERT_ENTRY, (person_id, *values)).lastrowid

    def entries(
        self, name: str, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[LogEntry]:
        """The person's log entries from ``start`` to ``end`` (both included, either open), by
        date and then in the order they were logged."""
        query = (
            f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM entry"
            " WHERE person_id = (SELECT id FROM person WHERE name = ?)"
        )
        args: list[object] = [name]
        if start is not None:
            query += " AND date >= ?"
            args.append(start.isoformat())
        if end is not None:
            query += " AND date <= ?"
            args.append(end.isoformat())
        rows = self.conn.execute(query + " ORDER BY date, id", args).fetchall()
        return [_log_entry(row) for row in rows]


def session_entries(
    person: str,
    date: dt.date,
    planned: Sequence[Planned],
    rpe: int | None = None,
    pain: int | None = None,
    pain_next: int | None = None,
    skipped: Iterable[str] = (),
    note: str = "",
    red_flag: str = "",
) -> tuple[str, list[LogEntry]]:
    """A planned day done (``planner log session``, the web page's checklist): the key
    prefix ``session:PERSON:DATE`` (for ``Logbook.replace_logged``) and the entries, one for
    the session (its RPE, pain, note and red flag) and one a ``planned`` row at its planned
    dose, or marked skipped when its exercise id is in ``skipped``."""
    skipped = set(skipped)
    prefix = f"session:{person}:{date}"
    entries = [
        LogEntry(
            date,
            None,
            session_rpe=rpe,
            pain_during=pain,
            pain_next_morning=pain_next,
            note=note,
            red_flag=red_flag,
            imported_key=prefix,
        )
    ]
    for p in planned:
        left_out = p.exercise_id in skipped
        entries.append(
            LogEntry(
                date,
                p.exercise_id,
                sets=None if left_out else p.sets,
                reps=None if left_out else p.reps,
                hold_s=None if left_out or not p.hold_s else p.hold_s,
                skipped=left_out,
                planned_id=p.id,
                imported_key=f"{prefix}:{p.id}",
            )
        )
    return prefix, entries


_PLANNED_COLUMNS = tuple(f.name for f in dataclasses.fields(Planned))
_DATE, _SKIPPED = _ENTRY_COLUMNS.index("date"), _ENTRY_COLUMNS.index("skipped")
_INSERT_ENTRY = (
    f"INSERT INTO entry (person_id, {', '.join(_ENTRY_COLUMNS)})"
    f" VALUES (?{', ?' * len(_ENTRY_COLUMNS)})"
)


def _winning_spans(
    plans: list[tuple[int, dt.date, int]], start: dt.date | None, end: dt.date | None
) -> list[tuple[int, dt.date, dt.date]]:
    """(plan id, first, last day) for the days each plan is the newest to cover, within
    ``start`` to ``end``; ``plans`` are (id, start, weeks), newest first."""
    claimed: list[tuple[dt.date, dt.date]] = []  # days taken by newer plans, kept sorted
    spans = []
    for plan_id, first, weeks in plans:
        last = first + dt.timedelta(days=7 * weeks - 1)
        lo, hi = max(first, start or first), min(last, end or last)
        if lo > hi:
            continue
        for free_lo, free_hi in _uncovered(lo, hi, claimed):
            spans.append((plan_id, free_lo, free_hi))
        claimed = sorted([*claimed, (lo, hi)])
    return spans


def _uncovered(
    lo: dt.date, hi: dt.date, claimed: list[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, dt.date]]:
    """The parts of ``lo`` to ``hi`` outside every (sorted) span of ``claimed``."""
    free, at = [], lo
    day = dt.timedelta(days=1)
    for c_lo, c_hi in claimed:
        if c_hi < at or c_lo > hi:
            continue
        if c_lo > at:
            free.append((at, c_lo - day))
        at = max(at, c_hi + day)
        if at > hi:
            return free
    if at <= hi:
        free.append((at, hi))
    return free


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _planned(row: tuple) -> Planned:
    fields = dict(zip(_PLANNED_COLUMNS, row, strict=True))
    if fields["date"] is not None:  # None only in a plan without a start (planned_rows)
        fields["date"] = dt.date.fromisoformat(fields["date"])
    return Planned(**fields)


def _log_entry(row: tuple) -> LogEntry:
    fields = dict(zip(_ENTRY_COLUMNS, row, strict=True))
    fields["date"] = dt.date.fromisoformat(fields["date"])
    fields["skipped"] = bool(fields["skipped"])
    return LogEntry(**fields)


def _write_ahead(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode. Switching needs the file to itself, and SQLite answers "database
    is locked" at once, without the busy timeout, while another process is opening it too (four
    processes creating one file at once); so it tries again for up to BUSY_TIMEOUT_S."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


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
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]}\n"
                f"PRAGMA user_version = {version + 1};\nCOMMIT;"
            )
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.rollback()
            # Another process opening the file at the same time took the step first (this
            # one waited for its lock, then found the tables there): go on from its version.
            if conn.execute("PRAGMA user_version").fetchone()[0] > version:
                continue
            raise
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
