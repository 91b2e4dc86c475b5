"""The logbook: schema version and migrations, refusing foreign files, plans and log entries
round-tripping, constraints in the dataclass and in the database, one transaction a write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3

import platformdirs
import pytest

from planner import solve
from planner.catalog import SHIPPED
from planner.logbook import (
    MIGRATIONS,
    Logbook,
    LogbookError,
    LogEntry,
    Planned,
    catalog_hash,
    default_path,
)


@pytest.fixture(scope="module")
def tiny_plan(tiny_catalog, tiny_profile):
    """A one-week plan on the tiny catalogue, with dates (so ``planned.date`` is filled)."""
    return solve(tiny_catalog(), tiny_profile(start=dt.date(2026, 11, 30)))


def rows(book: Logbook, table: str) -> int:
    return book.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_fresh_file_is_current_in_wal_with_foreign_keys(tmp_path):
    """A new file (in a new folder) is at the latest version, in WAL mode, foreign keys on."""
    path = tmp_path / "new" / "planner.db"
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS)
        assert book.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert book.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert path.is_file()


def test_reopening_keeps_rows_and_version(tmp_path):
    """Opening a current file again migrates nothing and keeps what it holds."""
    path = tmp_path / "planner.db"
    with Logbook.open(path) as book:
        first = book.person("me")
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS)
        assert book.person("me") == first
        assert rows(book, "person") == 1


def test_version_0_file_is_upgraded_in_place(tmp_path):
    """A SQLite file at user_version 0 gets the schema and keeps the tables it had."""
    path = tmp_path / "planner.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE kept (x)")
        conn.execute("INSERT INTO kept VALUES (42)")
    conn.close()
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS)
        assert book.conn.execute("SELECT x FROM kept").fetchall() == [(42,)]
        book.add_entry("me", LogEntry(dt.date(2026, 12, 1), "cat_camel", sets=1, reps=10))
        assert rows(book, "entry") == 1


def test_new_migration_upgrades_older_file_keeping_rows(tmp_path, monkeypatch):
    """A file made by an older planner is taken up one version by a new migration, rows kept."""
    path = tmp_path / "planner.db"
    with Logbook.open(path) as book:
        book.save_profile("ana", 'level = "beginner"\n')
    monkeypatch.setattr(
        "planner.logbook.MIGRATIONS", [*MIGRATIONS, "ALTER TABLE person ADD COLUMN email TEXT;"]
    )
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS) + 1
        assert book.conn.execute("SELECT name, email FROM person").fetchall() == [("ana", None)]
        assert book.profile("ana") == 'level = "beginner"\n'


def test_failed_migration_leaves_file_at_its_version(tmp_path, monkeypatch):
    """A migration that fails half-way is rolled back with its version bump."""
    path = tmp_path / "planner.db"
    Logbook.open(path).close()
    broken = "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);"
    monkeypatch.setattr("planner.logbook.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
        Logbook.open(path)
    monkeypatch.undo()
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS)
        assert (
            book.conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []
        )


def test_newer_file_is_refused(tmp_path):
    """A file from a newer planner is refused, naming the file and both versions."""
    path = tmp_path / "planner.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(LogbookError) as caught:
        Logbook.open(path)
    assert str(caught.value) == (
        f"{path} has schema version {len(MIGRATIONS) + 1}, but this planner knows versions up"
        f" to {len(MIGRATIONS)}: upgrade planner to open it"
    )


def test_non_database_is_refused(tmp_path):
    """A file that is not SQLite is refused, naming the file, and left as it was."""
    path = tmp_path / "notes.txt"
    text = "week 1: bridges felt fine, " * 200
    path.write_text(text)
    with pytest.raises(LogbookError) as caught:
        Logbook.open(path)
    assert str(caught.value) == f"{path} is not a planner database (file is not a database)"
    assert path.read_text() == text


def test_plan_round_trips_into_planned_rows(tmp_path, tiny_plan):
    """Every entry of a solved plan becomes one planned row, with its date, order and dose."""
    with Logbook.open(tmp_path / "planner.db") as book:
        plan_id = book.record_plan("me", tiny_plan, catalog_hash(b"tiny"))
        stored = book.conn.execute(
            "SELECT week, day, date, position, exercise_id, sets, reps, hold_s FROM planned"
            " WHERE plan_id = ? ORDER BY id",
            (plan_id,),
        ).fetchall()
        plan_row = book.conn.execute(
            "SELECT options_json, catalog_hash, first_week, weeks FROM plan"
        ).fetchone()
    assert len(stored) == len(tiny_plan.entries)
    assert stored == [
        (
            e.week,
            e.day,
            tiny_plan.date(e.week, e.day).isoformat(),
            e.order,
            e.exercise.id,
            e.sets,
            e.reps,
            e.hold_s,
        )
        for e in tiny_plan.entries
    ]
    assert json.loads(plan_row[0]) == dataclasses.asdict(tiny_plan.options)
    assert plan_row[1:] == (catalog_hash(b"tiny"), 1, 1)


def test_failed_plan_write_leaves_nothing(tmp_path, tiny_plan):
    """A plan with one bad entry stores neither the plan row, nor any planned row, nor the
    person it would have added."""
    bad = dataclasses.replace(tiny_plan.entries[-1], sets=-1)
    plan = dataclasses.replace(tiny_plan, entries=(*tiny_plan.entries[:-1], bad))
    with Logbook.open(tmp_path / "planner.db") as book:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            book.record_plan("ana", plan, "0" * 64)
        assert (rows(book, "person"), rows(book, "plan"), rows(book, "planned")) == (0, 0, 0)


def test_deleting_a_plan_deletes_its_planned_rows(tmp_path, tiny_plan):
    """planned rows belong to their plan (ON DELETE CASCADE, so foreign keys are on)."""
    with Logbook.open(tmp_path / "planner.db") as book:
        plan_id = book.record_plan("me", tiny_plan, "0" * 64)
        with book.conn:
            book.conn.execute("DELETE FROM plan WHERE id = ?", (plan_id,))
        assert rows(book, "planned") == 0


def test_entries_round_trip_by_person_and_dates(tmp_path):
    """Entries come back as they were logged, for their person only, within the dates asked."""
    logged = [
        LogEntry(dt.date(2026, 12, 1), "glute_bridge", sets=2, reps=12, pain_during=2),
        LogEntry(dt.date(2026, 12, 1), None, session_rpe=5, pain_next_morning=1, note="ok"),
        LogEntry(dt.date(2026, 12, 3), "cat_camel", skipped=True, note="no time"),
    ]
    with Logbook.open(tmp_path / "planner.db") as book:
        for entry in logged:
            book.add_entry("me", entry)
        book.add_entry("ana", LogEntry(dt.date(2026, 12, 2), "dead_bug", sets=2, reps=10))
        assert book.entries("me") == logged
        assert book.entries("me", start=dt.date(2026, 12, 2)) == logged[2:]
        assert book.entries("me", end=dt.date(2026, 12, 2)) == logged[:2]
        assert book.entries("nobody") == []


def test_imported_entry_is_added_once(tmp_path):
    """An entry with an imported_key already in the log is not added again."""
    entry = LogEntry(dt.date(2026, 12, 1), "glute_bridge", sets=2, imported_key="strong:17")
    with Logbook.open(tmp_path / "planner.db") as book:
        first = book.add_entry("me", entry)
        assert book.add_entry("me", entry) == first
        assert rows(book, "entry") == 1


def test_profile_is_saved_per_person(tmp_path):
    """Each person keeps their own profile TOML; saving again replaces it."""
    with Logbook.open(tmp_path / "planner.db") as book:
        book.save_profile("me", "sessions = 3\n")
        book.save_profile("ana", "sessions = 2\n")
        book.save_profile("me", "sessions = 4\n")
        assert (book.profile("me"), book.profile("ana"), book.profile("bo")) == (
            "sessions = 4\n",
            "sessions = 2\n",
            None,
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pain_during": 11}, "pain_during must be from 0 to 10, not 11"),
        ({"pain_next_morning": -1}, "pain_next_morning must be from 0 to 10, not -1"),
        ({"session_rpe": 7.5}, "session_rpe must be a whole number, not 7.5"),
        ({"sets": -1}, "sets must be at least 0, not -1"),
        ({"date": "2026-12-01"}, "date must be a date, not '2026-12-01'"),
        ({"skipped": 1}, "skipped must be True or False, not 1"),
    ],
)
def test_log_entry_refuses_values_out_of_range(fields, message):
    """A LogEntry out of range is refused with a message naming the field."""
    base = {"date": dt.date(2026, 12, 1), "exercise_id": "glute_bridge"}
    with pytest.raises(ValueError) as caught:
        LogEntry(**(base | fields))
    assert str(caught.value) == message


def test_database_refuses_pain_11(tmp_path):
    """The CHECK constraint refuses pain 11 from a raw insert that skips LogEntry."""
    with Logbook.open(tmp_path / "planner.db") as book:
        person_id = book.person("me")
        with (
            pytest.raises(
                sqlite3.IntegrityError,
                match=r"CHECK constraint failed: pain_during BETWEEN 0 AND 10",
            ),
            book.conn,
        ):
            book.conn.execute(
                "INSERT INTO entry (person_id, date, pain_during) VALUES (?, '2026-12-01', 11)",
                (person_id,),
            )
        assert rows(book, "entry") == 0


def test_database_refuses_entry_of_unknown_person(tmp_path):
    """Foreign keys are enforced: an entry for a person id that does not exist is refused."""
    with (
        Logbook.open(tmp_path / "planner.db") as book,
        pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"),
        book.conn,
    ):
        book.conn.execute("INSERT INTO entry (person_id, date) VALUES (99, '2026-12-01')")


def test_planner_db_overrides_default_path(tmp_path, monkeypatch):
    """PLANNER_DB names the file; without it the file is in the user data directory."""
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "mine.db"))
    assert default_path() == tmp_path / "mine.db"
    monkeypatch.delenv("PLANNER_DB")
    assert default_path() == platformdirs.user_data_path("planner") / "planner.db"


def test_open_without_path_uses_planner_db(tmp_path, monkeypatch):
    """Logbook.open() with no path opens the file PLANNER_DB names."""
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env" / "mine.db"))
    with Logbook.open() as book:
        assert book.path == tmp_path / "env" / "mine.db"
    assert (tmp_path / "env" / "mine.db").is_file()


def test_catalog_hash_is_sha256_of_the_file(tmp_path):
    """The hash of a file is the hash of its bytes (the shipped catalogue's too)."""
    assert catalog_hash(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    copy = tmp_path / "exercises.csv"
    copy.write_bytes(SHIPPED.read_bytes())
    assert catalog_hash(copy) == catalog_hash(SHIPPED.read_bytes())


# --- schema version 2 -----------------------------------------------------------------------


def test_version_1_file_with_rows_migrates_to_version_2(tmp_path):
    """A file made by schema version 1 alone, with a person, a dated plan and entries in it,
    opens at the current version with every row kept, the new columns NULL or empty and the
    plan's start taken from its first session."""
    path = tmp_path / "planner.db"
    conn = sqlite3.connect(path)
    conn.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    conn.executescript(
        """
        INSERT INTO person (id, name) VALUES (1, 'me');
        INSERT INTO plan (id, person_id, options_json, catalog_hash, first_week, weeks)
            VALUES (1, 1, '{}', 'abc', 1, 1);
        INSERT INTO planned (id, plan_id, week, day, date, position, exercise_id, sets, reps,
            hold_s) VALUES (1, 1, 1, 2, '2026-12-02', 1, 'cat_camel', 1, 10, 0),
                           (2, 1, 1, 0, '2026-11-30', 1, 'glute_bridge', 2, 12, 0);
        INSERT INTO entry (person_id, date, exercise_id, planned_id, sets, pain_during)
            VALUES (1, '2026-11-30', 'glute_bridge', 2, 2, 3);
        """
    )
    conn.close()
    with Logbook.open(path) as book:
        assert book.version == len(MIGRATIONS) == 2
        assert book.entries("me") == [
            LogEntry(dt.date(2026, 11, 30), "glute_bridge", sets=2, pain_during=3, planned_id=2)
        ]
        assert book.conn.execute("SELECT start FROM plan").fetchall() == [("2026-11-30",)]
        assert book.schedule("me") == [
            Planned(2, 1, dt.date(2026, 11, 30), 1, 0, 1, "glute_bridge", 2, 12, 0, None, None),
            Planned(1, 1, dt.date(2026, 12, 2), 1, 2, 1, "cat_camel", 1, 10, 0, None, None),
        ]


def test_recorded_plan_keeps_its_start_seconds_and_load(tmp_path, tiny_plan):
    """record_plan stores the plan's start and each row's seconds and load from the Plan."""
    with Logbook.open(tmp_path / "planner.db") as book:
        book.record_plan("me", tiny_plan, "0" * 64)
        assert book.conn.execute("SELECT start FROM plan").fetchone() == ("2026-11-30",)
        schedule = book.schedule("me")
    entries = sorted(tiny_plan.entries, key=lambda e: (tiny_plan.date(e.week, e.day), e.order))
    assert [(p.exercise_id, p.seconds, p.load) for p in schedule] == [
        (e.exercise.id, e.seconds, e.load) for e in entries
    ]
    assert [p.date for p in schedule] == [tiny_plan.date(e.week, e.day) for e in entries]


def shifted(plan, start: dt.date, weeks: int = 1):
    """``plan`` (one week) with another start date and, for ``weeks`` > 1, its week repeated."""
    entries = tuple(
        dataclasses.replace(e, week=e.week + k) for k in range(weeks) for e in plan.entries
    )
    profile = plan.profile.with_changes(start=start, weeks=weeks)
    return dataclasses.replace(plan, profile=profile, entries=entries)


def test_schedule_takes_each_date_from_the_newest_plan_covering_it(tmp_path, tiny_plan):
    """A newer plan replaces an older one on the days it covers; the older one's other days
    stay; dates outside start and end are left out; plans without a start are left out."""
    old = shifted(tiny_plan, dt.date(2026, 11, 30), weeks=3)  # covers 11-30 to 12-20
    new = shifted(tiny_plan, dt.date(2026, 12, 7))  # covers 12-07 to 12-13
    undated = dataclasses.replace(tiny_plan, profile=tiny_plan.profile.with_changes(start=None))
    with Logbook.open(tmp_path / "planner.db") as book:
        old_id = book.record_plan("me", old, "0" * 64)
        new_id = book.record_plan("me", new, "0" * 64)
        book.record_plan("me", undated, "0" * 64)
        book.record_plan("ana", new, "0" * 64)
        schedule = book.schedule("me")
        window = book.schedule("me", dt.date(2026, 12, 2), dt.date(2026, 12, 9))
        assert book.schedule("nobody") == []
    by_plan = {}
    for p in schedule:
        by_plan.setdefault(p.plan_id, set()).add(p.date)
    days = sorted({tiny_plan.date(e.week, e.day).weekday() for e in tiny_plan.entries})
    week = lambda monday: {monday + dt.timedelta(days=d) for d in days}  # noqa: E731
    assert by_plan == {
        old_id: week(dt.date(2026, 11, 30)) | week(dt.date(2026, 12, 14)),
        new_id: week(dt.date(2026, 12, 7)),
    }
    assert [(p.date, p.position) for p in schedule] == sorted(
        (p.date, p.position) for p in schedule
    )
    assert window == [p for p in schedule if dt.date(2026, 12, 2) <= p.date <= dt.date(2026, 12, 9)]


def test_a_newer_plan_starting_earlier_replaces_the_days_it_covers(tmp_path, tiny_plan):
    """Recorded later but starting earlier: it wins on its own days, the older plan keeps the
    rest of its own."""
    later = shifted(tiny_plan, dt.date(2026, 12, 7), weeks=2)  # 12-07 to 12-20
    earlier = shifted(tiny_plan, dt.date(2026, 11, 30), weeks=2)  # 11-30 to 12-13
    with Logbook.open(tmp_path / "planner.db") as book:
        first = book.record_plan("me", later, "0" * 64)
        second = book.record_plan("me", earlier, "0" * 64)
        found = {(p.plan_id, p.date >= dt.date(2026, 12, 14)) for p in book.schedule("me")}
    assert found == {(second, False), (first, True)}


def test_add_entries_is_one_transaction_and_idempotent(tmp_path):
    """Entries go in together or not at all; a key already logged, or repeated in the same
    call, is added once and gives the id of the entry there."""
    day = dt.date(2026, 12, 1)
    good = [
        LogEntry(day, "glute_bridge", sets=2, imported_key="k1"),
        LogEntry(day, "cat_camel", sets=1, imported_key="k2"),
        LogEntry(day, "cat_camel", sets=1, imported_key="k2"),
    ]
    with Logbook.open(tmp_path / "planner.db") as book:
        first = book.add_entries("me", good)
        assert first[1] == first[2]
        assert book.add_entries("me", good[:2]) == first[:2]
        assert rows(book, "entry") == 2
        planned_nowhere = LogEntry(day, "dead_bug", planned_id=999)  # a foreign key refused
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            book.add_entries("ana", [LogEntry(day, "dead_bug", imported_key="k3"), planned_nowhere])
        assert (rows(book, "entry"), rows(book, "person")) == (2, 1)
        assert book.logged_keys(["k1", "k3", "k2"]) == {"k1", "k2"}


def test_replace_logged_replaces_only_its_own_keys_on_those_dates(tmp_path):
    """Entries with the prefix on the dates logged are replaced; others are kept."""
    day = dt.date(2026, 12, 1)
    with Logbook.open(tmp_path / "planner.db") as book:
        book.add_entries(
            "me",
            [
                LogEntry(day, None, session_rpe=4, imported_key="session:me:2026-12-01"),
                LogEntry(day, "cat_camel", imported_key="import:me:2026-12-01:cat_camel:1:1"),
                LogEntry(day + dt.timedelta(days=1), None, imported_key="session:me:2026-12-02"),
            ],
        )
        again = [LogEntry(day, None, session_rpe=6, imported_key="session:me:2026-12-01")]
        assert book.replace_logged("me", "session:me:", again) == 1
        assert [(e.date.day, e.session_rpe) for e in book.entries("me")] == [
            (1, None),
            (1, 6),
            (2, None),
        ]


def test_red_flag_is_kept_and_checked():
    """red_flag takes a screening question id or nothing, and names a wrong one."""
    assert LogEntry(dt.date(2026, 12, 1), red_flag="fever").red_flag == "fever"
    with pytest.raises(ValueError) as caught:
        LogEntry(dt.date(2026, 12, 1), red_flag="sneezing")
    assert str(caught.value) == "red_flag must be a screening question id or '', not 'sneezing'"
