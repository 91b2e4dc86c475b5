"""A person's profile: fitness level, free days and minutes, equipment, and constraint tweaks.

``Profile.for_level`` starts from the level's preset (``evidence.LEVELS``) and applies
overrides; the dataclass checks itself, so a Profile that exists is a valid one.
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

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_RANGE = (10, evidence.SESSION_MINUTES_CAP)
TIME_LIMIT_RANGE = (0.1, 600.0)
WAKE_TIME = "07:00"
# When calendar exports start a session whose profile gives no session_time: the evening,
# well clear of waking, so an event never contradicts R15 in a plan made without a time.
DEFAULT_SESSION_TIME = "18:00"
# R15 (McGill; Snook 1998): no end-range lumbar flexion in the first hour after rising.
MORNING_MINUTES = 60
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


class ProfileError(ValueError):
    """A setting out of range; ``key`` names the setting (a CLI option or profile key)."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"{key}: {message}")


@dataclass(frozen=True)
class Profile:
    """Everything the model needs to know about the person, validated on construction."""

    level: str = "beginner"
    days: tuple[str, ...] | None = None  # None: sessions spread evenly over the week
    sessions: int = 3
    minutes: int = 30
    equipment: frozenset[str] | None = None  # None: everything the catalogue uses
    exclude: frozenset[str] = frozenset()
    allow_hip_flexor_dominant: bool = False
    strength_sets: tuple[int, int] = (1, 2)
    reps: tuple[int, int] = (10, 15)
    rpe_cap: int = 6
    session_rpe: int = 3
    catalog_levels: tuple[str, ...] = ("beginner",)
    max_days_per_exercise: int = evidence.MAX_DAYS_PER_EXERCISE
    session_fill: float = evidence.SESSION_FILL
    seed: int = 0
    time_limit: float = 10.0
    start: dt.date | None = None
    prefer: frozenset[str] = frozenset()
    dislike: frozenset[str] = frozenset()
    shares: tuple[tuple[str, int], ...] = tuple(evidence.TARGET_SHARES.items())
    # Multi-week programmes (R10-R12).
    weeks: int = 4  # 1: a lone week that repeats; 2-52: a programme that ramps
    ramp_cap_pct: int = evidence.RAMP_CAP_PCT
    deload_every: int = evidence.DELOAD_EVERY
    deload_pct: int = evidence.DELOAD_PCT
    acwr_cap: float = 1.2
    start_load: int | None = None  # AU a week before the plan; None: START_SHARE of the target
    # Safety: conditions filter the catalogue's contraindications; session_time and wake_time
    # keep end-range flexion out of the first hour after rising (R15); screening holds the
    # red-flag answers (planner.screening).
    conditions: frozenset[str] = frozenset()
    wake_time: str = WAKE_TIME
    session_time: str | None = None  # "HH:MM" the sessions start; None: not known
    # IANA name ("Europe/Berlin") of the zone session_time is in, for calendar exports. None:
    # floating local time, 18:00 wherever you are, which is right for a home routine; a
    # UTC default would put the session at the wrong hour for nearly everyone.
    timezone: str | None = None
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
        _check_range("sessions", self.sessions, 1, len(DAYS))
        if self.sessions > len(self.days):
            raise ProfileError(
                "sessions",
                f"{self.sessions} sessions need {self.sessions} available days; "
                f"--days gives {len(self.days)} ({','.join(self.days)})",
            )
        _check_range("minutes", self.minutes, *MINUTES_RANGE)
        if self.equipment is not None:
            unknown = sorted(self.equipment - set(EQUIPMENT))
            if unknown:
                raise ProfileError(
                    "equipment", f"{unknown[0]!r} is unknown; allowed: {', '.join(EQUIPMENT)}"
                )
            object.__setattr__(self, "equipment", frozenset(self.equipment) | {"none"})
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        for key in ("strength_sets", "reps"):
            low, high = getattr(self, key)
            _check_range(key, low, 1, 10 if key == "strength_sets" else 50)
            _check_range(key, high, low, 10 if key == "strength_sets" else 50)
        _check_range("rpe_cap", self.rpe_cap, *evidence.RPE_SCALE)
        _check_range("session_rpe", self.session_rpe, *evidence.RPE_SCALE)
        for level in self.catalog_levels:
            if level not in LEVELS:
                raise ProfileError("catalog_levels", f"{level!r} is unknown")
        _check_range("max_days_per_exercise", self.max_days_per_exercise, 1, len(DAYS))
        _check_range("session_fill", self.session_fill, 0.0, 1.0)
        _check_range("seed", self.seed, 0, 2**31 - 1)
        _check_range("time_limit", self.time_limit, *TIME_LIMIT_RANGE)
        object.__setattr__(self, "prefer", frozenset(self.prefer))
        object.__setattr__(self, "dislike", frozenset(self.dislike))
        both = sorted(self.prefer & self.dislike)
        if both:
            raise ProfileError("dislike", f"{both[0]!r} is also preferred; choose one")
        object.__setattr__(self, "shares", tuple((str(g), v) for g, v in dict(self.shares).items()))
        for group, pct in self.shares:
            if group not in evidence.TARGET_SHARES:
                allowed = ", ".join(evidence.TARGET_SHARES)
                raise ProfileError(
                    "shares", f"{group!r} is not a balance group; allowed: {allowed}"
                )
            _check_range(f"shares.{group}", pct, 0, 100)
        if sum(pct for _, pct in self.shares) != 100:
            total = sum(pct for _, pct in self.shares)
            raise ProfileError("shares", f"add up to {total}; they must add up to 100")
        _check_range("weeks", self.weeks, 1, evidence.MAX_WEEKS)
        high = evidence.RAMP_CAP_MAX_PCT if self.level == "advanced" else evidence.RAMP_CAP_PCT
        _check_range("ramp_cap_pct", self.ramp_cap_pct, evidence.RAMP_CAP_MIN_PCT, high)
        _check_range("deload_every", self.deload_every, *evidence.DELOAD_EVERY_RANGE)
        _check_range("deload_pct", self.deload_pct, *evidence.DELOAD_PCT_RANGE)
        _check_range("acwr_cap", self.acwr_cap, *evidence.ACWR_CAP_RANGE)
        if self.start_load is not None:
            _check_range("start_load", self.start_load, 1, 100_000)
        object.__setattr__(self, "conditions", frozenset(self.conditions))
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

    @classmethod
    def for_level(cls, level: str = "beginner", **overrides) -> Profile:
        """The level's preset from evidence.md with ``overrides`` applied (None means unset)."""
        if level not in evidence.LEVELS:
            raise ProfileError("level", f"{level!r} is unknown; allowed: {', '.join(LEVELS)}")
        preset = dict(evidence.LEVELS[level])
        preset["catalog_levels"] = preset.pop("levels")
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise ProfileError(key, "is not a profile setting")
            if value is not None:
                preset[key] = value
        return cls(level=level, **preset)

    def with_changes(self, **changes) -> Profile:
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

    def is_deload(self, week: int) -> bool:
        """Every ``deload_every``-th week is a deload week (R12)."""
        return self.weeks > 1 and week % self.deload_every == 0

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

    def allowed(self, catalog: Catalog) -> tuple[Exercise, ...]:
        """The exercises this profile may be given, in catalogue order."""
        for key in ("exclude", "prefer", "dislike"):
            unknown = sorted(getattr(self, key) - {e.id for e in catalog})
            if unknown:
                raise ProfileError(
                    key, f"{unknown[0]!r} is not in the catalogue ({catalog.source})"
                )
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


@dataclass(frozen=True)
class SolverOptions:
    """How long and from which seed the solver searches: not the person, so not the profile.
    The same inputs and seed give the same plan."""

    seed: int = 0
    time_limit: float = 10.0  # seconds of wall clock for the whole call

    def __post_init__(self) -> None:
        _check_range("seed", self.seed, 0, 2**31 - 1)
        _check_range("time_limit", self.time_limit, *TIME_LIMIT_RANGE)


def spread_days(sessions: int) -> tuple[str, ...]:
    """Days for ``sessions`` spread as evenly as a week allows (mon/wed/sat for three): the
    most rest between sessions (R1), and the model has no days to choose, which makes a
    default week 3-10x faster to solve (bench/run.py)."""
    if not 1 <= sessions <= len(DAYS):
        return DAYS
    return tuple(DAYS[round(i * len(DAYS) / sessions)] for i in range(sessions))


def _check_range(key: str, value, low, high) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ProfileError(key, f"{value!r} is not a number; allowed: {low} to {high}")
    if not low <= value <= high:
        raise ProfileError(key, f"{value} is out of range; allowed: {low} to {high}")
