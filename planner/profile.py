"""A person's profile: fitness level, free days and minutes, equipment, and constraint tweaks;
and the solver's options (seed, time limit), which are not the person's and live beside it.

``Profile.for_level`` starts from the level's preset (``evidence.LEVELS``) and applies
overrides; the dataclass checks itself, so a Profile that exists is a valid one. Each
setting's range, default and meaning are declared once, in ``planner.settings``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass, fields, replace

from planner import evidence
from planner.catalog import CONDITIONS, EQUIPMENT, LEVELS, Catalog, Exercise
from planner.screening import Screening
from planner.settings import (
    DAYS,
    DEFAULT_SESSION_TIME,
    MINUTES_RANGE,
    PROFILE_SETTINGS,
    SOLVER_SETTINGS,
    TIME_LIMIT_RANGE,
    WAKE_TIME,
    ProfileError,
    defaults,
)

__all__ = [
    "DAYS",
    "DEFAULT_SESSION_TIME",
    "LAST_DATE",
    "MINUTES_RANGE",
    "MORNING_MINUTES",
    "TIME_LIMIT_RANGE",
    "WAKE_TIME",
    "Profile",
    "ProfileError",
    "SolverOptions",
    "spread_days",
]

# R15 (McGill; Snook 1998): no end-range lumbar flexion in the first hour after rising.
MORNING_MINUTES = 60
# The last date a plan may reach, a year short of the last one Python can hold: exports work
# past a plan's dates (a calendar's time-zone rules are looked up to 64 days beyond its last
# session), and each must finish rather than overflow.
LAST_DATE = dt.date(dt.MAXYEAR - 1, 12, 31)
# Why an avoided exercise is left out: weeks kept from an earlier plan may still hold it.
AVOIDED = "avoided by you"
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
# Each field's default is its setting's (planner.settings): the beginner preset.
_DEFAULT = defaults("beginner")
_SOLVER_DEFAULT = defaults("beginner", owner="solver")


@dataclass(frozen=True)
class SolverOptions:
    """How long and from which seed the solver searches: not the person, so not the profile.
    The same inputs and seed give the same plan. Checked against planner.settings."""

    seed: int = _SOLVER_DEFAULT["seed"]
    budget: float = _SOLVER_DEFAULT["budget"]  # deterministic seconds for the whole call
    time_limit: float = _SOLVER_DEFAULT["time_limit"]  # wall-clock seconds: a safety net

    def __post_init__(self) -> None:
        for setting in SOLVER_SETTINGS:
            setting.check(getattr(self, setting.name))


@dataclass(frozen=True)
class Profile:
    """Everything the model needs to know about the person, validated on construction.

    What each setting means, its range and default: ``planner.settings.SETTINGS``."""

    level: str = _DEFAULT["level"]
    days: tuple[str, ...] | None = None  # None: sessions spread evenly over the week
    sessions: int = _DEFAULT["sessions"]
    minutes: int = _DEFAULT["minutes"]
    equipment: frozenset[str] | None = None  # None: everything the catalogue uses
    exclude: frozenset[str] = _DEFAULT["exclude"]
    # Left out as exclude is, of the weeks planned now only: not of weeks kept (Plan.kept).
    avoid: frozenset[str] = _DEFAULT["avoid"]
    allow_hip_flexor_dominant: bool = _DEFAULT["allow_hip_flexor_dominant"]
    strength_sets: tuple[int, int] = _DEFAULT["strength_sets"]
    reps: tuple[int, int] = _DEFAULT["reps"]
    strength_rest_s: int = _DEFAULT["strength_rest_s"]
    rpe_cap: int = _DEFAULT["rpe_cap"]
    session_rpe: int = _DEFAULT["session_rpe"]
    strength_share_pct: int = _DEFAULT["strength_share_pct"]
    # Session shape (R20; planner.rules warm_up, stretch_block, strength_block).
    session_strength_pct: int = _DEFAULT["session_strength_pct"]
    strength_exercises: tuple[int, int] = _DEFAULT["strength_exercises"]
    max_stretches: int = _DEFAULT["max_stretches"]
    max_stretches_per_muscle: int = _DEFAULT["max_stretches_per_muscle"]
    max_releases: tuple[int, int] = _DEFAULT["max_releases"]
    max_mobility: tuple[int, int] = _DEFAULT["max_mobility"]
    weekly_sets: tuple[int, int] = _DEFAULT["weekly_sets"]  # [minimum, aim] (planner.balance)
    posterior_patterns: bool = _DEFAULT["posterior_patterns"]
    catalog_levels: tuple[str, ...] = evidence.LEVELS["beginner"]["levels"]  # follows level
    max_days_per_exercise: int = _DEFAULT["max_days_per_exercise"]
    session_fill: float = _DEFAULT["session_fill"]
    start: dt.date | None = None
    prefer: frozenset[str] = _DEFAULT["prefer"]
    dislike: frozenset[str] = _DEFAULT["dislike"]
    pins: frozenset[str] = _DEFAULT["pins"]  # "day:exercise id": on that day every week
    # Multi-week programmes (R10-R12).
    weeks: int = _DEFAULT["weeks"]
    programme: bool | None = None  # None: a lone week when weeks is 1 (see lone_week)
    ramp_cap_pct: int = _DEFAULT["ramp_cap_pct"]
    deload_every: int = _DEFAULT["deload_every"]
    deload_pct: int = _DEFAULT["deload_pct"]
    acwr_cap: float = _DEFAULT["acwr_cap"]
    start_load: int | None = None  # AU a week before the plan; None: START_SHARE of the target
    # Safety: conditions filter the catalogue's contraindications; session_time and wake_time
    # keep end-range flexion out of the first hour after rising (R15); screening holds the
    # red-flag answers (planner.screening).
    conditions: frozenset[str] = _DEFAULT["conditions"]
    wake_time: str = _DEFAULT["wake_time"]
    session_time: str | None = None  # "HH:MM" the sessions start; None: not known
    # IANA name ("Europe/Berlin") of the zone session_time is in, for calendar exports. None:
    # floating local time, 18:00 wherever you are, which is right for a home routine; a
    # UTC default would put the session at the wrong hour for nearly everyone.
    timezone: str | None = None
    remind: int | None = None  # minutes before a session its calendar event alarms; None: none
    screening: Screening | None = None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ProfileError("level", f"{self.level!r} is unknown; allowed: {', '.join(LEVELS)}")
        if self.days is None:
            object.__setattr__(self, "days", spread_days(self.sessions))
        bad = [d for d in self.days if d not in DAYS]
        if bad:
            raise ProfileError("days", f"{bad[0]!r} is not a day; allowed: {', '.join(DAYS)}")
        if not self.days or len(set(self.days)) != len(self.days):
            raise ProfileError("days", "list each available day once, e.g. mon,wed,fri")
        object.__setattr__(self, "days", tuple(d for d in DAYS if d in self.days))
        for key in ("exclude", "avoid", "prefer", "dislike", "conditions", "pins"):
            object.__setattr__(self, key, frozenset(getattr(self, key)))
        for setting in PROFILE_SETTINGS:  # the numbers' ranges, as declared
            setting.check(getattr(self, setting.name), self.level)
        # What the ranges cannot say: how the settings fit together, and the vocabularies.
        if self.programme is False and self.weeks > 1:
            raise ProfileError(
                "weeks",
                f"{self.weeks} weeks make a programme, but {{programme}} asks for a lone week, "
                "which is 1 week",
                other="programme",
            )
        if self.sessions > len(self.days):
            raise ProfileError(
                "sessions",
                f"{self.sessions} sessions need {self.sessions} available days; "
                f"{{days}} gives {len(self.days)} ({','.join(self.days)})",
                other="days",
            )
        if self.equipment is not None:
            unknown = sorted(self.equipment - set(EQUIPMENT))
            if unknown:
                raise ProfileError(
                    "equipment", f"{unknown[0]!r} is unknown; allowed: {', '.join(EQUIPMENT)}"
                )
            object.__setattr__(self, "equipment", frozenset(self.equipment) | {"none"})
        for level in self.catalog_levels:
            if level not in LEVELS:
                raise ProfileError("catalog_levels", f"{level!r} is unknown")
        both = sorted(self.prefer & self.dislike)
        if both:
            raise ProfileError("dislike", f"{both[0]!r} is also preferred; choose one")
        for pin in sorted(self.pins):
            day, _, exercise = pin.partition(":")
            if not exercise or day not in DAYS:
                raise ProfileError("pins", f"{pin!r} is not day:id, e.g. wed:glute_bridge")
            if day not in self.days:
                raise ProfileError(
                    "pins",
                    f"{pin!r} pins to {day}, not one of {{days}} ({','.join(self.days)})",
                    other="days",
                )
        pinned = sorted(self.avoid & {exercise for _, exercise in self.pinned})
        if pinned:
            raise ProfileError(
                "avoid", f"{pinned[0]!r} is also pinned ({{pins}}); choose one", other="pins"
            )
        self._check_start()
        unknown = sorted(self.conditions - set(CONDITIONS))
        if unknown:
            raise ProfileError(
                "conditions", f"{unknown[0]!r} is unknown; allowed: {', '.join(CONDITIONS)}"
            )
        object.__setattr__(self, "wake_time", _clock("wake_time", self.wake_time))
        if self.session_time is not None:
            object.__setattr__(self, "session_time", _clock("session_time", self.session_time))
        if self.timezone is not None:
            _zone("timezone", self.timezone)
        if self.screening is not None and not isinstance(self.screening, Screening):
            raise ProfileError("screening", "expected a planner.screening.Screening")

    def _check_start(self) -> None:
        """A date from which every week of the plan, and the day after it, ends by LAST_DATE."""
        if self.start is None:
            return
        if not isinstance(self.start, dt.date):
            raise ProfileError("start", f"{self.start!r} is not a date; allowed: YYYY-MM-DD")
        latest = LAST_DATE - dt.timedelta(days=7 * self.weeks)
        if self.start > latest:
            weeks = f"{self.weeks} week{'s' if self.weeks > 1 else ''}"
            raise ProfileError(
                "start",
                f"{self.start.isoformat()} is too late for {weeks} of dates (a plan ends by "
                f"{LAST_DATE.isoformat()}); allowed: up to {latest.isoformat()}",
            )

    @classmethod
    def for_level(cls, level: str = "beginner", **overrides) -> Profile:
        """The level's preset from evidence.md with ``overrides`` applied (None means unset);
        without ``sessions``, the preset's sessions capped at the ``days`` given; without
        ``weeks``, a lone week (``programme`` false) is 1 week."""
        if level not in evidence.LEVELS:
            raise ProfileError("level", f"{level!r} is unknown; allowed: {', '.join(LEVELS)}")
        preset = {s.name: s.default_for(level) for s in PROFILE_SETTINGS if s.per_level}
        preset["catalog_levels"] = evidence.LEVELS[level]["levels"]
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise ProfileError(key, "is not a profile setting")
            if value is not None:
                preset[key] = value
        if overrides.get("weeks") is None and preset.get("programme") is False:
            preset["weeks"] = 1  # --lone-week alone plans 1 week, not fails on the default 4
        if overrides.get("sessions") is None and preset.get("days") is not None:
            # The level's sessions fit the days given (issue 16): mon,wed,fri makes 3 sessions
            # at intermediate, whose preset is 4; an asked-for number that does not fit stays
            # an error.
            preset["sessions"] = min(preset["sessions"], len(set(preset["days"])))
        return cls(level=level, **preset)

    def with_changes(self, **changes) -> Profile:
        """A checked copy with ``changes`` made."""
        return replace(self, **changes)

    @property
    def required_strength_days(self) -> int:
        """Days each of the strengthened groups needs (R1), scaled down for short weeks."""
        if self.sessions >= evidence.SESSIONS_FOR_FULL_STRENGTH_DAYS:
            return evidence.STRENGTH_DAYS_PER_GROUP
        return 1

    @property
    def hip_flexor_stretch_sessions(self) -> int:
        return min(evidence.HIP_FLEXOR_STRETCH_SESSIONS, self.sessions)

    @property
    def target_load(self) -> int:
        """Target weekly load in AU (R8, Foster 2001): sessions x minutes x session RPE."""
        return self.sessions * self.minutes * self.session_rpe

    @property
    def starting_load(self) -> int:
        """Weekly load before the plan (AU): the profile's, or START_SHARE of the target."""
        if self.start_load is not None:
            return self.start_load
        return round(self.target_load * evidence.START_SHARE_PCT / 100)

    @property
    def lone_week(self) -> bool:
        """True for a lone week that repeats: no ramp, deload or acute:chronic guard, its load
        goal the target, its Sunday followed by its own Monday. False for a programme, whose
        weeks ramp from the starting load (R10-R12). ``programme`` says which; unset, a plan
        of 1 week is a lone week."""
        return self.weeks == 1 if self.programme is None else not self.programme

    def is_deload(self, week: int) -> bool:
        """Every ``deload_every``-th week of a programme is a deload week (R12)."""
        return not self.lone_week and week % self.deload_every == 0

    @property
    def morning(self) -> bool:
        """True when the sessions start within an hour of waking (R15)."""
        if self.session_time is None:
            return False
        awake = (_minutes(self.session_time) - _minutes(self.wake_time)) % (24 * 60)
        return awake < MORNING_MINUTES

    def reason_excluded(self, exercise: Exercise) -> str | None:
        """Why the profile cannot use ``exercise``, or None when it can.

        Safety reasons (conditions, R15, R16) come right after your own exclusions, so that
        they are the reason shown even when the level or equipment would also rule it out."""
        if exercise.id in self.exclude:
            return "excluded by you"
        reason = self._reason_unsafe(exercise)
        if reason:
            return reason
        if exercise.level not in self.catalog_levels:
            return f"{exercise.level} exercise, above the {self.level} level"
        if exercise.rpe > self.rpe_cap:
            return f"effort RPE {exercise.rpe} above the {self.level} cap of {self.rpe_cap}"
        if self.equipment is not None and not set(exercise.equipment) <= self.equipment:
            missing = sorted(set(exercise.equipment) - self.equipment)
            return f"needs {', '.join(missing)}"
        if exercise.hip_flexor_dominant and not self.allow_hip_flexor_dominant:
            return "hip-flexor work in disguise (Juker & McGill 1998), left out for tight hips"
        if exercise.id in self.avoid:  # last: the one reason weeks kept (--keep) may ignore
            return AVOIDED
        return None

    @property
    def health_conditions(self) -> frozenset[str]:
        """The conditions planned around: those given, and those the screening answers imply
        (a yes to the pregnancy question plans around pregnancy even once cleared)."""
        implied = self.screening.conditions if self.screening else frozenset()
        return self.conditions | implied

    def _reason_unsafe(self, exercise: Exercise) -> str | None:
        conditions = self.health_conditions
        for condition in CONDITIONS:  # vocabulary order, so the reason is stable
            if condition in conditions and condition in exercise.contraindications:
                return f"not with {condition} (contraindicated)"
        if "back_pain" in conditions:
            if exercise.role == "strength" and exercise.spinal_flexion:
                # R16 (Callaghan & McGill 2001): loaded repeated end-range flexion.
                return "loaded end-range flexion, not with back_pain (R16)"
            if exercise.hip_flexor_dominant:  # even with allow_hip_flexor_dominant
                return "hip-flexor work in disguise (Juker & McGill 1998), not with back_pain"
        if self.morning and exercise.role in ("stretch", "mobility") and exercise.spinal_flexion:
            return "end-range flexion within an hour of waking (R15)"
        return None

    @property
    def pinned(self) -> tuple[tuple[int, str], ...]:
        """(day index, exercise id) of each pin, in day order."""
        pairs = (pin.partition(":") for pin in self.pins)
        return tuple(sorted((DAYS.index(day), exercise) for day, _, exercise in pairs))

    def allowed(self, catalog: Catalog) -> tuple[Exercise, ...]:
        """The exercises this profile may be given, in catalogue order."""
        for key in ("exclude", "avoid", "prefer", "dislike"):
            unknown = sorted(getattr(self, key) - {e.id for e in catalog})
            if unknown:
                raise ProfileError(
                    key, f"{unknown[0]!r} is not in the catalogue ({catalog.source})"
                )
        for _, exercise in self.pinned:
            if exercise not in catalog:
                raise ProfileError(
                    "pins", f"{exercise!r} is not in the catalogue ({catalog.source})"
                )
            reason = self.reason_excluded(catalog[exercise])
            if reason:
                raise ProfileError("pins", f"{exercise!r} cannot be pinned: {reason}")
        return tuple(e for e in catalog if self.reason_excluded(e) is None)


def _clock(key: str, value) -> str:
    """``value`` ("H:MM" or "HH:MM", or a datetime.time on the minute) as "HH:MM"."""
    if isinstance(value, dt.time) and not value.second and not value.microsecond:
        return value.strftime("%H:%M")
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ProfileError(key, f"{value!r} is not a time; allowed: HH:MM")
    return f"{int(match[1]):02d}:{match[2]}"


@functools.cache
def _zones() -> frozenset[str]:
    """The IANA zone names this machine knows (system database or the tzdata package);
    not ``localtime``, which names this machine's zone, not a place."""
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def _zone(key: str, value) -> None:
    """Raise ``ProfileError`` unless ``value`` is an IANA time zone name such as Europe/Berlin.

    Checked against the list of names rather than by loading: ``zoneinfo.ZoneInfo`` also opens
    paths such as ``right/UTC`` and fails on others with OSError or ValueError."""
    if isinstance(value, str) and value in _zones():
        return
    near = difflib.get_close_matches(value, sorted(_zones()), n=1) if isinstance(value, str) else []
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise ProfileError(
        key,
        f"{value!r} is not an IANA time zone; allowed: a name such as Europe/Berlin or UTC{hint}",
    )


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return 60 * int(hours) + int(minutes)


def spread_days(sessions: int) -> tuple[str, ...]:
    """Days for ``sessions`` spread as evenly as a week allows (mon/wed/sat for three): the
    most rest between sessions (R1), and the model has no days to choose, which makes a
    default week 3-10x faster to solve (bench/run.py)."""
    if not 1 <= sessions <= len(DAYS):
        return DAYS
    return tuple(DAYS[round(i * len(DAYS) / sessions)] for i in range(sessions))
