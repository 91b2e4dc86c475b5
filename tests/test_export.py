"""The exporters: the iCalendar file (events, times, zones, UIDs, folding), the JSON document
against its shipped schema and the README, and planner plan writing --csv, --ics and --json
together. Plans come from the tiny catalogue, so each solve takes a fraction of a second."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import zoneinfo
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from planner import solve
from planner.cli import cli
from planner.export import (
    EXPORTS,
    JSON_SCHEMA,
    SCHEMA_FILE,
    ExportError,
    csv_text,
    exports_of,
    ics_text,
    json_text,
    plan_record,
    session_title,
)
from planner.guidance import effort, pain_rule, target
from planner.importer import write_catalog
from planner.plan import Entry, Plan, describe_dose
from planner.profile import DEFAULT_SESSION_TIME, Profile, ProfileError, SolverOptions
from planner.profile_file import dump_profile, load_profile
from planner.report import Report, build_report

README = Path(__file__).resolve().parent.parent / "README.md"
START = dt.date(2026, 11, 30)  # a Monday
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Cues with the characters RFC 5545 escapes (, ; \ and a newline) and one long enough to fold.
CUES = {
    "glute_bridge": dict(cues="Squeeze; then lower, slowly \\ gently."),
    "dead_bug": dict(cues="Keep the low back down " * 6 + "and breathe — out as you reach."),
}


@pytest.fixture(scope="module")
def catalog(tiny_catalog):
    return tiny_catalog(**CUES)


@pytest.fixture(scope="module")
def berlin_plan(catalog, tiny_profile):
    """A tiny week from START at 07:30 Berlin time."""
    profile = tiny_profile(start=START, session_time="07:30", timezone="Europe/Berlin")
    return solve(catalog, profile)


@pytest.fixture(scope="module")
def floating_plan(catalog, tiny_profile):
    """The tiny week from START with neither a session time nor a time zone."""
    return solve(catalog, tiny_profile(start=START))


def events(text: str) -> list:
    return Calendar.from_ical(text).walk("VEVENT")


def session_minutes(entries: list[Entry]) -> int:
    return math.ceil(sum(e.seconds for e in entries) / 60)


# --- iCalendar ------------------------------------------------------------------------------


def test_ics_has_one_event_per_session_at_its_date_time_and_zone(berlin_plan):
    """Each session is one VEVENT starting at its date and the profile's session_time in the
    profile's time zone, ending its minutes (rounded up) later."""
    found = events(ics_text(berlin_plan))
    sessions = berlin_plan.sessions
    assert len(found) == len(sessions) == 3
    for event, (week, day, entries) in zip(
        found, ((s.week, s.day, list(s.entries)) for s in sessions), strict=True
    ):
        start = event["DTSTART"].dt
        assert start == dt.datetime.combine(berlin_plan.date(week, day), dt.time(7, 30), BERLIN)
        assert start.tzinfo.key == "Europe/Berlin"
        assert event["DTEND"].dt - start == dt.timedelta(minutes=session_minutes(entries))
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_ics_carries_a_vtimezone_for_the_zone_it_names(berlin_plan):
    """A zoned calendar defines its TZID in a VTIMEZONE, so any client can read it."""
    calendar = Calendar.from_ical(ics_text(berlin_plan))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_ics_without_zone_or_time_uses_floating_default_time(floating_plan):
    """No timezone: floating local times (no TZID, no Z) at DEFAULT_SESSION_TIME, and no
    VTIMEZONE."""
    text = ics_text(floating_plan)
    default = dt.time.fromisoformat(DEFAULT_SESSION_TIME)
    for event in events(text):
        assert event["DTSTART"].dt.tzinfo is None
        assert event["DTSTART"].dt.time() == default
    assert "TZID" not in text and "VTIMEZONE" not in text
    assert f"DTSTART:{START:%Y%m%d}T{default:%H%M}00\r\n" in text


def test_ics_in_utc_writes_utc_times(catalog, tiny_profile):
    """timezone = "UTC" gives UTC times (the Z form) and needs no VTIMEZONE."""
    plan = solve(catalog, tiny_profile(start=START, timezone="UTC", session_time="06:00"))
    text = ics_text(plan)
    assert f"DTSTART:{START:%Y%m%d}T060000Z\r\n" in text
    assert "VTIMEZONE" not in text


def test_ics_summary_says_what_the_session_is_for_and_how_long(berlin_plan):
    """SUMMARY is '<group> and <group> · N min' in plain words: the groups with the most
    minutes, and the session's length."""
    for event, (week, entries) in zip(
        events(ics_text(berlin_plan)),
        ((s.week, list(s.entries)) for s in berlin_plan.sessions),
        strict=True,
    ):
        assert str(event["SUMMARY"]) == session_title(week, entries, berlin_plan.profile)
        assert re.fullmatch(r"[A-Z][a-z ]+( and [a-z ]+)? · \d+ min", str(event["SUMMARY"]))


def test_session_title_ranks_groups_by_minutes_and_names_a_deload(catalog):
    """The focus is the two primary groups with the most minutes, most first, in plain
    words; a deload week says it is an easier week."""
    by_id = {e.id: e for e in catalog}
    entries = [
        Entry(4, 0, 1, by_id["figure_four_stretch"], 2, 1, 30),  # glutes, 2 x 30 s
        Entry(4, 0, 2, by_id["dead_bug"], 3, 10, 0),  # core, 3 x 10 reps
        Entry(4, 0, 3, by_id["bird_dog"], 1, 10, 0),  # lower back, 1 x 10 reps
    ]
    profile = Profile.for_level("beginner", weeks=4)
    assert session_title(4, entries, profile) == "Core and glutes · 8 min · easier week"
    assert session_title(3, entries, profile) == "Core and glutes · 8 min"


def test_ics_description_lists_every_exercise_in_order_with_dose_and_cue(berlin_plan):
    """DESCRIPTION starts with the exercises, in session order with dose, effort and cue
    (escaped characters come back intact), and ends with the pain rule; no load in AU."""
    for event, entries in zip(
        events(ics_text(berlin_plan)), (list(s.entries) for s in berlin_plan.sessions), strict=True
    ):
        text = str(event["DESCRIPTION"])
        at = -1
        for e in entries:
            line = f"{e.order}. {e.exercise.name}: {describe_dose(e)}, {target(e.exercise)}"
            assert line in text
            assert text.index(line) > at
            at = text.index(line)
            if e.exercise.cues:
                assert f"{line}\n{e.exercise.cues}" in text
        assert text.startswith(f"1. {entries[0].exercise.name}: ")
        assert text.endswith("\n".join(pain_rule(berlin_plan.profile.health_conditions)))
        assert "AU" not in text
    cued = [e for e in berlin_plan.entries if e.exercise.cues]
    assert cued, "the plan should use an exercise with a cue"


def test_ics_reminds_the_given_minutes_before_each_session(catalog, tiny_profile, berlin_plan):
    """With remind = 30 every event carries one VALARM 30 minutes before, showing the
    event's title; without it, none."""
    profile = tiny_profile(start=START, session_time="07:30", timezone="Europe/Berlin", remind=30)
    reminded = events(ics_text(solve(catalog, profile)))
    assert reminded
    for event in reminded:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == dt.timedelta(minutes=-30)
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
    assert "VALARM" not in ics_text(berlin_plan)


def test_remind_option_is_checked(invoke):
    """--remind takes 1-1440 minutes; 0 is refused in one line."""
    result = invoke("plan", "--remind", "0", "--quiet")
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1] == "Error: --remind: 0 is out of range; allowed: 1 to 1440"
    )


def test_ics_lines_are_crlf_and_folded_at_75_octets(berlin_plan):
    """Every content line ends CRLF and is at most 75 octets (RFC 5545 3.1), and long
    descriptions are folded, not cut."""
    raw = ics_text(berlin_plan).encode("utf-8")
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)


def test_ics_uids_are_unique_and_survive_a_change_of_content(catalog, tiny_profile, berlin_plan):
    """UIDs differ between sessions; an updated plan for the same start keeps them (its
    events replace the old ones), while another start date gets new ones."""
    uids = [str(e["UID"]) for e in events(ics_text(berlin_plan))]
    assert len(set(uids)) == len(uids)
    changed = solve(
        catalog,
        tiny_profile(start=START, exclude=frozenset({"curl_up"}), minutes=14),
        options=SolverOptions(seed=3),
    )
    assert changed.entries != berlin_plan.entries
    assert [str(e["UID"]) for e in events(ics_text(changed))] == uids
    later = solve(catalog, tiny_profile(start=START + dt.timedelta(days=7)))
    assert set(uids).isdisjoint(str(e["UID"]) for e in events(ics_text(later)))


def test_ics_is_byte_identical_for_the_same_plan(berlin_plan, catalog):
    """Same inputs, same bytes: DTSTAMP comes from the start date, not the clock."""
    again = solve(catalog, berlin_plan.profile)
    assert ics_text(again) == ics_text(berlin_plan)
    assert f"DTSTAMP:{START:%Y%m%d}T000000Z\r\n" in ics_text(berlin_plan)


def test_ics_without_a_start_date_is_refused(catalog, tiny_profile):
    """A plan without dates cannot be a calendar: ExportError says why."""
    plan = solve(catalog, tiny_profile())
    with pytest.raises(ExportError, match="^a calendar needs dates; the profile has no start"):
        ics_text(plan)


# --- time zone setting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "Europe/Berln",
            "timezone: 'Europe/Berln' is not an IANA time zone; allowed: a name such as "
            "Europe/Berlin or UTC; did you mean 'Europe/Berlin'?",
        ),
        (
            "Mars/Olympus",
            "timezone: 'Mars/Olympus' is not an IANA time zone; allowed: a name such as "
            "Europe/Berlin or UTC",
        ),
        (
            "localtime",
            "timezone: 'localtime' is not an IANA time zone; allowed: a name such as "
            "Europe/Berlin or UTC",
        ),
        (
            "/etc/passwd",
            "timezone: '/etc/passwd' is not an IANA time zone; allowed: a name such as "
            "Europe/Berlin or UTC",
        ),
    ],
    ids=["typo", "unknown", "localtime", "path"],
)
def test_bad_timezone_is_one_line_naming_the_key(value, message):
    """A time zone that is not an IANA name is refused with the key and what is allowed."""
    with pytest.raises(ProfileError) as err:
        Profile(timezone=value)
    assert str(err.value) == message
    assert err.value.key == "timezone"


def test_timezone_round_trips_through_a_profile_file(tmp_path):
    """timezone is written to and read from the TOML file; left out, it is shown commented."""
    profile = Profile.for_level("beginner", timezone="America/New_York", session_time="06:45")
    path = tmp_path / "me.toml"
    path.write_text(dump_profile(profile), encoding="utf-8")
    assert 'timezone = "America/New_York"' in path.read_text(encoding="utf-8")
    assert load_profile(path) == profile
    assert '# timezone = "Europe/Berlin"' in dump_profile(Profile())


def test_bad_timezone_in_a_profile_file_names_file_and_key(tmp_path):
    """A file's bad or mistyped timezone is one line naming the file and the key."""
    path = tmp_path / "me.toml"
    path.write_text('timezone = "Europe/Berln"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(err.value) == (
        f"{path}: timezone: 'Europe/Berln' is not an IANA time zone; allowed: a name such as "
        "Europe/Berlin or UTC; did you mean 'Europe/Berlin'?"
    )
    path.write_text("timezone = 1\n", encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(err.value) == (
        f'{path}: timezone: expected a time zone name in quotes, e.g. "Europe/Berlin", got 1'
    )


# --- JSON -----------------------------------------------------------------------------------


def check_schema(value, schema: dict, where: str = "$") -> None:
    """A small JSON Schema check for the keywords plan.schema.json uses: const, enum, type,
    required, additionalProperties: false, properties and items."""
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r}"
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if kinds:
        assert any(isinstance(value, python[k]) for k in kinds), f"{where}: {value!r}"
        if isinstance(value, bool):
            assert "boolean" in kinds, f"{where}: {value!r}"
    if isinstance(value, dict) and "properties" in schema:
        assert set(value) == set(schema["properties"]), where
        for key, sub in schema["properties"].items():
            check_schema(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check_schema(item, schema["items"], f"{where}[{i}]")


def object_schemas(schema: dict, where: str = "$"):
    """Every object schema in ``schema`` with where it is."""
    if "properties" in schema:
        yield where, schema
        for key, sub in schema["properties"].items():
            yield from object_schemas(sub, f"{where}.{key}")
    if "items" in schema:
        yield from object_schemas(schema["items"], f"{where}[]")


SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_schema_requires_and_documents_every_key():
    """The shipped schema requires every key it lists, forbids others, describes each one,
    and names the version the exporter writes."""
    assert SCHEMA["properties"]["schema"]["const"] == JSON_SCHEMA == "planner.plan/1"
    for where, schema in object_schemas(SCHEMA):
        assert schema["required"] == list(schema["properties"]), where
        assert schema["additionalProperties"] is False, where
        for key, sub in schema["properties"].items():
            assert sub.get("description"), f"{where}.{key}"


@pytest.mark.parametrize("fixture", ["berlin_plan", "floating_plan"])
def test_json_matches_the_schema_key_for_key(fixture, request):
    """The document parses and has exactly the documented keys, of the documented types."""
    plan = request.getfixturevalue(fixture)
    document = json.loads(json_text(plan))
    check_schema(document, SCHEMA)
    assert document == plan_record(plan)


def test_json_exercise_loads_are_the_csv_loads_and_add_up(berlin_plan):
    """Each exercise's load is the CSV's; sessions and weeks add their exercises up."""
    document = json.loads(json_text(berlin_plan))
    rows = list(csv.DictReader(io.StringIO(csv_text(berlin_plan))))
    exercises = [
        (week["week"], session["day"], x)
        for week in document["weeks"]
        for session in week["sessions"]
        for x in session["exercises"]
    ]
    assert len(exercises) == len(rows)
    for (week, day, x), row in zip(exercises, rows, strict=True):
        assert (str(week), day, str(x["order"]), x["exercise_id"]) == (
            row["week"],
            row["day"],
            row["order"],
            row["exercise_id"],
        )
        assert x["load"] == float(row["load"])
        assert x["minutes"] == float(row["minutes"])
    total = sum(float(row["load"]) for row in rows)
    assert sum(w["load"] for w in document["weeks"]) == pytest.approx(total, abs=0.05 * len(rows))
    for week in document["weeks"]:
        for session in week["sessions"]:
            parts = sum(x["load"] for x in session["exercises"])
            assert session["load"] == pytest.approx(parts, abs=0.05 * len(session["exercises"]))


def test_json_phase_is_week_for_a_lone_week_and_the_ramp_phase_in_a_programme(
    berlin_plan, catalog, tiny_profile
):
    """A lone repeating week has no ramp: phase "week"; a programme's weeks are build, hold or
    deload as the ramp rule sees them, week 4 a deload."""
    assert [w["phase"] for w in plan_record(berlin_plan)["weeks"]] == ["week"]
    programme = solve(catalog, tiny_profile(weeks=4))
    phases = [w["phase"] for w in plan_record(programme)["weeks"]]
    assert phases[3] == "deload"
    assert set(phases[:3]) <= {"build", "hold"}


def test_json_is_deterministic_and_leaves_out_solver_time(berlin_plan, catalog):
    """Same inputs and seed, same bytes; the run time, which varies, is not in the file."""
    again = solve(catalog, berlin_plan.profile)
    assert json_text(again) == json_text(berlin_plan)
    assert "seconds" not in json.loads(json_text(berlin_plan))["solver"]


def test_readme_documents_every_schema_key():
    """Each key of the schema appears in the README's JSON section as `key`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### JSON") :]
    section = section[: section.index("\n## ")]
    assert "planner/plan.schema.json" in section
    for where, schema in object_schemas(SCHEMA):
        for key in schema["properties"]:
            assert f"`{key}`" in section, f"{where}.{key}"


# --- the command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_csv(catalog, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.csv"
    write_catalog(catalog, path)
    return path


@pytest.fixture
def plan_args(tiny_csv):
    """planner plan on the tiny catalogue: a 15-minute beginner week on mon, wed and fri."""
    return (
        "plan",
        "--catalog",
        str(tiny_csv),
        "--days",
        "mon,wed,fri",
        "--minutes",
        "15",
        "--weeks",
        "1",
    )


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def no_solve(*args, **kwargs):
    raise AssertionError("solved although the outputs could not be written")


def assert_error(result, line: str) -> None:
    """Exit 2 with exactly one line of output: ``Error: <line>``."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output == f"Error: {line}\n"


def test_cli_writes_csv_ics_and_json_in_one_run(plan_args, tmp_path):
    """--csv, --ics and --json together write all three files and say so, one line each."""
    paths = {fmt: tmp_path / f"plan.{fmt}" for fmt in exports_of(Plan)}
    dated = ("--start", START.isoformat(), "--timezone", "Europe/Berlin")
    options = [a for fmt, path in paths.items() for a in (f"--{fmt}", str(path))]
    result = invoke(*plan_args, *dated, *options)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text("utf-8"))))
    lines = result.output.splitlines()
    assert f"Wrote {len(rows)} rows to {paths['csv']}." in lines
    assert f"Wrote 3 events to {paths['ics']}." in lines
    assert f"Wrote the plan to {paths['json']}." in lines
    assert len(events(paths["ics"].read_text("utf-8"))) == 3
    document = json.loads(paths["json"].read_text("utf-8"))
    assert document["profile"]["timezone"] == "Europe/Berlin"
    assert sum(len(s["exercises"]) for w in document["weeks"] for s in w["sessions"]) == len(rows)


def test_cli_same_seed_gives_byte_identical_ics_and_json(plan_args, tmp_path):
    """Two runs with the same options and --seed write the same bytes in every format."""
    runs = []
    for name in ("a", "b"):
        paths = [tmp_path / f"{name}.{fmt}" for fmt in exports_of(Plan)]
        formats = exports_of(Plan)
        options = [a for fmt, p in zip(formats, paths, strict=True) for a in (f"--{fmt}", p)]
        result = invoke(*plan_args, "--start", START.isoformat(), "--seed", "5", "-q", *options)
        assert result.exit_code == 0, result.output
        runs.append([p.read_bytes() for p in paths])
    assert runs[0] == runs[1]


@pytest.mark.parametrize("fmt", ["ics", "json"])
def test_cli_dash_prints_only_that_export(plan_args, fmt):
    """--ics - or --json - prints the export and nothing else."""
    result = invoke(*plan_args, "--start", START.isoformat(), f"--{fmt}", "-")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.stdout)["schema"] == JSON_SCHEMA
    else:
        # stdout_bytes: Result.stdout turns CRLF into LF.
        assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
        assert result.stdout_bytes.endswith(b"END:VCALENDAR\r\n")


def test_cli_ics_without_start_is_a_usage_error_before_solving(plan_args, tmp_path, monkeypatch):
    """--ics without --start (or a start in the profile) exits 2 naming both, before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", no_solve)
    result = invoke(*plan_args, "--ics", str(tmp_path / "p.ics"))
    assert_error(result, "--ics needs dates; give --start YYYY-MM-DD (or start in the profile)")
    assert not (tmp_path / "p.ics").exists()


def test_cli_bad_timezone_is_one_line(plan_args):
    """--timezone with a name that is not an IANA zone exits 2 naming the option."""
    result = invoke(*plan_args, "--timezone", "Europe/Berln")
    assert_error(
        result,
        "--timezone: 'Europe/Berln' is not an IANA time zone; allowed: a name such as "
        "Europe/Berlin or UTC; did you mean 'Europe/Berlin'?",
    )


@pytest.mark.parametrize("fmt", ["csv", "ics", "json"])
def test_cli_unwritable_path_is_refused_before_solving(plan_args, tmp_path, monkeypatch, fmt):
    """An output in a missing folder exits 2 naming the option and the folder, unsolved."""
    monkeypatch.setattr("planner.cli.progress.solve", no_solve)
    path = tmp_path / "missing" / f"p.{fmt}"
    result = invoke(*plan_args, "--start", START.isoformat(), f"--{fmt}", str(path))
    assert_error(result, f"--{fmt} {path}: folder {path.parent} does not exist")


def test_cli_refuses_two_outputs_to_stdout_or_to_one_file(plan_args, tmp_path, monkeypatch):
    """At most one output may be -, and two options may not name the same file."""
    monkeypatch.setattr("planner.cli.progress.solve", no_solve)
    dated = ("--start", START.isoformat())
    result = invoke(*plan_args, *dated, "--csv", "-", "--ics", "-", "--json", "-")
    assert_error(
        result, "--csv, --ics and --json all write to stdout (-); give - to one of them at most"
    )
    same = tmp_path / "plan.out"
    result = invoke(*plan_args, *dated, "--csv", str(same), "--json", str(same))
    assert_error(result, f"--csv and --json both write to {same}; give each its own file")


def test_cli_ctrl_c_while_writing_says_what_was_written(plan_args, tmp_path, monkeypatch):
    """Ctrl-C during the second export exits 130: the first file is written, the second
    complete or as it was, the third never started."""

    def interrupted(plan):
        raise KeyboardInterrupt

    ics = replace(EXPORTS["ics"], layout=lambda path: {path: interrupted})
    monkeypatch.setitem(EXPORTS, "ics", ics)
    paths = {fmt: tmp_path / f"plan.{fmt}" for fmt in exports_of(Plan)}
    options = [a for fmt, path in paths.items() for a in (f"--{fmt}", str(path))]
    result = invoke(*plan_args, "--start", START.isoformat(), "-q", *options)
    assert result.exit_code == 130, result.output
    assert result.output == (
        f"Interrupted: {paths['csv']} written; {paths['ics']} is either complete or as it was.\n"
    )
    assert paths["csv"].exists() and not paths["json"].exists()


# --- the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "source"), [("plan", Plan), ("report", Report)])
def test_every_format_is_an_option_of_the_command_that_makes_its_source(command, source):
    """Each format in EXPORTS is an option of `plan` (made from a Plan) or `report` (made
    from a Report), never of the other, with the format's help line as its help."""
    params = {p.name: p for p in cli.commands[command].params}
    for name, export in EXPORTS.items():
        option = params.get(f"{name}_path")
        if export.source is source:
            assert option is not None, name
            assert option.opts == [f"--{name}"]
            assert option.help.startswith(export.help)
        else:
            assert option is None, name


def test_formats_make_text_and_write_files_and_never_print(berlin_plan, tmp_path, capsys):
    """A plan format renders its text, and writes the same bytes to a file; nothing goes to
    standard output from the library."""
    made = {"csv": csv_text, "ics": ics_text, "json": json_text}
    for name, export in exports_of(Plan).items():
        text = export.render(berlin_plan)
        assert text == made[name](berlin_plan)
        path = tmp_path / f"plan.{name}"
        assert export.write(berlin_plan, path) == [path]
        assert path.read_bytes() == text.encode("utf-8")
    assert capsys.readouterr() == ("", "")


def test_report_formats_write_every_file_they_name(catalog, berlin_plan, tmp_path):
    """--md writes the Markdown and the two charts it links; --png makes its folder."""
    page = build_report(berlin_plan, catalog)
    md = EXPORTS["md"].write(page, tmp_path / "notes.md")
    assert [p.name for p in md] == ["notes.md", "notes-load.png", "notes-balance.png"]
    assert "notes-load.png" in md[0].read_text("utf-8")
    charts = EXPORTS["png"].write(page, tmp_path / "new" / "charts")
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in charts)


def test_json_carries_the_plain_words_the_person_reads(berlin_plan):
    """Each session has the calendar's plain title, each exercise its target and effort, and
    the document the pain rule."""
    record = plan_record(berlin_plan)
    assert record["pain_rule"] == list(pain_rule(berlin_plan.profile.health_conditions))
    sessions = [s for w in record["weeks"] for s in w["sessions"]]
    for session, planned in zip(sessions, berlin_plan.sessions, strict=True):
        entries = list(planned.entries)
        assert session["title"] == session_title(planned.week, entries, berlin_plan.profile)
        for item, entry in zip(session["exercises"], entries, strict=True):
            assert item["target"] == target(entry.exercise)
            assert item["effort"] == effort(entry.exercise)
