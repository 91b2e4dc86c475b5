"""Robustness: malformed catalogues, profiles and plan files fail with one located line and no
traceback (fuzzed with hypothesis, and counted in seeded mutation loops); option edge cases exit 2
with one line; writes are atomic under errors, Ctrl-C and SIGKILL; the time limit holds; Ctrl-C
stops a solve cleanly with exit 130 and no file."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import (
    Catalog,
    CatalogError,
    NoPlan,
    PlanFileError,
    Profile,
    ProfileFileError,
    Status,
    check_plan,
    dump_profile,
    history_after,
    load_catalog,
    load_profile,
    read_plan,
    solve,
)
from planner.catalog import LEVELS, SHIPPED
from planner.cli import cli
from planner.export import ExportError, csv_text, write_atomic
from planner.profile_file import KEYS


def fuzz(examples: int) -> settings:
    """Hypothesis settings: ``examples`` inputs, no per-example deadline (slow machines)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")
PROFILE_TEXTS = tuple(dump_profile(Profile.for_level(level)) for level in LEVELS)
# The two plans the plan-file fuzzing starts from: (profile settings, the same as options).
PLAN_CASES = {
    "week": (
        dict(days=("mon", "wed", "fri"), weeks=1),
        ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "1"),
    ),
    "programme": (
        dict(weeks=4, start=dt.date(2026, 11, 30)),
        ("--level", "beginner", "--weeks", "4", "--start", "2026-11-30"),
    ),
}
TRACEBACK = "Traceback"


# --- mutations ------------------------------------------------------------------------------

# Cell values that broke or could break a loader: numbers out of range or beyond int/float,
# NaN, quotes, delimiters, line breaks inside a cell, BOM, NUL and Unicode line separators.
NASTY = (
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "+3",
    "1e309",
    "nan",
    "NaN",
    "inf",
    "9" * 40,
    "9" * 5000,
    "\ufeff",
    ";",
    ",",
    '"',
    "a\nb",
    "a\r\nb",
    "\x00",
    "\u2028",
    "\x85",
    "é",
    "=1+1",
    "true",
    "none;mat",
    "glutes;glutes",
    "x" * 300,
)
ALPHABET = "abz_09-.,;:\"'= \t\n\r\x00\ufeffé\u2028[]{}#"


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def _cells(line: str) -> list[str]:
    try:
        rows = list(csv.reader([line]))
    except csv.Error:
        rows = []
    return (rows[0] if rows else []) or [""]


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _replace_cell(lines, i, j, rng):
    cells = _cells(lines[i])
    cells[rng.randrange(len(cells))] = rng.choice(NASTY) if rng.random() < 0.7 else random_text(rng)
    lines[i] = _line(cells)


def _insert_at(line: str, text: str, rng: random.Random) -> str:
    at = rng.randrange(len(line) + 1)
    return line[:at] + text + line[at:]


CSV_EDITS = (
    lambda lines, i, j, rng: lines.pop(i),
    lambda lines, i, j, rng: lines.insert(i, lines[j]),
    lambda lines, i, j, rng: lines.__setitem__(slice(None), _swapped(lines, i, j)),
    _replace_cell,
    _replace_cell,
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace(",", rng.choice(";\t|"))),
    lambda lines, i, j, rng: lines.__setitem__(i, _insert_at(lines[i], '"', rng)),
    lambda lines, i, j, rng: lines.__setitem__(i, _insert_at(lines[i], random_text(rng), rng)),
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace(",", ",,", 1)),
    lambda lines, i, j, rng: lines.insert(0, "\ufeff"),
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace("\n", "\r\n")),
)


def _swapped(lines: list[str], i: int, j: int) -> list[str]:
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out


def mutate_csv(text: str, rng: random.Random) -> str:
    """``text`` after one to three random edits: a line deleted, duplicated or swapped; a cell
    set to nasty or random text; a wrong delimiter; a stray quote or characters; a BOM; CRLF."""
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        rng.choice(CSV_EDITS)(lines, i, j, rng)
        text = "".join(lines)
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """``data`` truncated at a random byte, with random bytes overwritten (mostly not UTF-8),
    or behind a BOM."""
    edit = rng.randrange(3)
    if edit == 0:
        return data[: rng.randrange(len(data) + 1)]
    if edit == 1:
        out = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    return b"\xef\xbb\xbf" + data


# TOML values of every type and none the keys expect: strings, booleans, arrays, tables,
# dates, times, negative, huge (beyond 64 bits, beyond 4300 digits), NaN and infinities.
TOML_VALUES = (
    '"x"',
    '""',
    "true",
    "[1]",
    "[]",
    "[[]]",
    "{a = 1}",
    "1979-05-27",
    "07:00:00",
    "07:00:30",
    "1979-05-27T07:32:00",
    "-1",
    "0",
    "0.5",
    "-0.0",
    "1" + "0" * 30,
    "9" * 5000,
    "2147483648",
    "nan",
    "inf",
    "-inf",
    "1e309",
    '["mon", "mon"]',
    '["xyz"]',
    "[1, 2, 3]",
    "[2, 1]",
    '"25:00"',
    '"\\n"',
    "[" * 2000 + "]" * 2000,
)
TOML_LINES = (
    "[shares]\n",
    "[screening]\n",
    "[x]\n",
    "[[days]]\n",
    "shares = 1\n",
    "a.b = 1\n",
    "hip_flexors = 150\n",
    "night_pain = true\n",
    "screening.fever = 1\n",
)


def typo(key: str, rng: random.Random) -> str:
    """``key`` misspelt: a letter dropped, two swapped, upper case, or a letter added."""
    if len(key) < 2:
        return key + "x"
    at = rng.randrange(len(key) - 1)
    return rng.choice(
        (
            key[:at] + key[at + 1 :],
            key[:at] + key[at + 1] + key[at] + key[at + 2 :],
            key.upper(),
            key + rng.choice("sx_"),
        )
    )


def mutate_toml(text: str, rng: random.Random) -> str:
    """``text`` after one to three random edits: a key misspelt, a value of the wrong type or
    range, a line deleted, duplicated, commented in or broken, a stray table, a truncation."""
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        line, edit = lines[i], rng.randrange(8)
        if edit < 3 and "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            if edit == 0:
                lines[i] = f"{typo(key.strip(), rng)} ={value}"
            else:
                lines[i] = f"{key}= {rng.choice(TOML_VALUES)}\n"
        elif edit == 3:
            del lines[i]
        elif edit == 4:
            lines.insert(i, lines[j])
        elif edit == 5:
            lines[i] = _insert_at(line, random_text(rng), rng)
        elif edit == 6:
            lines.insert(i, rng.choice(TOML_LINES))
        else:
            lines[i] = line.lstrip("# ")  # a commented-out example, taken in
        text = "".join(lines)
    if rng.random() < 0.1:
        text = text[: rng.randrange(len(text) + 1)]
    return text


def toml_value(value) -> str:
    """``value`` written as TOML, near enough (hypothesis draws the values)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a valid TOML basic string
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


# --- the checks every malformed input must pass ---------------------------------------------


def one_line(text: str) -> bool:
    return bool(text) and text.splitlines() == [text]


def load_catalog_cleanly(path: Path) -> None:
    """``load_catalog`` returns a Catalog or raises CatalogError whose every problem is one line
    starting with the path; any other exception propagates."""
    try:
        assert isinstance(load_catalog(path), Catalog)
    except CatalogError as err:
        assert err.problems
        for problem in err.problems:
            assert one_line(problem), repr(problem[:300])
            assert problem.startswith(f"{path}:"), repr(problem[:300])


def load_profile_cleanly(path: Path) -> None:
    """``load_profile`` returns a Profile or raises ProfileFileError: one line, path first."""
    try:
        assert isinstance(load_profile(path), Profile)
    except ProfileFileError as err:
        assert one_line(str(err)), repr(str(err)[:300])
        assert str(err).startswith(f"{path}:"), repr(str(err)[:300])


def read_plan_cleanly(path: Path, profile: Profile, catalog: Catalog) -> None:
    """``read_plan`` gives a frame or one PlanFileError line; a frame then goes through
    ``check_plan`` (one line a violation) and ``history_after`` (``--after``: ValueError)."""
    try:
        frame = read_plan(path)
    except PlanFileError as err:
        assert one_line(str(err)), repr(str(err)[:300])
        assert str(err).startswith(f"{path}:"), repr(str(err)[:300])
        return
    for violation in check_plan(frame, catalog, profile):
        assert one_line(str(violation)), repr(str(violation)[:300])
    try:
        history_after(frame, catalog, profile)
    except ValueError as err:
        assert one_line(str(err)), repr(str(err)[:300])


def survey(path: Path, inputs, load) -> tuple[int, list[str]]:
    """Write each (bytes, extra arguments) input to ``path`` and call ``load(path, *extra)``:
    (inputs tried, a line per traceback)."""
    tried, crashes = 0, []
    for data, extra in inputs:
        path.write_bytes(data)
        tried += 1
        try:
            load(path, *extra)
        except Exception as err:  # any exception here is the finding
            crashes.append(f"{type(err).__name__}: {str(err)[:120]!r} from {data[:80]!r}")
    return tried, crashes


def assert_clean_exit(result, codes: tuple[int, ...]) -> None:
    """The CLI ended through SystemExit (or returned) with one of ``codes``, no traceback."""
    assert result.exit_code in codes, result.output[-500:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert TRACEBACK not in result.output


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def plans(shipped) -> dict[str, tuple[str, Profile, tuple[str, ...]]]:
    """Each PLAN_CASES plan, solved once: (CSV text, its profile, the options that give it)."""
    out = {}
    for name, (settings_, options) in PLAN_CASES.items():
        profile = Profile.for_level("beginner", time_limit=20.0, **settings_)
        out[name] = (csv_text(solve(shipped, profile)), profile, options)
    return out


# --- catalogue loader -----------------------------------------------------------------------


@fuzz(150)
@given(data=st.binary(max_size=4096))
def test_catalog_random_bytes_fail_in_one_line(folder, data):
    """Random bytes as a catalogue load or fail with one located line a problem."""
    path = folder / "bytes.csv"
    path.write_bytes(data)
    load_catalog_cleanly(path)


@fuzz(200)
@given(rng=st.randoms(use_true_random=False))
def test_catalog_mutations_fail_in_one_line(folder, rng):
    """The shipped catalogue with random line, cell and byte edits fails in located lines."""
    path = folder / "mutated.csv"
    if rng.random() < 0.2:
        path.write_bytes(mutate_bytes(SHIPPED_TEXT.encode(), rng))
    else:
        path.write_text(mutate_csv(SHIPPED_TEXT, rng), encoding="utf-8", newline="")
    load_catalog_cleanly(path)


@fuzz(150)
@given(data=st.data())
def test_catalog_any_text_in_any_cell_fails_in_one_line(folder, data):
    """Any text, number or nasty value in any cell (header included) fails in located lines."""
    rows = list(csv.reader(SHIPPED_TEXT.splitlines()))
    row = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    rows[row][column] = data.draw(
        st.one_of(
            st.sampled_from(NASTY),
            st.text(max_size=30),
            st.integers().map(str),
            st.floats().map(repr),
        ),
        label="value",
    )
    path = folder / "cell.csv"
    path.write_text("".join(_line(r) for r in rows), encoding="utf-8", newline="")
    load_catalog_cleanly(path)


@fuzz(60)
@given(rng=st.randoms(use_true_random=False))
def test_catalog_command_on_mutations_exits_0_or_2(folder, rng):
    """`planner catalog --catalog FILE` on a mutated catalogue exits 0 or 2, no traceback."""
    path = folder / "command.csv"
    path.write_text(mutate_csv(SHIPPED_TEXT, rng), encoding="utf-8", newline="")
    assert_clean_exit(invoke("catalog", "--catalog", str(path)), (0, 2))


NAMED_CATALOGUES = {
    "empty": b"",
    "blank lines": b"\n\n  \n",
    "header only": SHIPPED_TEXT.splitlines()[0].encode(),
    "BOM": b"\xef\xbb\xbf" + SHIPPED_TEXT.encode(),
    "semicolons": SHIPPED_TEXT.replace(",", ";").encode(),
    "tabs": SHIPPED_TEXT.replace(",", "\t").encode(),
    "CR only": SHIPPED_TEXT.replace("\n", "\r").encode(),
    "quoted newline in an id": SHIPPED_TEXT.replace(
        "ball_release_glutes,", '"ball\nx",', 1
    ).encode(),
    "unterminated quote": SHIPPED_TEXT.replace(",Ball glute", ',"Ball glute', 1).encode(),
    "duplicate ids": (SHIPPED_TEXT + SHIPPED_TEXT.splitlines()[1] + "\n").encode(),
    "unknown level": SHIPPED_TEXT.replace(",beginner,", ",expert,", 1).encode(),
    "non-UTF-8": SHIPPED_TEXT.encode().replace(b"Ball", b"B\xffll", 1),
    "NUL": SHIPPED_TEXT.replace("Ball", "B\x00ll", 1).encode(),
    "200k field": SHIPPED_TEXT.replace("Sit or lie", "x" * 200_000, 1).encode(),
}
for _column, _value in (("sets", "-1"), ("rpe", "1e309"), ("reps", "nan"), ("reps", "9" * 5000)):
    _rows = list(csv.reader(SHIPPED_TEXT.splitlines()))
    _rows[1][_rows[0].index(_column)] = _value
    NAMED_CATALOGUES[f"{_column} {_value[:8]}"] = "".join(_line(r) for r in _rows).encode()


def test_1000_malformed_catalogues_give_no_traceback(folder):
    """1000 malformed catalogues each load or fail in located one-line problems: no traceback."""
    # The named cases first, then seeded random mutations of the shipped catalogue.
    rng = random.Random(0)
    base = SHIPPED_TEXT.encode()

    def inputs():
        for data in NAMED_CATALOGUES.values():
            yield data, ()
        for _ in range(1000 - len(NAMED_CATALOGUES)):
            if rng.random() < 0.2:
                yield mutate_bytes(base, rng), ()
            else:
                yield mutate_csv(SHIPPED_TEXT, rng).encode("utf-8", "surrogatepass"), ()

    tried, crashes = survey(folder / "loop.csv", inputs(), load_catalog_cleanly)
    assert tried == 1000
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])


# --- profile loader -------------------------------------------------------------------------


@fuzz(150)
@given(data=st.binary(max_size=2048))
def test_profile_random_bytes_fail_in_one_line(folder, data):
    """Random bytes as a profile load or fail with one line naming the file."""
    path = folder / "bytes.toml"
    path.write_bytes(data)
    load_profile_cleanly(path)


@fuzz(200)
@given(rng=st.randoms(use_true_random=False))
def test_profile_mutations_fail_in_one_line(folder, rng):
    """A preset with misspelt keys, wrong types, NaN, bad lines or TOML fails in one line."""
    path = folder / "mutated.toml"
    text = rng.choice(PROFILE_TEXTS)
    if rng.random() < 0.15:
        path.write_bytes(mutate_bytes(text.encode(), rng))
    else:
        path.write_text(mutate_toml(text, rng), encoding="utf-8")
    load_profile_cleanly(path)


TOML_ANY = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
        st.times().map(lambda t: t.replace(microsecond=0)),
    ),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=8,
)


@fuzz(200)
@given(data=st.data())
def test_profile_any_value_for_any_key_fails_in_one_line(folder, data):
    """Any value of any type for any key (or a misspelt key) in a preset fails in one line."""
    text = data.draw(st.sampled_from(PROFILE_TEXTS), label="preset")
    key = data.draw(st.sampled_from(KEYS), label="key")
    if data.draw(st.booleans(), label="misspelt"):
        key = typo(key, data.draw(st.randoms(use_true_random=False), label="typo"))
    value = toml_value(data.draw(TOML_ANY, label="value"))
    kept = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
    path = folder / "value.toml"
    path.write_text("\n".join([f"{key} = {value}", *kept]) + "\n", encoding="utf-8")
    load_profile_cleanly(path)


NAMED_PROFILES = {
    "empty": b"",
    "BOM": b"\xef\xbb\xbf" + PROFILE_TEXTS[0].encode(),
    "misspelt key": b"minuts = 30\n",
    "unknown key": b"colour = 'red'\n",
    "string for a number": b'minutes = "30"\n',
    "string for a list": b'days = "mon"\n',
    "float for a whole number": b"weeks = 4.0\n",
    "quoted date": b'start = "2026-11-30"\n',
    "NaN": b"time_limit = nan\n",
    "infinity": b"session_fill = inf\n",
    "1e309": b"acwr_cap = 1e309\n",
    "negative": b"minutes = -5\n",
    "beyond 64 bits": b"seed = 100000000000000000000000000000\n",
    "4301 digits": b"seed = " + b"9" * 4301 + b"\n",
    "deep nesting": b"days = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "duplicate key": b"minutes = 30\nminutes = 40\n",
    "broken table": b"[shares\n",
    "non-UTF-8": b"level = 'beg\xffinner'\n",
    "contradiction": b'days = ["mon"]\nsessions = 3\n',
    "shares over 100": b"[shares]\nhip_flexors = 150\n",
}


def test_500_malformed_profiles_give_no_traceback(folder):
    """500 malformed profiles each load or fail in one line naming the file: no traceback."""
    # The named cases first, then seeded mutations of each level's preset.
    rng = random.Random(0)

    def inputs():
        for data in NAMED_PROFILES.values():
            yield data, ()
        for _ in range(500 - len(NAMED_PROFILES)):
            text = rng.choice(PROFILE_TEXTS)
            if rng.random() < 0.15:
                yield mutate_bytes(text.encode(), rng), ()
            else:
                yield mutate_toml(text, rng).encode("utf-8", "surrogatepass"), ()

    tried, crashes = survey(folder / "loop.toml", inputs(), load_profile_cleanly)
    assert tried == 500
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])


# --- plan files -----------------------------------------------------------------------------


@fuzz(100)
@given(data=st.binary(max_size=2048))
def test_read_plan_random_bytes_fail_in_one_line(folder, shipped, plans, data):
    """Random bytes as a plan CSV read or fail with one line naming the file."""
    path = folder / "bytes-plan.csv"
    path.write_bytes(data)
    _, profile, _ = plans["week"]
    read_plan_cleanly(path, profile, shipped)


@fuzz(150)
@given(rng=st.randoms(use_true_random=False))
def test_read_plan_mutations_fail_in_one_line(folder, shipped, plans, rng):
    """A mutated plan reads and checks, or fails in one line: read_plan, check_plan, --after."""
    text, profile, _ = plans[rng.choice(sorted(plans))]
    path = folder / "mutated-plan.csv"
    if rng.random() < 0.15:
        path.write_bytes(mutate_bytes(text.encode(), rng))
    else:
        path.write_text(mutate_csv(text, rng), encoding="utf-8", newline="")
    read_plan_cleanly(path, profile, shipped)


@fuzz(60)
@given(rng=st.randoms(use_true_random=False))
def test_check_command_on_mutated_plans_exits_0_1_or_2(folder, plans, rng):
    """`planner check FILE` on a mutated plan exits 0, 1 or 2 and never with a traceback."""
    text, _, options = plans[rng.choice(sorted(plans))]
    path = folder / "check.csv"
    path.write_text(mutate_csv(text, rng), encoding="utf-8", newline="")
    assert_clean_exit(invoke("check", str(path), *options), (0, 1, 2))


def test_500_malformed_plans_give_no_traceback(folder, shipped, plans):
    """500 mutated plans each read, check and carry on, or fail in one line: no traceback."""
    rng = random.Random(0)
    cases = [plans[name] for name in sorted(plans)]

    def inputs():
        for _ in range(500):
            text, profile, _ = rng.choice(cases)
            if rng.random() < 0.15:
                yield mutate_bytes(text.encode(), rng), (profile, shipped)
            else:
                yield mutate_csv(text, rng).encode("utf-8", "surrogatepass"), (profile, shipped)

    tried, crashes = survey(folder / "loop-plan.csv", inputs(), read_plan_cleanly)
    assert tried == 500
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])


def test_after_a_plan_with_a_huge_week_number_exits_2(tmp_path, plans):
    """`plan --after FILE` whose last row claims week 10^40 exits 2 with one line."""
    text, _, options = plans["programme"]
    lines = text.splitlines()
    lines[-1] = "9" * 40 + lines[-1][lines[-1].index(",") :]
    path = tmp_path / "after.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("plan", *options, "--after", str(path))
    assert_clean_exit(result, (2,))
    assert result.output.startswith(f"Error: --after {path}: ")
    assert one_line(result.output.rstrip("\n"))


@pytest.mark.parametrize("load", [load_catalog, load_profile, read_plan])
def test_a_directory_given_as_a_file_fails_in_one_line(tmp_path, load):
    """Each loader given a directory fails with one line naming it, not IsADirectoryError."""
    with pytest.raises(ValueError) as err:
        load(tmp_path)
    assert one_line(str(err.value))
    assert str(err.value).startswith(f"{tmp_path}: is a directory")


# --- command-line options -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, line",
    [
        (("--minutes", "-5"), "--minutes: -5 is out of range; allowed: 10 to 60"),
        (("--time-limit", "nan"), "--time-limit: nan is not a number; allowed: 0.1 to 600.0"),
        (("--time-limit", "1e309"), "--time-limit: inf is out of range; allowed: 0.1 to 600.0"),
        (("--weeks", "0"), "--weeks: 0 is out of range; allowed: 1 to 52"),
        (("--weeks", "53"), "--weeks: 53 is out of range; allowed: 1 to 52"),
        (("--seed", "-1"), "--seed: -1 is out of range; allowed: 0 to 2147483647"),
        (("--days", ""), "--days: list each available day once, e.g. mon,wed,fri"),
        (("--days", "mon,mon"), "--days: list each available day once, e.g. mon,wed,fri"),
        (
            ("--sessions", "4", "--days", "mon,wed,fri"),
            "--sessions: 4 sessions need 4 available days; --days gives 3 (mon,wed,fri)",
        ),
        (("--wake-time", "25:00"), "--wake-time: '25:00' is not a time; allowed: HH:MM"),
        (
            ("--max-days-per-exercise", "0"),
            "--max-days-per-exercise: 0 is out of range; allowed: 1 to 7",
        ),
    ],
    ids=[
        "minutes-5",
        "tl-nan",
        "tl-1e309",
        "weeks0",
        "weeks53",
        "seed-1",
        "days-empty",
        "days-twice",
        "sessions-days",
        "wake-time",
        "max-days",
    ],
)
def test_bad_option_value_exits_2_with_one_line(args, line):
    """A bad option value exits 2 with exactly one line naming the option and the value."""
    result = invoke("plan", *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"Error: {line}\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ("--minutes", "nan"),
            "Error: Invalid value for '--minutes': 'nan' is not a valid integer.",
        ),
        (
            ("--start", "2026-02-30"),
            "Error: Invalid value for '--start': '2026-02-30' does not match the format "
            "'%Y-%m-%d'.",
        ),
        (("--weeks", "1.5"), "Error: Invalid value for '--weeks': '1.5' is not a valid integer."),
    ],
    ids=["minutes-nan", "start-feb-30", "weeks-1.5"],
)
def test_option_click_rejects_exits_2_with_one_error_line(args, line):
    """A value click rejects exits 2 with its Error line and nothing else (no usage block)."""
    result = invoke("plan", *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"{line}\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (("nope",), "Error: No such command 'nope'."),
        (("check",), "Error: Missing argument 'PLAN_CSV'."),
        (
            ("plan", "--levle", "x"),
            "Error: No such option '--levle'. (Did you mean one of: '--exclude', '--level', "
            "'--seed'?)",
        ),
    ],
    ids=["command", "argument", "option"],
)
def test_usage_errors_are_one_line_with_exit_2(args, line):
    """A misspelt command or option, or a missing argument, is one Error line, exit 2."""
    result = invoke(*args)
    assert_clean_exit(result, (2,))
    assert result.output == f"{line}\n"


def test_ctrl_c_outside_the_solver_exits_130_saying_nothing_was_written(monkeypatch):
    """Ctrl-C while explain loads or computes (outside any solve) exits 130, no traceback."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("planner.cli.options.load_catalog", interrupted)
    result = invoke("explain", "--weeks", "1")
    assert_clean_exit(result, (130,))
    assert result.output == "\nInterrupted: nothing written.\n"


@pytest.mark.parametrize("where", ["a file", "under a file", "read-only"])
def test_explain_csv_folder_errors_come_before_solving(tmp_path, monkeypatch, where):
    """explain --csv into a folder that cannot be made or written exits 2 before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    folder = {"a file": blocker, "under a file": blocker / "tables"}.get(where, tmp_path / "t")
    if where == "read-only":
        _deny_writes(monkeypatch, tmp_path)
    result = invoke("explain", "--weeks", "1", "--csv", str(folder))
    assert_clean_exit(result, (2,))
    expected = {
        "a file": f"Invalid value for '--csv': Directory '{folder}' is a file.",
        "under a file": f"--csv {folder}: {blocker} is a file; give a folder",
        "read-only": f"--csv {folder}: cannot write here (folder {tmp_path} is not writable)",
    }[where]
    assert result.output == f"Error: {expected}\n"


def test_profile_file_contradicting_an_option_exits_2_with_one_line(tmp_path):
    """A profile with one free day and --sessions 3 exits 2 with one line, no traceback."""
    path = tmp_path / "me.toml"
    path.write_text('days = ["mon"]\n', encoding="utf-8")
    result = invoke("plan", "--profile", str(path), "--sessions", "3")
    assert_clean_exit(result, (2,))
    assert result.output.startswith("Error: --sessions: 3 sessions need 3 available days")
    assert one_line(result.output.rstrip("\n"))


def test_empty_equipment_means_bodyweight_only(tmp_path, shipped):
    """--equipment "" is not an error: it plans with exercises that need nothing."""
    path = tmp_path / "plan.csv"
    result = invoke(
        "plan", "--equipment", "", *PLAN_CASES["week"][1], "--time-limit", "20", "--csv", str(path)
    )
    assert_clean_exit(result, (0,))
    used = {row["exercise_id"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert used
    assert all(shipped[i].equipment == ("none",) for i in used)


def _deny_writes(monkeypatch, folder: Path) -> None:
    """``os.access`` says ``folder`` is not writable: as root the mode bits do not bind, so it
    is told what any other user would see."""
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            False if Path(p) == folder and mode & os.W_OK else real_access(p, mode, **kw)
        ),
    )


def _no_solve(*args, **kwargs):
    raise AssertionError("solved although the output could not be written")


def test_csv_into_a_read_only_folder_exits_2_before_solving(tmp_path, monkeypatch):
    """--csv into a read-only folder exits 2 naming the folder, before any solving."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    _deny_writes(monkeypatch, locked)
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    try:
        result = invoke("plan", *PLAN_CASES["week"][1], "--csv", str(locked / "plan.csv"))
    finally:
        locked.chmod(0o755)
    assert_clean_exit(result, (2,))
    assert result.output == (
        f"Error: --csv {locked / 'plan.csv'}: cannot write here (folder {locked} is not writable)\n"
    )
    assert list(locked.iterdir()) == []


def test_csv_where_no_file_can_be_made_exits_2_with_one_line():
    """--csv into /proc, where even root cannot create a file, exits 2 with one line."""
    result = invoke("plan", *PLAN_CASES["week"][1], "--time-limit", "20", "--csv", "/proc/x.csv")
    assert_clean_exit(result, (2,))
    assert result.output.startswith("Error: --csv /proc/x.csv: ")
    assert one_line(result.output.rstrip("\n"))


@pytest.mark.parametrize("where", ["missing folder", "a directory"])
def test_csv_errors_come_before_solving(tmp_path, monkeypatch, where):
    """An impossible --csv (a missing folder, a directory) is refused before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    path = tmp_path / "no" / "plan.csv" if where == "missing folder" else tmp_path
    assert_clean_exit(invoke("plan", *PLAN_CASES["week"][1], "--csv", str(path)), (2,))


# --- atomic writes --------------------------------------------------------------------------

ORIGINAL = b"week,day\n1,mon\n"
NEW_TEXT = "new line\n" * 20_000


class _DyingFile:
    """A file whose ``write`` writes the first ``cut`` characters and then calls ``die``."""

    def __init__(self, f, cut, die):
        self.f, self.cut, self.die = f, cut, die

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, text):
        self.f.write(text[: self.cut])
        self.f.flush()
        self.die()

    def __getattr__(self, name):
        return getattr(self.f, name)


@pytest.mark.parametrize("failure", ["ctrl-c", "disk full"])
def test_50_writes_failing_midway_leave_the_old_file_and_no_temporary(
    tmp_path, monkeypatch, failure
):
    """Ctrl-C or a full disk at 50 points of a write leaves the old file and no temporary."""

    def die():
        if failure == "ctrl-c":
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    real_fdopen = os.fdopen
    cuts = [0, 1, len(NEW_TEXT) - 1, *random.Random(0).sample(range(len(NEW_TEXT)), 47)]
    expected = KeyboardInterrupt if failure == "ctrl-c" else ExportError
    partial = 0
    for cut in cuts:
        monkeypatch.setattr(
            os, "fdopen", lambda *a, cut=cut, **k: _DyingFile(real_fdopen(*a, **k), cut, die)
        )
        with pytest.raises(expected):
            write_atomic(target, NEW_TEXT)
        partial += target.read_bytes() != ORIGINAL or list(tmp_path.iterdir()) != [target]
    assert len(cuts) == 50
    assert partial == 0


KILL_SCRIPT = """
import os, signal, sys
from planner.export import write_atomic

where, target = sys.argv[1], sys.argv[2]
real_fdopen = os.fdopen
def die():
    os.kill(os.getpid(), signal.SIGKILL)
class HalfThenDie:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *exc): self.f.close()
    def write(self, text):
        self.f.write(text[: len(text) // 2]); self.f.flush(); os.fsync(self.f.fileno()); die()
if where == "write":
    os.fdopen = lambda *a, **k: HalfThenDie(real_fdopen(*a, **k))
else:  # the temporary file is whole and synced: die just before the rename
    os.replace = lambda *a: die()
write_atomic(target, "new line\\n" * 20000)
"""


@pytest.mark.parametrize("where", ["write", "rename"])
def test_sigkill_midway_leaves_the_old_file_intact(tmp_path, where):
    """SIGKILL mid-write or just before the rename leaves the old file byte-identical."""
    # SIGKILL allows no clean-up: the one hidden .plan.csv.<random>.tmp it leaves is expected.
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    done = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, where, str(target)], capture_output=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    assert target.read_bytes() == ORIGINAL
    left = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(left) == 1
    assert left[0].startswith(".plan.csv.") and left[0].endswith(".tmp")


SIGINT_WRITE_SCRIPT = """
import os, sys, time
from planner import Profile, load_catalog, solve
from planner.export import write_atomic

# A solve first: CP-SAT's own Ctrl-C handler used to leave SIGINT at the default action
# after it, so that the Ctrl-C below killed the process with the temporary file left over.
solve(load_catalog(), Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1))
real_fdopen = os.fdopen
class SlowFile:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *exc): self.f.close()
    def write(self, text):
        self.f.write(text[: len(text) // 2]); self.f.flush()
        print("half written", flush=True)
        time.sleep(60)
os.fdopen = lambda *a, **k: SlowFile(real_fdopen(*a, **k))
try:
    write_atomic(sys.argv[1], "new line\\n" * 20000)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(130)
"""


def _run_until(args: list[str], marker: str) -> subprocess.Popen:
    """Start ``args`` and return once it prints a line starting with ``marker``."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                out, err = proc.communicate()
                raise AssertionError(f"ended before {marker!r}: {proc.returncode}\n{err[-2000:]}")
            if line.startswith(marker):
                return proc
    finally:
        watchdog.cancel()


def test_ctrl_c_during_a_write_after_a_solve_leaves_no_trace(tmp_path):
    """SIGINT mid-write after a solve raises KeyboardInterrupt: old file kept, no temporary."""
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    proc = _run_until([sys.executable, "-c", SIGINT_WRITE_SCRIPT, str(target)], "half written")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "KeyboardInterrupt" in out
    assert target.read_bytes() == ORIGINAL
    assert list(tmp_path.iterdir()) == [target]


def test_written_files_get_the_usual_mode_and_keep_a_replaced_files_mode(tmp_path):
    """A new file gets 0666 less the umask (not mkstemp's 0600); a replaced one keeps its mode."""
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.csv"
        write_atomic(fresh, "a\n")
        assert fresh.stat().st_mode & 0o777 == 0o644
        fresh.chmod(0o640)
        write_atomic(fresh, "b\n")
        assert fresh.stat().st_mode & 0o777 == 0o640
        assert fresh.read_text() == "b\n"
    finally:
        os.umask(umask)


# --- solver: time limit and Ctrl-C ----------------------------------------------------------


def _timed(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=300
    )
    return time.perf_counter() - started, done


@pytest.fixture(scope="module")
def start_up() -> float:
    """Seconds `python -m planner --version` takes: the start-up the time limit leaves out."""
    return min(_timed("--version")[0] for _ in range(2))


@pytest.mark.parametrize("level", LEVELS)
def test_twelve_weeks_end_within_the_time_limit(start_up, level):
    """`plan --weeks 12 --time-limit 2` ends within 2 s plus start-up plus 1 s slack."""
    seconds, done = _timed("plan", "--level", level, "--weeks", "12", "--time-limit", "2", "-q")
    assert done.returncode in (0, 3), done.stderr
    assert TRACEBACK not in done.stderr
    assert seconds <= 2 + start_up + 1, (seconds, start_up)


def _slow_after_week(monkeypatch, weeks_in_time: int, seconds: float) -> None:
    """Make building any week after ``weeks_in_time`` take ``seconds``, past the deadline."""
    import importlib

    module = importlib.import_module("planner.solve")  # planner.solve is also the function
    build = module.build_week

    def slow(profile, exercises, allowed, context, **kwargs):
        if context.week > weeks_in_time:
            time.sleep(seconds)
        return build(profile, exercises, allowed, context, **kwargs)

    monkeypatch.setattr(module, "build_week", slow)


def test_time_limit_mid_programme_returns_the_weeks_planned(monkeypatch, shipped):
    """A programme the deadline cuts short comes back as the weeks planned so far: a shorter,
    valid programme, not proven best."""
    _slow_after_week(monkeypatch, 1, 3.0)
    profile = Profile.for_level("beginner", weeks=4, time_limit=3.0)
    plan = solve(shipped, profile)
    assert plan.profile == profile.with_changes(weeks=1)
    assert {e.week for e in plan.entries} == {1}
    assert plan.status is Status.FEASIBLE
    assert check_plan(plan.to_frame(), shipped, plan.profile) == []


def test_plan_cut_short_warns_and_writes_the_weeks_planned(monkeypatch, tmp_path):
    """planner plan warns on stderr how far it got and how to carry on, and writes those
    weeks; exit 0, since every rule holds in what was written."""
    _slow_after_week(monkeypatch, 2, 3.0)
    path = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        cli, ["plan", "--weeks", "4", "--time-limit", "3", "--quiet", "--csv", str(path)]
    )
    assert_clean_exit(result, (0,))
    assert result.stderr == (
        "Time limit reached: weeks 1-2 of 1-4 planned (valid, not proven best). Raise "
        "--time-limit, or carry on with --after PLAN.csv --weeks 2.\n"
    )
    assert {row["week"] for row in csv.DictReader(path.open(encoding="utf-8"))} == {"1", "2"}


def test_infeasible_request_is_explained_within_a_short_time_limit(start_up, shipped):
    """An infeasible request at --time-limit 0.5 names the clash, in time plus 1 s slack."""
    stretches = [
        e.id
        for e in shipped
        if e.stretches_hip_flexors and e.level == "beginner" and e.equipment == ("none",)
    ]
    seconds, done = _timed(
        *("plan", "--equipment", "none", "--exclude", ",".join(stretches)),
        *("--weeks", "12", "--time-limit", "0.5"),
    )
    assert done.returncode == 3, done.stderr
    assert "[hip_flexor_stretch]" in done.stderr
    assert one_line(done.stderr.rstrip("\n"))
    assert seconds <= 0.5 + start_up + 1, (seconds, start_up)


def test_solve_in_process_keeps_to_its_time_limit(shipped):
    """solve() with a 1 s limit for 12 weeks returns or raises NoPlan within 1.5 s."""
    profile = Profile.for_level("intermediate", weeks=12, time_limit=1.0)
    started = time.perf_counter()
    with contextlib.suppress(NoPlan):
        solve(shipped, profile)
    assert time.perf_counter() - started <= 1.5


def test_solve_leaves_the_sigint_handler_and_wakeup_fd_as_it_found_them(shipped):
    """After solve() SIGINT has Python's default handler again and no wakeup fd is set."""
    solve(shipped, Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.set_wakeup_fd(-1) == -1


# Runs ``python -m planner`` after wrapping _solve_week to print "week N" as each week starts.
CTRL_C_CLI_SCRIPT = """
import importlib, runpy, sys
solve = importlib.import_module("planner.solve")
real = solve._solve_week
def announced(profile, allowed, ids, context, *rest, **options):
    print(f"week {context.week}", flush=True)
    return real(profile, allowed, ids, context, *rest, **options)
solve._solve_week = announced
sys.argv = ["planner", *sys.argv[1:]]
runpy.run_module("planner", run_name="__main__")
"""


def test_ctrl_c_stops_a_long_plan_with_exit_130_and_no_file(tmp_path):
    """SIGINT in week 2 of 12 exits 130 promptly with one Interrupted line and no file."""
    out = tmp_path / "out.csv"
    args = ["plan", "--level", "advanced", "--weeks", "12", "--time-limit", "120"]
    proc = _run_until([sys.executable, "-c", CTRL_C_CLI_SCRIPT, *args, "--csv", str(out)], "week 2")
    time.sleep(0.1)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stopped = time.perf_counter() - sent
    assert proc.returncode == 130, err[-2000:]
    assert TRACEBACK not in err
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Interrupted: Ctrl-C while planning week ")
    assert lines[0].endswith("; nothing written.")
    assert list(tmp_path.iterdir()) == []
    assert stopped < 5, stopped


CTRL_C_LIBRARY_SCRIPT = """
import importlib, json, os, signal
from planner import Profile, check_plan, load_catalog
solve = importlib.import_module("planner.solve")
real = solve._solve_week
def interrupt_in_week_3(profile, allowed, ids, context, *rest, **options):
    if context.week == 3:  # the week's first search starts after the press is seen
        os.kill(os.getpid(), signal.SIGINT)
    return real(profile, allowed, ids, context, *rest, **options)
solve._solve_week = interrupt_in_week_3
catalog = load_catalog()
profile = Profile.for_level("advanced", weeks=12, time_limit=120)
try:
    solve.solve(catalog, profile)
    print(json.dumps({"finished": True}))
except solve.Interrupted as err:
    plan = err.plan
    weeks = sorted({e.week for e in plan.entries})
    violations = check_plan(plan.to_frame(), catalog, profile.with_changes(weeks=len(weeks)))
    print(json.dumps({
        "keyboard_interrupt": isinstance(err, KeyboardInterrupt),
        "week": err.week,
        "weeks": weeks,
        "status": plan.status.value,
        "violations": [str(v) for v in violations],
        "default_handler": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "message": str(err),
    }))
"""


def test_ctrl_c_in_the_library_raises_interrupted_with_the_weeks_so_far():
    """Ctrl-C in week 3 raises Interrupted holding the valid, unproven weeks 1-2 (or 1-3)."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_LIBRARY_SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report.get("finished") is None, "the solve ended before Ctrl-C"
    assert report["keyboard_interrupt"]
    assert report["week"] == 3
    assert report["weeks"] in ([1, 2], [1, 2, 3])
    assert report["status"] == "feasible"
    assert report["violations"] == []
    assert report["default_handler"]
    assert report["message"].startswith("Ctrl-C while planning week 3; weeks 1-")
