"""A finished plan: sessions of ordered entries, with doses, minutes and load.

One type for every plan: the one ``solve`` returns, the one ``read_plan`` reads back from a
CSV (perhaps edited by hand), and the one the validator, explain, the report and every export
take. ``Plan.to_frame`` gives the CSV contract (one row per exercise per session) and
``Plan.from_frame`` reads it, at the edges only; ``Plan.render`` the plain text a person reads
(``planner.terminal`` draws the same as coloured tables).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from planner import dose, guidance, ramp
from planner.catalog import SESSION_ORDER, Catalog, Exercise, shown_problems
from planner.profile import DAYS, Profile, SolverOptions
from planner.ramp import NO_HISTORY, History

if TYPE_CHECKING:  # pandas takes a third of a second to import: only when a frame is asked for
    import pandas as pd

COLUMNS = (
    "week",
    "day",
    "date",
    "order",
    "exercise_id",
    "exercise",
    "role",
    "groups",
    "sets",
    "reps",
    "hold_s",
    "per_side",
    "minutes",
    "rpe",
    "load",
)

# A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection);
# exports prefix such text cells with ' and ``read_plan`` takes the prefix off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Status(enum.Enum):
    OPTIMAL = "optimal"  # proven best for the objective
    FEASIBLE = "feasible"  # valid, stopped before proving it best
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"  # stopped before finding any plan


@dataclass(frozen=True)
class Entry:
    """One exercise in one session at one dose."""

    week: int
    day: int  # 0 = Monday
    order: int
    exercise: Exercise
    sets: int
    reps: int
    hold_s: int
    # (minutes, load) as a plan file states them, which the validator holds to the dose: a
    # hand edit of the sets leaves them stale. None for a plan just solved.
    stated: tuple[float, float] | None = field(default=None, compare=False)
    # Rest after each set: the profile's (dose.rest_seconds); None for the role's default.
    rest_s: int | None = None

    @property
    def seconds(self) -> int:
        e = self.exercise
        return dose.seconds(
            e.role, e.dose, self.sets, self.reps, self.hold_s, e.per_side, self.rest_s
        )

    @property
    def load(self) -> float:
        """Session-RPE load in AU (R8): minutes x RPE."""
        return self.seconds / 60 * self.exercise.rpe


@dataclass(frozen=True)
class Session:
    """One day's entries of one week, in order; ``date`` when the plan has a start."""

    week: int
    day: int  # 0 = Monday
    entries: tuple[Entry, ...]
    date: dt.date | None = None

    @property
    def seconds(self) -> int:
        return sum(e.seconds for e in self.entries)

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    @property
    def load(self) -> float:
        """Session-RPE load in AU (R8), from the doses."""
        return sum(e.load for e in self.entries)

    @property
    def aim(self) -> str:
        """'Stretch the front of the hips, strengthen the glutes and core': what the session is
        for (``guidance.session_aim``)."""
        return guidance.session_aim(self.entries)

    def heading(self, verbose: bool = False) -> str:
        """'Mon 2026-11-30  ·  24 min  ·  Stretch the front of the hips, strengthen the glutes'
        (the date only with a start date); ``verbose`` adds the load: '  ·  load 89 AU'."""
        when = DAYS[self.day].capitalize() + (f" {self.date.isoformat()}" if self.date else "")
        load = f"  ·  load {self.load:.0f} AU" if verbose else ""
        return f"{when}  ·  {self.minutes:.0f} min  ·  {self.aim}{load}"


def week_order(start: dt.date | None, day: int) -> int:
    """Where ``day`` (0 = Monday) falls in a week of a plan: counted from the start's weekday
    (a plan starting on a Friday runs Friday to Thursday), from Monday without a start."""
    first = start.weekday() if start else 0
    return (day - first) % 7


def sequence(entries: list[Entry]) -> tuple[Entry, ...]:
    """The order rule, ``SESSION_ORDER``: the warm-up (release, mobility), then stretch, then
    strength (R20; Janda: length before strength), ties broken by the catalogue's order as
    given in ``entries``."""
    position = {id(e): i for i, e in enumerate(entries)}
    by_session: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        by_session.setdefault((entry.week, entry.day), []).append(entry)
    ordered = []
    for key in sorted(by_session):
        session = sorted(
            by_session[key], key=lambda e: (SESSION_ORDER.index(e.exercise.role), position[id(e)])
        )
        ordered += [
            Entry(e.week, e.day, i, e.exercise, e.sets, e.reps, e.hold_s, rest_s=e.rest_s)
            for i, e in enumerate(session, 1)
        ]
    return tuple(ordered)


@dataclass(frozen=True)
class Plan:
    """A week (or more) of sessions, with how the solver got there (a plan read from a file
    keeps the defaults: status FEASIBLE, objective and bound 0)."""

    profile: Profile
    entries: tuple[Entry, ...]  # in the CSV's row order: row n is entries[n - 1]
    status: Status = Status.FEASIBLE
    objective: float = 0.0  # what the sessions cost: the weighted sum of ``terms``
    bound: float = 0.0
    seconds: float = 0.0
    terms: dict[str, int] = field(default_factory=dict, compare=False)  # goal -> points (goals)
    history: History = NO_HISTORY  # the weeks before this plan (``--after``)
    options: SolverOptions = SolverOptions()  # the seed, budget and time limit it was solved with
    # The wall-clock time limit stopped a search: a valid plan, but another machine or run may
    # give another (without it the same inputs and budget give the same plan anywhere).
    cut_short: bool = False
    # The first week planned now when the weeks before it were kept from an earlier plan
    # (``Keep``); None when none were. The pins and avoid hold from it on (``kept``).
    from_week: int | None = None

    def kept(self, week: int) -> bool:
        """True for a week kept from an earlier plan: the pins and avoid, which say what to
        do from here on, do not apply to it."""
        return self.from_week is not None and week < self.from_week

    @property
    def gap(self) -> float:
        """Relative distance between the plan's objective and the proven bound (inf when the
        objective is unknown)."""
        if math.isnan(self.objective):
            return math.inf
        if self.objective == self.bound:
            return 0.0
        return abs(self.objective - self.bound) / max(abs(self.objective), 1.0)

    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        """The sessions in the order they come (week, then day from the start's weekday:
        a plan starting on a Friday runs Friday to Thursday), each's entries in session
        order: the one place a plan is grouped by session."""
        by_day: dict[tuple[int, int], list[Entry]] = {}
        for entry in self.entries:
            by_day.setdefault((entry.week, entry.day), []).append(entry)
        return tuple(
            Session(week, day, tuple(sorted(found, key=lambda e: e.order)), self.date(week, day))
            for (week, day), found in sorted(
                by_day.items(), key=lambda i: (i[0][0], week_order(self.profile.start, i[0][1]))
            )
        )

    @cached_property
    def weeks(self) -> dict[int, tuple[Entry, ...]]:
        """Each week's entries, weeks in order, entries in row order."""
        out: dict[int, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: e.week):
            out.setdefault(entry.week, []).append(entry)
        return {week: tuple(found) for week, found in out.items()}

    def date(self, week: int, day: int) -> dt.date | None:
        """The calendar date of a session: the plan's first week is the 7 days from the
        profile's start."""
        start = self.profile.start
        if start is None:
            return None
        weeks_in = week - self.history.next_week
        return start + dt.timedelta(days=(day - start.weekday()) % 7 + 7 * weeks_in)

    def weekly_loads(self) -> dict[int, float]:
        """Load of each week in AU (R8), recomputed from the doses."""
        return {week: sum(e.load for e in found) for week, found in self.weeks.items()}

    @cached_property
    def carried(self) -> tuple[tuple[int, list[Entry], History], ...]:
        """(week, its entries, the history before it) for each week, the history carried on
        from ``history`` week by week as ``planner.solve`` carries it (loads, the last build
        week's exercises, sets and streaks); worked out once, as several checks read it."""
        out, history, loads = [], self.history, self.weekly_loads()
        for week, entries in self.weeks.items():
            out.append((week, entries, history))
            deload = self.profile.is_deload(week)
            history = history.carry(loads[week], deload, entries, self.profile)
        return tuple(out)

    def to_frame(self) -> pd.DataFrame:
        """The plan in the CSV contract's columns, one row per exercise per session."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=list(COLUMNS))

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        catalog: Catalog,
        profile: Profile,
        history: History = NO_HISTORY,
        name: str = "<plan>",
    ) -> Plan:
        """The plan in ``frame`` (the CSV contract's columns), as ``read_plan`` reads a file."""
        records = [{k: _text(v) for k, v in r.items()} for r in frame.to_dict("records")]
        return plan_from_records(records, catalog, profile, history, name)

    def rows(self) -> list[dict]:
        """The plan as CSV-contract records, one per exercise per session."""
        rows = []
        for e in self.entries:
            date = self.date(e.week, e.day)
            rows.append(
                {
                    "week": e.week,
                    "day": DAYS[e.day],
                    "date": date.isoformat() if date else "",
                    "order": e.order,
                    "exercise_id": e.exercise.id,
                    "exercise": e.exercise.name,
                    "role": e.exercise.role,
                    "groups": ";".join(e.exercise.groups),
                    "sets": e.sets,
                    "reps": e.reps,
                    "hold_s": e.hold_s,
                    "per_side": str(e.exercise.per_side).lower(),
                    "minutes": round(e.seconds / 60, 2),
                    "rpe": e.exercise.rpe,
                    "load": round(e.load, 1),
                }
            )
        return rows

    def headline(self, verbose: bool = False) -> str:
        """The first lines of ``render``: level, sessions and minutes, and the training load
        in plain words, said once what it is; ``verbose``: in one line, the load in AU against
        the target (a programme: from the starting load towards it)."""
        p = self.profile
        if verbose:
            return self._engineering_headline()
        if p.lone_week:
            return (
                f"{p.level.capitalize()} week: {p.sessions} sessions of up to {p.minutes} min, "
                f"{guidance.LOAD_WORDS} {sum(self.weekly_loads().values()):.0f} "
                f"(aim {p.target_load})"
            )
        weeks = f"{p.weeks} week{'s' if p.weeks > 1 else ''}"  # 1: a programme's first week
        load = guidance.LOAD_WORDS[:1].upper() + guidance.LOAD_WORDS[1:]
        return (
            f"{p.level.capitalize()} programme: {weeks} of {p.sessions} sessions of "
            f"up to {p.minutes} min, an easier week every {p.deload_every} weeks\n"
            f"{load} builds from {self.history.reference(p):.0f} a week towards "
            f"{p.target_load}, a little each week"
        )

    def _engineering_headline(self) -> str:
        p = self.profile
        if p.lone_week:
            return (
                f"{p.level.capitalize()} week: {p.sessions} sessions of up to {p.minutes} min, "
                f"load {sum(self.weekly_loads().values()):.0f} AU (target {p.target_load} AU)"
            )
        weeks = f"{p.weeks} week{'s' if p.weeks > 1 else ''}"
        return (
            f"{p.level.capitalize()} programme: {weeks} of {p.sessions} sessions of "
            f"up to {p.minutes} min, from {self.history.reference(p):.0f} AU a week towards "
            f"{p.target_load} AU, deload every {p.deload_every} weeks"
        )

    def week_figures(self) -> list[ramp.WeekFigures]:
        """Each week's phase, load, ramp and acute:chronic ratio, in order."""
        return ramp.week_figures(self.weekly_loads(), self.profile, self.history)

    def pain_rule(self) -> tuple[str, ...]:
        """The pain rule for the profile's conditions (stricter with back pain)."""
        return guidance.pain_rule(self.profile.health_conditions)

    def render(self, verbose: bool = False) -> str:
        """The plan as plain text for the terminal, pipes and files: each session's aim, each
        exercise's dose and effort target, the pain rule once at the end. ``verbose`` adds the
        engineering view: loads in AU, each week's ramp and acute:chronic ratio, each
        exercise's muscle groups."""
        p = self.profile
        width = max((len(e.exercise.name) for e in self.entries), default=0)
        dose = max((len(describe_dose(e)) for e in self.entries), default=0)
        aim = max((len(guidance.target(e.exercise)) for e in self.entries), default=0)
        lines = [self.headline(verbose)]
        weeks = {} if p.lone_week else {f.week: week_line(f, verbose) for f in self.week_figures()}
        for session in self.sessions:
            if session.week in weeks:  # before the week's first session only
                lines += ["", "=" * 8 + f" {weeks.pop(session.week)}"]
            lines += ["", session.heading(verbose)]
            for e in session.entries:
                groups = f"  {', '.join(e.exercise.groups)}" if verbose else ""
                line = (
                    f"  {e.order:>2}. {e.exercise.name:<{width}}  {e.exercise.role:<9} "
                    f"{describe_dose(e):<{dose}}  {guidance.target(e.exercise):<{aim}}{groups}"
                )
                lines.append(line.rstrip())
        lines += ["", "If something hurts:"]
        for rule in self.pain_rule():
            lines += textwrap.wrap(rule, PAIN_WIDTH, initial_indent="- ", subsequent_indent="  ")
        return "\n".join(lines)


@dataclass(frozen=True)
class Keep:
    """What ``planner plan --keep PLAN.csv --from-week N`` asks: ``plan``'s weeks before
    ``from_week`` exactly as they are, and its weeks from ``from_week`` to its last planned
    again (``planner.solve.solve_kept``). ``name`` says where the plan came from, for errors."""

    plan: Plan
    from_week: int
    name: str = "the plan"

    def __post_init__(self) -> None:
        first, last = self.first_week, self.last_week
        if len(self.plan.weeks) != last - first + 1:
            raise ValueError(
                f"{self.name} has gaps in weeks {first} to {last}; a plan has every week"
            )
        if first == last:
            raise ValueError(
                f"{self.from_week} is out of range: {self.name} has only week {first}, which "
                "is kept; carry it on with --after instead"
            )
        if not first < self.from_week <= last:
            allowed = (
                f"{last} (the week" if last == first + 1 else f"{first + 1} to {last} (the weeks"
            )
            raise ValueError(
                f"{self.from_week} is out of range; allowed: {allowed} of {self.name} after its "
                "first)"
            )

    @property
    def first_week(self) -> int:
        return min(self.plan.weeks)

    @property
    def last_week(self) -> int:
        return max(self.plan.weeks)

    def before(self) -> Plan:
        """The weeks kept, as a plan of their own (whose ``history_after`` carries on)."""
        kept = tuple(e for e in self.plan.entries if e.week < self.from_week)
        return Plan(self.plan.profile, kept, history=self.plan.history)

    def profile(self, profile: Profile) -> Profile:
        """``profile`` for the whole plan: the kept plan's weeks (a programme) and start."""
        weeks = self.last_week - self.first_week + 1
        start = profile.start or self.plan.profile.start
        return profile.with_changes(weeks=weeks, programme=True, start=start)


PAIN_WIDTH = 88  # the pain rule wrapped narrower than the widest exercise line (96 columns)


def week_line(figures: ramp.WeekFigures, verbose: bool = False) -> str:
    """'Week 2 · building up · training load 248'; ``verbose``: 'Week 2 · build · 248 AU ·
    +4.9 % · acute:chronic 1.10'."""
    if verbose:
        return str(figures)
    phase = guidance.PHASE_WORDS.get(figures.phase, figures.phase)
    return f"Week {figures.week} · {phase} · training load {figures.load:.0f}"


def describe_dose(entry: Entry) -> str:
    """'2 x 12', '3 x 30 s', '1 x 5 x 10 s', with '/side' for one-sided moves."""
    e = entry.exercise
    side = "/side" if e.per_side else ""
    if e.dose == "reps":
        return f"{entry.sets} x {entry.reps}{side}"
    if entry.reps == 1:
        return f"{entry.sets} x {entry.hold_s} s{side}"
    return f"{entry.sets} x {entry.reps} x {entry.hold_s} s{side}"


class PlanFileError(ValueError):
    """A plan CSV that cannot be read; ``problems`` holds one located line each (file, line,
    column), the message the first ``catalog.MAX_SHOWN`` of them and a count of the rest."""

    def __init__(self, problems: str | list[str]):
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__(shown_problems(self.problems))


_INTEGER_COLUMNS = ("week", "order", "sets", "reps", "hold_s", "rpe")
_NUMBER_COLUMNS = ("minutes", "load")


def read_plan(
    path: str | Path, catalog: Catalog, profile: Profile, history: History = NO_HISTORY
) -> Plan:
    """Read a plan CSV (as written by ``planner plan --csv``, perhaps edited by hand) for
    ``profile``: types cell by cell, then every column against the catalogue and the dose
    arithmetic. Raises ``PlanFileError`` naming file, line and column."""
    import csv

    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except IsADirectoryError:
        raise PlanFileError(f"{name}: is a directory; allowed: a plan CSV file") from None
    except OSError as err:
        raise PlanFileError(f"{name}: cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{name}: is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise PlanFileError(
                f"{name}:1: missing column {missing[0]!r}; required: {', '.join(COLUMNS)}"
            )
        records, line = [], reader.line_num + 1
        for record in reader:
            records.append({**record, _LINE: line})
            line = reader.line_num + 1
    except csv.Error as err:
        raise PlanFileError(f"{name}:{reader.line_num}: {err}") from None
    return plan_from_records(records, catalog, profile, history, name)


_LINE = "\0line"  # a record's line in its file, kept beside its columns


def _text(value) -> str:
    """A frame cell as the CSV text it stands for."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a whole-number column pandas turned into floats
    return str(value)


def plan_from_records(
    records: list[dict],
    catalog: Catalog,
    profile: Profile,
    history: History = NO_HISTORY,
    name: str = "<plan>",
) -> Plan:
    """The plan in CSV-contract ``records`` (text cells), each checked; every problem is
    collected before ``PlanFileError`` is raised, so nothing half-read is returned."""
    if not records:
        raise PlanFileError(f"{name}: has no rows; a plan has one row per exercise per session")
    wheres = [f"{name}:{record.get(_LINE, n + 1)}" for n, record in enumerate(records, 1)]
    cells, problems = [], []
    for record, where in zip(records, wheres, strict=True):
        try:
            cells.append(_cells(record, catalog, where))
        except PlanFileError as err:
            problems += err.problems
    if problems:
        raise PlanFileError(problems)
    entries = [_entry(c, catalog, profile) for c in cells]
    if profile.start is None:
        profile = profile.with_changes(start=_start(cells, entries, history))
    plan = Plan(profile, tuple(entries), history=history)
    problems = [
        f"{where}: {problem}"
        for where, c, entry in zip(wheres, cells, entries, strict=True)
        for problem in _derived_problems(c, entry, plan)
    ]
    if problems:
        raise PlanFileError(problems)
    return plan


def _cells(record: dict, catalog: Catalog, where: str) -> dict:
    """The row's cells, each checked for its type, and its exercise known to ``catalog``."""
    out = {}
    for column in COLUMNS:
        raw = (record.get(column) or "").strip()
        if raw.startswith("'") and raw[1:].startswith(FORMULA_STARTS):
            raw = raw[1:]  # undo the export's formula neutralising
        at = f"{where}: column {column}"
        if column in _INTEGER_COLUMNS:
            if not (raw.isascii() and raw.isdigit()):
                raise PlanFileError(f"{at}: {raw[:20]!r} is not a whole number 0 or more")
            if len(raw.lstrip("0")) > 6:
                raise PlanFileError(f"{at}: {raw[:20]} is out of range; allowed: 0 to 999999")
            out[column] = int(raw)
        elif column in _NUMBER_COLUMNS:
            try:
                out[column] = float(raw)
            except ValueError:
                raise PlanFileError(f"{at}: {raw!r} is not a number") from None
            if not 0 <= out[column] < 1e6:
                raise PlanFileError(f"{at}: {raw!r} is out of range; allowed: 0 to 999999")
        elif column == "day" and raw not in DAYS:
            raise PlanFileError(f"{at}: {raw!r} is not a day; allowed: {', '.join(DAYS)}")
        else:
            out[column] = raw
    if out["week"] < 1:
        raise PlanFileError(f"{where}: column week: 0; allowed: 1 or more")
    if out["exercise_id"] not in catalog:
        raise PlanFileError(
            f"{where}: column exercise_id: {out['exercise_id']!r} is not in the catalogue "
            f"{catalog.source}"
        )
    return out


def _start(cells: list[dict], entries: list[Entry], history: History) -> dt.date | None:
    """The start date that gives every row its date, for a file whose plan was made with one
    when the profile now has none; None when the file has no dates (or they fit no start:
    the rows then say which date is off)."""
    dates = {}
    for c, e in zip(cells, entries, strict=True):
        try:
            dates[e.week, e.day] = dt.date.fromisoformat(c["date"])
        except ValueError:
            return None
    first = min(week for week, _ in dates)
    earliest = min(date for (week, _), date in dates.items() if week == first)
    earliest -= dt.timedelta(weeks=first - history.next_week)
    for back in range(7):
        start = earliest - dt.timedelta(days=back)
        if all(
            date
            == start
            + dt.timedelta(days=(day - start.weekday()) % 7 + 7 * (week - history.next_week))
            for (week, day), date in dates.items()
        ):
            return start
    return None


def _entry(cells: dict, catalog: Catalog, profile: Profile) -> Entry:
    exercise = catalog[cells["exercise_id"]]
    return Entry(
        cells["week"],
        DAYS.index(cells["day"]),
        cells["order"],
        exercise,
        cells["sets"],
        cells["reps"],
        cells["hold_s"],
        stated=(cells["minutes"], cells["load"]),
        rest_s=dose.rest_seconds(exercise.role, profile),
    )


def _derived_problems(parsed: dict, entry: Entry, plan: Plan) -> Iterable[str]:
    """Columns that only repeat the catalogue, or follow from the start date, and say
    otherwise than they do (a hand edit that would mislead whoever reads the file). Minutes
    and load, which follow from the dose, are the dose rule's to check (``stated``)."""
    e = entry.exercise
    facts = {
        "exercise": e.name,
        "role": e.role,
        "groups": ";".join(e.groups),
        "per_side": str(e.per_side).lower(),
    }
    for column, value in facts.items():
        if parsed[column] != value:
            yield f"column {column}: {parsed[column][:40]!r} is not the catalogue's {value!r}"
    if parsed["rpe"] != e.rpe:
        yield f"column rpe: {parsed['rpe']} is not the catalogue's RPE for {e.id} ({e.rpe})"
    if parsed["date"]:
        try:
            date = dt.date.fromisoformat(parsed["date"])
        except ValueError:
            yield f"column date: {parsed['date'][:20]!r} is not a date; allowed: YYYY-MM-DD"
            return
        if date.weekday() != entry.day:
            weekday = DAYS[date.weekday()]
            yield f"column date: {date.isoformat()} is a {weekday}, not {DAYS[entry.day]}"
        elif plan.profile.start is None:
            yield f"column date: {date.isoformat()} does not follow the other rows' calendar"
        elif date != plan.date(entry.week, entry.day):
            yield (
                f"column date: {date.isoformat()} is not week {entry.week} {DAYS[entry.day]} "
                f"of a plan starting {plan.profile.start.isoformat()}"
            )
