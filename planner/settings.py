"""Every setting a person or the solver can change, declared once.

A ``Setting`` says what values a key takes (its kind and bounds), its default (or that each
level's preset in ``evidence.LEVELS`` gives it), one line of help and, when the command line
offers it, its option. ``SETTINGS`` holds them in the order a profile file lists them. From it
``planner.profile`` checks ranges (``Profile``, ``SolverOptions``), ``planner.profile_file``
checks a file's types and writes its comments, and ``planner.cli.options`` makes the click
options, so that a setting's name, range and words are typed once.

The person's settings belong to the ``Profile``; ``seed`` and ``time_limit`` say how the solver
searches, not who the plan is for, and belong to ``SolverOptions``. Profile files hold both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from planner import evidence
from planner.catalog import CONDITIONS, EQUIPMENT, LEVELS
from planner.screening import CLEARANCE_KEY

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_RANGE = (10, evidence.SESSION_MINUTES_CAP)
TIME_LIMIT_RANGE = (0.1, 600.0)
# Deterministic seconds of search a call may spend (CP-SAT's deterministic time: a count of
# work, the same on any machine at any load). 4 is what the 10 s limit gave at 0.4 of them a
# second before the budget was its own setting, so default plans are the ones they were.
BUDGET_RANGE = (0.05, 600.0)
# The most a profile may ask of strength_share_pct: stretching and warm-up need some of the week.
STRENGTH_SHARE_HIGH = 80
# The most exercises of one kind a session-shape setting may allow in a session.
SESSION_EXERCISES_HIGH = 12
# The most weekly_sets may ask for one group: R18's dose-response levels off well before it.
WEEKLY_SETS_HIGH = 30
SEED_RANGE = (0, 2**31 - 1)  # CP-SAT's random_seed is a 32-bit signed integer
WAKE_TIME = "07:00"
# When calendar exports start a session whose profile gives no session_time: the evening,
# well clear of waking, so an event never contradicts R15 in a plan made without a time.
DEFAULT_SESSION_TIME = "18:00"

# What a setting's values are. Lists come as comma-separated words on the command line.
Kind = Literal[
    "level", "days", "names", "bool", "int", "float", "pair", "date", "clock", "zone", "table"
]
LIST_KINDS = ("days", "names")
Owner = Literal["profile", "solver"]


class ProfileError(ValueError):
    """A setting out of range: ``key`` names the setting (``screening.fever`` for one entry of
    a table), ``detail`` what is wrong with it.

    ``str()`` names settings by their keys; ``worded`` names them otherwise (the command line
    by its options). ``other`` is a second setting the detail names, as ``{other}``, e.g. the
    days that too many sessions do not fit."""

    def __init__(self, key: str, detail: str, other: str | None = None):
        self.key = key
        self.detail = detail
        self.other = other
        super().__init__(self.worded(str))

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each setting named by ``name(key)``."""
        detail = self.detail
        if self.other is not None:
            detail = detail.replace(f"{{{self.other}}}", name(self.other))
        return f"{name(self.key)}: {detail}"


@dataclass(frozen=True)
class Setting:
    """One setting: what it takes, what it defaults to, and the words that explain it."""

    name: str
    kind: Kind
    # One line: the comment above the key in a profile file and the option's --help.
    help: str
    owner: Owner = "profile"
    default: Any = None
    per_level: bool = False  # the default comes from each level's preset (evidence.LEVELS)
    low: float | None = None  # bounds of a number, or of each end of a pair
    high: float | None = None
    levels_high: tuple[tuple[str, float], ...] = ()  # (level, top) where a level's top differs
    items: str = ""  # what a list holds, for "expected a list of ..."
    option: str | None = None  # the command-line option, when there is one
    off_option: str | None = None  # a bool's option for false, when not --no-<option>
    metavar: str | None = None
    multiple: bool = False  # the option may be given again, and adds to the profile's
    section: bool = False  # a blank line before it in a profile file
    # What an unset (None) value amounts to, written commented out in a profile file.
    example: Callable[[Any], Any] | None = None

    @property
    def flags(self) -> str | None:
        """The command-line option; for a bool, both of its flags ("--x/--no-x")."""
        if self.kind != "bool" or self.option is None:
            return self.option
        return f"{self.option}/{self.off_option or '--no-' + self.option.removeprefix('--')}"

    def default_for(self, level: str) -> Any:
        """The value when neither the file nor the command line gives one."""
        return evidence.LEVELS[level][self.name] if self.per_level else self.default

    def bounds(self, level: str | None = None) -> tuple[float, float]:
        return self.low, dict(self.levels_high).get(level, self.high)

    def check(self, value: Any, level: str | None = None) -> None:
        """Raise ``ProfileError`` unless ``value`` is within the bounds (for a pair: both ends,
        low first). Settings without bounds, an unset optional value and tables (whose
        entries their owner checks, as it knows their keys) pass."""
        unset = value is None and self.default is None and not self.per_level
        if self.low is None or unset or self.kind == "table":
            return
        low, high = self.bounds(level)
        if self.kind == "pair":
            first, second = value
            check_range(self.name, first, low, high)
            check_range(self.name, second, first, high)
        else:
            check_range(self.name, value, low, high)


def check_range(key: str, value: Any, low: float, high: float) -> None:
    """Raise ``ProfileError`` unless ``value`` is a number (not a bool, not NaN) in
    ``low``..``high``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ProfileError(key, f"{value!r} is not a number; allowed: {low} to {high}")
    if not low <= value <= high:
        raise ProfileError(key, f"{value} is out of range; allowed: {low} to {high}")


def _range(low, high) -> str:
    return f"{low}-{high}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "level",
        "level",
        f"Fitness level ({', '.join(LEVELS)}): the preset for every key left out, and the "
        "catalogue levels you may be given (R2, R3, R5, R8).",
        default="beginner",
        option="--level",
    ),
    Setting(
        "days",
        "days",
        f"Days you are free ({', '.join(DAYS)}): sessions go only on these days.",
        items="day names",
        option="--days",
        metavar="mon,wed,fri",
    ),
    Setting(
        "sessions",
        "int",
        f"Sessions a week, 1-{len(DAYS)} and no more than the days above "
        "(R3: novice 2-3, intermediate 3-4, advanced 4-5).",
        per_level=True,
        low=1,
        high=len(DAYS),
        option="--sessions",
    ),
    Setting(
        "minutes",
        "int",
        f"Minutes a session, {_range(*MINUTES_RANGE)}: the budget each session fills "
        "(R5: above about 60 min, drop-out rises).",
        per_level=True,
        low=MINUTES_RANGE[0],
        high=MINUTES_RANGE[1],
        option="--minutes",
    ),
    Setting(
        "equipment",
        "names",
        "Equipment you have (none, bodyweight, is always allowed); leave out for "
        f"everything. Known: {', '.join(EQUIPMENT)}.",
        items="equipment names",
        option="--equipment",
        metavar="NAMES",
        section=True,
        example=lambda profile: list(EQUIPMENT),
    ),
    Setting(
        "exclude",
        "names",
        "Exercise ids never to plan (planner catalog lists the ids).",
        default=frozenset(),
        items="exercise ids",
        option="--exclude",
        metavar="IDS",
    ),
    Setting(
        "avoid",
        "names",
        "Exercise ids to leave out from here on: as exclude, but weeks kept from an earlier "
        "plan (--keep) may still hold them; not also pinned.",
        default=frozenset(),
        items="exercise ids",
        option="--avoid",
        metavar="ID",
        multiple=True,
    ),
    Setting(
        "prefer",
        "names",
        "Exercise ids to plan when the rules allow (a soft goal).",
        default=frozenset(),
        items="exercise ids",
    ),
    Setting(
        "pins",
        "names",
        "Exercises kept on a day every week: day:id on the command line (wed:glute_bridge), "
        'a [pins] table in a profile (wed = ["glute_bridge"]); the day must be one of yours.',
        default=frozenset(),
        items="day:exercise pairs",
        option="--pin",
        metavar="DAY:ID",
        multiple=True,
    ),
    Setting(
        "dislike",
        "names",
        "Exercise ids to avoid when the rules allow (a soft goal); not also in prefer.",
        default=frozenset(),
        items="exercise ids",
    ),
    Setting(
        "allow_hip_flexor_dominant",
        "bool",
        "true allows sit-ups, leg raises and V-ups: hip-flexor work in disguise "
        "(Juker & McGill 1998), left out for tight hips.",
        default=False,
        option="--allow-hip-flexor-dominant",
    ),
    Setting(
        "conditions",
        "names",
        f"Conditions you have ({', '.join(CONDITIONS)}): exercises the catalogue marks as "
        "contraindicated are left out; back_pain also leaves out loaded end-range flexion "
        "(R16) and hip-flexor work in disguise.",
        default=frozenset(),
        items="condition names",
        option="--condition",
        metavar="NAME",
        multiple=True,
        section=True,
    ),
    Setting(
        "wake_time",
        "clock",
        'When you get up, "HH:MM" (see session_time).',
        default=WAKE_TIME,
        option="--wake-time",
        metavar="HH:MM",
    ),
    Setting(
        "session_time",
        "clock",
        'When your sessions start, "HH:MM": within an hour of waking, end-range flexion '
        "stretches are left out (R15); leave out when it varies. Calendar exports (--ics) "
        f"start sessions then, or at {DEFAULT_SESSION_TIME} when it is left out.",
        option="--session-time",
        metavar="HH:MM",
        example=lambda profile: DEFAULT_SESSION_TIME,
    ),
    Setting(
        "timezone",
        "zone",
        'IANA time zone of session_time for calendar exports, e.g. "Europe/Berlin"; leave out '
        "for floating local time (the same clock time wherever you are).",
        option="--timezone",
        metavar="ZONE",
        example=lambda profile: "Europe/Berlin",
    ),
    Setting(
        "remind",
        "int",
        "Minutes before each session that calendar exports (--ics) remind you, 1-1440; leave "
        "out for no reminder.",
        low=1,
        high=1440,
        option="--remind",
        metavar="MINUTES",
        example=lambda profile: 30,
    ),
    Setting(
        "strength_sets",
        "pair",
        "Sets a strength exercise, [low, high] within 1-10 "
        "(R2: beginner 1-2, intermediate 2-3, advanced 3-4).",
        per_level=True,
        low=1,
        high=10,
        section=True,
    ),
    Setting(
        "reps",
        "pair",
        "Reps a strength set, [low, high] within 1-50 "
        "(R2: beginner 10-15, intermediate 8-12, advanced 6-12).",
        per_level=True,
        low=1,
        high=50,
    ),
    Setting(
        "strength_rest_s",
        "int",
        "Seconds of rest after a strength set, 15-300 (ACSM 2009: 30-60 s for light sets, 1-2 "
        "min at moderate loads, 2-3 min for heavy ones; beginner 45, intermediate 60, "
        "advanced 90).",
        per_level=True,
        low=15,
        high=300,
    ),
    Setting(
        "rpe_cap",
        "int",
        f"Per-set effort cap, RPE {_range(*evidence.RPE_SCALE)}: harder exercises are left out "
        "(beginner 6, intermediate 7-8, advanced 8-9).",
        per_level=True,
        low=evidence.RPE_SCALE[0],
        high=evidence.RPE_SCALE[1],
    ),
    Setting(
        "session_rpe",
        "int",
        f"Session RPE for the target weekly load, {_range(*evidence.RPE_SCALE)} "
        "(R8, Foster 2001: load = RPE x minutes; beginner 3-5, intermediate 4-6, advanced 5-7).",
        per_level=True,
        low=evidence.RPE_SCALE[0],
        high=evidence.RPE_SCALE[1],
    ),
    Setting(
        "strength_share_pct",
        "int",
        f"Strength work at least this % of the week's time, 0-{STRENGTH_SHARE_HIGH} "
        "(R20, product choice: beginner 35, intermediate 45, advanced 50).",
        per_level=True,
        low=0,
        high=STRENGTH_SHARE_HIGH,
    ),
    Setting(
        "session_strength_pct",
        "int",
        f"Strength work at least this % of any session that strengthens, 0-{STRENGTH_SHARE_HIGH} "
        f"(R20, product choice: {evidence.SESSION_STRENGTH_PCT}).",
        default=evidence.SESSION_STRENGTH_PCT,
        low=0,
        high=STRENGTH_SHARE_HIGH,
    ),
    Setting(
        "strength_exercises",
        "pair",
        "Strength exercises in a session that strengthens, [least, most] within "
        f"1-{SESSION_EXERCISES_HIGH}; the least applies from "
        f"{evidence.SESSION_STRENGTH_MINUTES} min (R20, NSCA: "
        f"{evidence.SESSION_STRENGTH_EXERCISES} and {evidence.SESSION_STRENGTH_MAX}).",
        default=(evidence.SESSION_STRENGTH_EXERCISES, evidence.SESSION_STRENGTH_MAX),
        low=1,
        high=SESSION_EXERCISES_HIGH,
    ),
    Setting(
        "max_stretches",
        "int",
        f"Stretches in one session at most, 1-{SESSION_EXERCISES_HIGH} (R20, R21: "
        f"{evidence.STRETCHES_PER_SESSION}).",
        default=evidence.STRETCHES_PER_SESSION,
        low=1,
        high=SESSION_EXERCISES_HIGH,
    ),
    Setting(
        "max_stretches_per_muscle",
        "int",
        f"Stretches for one primary muscle in one session at most, 1-{SESSION_EXERCISES_HIGH} "
        f"(R20: {evidence.STRETCHES_PER_MUSCLE}).",
        default=evidence.STRETCHES_PER_MUSCLE,
        low=1,
        high=SESSION_EXERCISES_HIGH,
    ),
    Setting(
        "max_releases",
        "pair",
        f"Releases in one session at most, [under {evidence.WARM_UP_LONG_MINUTES} min, from "
        f"{evidence.WARM_UP_LONG_MINUTES} min] within 0-{SESSION_EXERCISES_HIGH} (R20: "
        f"{evidence.WARM_UP_RELEASES} and {evidence.WARM_UP_LONG_RELEASES}).",
        default=(evidence.WARM_UP_RELEASES, evidence.WARM_UP_LONG_RELEASES),
        low=0,
        high=SESSION_EXERCISES_HIGH,
    ),
    Setting(
        "max_mobility",
        "pair",
        "Mobility drills in a session that strengthens at most, [under "
        f"{evidence.WARM_UP_LONG_MINUTES} min, from {evidence.WARM_UP_LONG_MINUTES} min] within "
        f"0-{SESSION_EXERCISES_HIGH} (R20: {evidence.WARM_UP_MOBILITY} and "
        f"{evidence.WARM_UP_LONG_MOBILITY}).",
        default=(evidence.WARM_UP_MOBILITY, evidence.WARM_UP_LONG_MOBILITY),
        low=0,
        high=SESSION_EXERCISES_HIGH,
    ),
    Setting(
        "weekly_sets",
        "pair",
        "Strength sets a week for each of glutes, core and hamstrings, [minimum, aim] within "
        f"0-{WEEKLY_SETS_HIGH}, a set counting 1 for its main group and 0.5 for others (R18, "
        "R19: beginner 4/6, intermediate 6/10, advanced 8/12; halved in deload weeks).",
        per_level=True,
        low=0,
        high=WEEKLY_SETS_HIGH,
    ),
    Setting(
        "posterior_patterns",
        "bool",
        "true: every week holds a hinge or hamstring curl and a bridge or hip thrust (R22); "
        "false only for someone who cannot do either.",
        default=True,
    ),
    Setting(
        "max_days_per_exercise",
        "int",
        f"Days a week one exercise may appear, 1-{len(DAYS)} (variety; product choice).",
        default=evidence.MAX_DAYS_PER_EXERCISE,
        low=1,
        high=len(DAYS),
        option="--max-days-per-exercise",
    ),
    Setting(
        "session_fill",
        "float",
        "Share of its minutes a session fills at least, 0.0-1.0 (product choice).",
        default=evidence.SESSION_FILL,
        low=0.0,
        high=1.0,
    ),
    Setting(
        "weeks",
        "int",
        f"Weeks to plan, 1-{evidence.MAX_WEEKS}; later weeks follow the ramp, deload and "
        "acute:chronic guard rails (R10-R12).",
        default=4,
        low=1,
        high=evidence.MAX_WEEKS,
        option="--weeks",
        section=True,
    ),
    Setting(
        "programme",
        "bool",
        "A programme (true) ramps load from start_load, even over 1 week (its first week); a "
        "lone week (false; weeks 1) repeats, with no ramp. Leave out for a lone week when "
        "weeks is 1, else a programme.",
        option="--programme",
        off_option="--lone-week",
        example=lambda profile: not profile.lone_week,
    ),
    Setting(
        "ramp_cap_pct",
        "int",
        "Weekly load rises at most this % (R10 guard rail; "
        f"{evidence.RAMP_CAP_MIN_PCT}-{evidence.RAMP_CAP_PCT}, advanced up to "
        f"{evidence.RAMP_CAP_MAX_PCT}).",
        default=evidence.RAMP_CAP_PCT,
        low=evidence.RAMP_CAP_MIN_PCT,
        high=evidence.RAMP_CAP_PCT,
        levels_high=(("advanced", evidence.RAMP_CAP_MAX_PCT),),
    ),
    Setting(
        "deload_every",
        "int",
        "Every this many weeks is an easier deload week, "
        f"{_range(*evidence.DELOAD_EVERY_RANGE)} (R12: about every 4th to 6th week).",
        default=evidence.DELOAD_EVERY,
        low=evidence.DELOAD_EVERY_RANGE[0],
        high=evidence.DELOAD_EVERY_RANGE[1],
    ),
    Setting(
        "deload_pct",
        "int",
        "A deload week carries this % of the week before's load, "
        f"{_range(*evidence.DELOAD_PCT_RANGE)} (R12: about 50-60 %).",
        default=evidence.DELOAD_PCT,
        low=evidence.DELOAD_PCT_RANGE[0],
        high=evidence.DELOAD_PCT_RANGE[1],
    ),
    Setting(
        "acwr_cap",
        "float",
        f"Acute:chronic workload cap, {_range(*evidence.ACWR_CAP_RANGE)} "
        f"(R11 guard rail: 1.2 beginner, 1.3 otherwise, never {evidence.ACWR_DANGER}).",
        per_level=True,
        low=evidence.ACWR_CAP_RANGE[0],
        high=evidence.ACWR_CAP_RANGE[1],
    ),
    Setting(
        "start_load",
        "int",
        "Weekly load (AU) before the plan, 1-100000; leave out to start at "
        f"{evidence.START_SHARE_PCT} % of the target load.",
        low=1,
        high=100_000,
        example=lambda profile: profile.starting_load,
    ),
    Setting(
        "start",
        "date",
        "First day of the plan, YYYY-MM-DD, fills the date column; leave out for no dates.",
        option="--start",
        metavar="YYYY-MM-DD",
    ),
    Setting(
        "seed",
        "int",
        "Solver seed, 0-2147483647: the same settings and seed give the same plan.",
        owner="solver",
        default=0,
        low=SEED_RANGE[0],
        high=SEED_RANGE[1],
        option="--seed",
        section=True,
    ),
    Setting(
        "budget",
        "float",
        f"Deterministic seconds of search for the whole plan, {_range(*BUDGET_RANGE)}: a "
        "count of work, not of time, so the same inputs, seed and budget give the same plan "
        "on any machine at any load; more can find a better plan.",
        owner="solver",
        default=4.0,
        low=BUDGET_RANGE[0],
        high=BUDGET_RANGE[1],
        option="--budget",
    ),
    Setting(
        "time_limit",
        "float",
        f"Wall-clock seconds the whole solve may take, {_range(*TIME_LIMIT_RANGE)}: a safety "
        "net; a plan it cuts short exits 5 and may differ from run to run.",
        owner="solver",
        default=60.0,  # wall-clock seconds for the whole call
        low=TIME_LIMIT_RANGE[0],
        high=TIME_LIMIT_RANGE[1],
        option="--time-limit",
    ),
    Setting(
        "screening",
        "table",
        "Red-flag screening answers, true for yes (planner screen asks the questions and "
        "writes this table; see the README). A yes to a red flag stops planning; a yes to a "
        f"clearance question needs {CLEARANCE_KEY} = true, a doctor's go-ahead, first.",
    ),
)
BY_NAME: Mapping[str, Setting] = MappingProxyType({s.name: s for s in SETTINGS})
# Settings that are gone, each with what replaced it: a file that still holds one is told so.
RETIRED: Mapping[str, str] = MappingProxyType(
    {
        "shares": "balance is now weekly strength sets (weekly_sets = [minimum, aim])",
    }
)
KEYS = tuple(BY_NAME)
TABLES = tuple(s.name for s in SETTINGS if s.kind == "table")
PROFILE_SETTINGS = tuple(s for s in SETTINGS if s.owner == "profile")
SOLVER_SETTINGS = tuple(s for s in SETTINGS if s.owner == "solver")


def defaults(level: str, owner: Owner = "profile") -> dict[str, Any]:
    """Each of ``owner``'s settings at ``level``'s preset, ``level`` included."""
    found = {s.name: s.default_for(level) for s in SETTINGS if s.owner == owner}
    return {**found, "level": level} if owner == "profile" else found


def option_name(key: str) -> str:
    """The command-line option for a setting key (``screening.fever`` counts as ``screening``; a
    bool's is both flags), or the key itself when the command line has none."""
    setting = BY_NAME.get(key.split(".")[0])
    return setting.flags if setting is not None and setting.option else key
