"""The command line: exit codes, exact output and error lines, the CSV it writes, and that every
command is documented. Plans are solved once per module and reused (the solver is the slow
part); every solve gets --time-limit 20 so that a slow machine does not flake."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import runpy
import sys
from contextlib import redirect_stdout
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from planner.catalog import EQUIPMENT, LEVELS, SHIPPED, load_catalog
from planner.cli import NOT_ADVICE, cli
from planner.export import neutralise
from planner.plan import COLUMNS, FORMULA_STARTS
from planner.profile import DAYS
from planner.settings import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"
SLOW_OK = ("--time-limit", "20")
# The week the plan-editing tests start from: small and quick to solve.
WEEK = ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "1")
START = dt.date(2026, 11, 30)  # a Monday


# Colour settings of the environment the tests run in, taken away for each run: FORCE_COLOR
# would make CliRunner's stdout a terminal for rich, and these tests pin the plain text.
PLAIN = dict.fromkeys(("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env=PLAIN)


def assert_exits(result, code: int) -> None:
    """``result`` ended with ``code`` through the CLI (SystemExit), not through a crash."""
    assert result.exit_code == code, result.output
    if code == 0:
        assert result.exception is None, result.exception
    else:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def assert_error(result, line: str) -> None:
    """Exit 2 with exactly one line of output: ``Error: <line>``."""
    assert_exits(result, 2)
    assert result.output == f"Error: {line}\n"


def shipped_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SHIPPED.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or ()), list(reader)


def write_catalogue(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- module-scoped solves -------------------------------------------------------------------


@pytest.fixture(scope="module")
def level_runs(tmp_path_factory):
    """Each level's default plan on the shipped catalogue, dated from START, written as CSV."""
    folder = tmp_path_factory.mktemp("levels")
    out = {}
    for level in LEVELS:
        path = folder / f"{level}.csv"
        result = invoke(
            "plan", "--level", level, *SLOW_OK, "--start", START.isoformat(), "--csv", str(path)
        )
        out[level] = (result, path)
    return out


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """A beginner mon/wed/fri week written to week.csv: (result, path)."""
    path = tmp_path_factory.mktemp("week") / "week.csv"
    return invoke("plan", *WEEK, *SLOW_OK, "--csv", str(path)), path


# --- plan -----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_plan_each_level_exits_0_and_is_optimal(level_runs, level):
    """`plan --level L` on the shipped catalogue exits 0 and reports an optimal solve."""
    result, _ = level_runs[level]
    assert_exits(result, 0)
    solver_lines = [line for line in result.output.splitlines() if line.startswith("Solver: ")]
    assert len(solver_lines) == 1
    assert solver_lines[0].startswith("Solver: optimal, ")


@pytest.mark.parametrize("level", LEVELS)
def test_plan_ends_with_the_not_medical_advice_line(level_runs, level):
    """`plan` prints the not-medical-advice line last."""
    result, _ = level_runs[level]
    assert result.output.splitlines()[-1] == NOT_ADVICE
    assert NOT_ADVICE.startswith("Not medical advice.")


@pytest.mark.parametrize("level", LEVELS)
def test_plan_csv_file_has_exactly_the_contract_columns(level_runs, level):
    """`plan --csv FILE` writes a pandas-readable CSV whose columns are plan.COLUMNS, and says
    how many rows it wrote."""
    result, path = level_runs[level]
    frame = pd.read_csv(path)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) > 0
    assert f"Wrote {len(frame)} rows to {path}." in result.output.splitlines()
    assert set(frame["day"]) <= set(DAYS)
    assert set(frame["role"]) <= {"release", "stretch", "mobility", "strength"}


@pytest.mark.parametrize("level", LEVELS)
def test_start_fills_iso_dates_on_each_rows_weekday(level_runs, level):
    """With --start every date is an ISO date on the row's weekday, inside the row's week."""
    _, path = level_runs[level]
    rows = read_rows(path)
    for r in rows:
        date = dt.date.fromisoformat(r["date"])
        assert date.isoformat() == r["date"]
        assert DAYS[date.weekday()] == r["day"]
        first = START + dt.timedelta(days=7 * (int(r["week"]) - 1))
        assert first <= date < first + dt.timedelta(days=7)


def test_start_midweek_dates_wrap_into_the_next_week(tmp_path):
    """Starting on a Wednesday, a Monday session falls on the following Monday, and week 2
    runs a week later."""
    path = tmp_path / "mid.csv"
    start = dt.date(2026, 12, 2)  # a Wednesday
    dated = ("--weeks", "2", "--start", start.isoformat(), "--csv", str(path), "--quiet")
    result = invoke("plan", *WEEK[:4], *dated, *SLOW_OK)
    assert_exits(result, 0)
    rows = read_rows(path)
    assert {r["week"] for r in rows} == {"1", "2"}
    for r in rows:
        offset = (DAYS.index(r["day"]) - start.weekday()) % 7 + 7 * (int(r["week"]) - 1)
        assert r["date"] == (start + dt.timedelta(days=offset)).isoformat()


def test_plan_without_start_leaves_dates_empty(week):
    """Without --start the date column is present and empty."""
    _, path = week
    assert {r["date"] for r in read_rows(path)} == {""}


def test_plan_of_a_programmes_first_week_alone(tmp_path):
    """--weeks 1 --programme plans a programme's first week: a build week ramped from the
    starting load, which check with the same options passes."""
    path = tmp_path / "first.csv"
    args = (*WEEK, "--programme")
    result = invoke("plan", *args, *SLOW_OK, "--csv", str(path))
    assert_exits(result, 0)
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Beginner programme: 1 week of 3 sessions of up to 30 min, an easier week every 4 weeks",
        "Training load (minutes x effort) builds from 216 a week towards 270, a little each week",
    ]
    assert lines[3].startswith("======== Week 1 · building up · training load ")
    assert_exits(invoke("check", str(path), *args), 0)


def test_plan_csv_dash_prints_only_the_csv(week):
    """`plan --csv -` prints the CSV and nothing else: the same bytes as the file."""
    _, path = week
    result = invoke("plan", *WEEK, *SLOW_OK, "--csv", "-")
    assert_exits(result, 0)
    assert result.stdout == path.read_text("utf-8")
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert NOT_ADVICE not in result.output


def test_plan_text_is_plain_and_verbose_adds_the_figures():
    """`plan` prints each session's aim and each exercise's effort, the pain rule once and no
    AU; `plan --verbose` the same plan with its loads in AU."""
    plain = invoke("plan", *WEEK, *SLOW_OK)
    assert_exits(plain, 0)
    lines = plain.stdout.splitlines()
    assert lines[0].startswith("Beginner week: 3 sessions of up to 30 min, training load ")
    assert " AU" not in plain.stdout and "acute:chronic" not in plain.stdout
    headings = [line for line in lines if line.startswith(("Mon", "Wed", "Fri"))]
    assert len(headings) == 3 and all(h.count("  ·  ") == 2 for h in headings)
    exercises = [line for line in lines if line.startswith("  ")]
    assert all(line.endswith(("/10",)) for line in exercises if line[3:4] == ".")
    assert max(map(len, exercises)) <= 100
    assert lines.count("If something hurts:") == 1
    verbose = invoke("plan", *WEEK, *SLOW_OK, "--verbose")
    assert_exits(verbose, 0)
    assert verbose.stdout.splitlines()[0].endswith("AU (target 270 AU)")
    assert all(h + "  ·  load " in verbose.stdout for h in headings)


def test_quiet_prints_nothing(tmp_path):
    """`plan --quiet --csv FILE` writes the file and prints nothing."""
    path = tmp_path / "q.csv"
    result = invoke("plan", *WEEK, *SLOW_OK, "--csv", str(path), "--quiet")
    assert_exits(result, 0)
    assert result.output == ""
    assert path.read_text("utf-8").startswith(",".join(COLUMNS) + "\n")


def test_same_seed_gives_byte_identical_files(tmp_path):
    """Two `plan --csv` runs with the same options and --seed write identical bytes."""
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path in paths:
        seeded = ("--level", "intermediate", "--weeks", "1", "--seed", "7")
        result = invoke("plan", *seeded, *SLOW_OK, "--csv", str(path), "-q")
        assert_exits(result, 0)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert len(paths[0].read_bytes()) > len(",".join(COLUMNS))


def test_infeasible_request_exits_3_naming_hip_flexor_stretch():
    """Excluding every bodyweight beginner hip-flexor stretch with no equipment exits 3 and
    says, before any search, that no hip-flexor stretch is left to plan, in one line."""
    stretches = [
        e.id
        for e in load_catalog()
        if e.stretches_hip_flexors and e.level == "beginner" and e.equipment == ("none",)
    ]
    assert stretches, "the shipped catalogue has no bodyweight beginner hip-flexor stretch"
    result = invoke(
        "plan", "--equipment", "none", "--exclude", ",".join(stretches), "--weeks", "1", *SLOW_OK
    )
    assert_exits(result, 3)
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Error: no hip-flexor stretch that your level, equipment, exclusions and conditions "
        "allow (the catalogue has "
    )
    assert lines[0].endswith(
        "every week needs one [allowed_exercises] [hip_flexor_stretch]. "
        "Try changing --level, --equipment, --exclude, --avoid, --session-time"
    )


# --- bad options: exit 2, one exact line ----------------------------------------------------


@pytest.mark.parametrize(
    "args, line",
    [
        (("--minutes", "90"), "--minutes: 90 is out of range; allowed: 10 to 60"),
        (("--minutes", "5"), "--minutes: 5 is out of range; allowed: 10 to 60"),
        (("--sessions", "0"), "--sessions: 0 is out of range; allowed: 1 to 7"),
        (
            ("--days", "mon,xyz"),
            "--days: 'xyz' is not a day; allowed: " + ", ".join(DAYS),
        ),
        (
            ("--sessions", "5", "--days", "mon,tue"),
            "--sessions: 5 sessions need 5 available days; --days gives 2 (mon,tue)",
        ),
        (
            ("--exclude", "unknown_id"),
            f"--exclude: 'unknown_id' is not in the catalogue ({SHIPPED})",
        ),
        (
            ("--equipment", "rocket"),
            "--equipment: 'rocket' is unknown; allowed: " + ", ".join(EQUIPMENT),
        ),
        (("--time-limit", "0"), "--time-limit: 0.0 is out of range; allowed: 0.1 to 600.0"),
    ],
    ids=["minutes90", "minutes5", "sessions0", "day", "sessions-days", "exclude", "equip", "tl"],
)
@pytest.mark.parametrize("command", ["plan", "check"])
def test_bad_option_exits_2_with_one_line(command, args, line, week):
    """A bad option exits 2 with one line naming the option, for plan and check alike."""
    _, path = week
    plan_csv = (str(path),) if command == "check" else ()
    assert_error(invoke(command, *plan_csv, *args), line)


def test_bad_catalogue_file_names_file_line_and_column(tmp_path):
    """--catalog with an unknown level on line 3 exits 2 naming file:line: column."""
    header, rows = shipped_rows()
    rows[1]["level"] = "expert"
    path = write_catalogue(tmp_path / "bad.csv", header, rows)
    assert_error(
        invoke("plan", "--catalog", str(path), *SLOW_OK),
        f"{path}:3: column level: 'expert' is unknown; allowed: beginner, intermediate, advanced",
    )


def test_catalog_command_reports_a_bad_file_too(tmp_path):
    """`catalog --catalog BAD` exits 2 with the same located line."""
    header, rows = shipped_rows()
    rows[0]["rpe"] = "eleven"
    path = write_catalogue(tmp_path / "bad.csv", header, rows)
    assert_error(
        invoke("catalog", "--catalog", str(path)),
        f"{path}:2: column rpe: 'eleven' is not a whole number",
    )


def test_missing_catalogue_file_exits_2(tmp_path):
    """--catalog naming a file that does not exist exits 2 with 'no such file'."""
    path = tmp_path / "nope.csv"
    assert_error(invoke("plan", "--catalog", str(path)), f"{path}: no such file")


@pytest.mark.parametrize("command", ["plan", "catalog"])
def test_catalogue_directory_exits_2(command, tmp_path):
    """--catalog pointing at a directory exits 2 with an error naming the directory."""
    result = invoke(command, "--catalog", str(tmp_path))
    assert_exits(result, 2)
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '--catalog': File '{tmp_path}' is a directory."
    )


def test_csv_into_missing_folder_exits_2(tmp_path):
    """--csv into a folder that does not exist exits 2 naming the folder, writing nothing."""
    path = tmp_path / "no" / "such" / "week.csv"
    assert_error(
        invoke("plan", *WEEK, *SLOW_OK, "--csv", str(path)),
        f"--csv {path}: folder {path.parent} does not exist",
    )
    assert not (tmp_path / "no").exists()


def test_csv_onto_a_directory_exits_2(tmp_path):
    """--csv naming a directory exits 2 asking for a file name."""
    assert_error(
        invoke("plan", *WEEK, *SLOW_OK, "--csv", str(tmp_path)),
        f"--csv {tmp_path}: is a directory; give a file name",
    )


# --- check ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_check_passes_a_plan_just_written(level_runs, level):
    """`check` on a file `plan` just wrote, with the same options, exits 0 with one line."""
    _, path = level_runs[level]
    result = invoke("check", str(path), "--level", level)
    assert_exits(result, 0)
    rows = len(read_rows(path))
    assert result.output == f"{path}: {rows} rows, every rule holds.\n"


def test_check_reports_a_session_out_of_order(week, tmp_path):
    """Swapping two rows' order across a role boundary is exactly one order violation."""
    _, path = week
    rows = read_rows(path)
    mon = sorted((r for r in rows if r["day"] == "mon"), key=lambda r: int(r["order"]))
    first, second = next(
        (a, b) for a, b in zip(mon, mon[1:], strict=False) if a["role"] != b["role"]
    )
    first["order"], second["order"] = second["order"], first["order"]
    edited = write_rows(tmp_path / "edited.csv", rows)
    result = invoke("check", str(edited), *WEEK)
    assert_exits(result, 1)
    assert result.output.splitlines() == [
        f"week 1 mon: {second['exercise_id']} ({second['role']}) comes before "
        f"{first['exercise_id']} ({first['role']}) [order]",
        f"1 rule violation(s) in {edited}.",
    ]


def test_check_reports_too_many_sets(week, tmp_path):
    """A strength row edited to 9 sets gets a dose line naming the row and the allowed range."""
    _, path = week
    rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r["role"] == "strength")
    rows[index]["sets"] = "9"
    edited = write_rows(tmp_path / "sets.csv", rows)
    result = invoke("check", str(edited), *WEEK)
    assert_exits(result, 1)
    lines = result.output.splitlines()
    assert f"row {index + 1}: {rows[index]['exercise_id']}: 9 sets; allowed 1 to 2 [dose]" in lines
    assert lines[-1] == f"{len(lines) - 1} rule violation(s) in {edited}."


def test_check_reports_a_session_moved_off_the_available_days(week, tmp_path):
    """Moving Friday's session to Saturday breaks available_days once per moved row, only."""
    _, path = week
    rows = read_rows(path)
    moved = [i for i, r in enumerate(rows, 1) if r["day"] == "fri"]
    assert moved
    for r in rows:
        if r["day"] == "fri":
            r["day"] = "sat"
    edited = write_rows(tmp_path / "moved.csv", rows)
    result = invoke("check", str(edited), *WEEK)
    assert_exits(result, 1)
    assert result.output.splitlines() == [
        *(f"row {i}: sat is not one of your days [available_days]" for i in moved),
        f"{len(moved)} rule violation(s) in {edited}.",
    ]


def test_check_refuses_a_plan_missing_a_column(week, tmp_path):
    """A plan CSV without its load column exits 2 naming file, line 1 and the column."""
    _, path = week
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="load")
    edited = tmp_path / "noload.csv"
    frame.to_csv(edited, index=False)
    assert_error(
        invoke("check", str(edited), *WEEK),
        f"{edited}:1: missing column 'load'; required: {', '.join(COLUMNS)}",
    )


@pytest.mark.parametrize(
    "value", ["2.0", "two", "-1", "\u00b2"], ids=["float", "word", "neg", "sup2"]
)
def test_check_refuses_a_non_integer_sets_cell(week, tmp_path, value):
    """A sets cell that is not a plain whole number exits 2 naming file, line and column
    (a superscript two is a Unicode digit, yet not a number int() reads)."""
    _, path = week
    rows = read_rows(path)
    rows[0]["sets"] = value
    edited = write_rows(tmp_path / "sets.csv", rows)
    assert_error(
        invoke("check", str(edited), *WEEK),
        f"{edited}:2: column sets: {value!r} is not a whole number 0 or more",
    )


def test_check_missing_plan_file_exits_2(tmp_path):
    """`check` on a file that does not exist exits 2 with one line."""
    path = tmp_path / "gone.csv"
    result = invoke("check", str(path), *WEEK)
    assert_exits(result, 2)
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: {path}")


# --- formula injection ----------------------------------------------------------------------


def test_formula_names_are_neutralised_in_the_csv(tmp_path):
    """A catalogue whose names start with '=' plans fine; each exercise cell gets a leading
    quote in the CSV, and check reads the quote back off."""
    header, rows = shipped_rows()
    for r in rows:
        r["name"] = "=" + r["name"]
    catalogue = write_catalogue(tmp_path / "formula.csv", header, rows)
    assert load_catalog(catalogue)["plank"].name == "=Plank (forearms)"
    out = tmp_path / "plan.csv"
    result = invoke("plan", "--catalog", str(catalogue), *WEEK, *SLOW_OK, "--csv", str(out), "-q")
    assert_exits(result, 0)
    names = {r["id"]: r["name"] for r in rows}
    plan_rows = read_rows(out)
    assert plan_rows
    for r in plan_rows:
        assert r["exercise"] == "'" + names[r["exercise_id"]]
        assert r["exercise"].startswith("'=")
    again = invoke("check", str(out), "--catalog", str(catalogue), *WEEK)
    assert_exits(again, 0)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_prefixes_formula_text(start):
    """Text starting with =, +, -, @, tab or CR gets a leading quote."""
    assert neutralise(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Plank", "", "a=b", 3, 2.5, None])
def test_neutralise_leaves_other_values_alone(value):
    """Plain text, empty text and numbers pass through unchanged."""
    assert neutralise(value) == value


def test_neutralise_on_a_frame_column():
    """Applied to a DataFrame column, only the formula-like cells are prefixed."""
    frame = pd.DataFrame({"exercise": ["=HYPERLINK(1)", "Plank", "@cmd", "-2+3"]})
    assert frame["exercise"].map(neutralise).tolist() == [
        "'=HYPERLINK(1)",
        "Plank",
        "'@cmd",
        "'-2+3",
    ]


# --- catalog --------------------------------------------------------------------------------


def test_catalog_filters_and_counts():
    """`catalog --group glutes --level beginner --equipment none` lists exactly the matching
    exercises and ends with 'N of M exercises.'"""
    catalog = load_catalog()
    expected = [
        e.id
        for e in catalog
        if "glutes" in e.groups and e.level == "beginner" and e.equipment == ("none",)
    ]
    result = invoke("catalog", "--group", "glutes", "--level", "beginner", "--equipment", "none")
    assert_exits(result, 0)
    lines = result.output.splitlines()
    assert lines[-1] == f"{len(expected)} of {len(catalog)} exercises."
    assert [line.split()[0] for line in lines[:-1]] == expected
    assert expected


def test_catalog_level_includes_easier_levels():
    """`catalog --level intermediate` lists beginner and intermediate exercises only."""
    catalog = load_catalog()
    result = invoke("catalog", "--level", "intermediate")
    assert_exits(result, 0)
    ids = [line.split()[0] for line in result.output.splitlines()[:-1]]
    assert ids == [e.id for e in catalog if e.level != "advanced"]


def test_catalog_without_filters_lists_everything():
    """`catalog` alone lists every exercise, flagging the hip-flexor-dominant ones."""
    catalog = load_catalog()
    result = invoke("catalog")
    assert_exits(result, 0)
    lines = result.output.splitlines()
    assert lines[-1] == f"{len(catalog)} of {len(catalog)} exercises."
    flagged = [line.split()[0] for line in lines[:-1] if line.endswith(" hip-flexor-dominant")]
    assert flagged == [e.id for e in catalog if e.hip_flexor_dominant]


def test_catalog_unknown_equipment_exits_2():
    """`catalog --equipment rocket` exits 2 with one line naming the option."""
    assert_error(
        invoke("catalog", "--equipment", "rocket"),
        "--equipment: 'rocket' is unknown; allowed: " + ", ".join(EQUIPMENT),
    )


# --- help and README ------------------------------------------------------------------------


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """Every command path under ``group``, groups included: ("plan",), ("profile", "init")."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


COMMAND_PATHS = list(command_paths())


def test_there_are_the_expected_commands():
    """The CLI offers plan, check, catalog and profile."""
    assert {"plan", "check", "catalog", "profile"} <= set(cli.commands)


@pytest.mark.parametrize("path", [(), *COMMAND_PATHS], ids=lambda p: " ".join(p) or "planner")
def test_every_command_has_help_with_an_example(path):
    """`--help` on every command exits 0 and shows an example."""
    result = invoke(*path, "--help")
    assert_exits(result, 0)
    assert "Example" in result.output
    assert "planner " in result.output.split("Example", 1)[1]


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p))
def test_every_command_is_in_the_readme(path):
    """README.md mentions every command as `planner <command>`."""
    assert README.is_file(), "README.md is missing"
    assert f"planner {' '.join(path)}" in README.read_text("utf-8")


@pytest.mark.parametrize("command", ["plan", "check", "explain", "report", "profile show"])
def test_setting_options_are_made_from_the_settings(command):
    """Every setting with an option is offered by each command that shapes a profile, with
    the setting's one line of help (its comment in a profile file) as the option's help."""
    group = cli
    *groups, name = command.split()
    for each in groups:
        group = group.commands[each]
    params = {p.name: p for p in group.commands[name].params}
    for setting in SETTINGS:
        if setting.option:
            option = params[setting.name]
            assert setting.option in option.opts
            if setting.off_option:
                assert option.secondary_opts == [setting.off_option]
            assert option.help.startswith(setting.help)


def test_no_command_module_imports_the_solver_at_import_time():
    """planner/cli/*.py import planner.solve (and with it OR-Tools) only inside the function
    that solves, never at the top of the module."""
    folder = Path(__file__).resolve().parent.parent / "planner" / "cli"
    for path in sorted(folder.glob("*.py")):
        for node in ast.parse(path.read_text("utf-8")).body:
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert not name.startswith(("planner.solve", "ortools")), (path.name, name)


def test_main_module_runs_the_cli():
    """`python -m planner --help` runs the CLI and shows its example."""
    out = io.StringIO()
    argv, sys.argv = sys.argv, ["planner", "--help"]
    try:
        with redirect_stdout(out), pytest.raises(SystemExit) as info:
            runpy.run_module("planner", run_name="__main__")
    finally:
        sys.argv = argv
    assert info.value.code == 0
    assert "Example" in out.getvalue()
