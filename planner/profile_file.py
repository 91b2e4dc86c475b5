"""Profiles as TOML files: ``dump_profile`` writes one, commented; ``load_profile`` reads one.

A file holds every tweakable setting of a ``Profile``. Its ``level`` picks the preset, the
file's values override the preset, and keyword overrides (the command-line options) override
the file. A bad file raises ``ProfileFileError``: one line naming the file, the key, the value
and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path

from planner import evidence, screening
from planner.catalog import CONDITIONS, EQUIPMENT, LEVELS
from planner.profile import (
    DAYS,
    DEFAULT_SESSION_TIME,
    MINUTES_RANGE,
    TIME_LIMIT_RANGE,
    WAKE_TIME,
    Profile,
    ProfileError,
)
from planner.screening import CLEARANCE_KEY, Screening, ScreeningError

_LIST_KINDS = {
    "days": "a list of day names",
    "equipment": "a list of equipment names",
    "exclude": "a list of exercise ids",
    "prefer": "a list of exercise ids",
    "dislike": "a list of exercise ids",
    "conditions": "a list of condition names",
}
_INTS = (
    "sessions",
    "minutes",
    "rpe_cap",
    "session_rpe",
    "max_days_per_exercise",
    "weeks",
    "ramp_cap_pct",
    "deload_every",
    "deload_pct",
    "start_load",
    "seed",
)
_FLOATS = ("session_fill", "acwr_cap", "time_limit")
_PAIRS = ("strength_sets", "reps")


def _range(low, high) -> str:
    return f"{low}-{high}"


# What each key means, its allowed range and the rule it comes from (evidence.py), in file
# order: the one-line comment written above the key. ``shares`` and ``screening`` are tables,
# so they come last.
COMMENTS = {
    "level": f"Fitness level ({', '.join(LEVELS)}): the preset for every key left out, and "
    "the catalogue levels you may be given (R2, R3, R5, R8).",
    "days": f"Days you are free ({', '.join(DAYS)}): sessions go only on these days.",
    "sessions": f"Sessions a week, 1-{len(DAYS)} and no more than the days above "
    "(R3: novice 2-3, intermediate 3-4, advanced 4-5).",
    "minutes": f"Minutes a session, {_range(*MINUTES_RANGE)}: the budget each session fills "
    "(R5: above about 60 min, drop-out rises).",
    "equipment": "Equipment you have (none, bodyweight, is always allowed); leave out for "
    f"everything. Known: {', '.join(EQUIPMENT)}.",
    "exclude": "Exercise ids never to plan (planner catalog lists the ids).",
    "prefer": "Exercise ids to plan when the rules allow (a soft goal).",
    "dislike": "Exercise ids to avoid when the rules allow (a soft goal); not also in prefer.",
    "allow_hip_flexor_dominant": "true allows sit-ups, leg raises and V-ups: hip-flexor work "
    "in disguise (Juker & McGill 1998), left out for tight hips.",
    "conditions": f"Conditions you have ({', '.join(CONDITIONS)}): exercises the catalogue "
    "marks as contraindicated are left out; back_pain also leaves out loaded end-range flexion "
    "(R16) and hip-flexor work in disguise.",
    "wake_time": 'When you get up, "HH:MM" (see session_time).',
    "session_time": 'When your sessions start, "HH:MM": within an hour of waking, end-range '
    "flexion stretches are left out (R15); leave out when it varies. Calendar exports "
    f"(--ics) start sessions then, or at {DEFAULT_SESSION_TIME} when it is left out.",
    "timezone": 'IANA time zone of session_time for calendar exports, e.g. "Europe/Berlin"; '
    "leave out for floating local time (the same clock time wherever you are).",
    "strength_sets": "Sets a strength exercise, [low, high] within 1-10 "
    "(R2: beginner 1-2, intermediate 2-3, advanced 3-4).",
    "reps": "Reps a strength set, [low, high] within 1-50 "
    "(R2: beginner 10-15, intermediate 8-12, advanced 6-12).",
    "rpe_cap": f"Per-set effort cap, RPE {_range(*evidence.RPE_SCALE)}: harder exercises are "
    "left out (beginner 6, intermediate 7-8, advanced 8-9).",
    "session_rpe": f"Session RPE for the target weekly load, {_range(*evidence.RPE_SCALE)} "
    "(R8, Foster 2001: load = RPE x minutes; beginner 3-5, intermediate 4-6, advanced 5-7).",
    "max_days_per_exercise": f"Days a week one exercise may appear, 1-{len(DAYS)} "
    "(variety; product choice).",
    "session_fill": "Share of its minutes a session fills at least, 0.0-1.0 (product choice).",
    "weeks": f"Weeks to plan, 1-{evidence.MAX_WEEKS}; later weeks follow the ramp, deload and "
    "acute:chronic guard rails (R10-R12).",
    "ramp_cap_pct": "Weekly load rises at most this % (R10 guard rail; "
    f"{evidence.RAMP_CAP_MIN_PCT}-{evidence.RAMP_CAP_PCT}, advanced up to "
    f"{evidence.RAMP_CAP_MAX_PCT}).",
    "deload_every": "Every this many weeks is an easier deload week, "
    f"{_range(*evidence.DELOAD_EVERY_RANGE)} (R12: about every 4th to 6th week).",
    "deload_pct": "A deload week carries this % of the week before's load, "
    f"{_range(*evidence.DELOAD_PCT_RANGE)} (R12: about 50-60 %).",
    "acwr_cap": f"Acute:chronic workload cap, {_range(*evidence.ACWR_CAP_RANGE)} "
    f"(R11 guard rail: 1.2 beginner, 1.3 otherwise, never {evidence.ACWR_DANGER}).",
    "start_load": "Weekly load (AU) before the plan, 1-100000; leave out to start at "
    f"{evidence.START_SHARE_PCT} % of the target load.",
    "start": "First day of the plan, YYYY-MM-DD, fills the date column; leave out for no dates.",
    "seed": "Solver seed, 0-2147483647: the same settings and seed give the same plan.",
    "time_limit": f"Seconds the solver may search, {_range(*TIME_LIMIT_RANGE)}.",
    "shares": "Balance targets: percent of session time by primary group, each 0-100, adding "
    "up to 100 (product choice: stretch what is tight, strengthen what is weak).",
    "screening": "Red-flag screening answers, true for yes (planner screen asks the questions "
    f"and writes this table; see the README). A yes to a red flag stops planning; a yes to a "
    f"clearance question needs {CLEARANCE_KEY} = true, a doctor's go-ahead, first.",
}
KEYS = tuple(COMMENTS)
# Blank lines in the written file go before these keys.
_SECTIONS = ("equipment", "conditions", "strength_sets", "weeks", "seed")
_TABLES = ("shares", "screening")


class ProfileFileError(ProfileError):
    """A profile file that cannot be used: one line naming the file (and line) first.

    ``key`` is the profile key at fault, or ``profile`` when the file as a whole is."""

    def __init__(self, path: str, key: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.key = key
        where = f"{path}:{line}" if line else path
        ValueError.__init__(self, f"{where}: {message}")


def dump_profile(profile: Profile) -> str:
    """The profile as TOML, with a one-line comment above every key.

    ``catalog_levels`` is not written: it follows ``level``.
    """
    lines = [
        "# A planner profile: planner plan --profile FILE uses it; options given on the",
        "# command line override it. R1-R17 are the rules in shared/reference/evidence.md.",
    ]
    for key in KEYS:
        if key in _SECTIONS or key in _TABLES:
            lines.append("")
        lines.append(f"# {COMMENTS[key]}")
        if key == "screening":
            lines += _screening_lines(profile.screening)
            continue
        if key == "shares":
            lines.append("[shares]")
            for group, pct in profile.shares:
                lines.append(
                    f"# Percent of time whose primary group is {group} "
                    f"(default {evidence.TARGET_SHARES.get(group, 0)})."
                )
                lines.append(f"{_bare_or_quoted(group)} = {pct}")
            continue
        value = getattr(profile, key)
        if value is None:  # unset: show what it amounts to, commented out
            example = {
                "equipment": list(EQUIPMENT),
                "start_load": profile.starting_load,
                "session_time": DEFAULT_SESSION_TIME,
                "timezone": "Europe/Berlin",
            }
            if key in example:
                lines.append(f"# {key} = {_toml(example[key])}")
            continue
        if key == "equipment":
            value = [name for name in EQUIPMENT if name in value]
        elif key in ("exclude", "prefer", "dislike"):
            value = sorted(value)
        elif key == "conditions":
            value = [name for name in CONDITIONS if name in value]
        lines.append(f"{key} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def _screening_lines(answers: Screening | None) -> list[str]:
    """The [screening] table, each answer under its question; nothing when never screened."""
    if answers is None:
        return [f"# (none yet: run {screening.SCREEN_COMMAND})"]
    lines = ["[screening]"]
    for question_id, value in answers.answers:
        question = screening.BY_ID[question_id]
        lines.append(f"# {question.text} ({screening.GROUPS[question.group]})")
        lines.append(f"{question_id} = {_toml(value)}")
    lines.append("# A doctor has cleared you to exercise after a yes to a clearance question.")
    lines.append(f"{CLEARANCE_KEY} = {_toml(answers.medical_clearance)}")
    return lines


def load_profile(path: str | Path, **overrides) -> Profile:
    """The profile in the TOML file at ``path``, with non-None ``overrides`` applied last.

    Raises ``ProfileFileError`` for a problem in the file, and ``ProfileError`` (naming the
    key only) for a bad override.
    """
    name = str(path)
    data = _parse(name, _read(Path(path), name))
    values = _values(name, data)
    given = {key: value for key, value in overrides.items() if value is not None}
    level = given.pop("level", values.pop("level", "beginner"))
    if "shares" in values:
        values["shares"] = tuple({**evidence.TARGET_SHARES, **values["shares"]}.items())
    try:
        return Profile.for_level(level, **{**values, **given})
    except ProfileError as err:
        root = err.key.split(".")[0]
        if root in given:
            raise
        # profile.py words the days clash for the command line; here it is the file's key.
        message = str(err).replace("--days gives", "days gives")
        raise ProfileFileError(name, err.key, message) from None


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
    """The file's keys checked for type and turned into Profile field values."""
    values = {}
    for key, value in data.items():
        if key not in COMMENTS:
            raise ProfileFileError(name, key, f"unknown key {key!r}{_hint(key, KEYS)}")
        values[key] = _value(name, key, value)
    return values


def _value(name: str, key: str, value):
    def wrong(expected: str) -> ProfileFileError:
        return ProfileFileError(name, key, f"{key}: expected {expected}, got {_show(value)}")

    if key == "level":
        if not isinstance(value, str):
            raise wrong("a level name")
        return value
    if key in _LIST_KINDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong(_LIST_KINDS[key])
        return tuple(value) if key == "days" else frozenset(value)
    if key == "allow_hip_flexor_dominant":
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if key in _PAIRS:
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_int, value))):
            raise wrong("[low, high], two whole numbers")
        return tuple(value)
    if key in _INTS:
        if not _is_int(value):
            raise wrong("a whole number")
        return value
    if key in _FLOATS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong("a number")
        return float(value)
    if key == "start":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise wrong("a date without quotes, e.g. 2026-11-30")
    if key in ("wake_time", "session_time"):
        if isinstance(value, str | dt.time):
            return value
        raise wrong(f'a time in quotes, e.g. "{WAKE_TIME}"')
    if key == "timezone":
        if isinstance(value, str):
            return value
        raise wrong('a time zone name in quotes, e.g. "Europe/Berlin"')
    if key == "screening":
        return _screening(name, value)
    # shares
    if not isinstance(value, dict):
        raise wrong("a table of group = percent")
    groups = tuple(evidence.TARGET_SHARES)
    for group, pct in value.items():
        if group not in groups:
            raise ProfileFileError(
                name, key, f"shares: {group!r} is not a balance group{_group_hint(group)}"
            )
        if not _is_int(pct):
            raise ProfileFileError(
                name,
                f"shares.{group}",
                f"shares.{group}: expected a whole number, got {_show(pct)}",
            )
    return value


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
                f"{' and '.join(f'[{t}]' for t in _TABLES)} tables",
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


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hint(word: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, allowed, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(allowed)}"


def _group_hint(group: str) -> str:
    """A near group, else a near top-level key: keys below [shares] belong to that table."""
    groups = tuple(evidence.TARGET_SHARES)
    if group in KEYS:
        return "; move it above the [shares] line"
    if group in screening.BY_ID or group == CLEARANCE_KEY:
        return "; move it below a [screening] line"
    if difflib.get_close_matches(group, groups, n=1):
        return _hint(group, groups)
    near = difflib.get_close_matches(group, KEYS, n=1)
    if near:
        return f"; did you mean {near[0]!r}, above the [shares] line?"
    return _hint(group, groups)


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


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _string(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _bare_or_quoted(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)
