"""Profiles as TOML files: ``dump_profile`` writes one, commented; ``load_profile`` reads one;
``screened_text`` sets a file's [screening] answers and leaves the rest as the person wrote it.

A file holds every setting in ``planner.settings.SETTINGS``: the person's (``Profile``) and the
solver's (``SolverOptions``: seed, time_limit). Its ``level`` picks the preset, the file's
values override the preset, and keyword overrides (the command-line options) override the
file. A bad file raises ``ProfileFileError``: one line naming the file, the key, the value and
what is allowed.

Read with tomllib, whose errors give the line and column; written with tomlkit, which keeps a
file's own comments and key order when a command changes part of it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from planner import screening
from planner.catalog import CONDITIONS, EQUIPMENT
from planner.profile import Profile, ProfileError, SolverOptions
from planner.screening import CLEARANCE_KEY, Screening, ScreeningError
from planner.settings import (
    BY_NAME,
    DAYS,
    KEYS,
    LIST_KINDS,
    RETIRED,
    SETTINGS,
    TABLES,
    WAKE_TIME,
    Setting,
)

__all__ = [
    "KEYS",
    "ProfileFileError",
    "dump_profile",
    "load_profile",
    "load_settings",
    "screened_text",
]

HEADER = (
    "A planner profile: planner plan --profile FILE uses it; options given on the",
    "command line override it. R1-R17 are the rules in shared/reference/evidence.md.",
)
# Written in a file that has no [screening] table yet; screened_text puts the table there.
NONE_YET = f"(none yet: run {screening.SCREEN_COMMAND})"
_NONE_YET_LINE = re.compile(rf"^# {re.escape(NONE_YET)}[ \t]*\r?\n?", re.MULTILINE)
# What a file's value must be, by kind, for "expected ..., got ...".
_EXPECTED = {
    "level": "a level name",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "pair": "[low, high], two whole numbers",
    "date": "a date without quotes, e.g. 2026-11-30",
    "clock": f'a time in quotes, e.g. "{WAKE_TIME}"',
    "zone": 'a time zone name in quotes, e.g. "Europe/Berlin"',
}
CLEARED = "A doctor has cleared you to exercise after a yes to a clearance question."
# Written as tables at the end of a file: the screening answers, and the pins (day = [ids]),
# which a person edits more easily by day than as a list of day:id.
_TABLES_LAST = ("pins", *TABLES)
_SOLVER_KEYS = tuple(s.name for s in SETTINGS if s.owner == "solver")


class ProfileFileError(ProfileError):
    """A profile file that cannot be used: one line naming the file (and line) first.

    ``key`` is the profile key at fault, or ``profile`` when the file as a whole is."""

    def __init__(self, path: str, key: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.key = key
        self.detail = message
        self.other = None
        where = f"{path}:{line}" if line else path
        ValueError.__init__(self, f"{where}: {message}")

    def worded(self, name) -> str:
        """The message as it is: a file's keys are named as the file names them."""
        return str(self)


# --- writing --------------------------------------------------------------------------------


def dump_profile(profile: Profile, options: SolverOptions | None = None) -> str:
    """The profile and solver ``options`` (default: the defaults) as TOML, with a one-line
    comment above every key: the setting's help.

    ``catalog_levels`` is not written: it follows ``level``. An unset key is shown commented
    out with what it amounts to, where that says something.
    """
    options = options or SolverOptions()
    doc = tomlkit.document()
    for line in HEADER:
        doc.add(tomlkit.comment(line))
    # A TOML table holds every key after it, so the tables come last.
    for setting in sorted(SETTINGS, key=lambda s: s.name in _TABLES_LAST):
        if setting.section or setting.name in _TABLES_LAST:
            doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(setting.help))
        if setting.name == "pins":
            if profile.pins:
                _add_table(doc, "pins", _pins_table(profile))
            else:
                doc.add(tomlkit.comment("[pins]"))
                doc.add(tomlkit.comment('wed = ["glute_bridge"]'))
            continue
        if setting.name == "screening":
            if profile.screening is None:
                doc.add(tomlkit.comment(NONE_YET))
            else:
                _add_table(doc, "screening", _screening_table(profile.screening))
            continue
        value = getattr(options if setting.owner == "solver" else profile, setting.name)
        if value is None:  # unset: show what it amounts to, commented out
            if setting.example is not None:
                example = tomlkit.item(setting.example(profile)).as_string()
                doc.add(tomlkit.comment(f"{setting.name} = {example}"))
            continue
        doc.add(setting.name, _plain(setting, value))
    return tomlkit.dumps(doc)


def _plain(setting: Setting, value: Any) -> Any:
    """``value`` as TOML holds it: lists in a stable order (vocabulary order, else sorted)."""
    if setting.name == "equipment":
        return [name for name in EQUIPMENT if name in value]
    if setting.name == "conditions":
        return [name for name in CONDITIONS if name in value]
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _add_table(doc: tomlkit.TOMLDocument, key: str, table: Any) -> None:
    """Add ``table`` right under the comment before it (tomlkit puts a blank line between)."""
    doc.add(key, table)
    table.trivia.indent = ""


def _screening_table(answers: Screening) -> Any:
    """The [screening] table, each answer under its question."""
    table = tomlkit.table()
    for question_id, value in answers.answers:
        question = screening.BY_ID[question_id]
        table.add(tomlkit.comment(f"{question.text} ({screening.GROUPS[question.group]})"))
        table.add(question_id, value)
    table.add(
        tomlkit.comment("A doctor has cleared you to exercise after a yes to a clearance question.")
    )
    table.add(CLEARANCE_KEY, answers.medical_clearance)
    return table


def screened_text(path: str | Path, answers: Screening) -> str:
    """The profile file at ``path`` with its [screening] table set to ``answers``; every other
    line (the person's own comments, key order and spacing included) as it was.

    A file written by ``dump_profile`` before any screening gets the table where its
    "(none yet ...)" line was, so it reads as if written with the answers. Raises
    ``ProfileFileError`` as ``load_profile`` does for a file that is not TOML.
    """
    name = str(path)
    text = _read(Path(path), name)
    _parse(name, text)  # tomllib's message, with line and column, for a broken file
    placeholder = _NONE_YET_LINE.search(text) is not None
    try:
        doc = tomlkit.parse(_NONE_YET_LINE.sub("", text, count=1))
    except TOMLKitError as err:  # what tomllib reads, tomlkit should too
        raise ProfileFileError(name, "profile", f"invalid TOML ({err})") from None
    table = _screening_table(answers)
    current = doc.get("screening")
    if isinstance(current, tomlkit.items.Table) and not current.is_super_table():
        doc["screening"] = table  # in its place
    else:
        if current is not None:  # an inline table or dotted keys: a table of our own instead
            del doc["screening"]
        if not placeholder:
            if doc.body:
                doc.add(tomlkit.nl())
            doc.add(tomlkit.comment(BY_NAME["screening"].help))
        _add_table(doc, "screening", table)
    edited = tomlkit.dumps(doc)
    if "\r\n" in text:  # the lines added end as the file's do
        edited = edited.replace("\r\n", "\n").replace("\n", "\r\n")
    return edited


# --- reading --------------------------------------------------------------------------------


def load_profile(path: str | Path, **overrides) -> Profile:
    """The profile in the TOML file at ``path``, with non-None ``overrides`` applied last.

    The file's solver keys (seed, time_limit) are checked too; ``load_settings`` returns them.
    Raises ``ProfileFileError`` for a problem in the file, and ``ProfileError`` (naming the
    key only) for a bad override.
    """
    return load_settings(path, **overrides)[0]


def load_settings(
    path: str | Path | None, text: str | None = None, **overrides
) -> tuple[Profile, SolverOptions]:
    """The profile and the solver options in the TOML file at ``path`` (None: the level's
    preset and the default options), with non-None ``overrides`` applied last; ``overrides``
    may name any setting, the solver's (seed, time_limit) too. ``text``, when given, is the
    file's content (a profile kept elsewhere, such as the logbook) and ``path`` names it.

    Raises ``ProfileFileError`` for a problem in the file, and ``ProfileError`` (naming the
    key only) for a bad override.
    """
    name = str(path)
    if path is not None and text is None:
        text = _read(Path(path), name)
    values = {} if path is None else _values(name, _parse(name, text))
    given = {key: value for key, value in overrides.items() if value is not None}
    level = given.pop("level", values.pop("level", "beginner"))
    settings = {**values, **given}
    solver = {key: settings.pop(key) for key in _SOLVER_KEYS if key in settings}
    try:
        return Profile.for_level(level, **settings), SolverOptions(**solver)
    except ProfileError as err:
        if path is None or err.key.split(".")[0] in given:
            raise
        raise ProfileFileError(name, err.key, str(err)) from None


def _read(path: Path, name: str) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ProfileFileError(name, "profile", "is a directory; allowed: a TOML file") from None
    except FileNotFoundError:
        raise ProfileFileError(name, "profile", "no such file") from None
    except OSError as err:
        raise ProfileFileError(name, "profile", f"cannot be read ({err.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = 1 + data[: err.start].count(b"\n")
        raise ProfileFileError(
            name, "profile", "bytes are not UTF-8; save the file as UTF-8", line
        ) from None


_WHERE = re.compile(r" \(at line (\d+), column (\d+)\)$")


def _parse(name: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except (ValueError, RecursionError) as err:
        if not isinstance(err, tomllib.TOMLDecodeError):
            # Python refuses integers over 4,300 digits; tomllib recurses on deep nesting.
            reason = "a number too long" if isinstance(err, ValueError) else "nesting too deep"
            raise ProfileFileError(name, "profile", f"invalid TOML ({reason})") from None
        message = str(err)
        where = _WHERE.search(message)
        if where is None:
            message = message.removesuffix(" (at end of document)")
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            raise ProfileFileError(
                name, "profile", f"invalid TOML ({message} at the end of the file)", line
            ) from None
        line, column = where.groups()
        message = message[: where.start()]
        raise ProfileFileError(
            name, "profile", f"invalid TOML ({message} at column {column})", int(line)
        ) from None


def _values(name: str, data: dict) -> dict:
    """The file's keys checked for type and turned into Profile and SolverOptions values."""
    values = {}
    for key, value in data.items():
        if key in RETIRED:
            remove = f"the [{key}] table" if isinstance(value, dict) else f"the {key} line"
            raise ProfileFileError(
                name, key, f"{key} is no longer a setting: {RETIRED[key]}; remove {remove}"
            )
        if key not in BY_NAME:
            raise ProfileFileError(name, key, f"unknown key {key!r}{_hint(key, KEYS)}")
        values[key] = _value(name, BY_NAME[key], value)
    return values


def _value(name: str, setting: Setting, value: Any) -> Any:
    """``value`` as the setting holds it, or ``ProfileFileError`` when its type is wrong."""
    key, kind = setting.name, setting.kind

    def wrong(expected: str) -> ProfileFileError:
        return ProfileFileError(name, key, f"{key}: expected {expected}, got {_show(value)}")

    if key == "screening":
        return _screening(name, value)
    if key == "pins" and isinstance(value, dict):
        return _pins(name, value)
    if kind in LIST_KINDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong(f"a list of {setting.items}")
        return tuple(value) if kind == "days" else frozenset(value)
    accepted = {
        "level": isinstance(value, str),
        "bool": isinstance(value, bool),
        "pair": isinstance(value, list) and len(value) == 2 and all(map(_is_int, value)),
        "int": _is_int(value),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "date": isinstance(value, dt.date) and not isinstance(value, dt.datetime),
        "clock": isinstance(value, str | dt.time),
        "zone": isinstance(value, str),
    }[kind]
    if not accepted:
        raise wrong(_EXPECTED[kind])
    if kind == "pair":
        return tuple(value)
    if kind == "float" and abs(value) <= _FLOAT_INT_MAX:
        return float(value)
    return value  # a whole number too large for a float: the range check names it


_FLOAT_INT_MAX = 2**53  # whole numbers a float holds exactly


def _screening(name: str, value) -> Screening:
    """The [screening] table: question id = true or false, and medical_clearance."""
    if not isinstance(value, dict):
        raise ProfileFileError(
            name, "screening", f"screening: expected a table of answers, got {_show(value)}"
        )
    answers = dict(value)
    clearance = answers.pop(CLEARANCE_KEY, False)
    for key, answer in value.items():
        if key in KEYS and key not in screening.BY_ID:
            raise ProfileFileError(
                name,
                "screening",
                f"screening: {key!r} is not a screening question; move it above the "
                f"{' and '.join(f'[{t}]' for t in TABLES)} table{'s' if len(TABLES) > 1 else ''}",
            )
        if (key in screening.BY_ID or key == CLEARANCE_KEY) and not isinstance(answer, bool):
            raise ProfileFileError(
                name,
                f"screening.{key}",
                f"screening.{key}: expected true or false, got {_show(answer)}",
            )
    try:
        return Screening(answers, medical_clearance=clearance)
    except ScreeningError as err:
        raise ProfileFileError(name, err.key, str(err)) from None


def _pins(name: str, table: dict) -> frozenset[str]:
    """The [pins] table, day = [exercise ids], as the day:id pins ``Profile`` checks."""
    pins = set()
    for day, ids in table.items():
        where = f"[pins] {day}"
        if day not in DAYS:
            if day in KEYS:
                raise ProfileFileError(
                    name, "pins", f"{where}: {day!r} is not a day; move it above the [pins] table"
                )
            raise ProfileFileError(name, "pins", f"{where}: {day!r} is not a day{_hint(day, DAYS)}")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ProfileFileError(
                name, "pins", f"{where}: expected a list of exercise ids, got {_show(ids)}"
            )
        pins |= {f"{day}:{i}" for i in ids}
    return frozenset(pins)


def _pins_table(profile: Profile) -> Any:
    """The [pins] table: day = [exercise ids], days in week order."""
    by_day: dict[str, list[str]] = {}
    for day, exercise in profile.pinned:
        by_day.setdefault(DAYS[day], []).append(exercise)
    table = tomlkit.table()
    for day, ids in by_day.items():
        table.add(day, ids)
    return table


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hint(word: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, allowed, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(allowed)}"


def _show(value) -> str:
    """A value as the person wrote it in TOML, near enough."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return repr(value)
