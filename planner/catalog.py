"""The exercise catalogue: its schema in one place, and a strict loader.

A catalogue is a CSV file, one exercise a row. ``load_catalog`` either returns every row, checked,
or raises ``CatalogError`` listing each problem as one line with file, line, column, the bad
value and what is allowed. Nothing is ever partly loaded.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from planner import evidence

ROLES = ("release", "stretch", "mobility", "strength")
# The order within a session (R20, ACSM GETP 11e session structure): the warm-up (release,
# mobility), then stretching of what is tight, then strengthening (Janda: length first).
SESSION_ORDER = ("release", "mobility", "stretch", "strength")
GROUPS = (
    "hip_flexors",
    "glutes",
    "hamstrings",
    "core",
    "obliques",
    "lower_back",
    "quadriceps",
    "adductors",
    "abductors",
)
LEVELS = ("beginner", "intermediate", "advanced")
EQUIPMENT = (
    "none",
    "mat",
    "wall_or_chair",
    "stability_ball",
    "massage_ball",
    "foam_roller",
    "dumbbell",
    "kettlebell",
    "barbell",
    "band",
    "bench",
    "pull_up_bar",
    "cable",
    "machine",
    "medicine_ball",
    "unknown",  # imported exercises whose source does not say what they need (planner.importer)
)
CONDITIONS = (
    "back_pain",
    "knee_pain",
    "wrist_pain",
    "shoulder_pain",
    "pregnancy",
    "osteoporosis",
    "hypertension",
)
DOSES = ("hold", "reps")


class Pattern(NamedTuple):
    """What shape of work a movement pattern is: the role it belongs to, and one line saying
    which exercises it holds."""

    role: str
    description: str


# Movement patterns, one an exercise (issue 16). Strength patterns let a week cover R22's
# hinge, squat/lunge, bridge/thrust, anti-extension, anti-rotation, anti-lateral-flexion and
# back-extension endurance (McGill; NSCA Essentials). Stretch, release and mobility patterns
# name the shape and the tissue: two stretches of one pattern with one primary group are
# near-duplicates, so a session needs only one of them. The README's pattern table is this one.
PATTERN_INFO: Mapping[str, Pattern] = MappingProxyType(
    {
        "hinge": Pattern(
            "strength",
            "hips pushed back with a long spine, knees soft: deadlifts, good mornings, "
            "pull-throughs, swings",
        ),
        "hamstring_curl": Pattern(
            "strength", "the knee bent against resistance: leg curls, ball and towel curls, nordics"
        ),
        "squat_lunge": Pattern(
            "strength", "knees and hips bend together: squats, lunges, split squats, step-ups"
        ),
        "bridge_thrust": Pattern(
            "strength", "lying or back-supported hip lifts: glute bridges and hip thrusts"
        ),
        "hip_extension": Pattern(
            "strength",
            "the thigh driven back with the trunk still: kickbacks on all fours or standing, "
            "reverse hyperextensions",
        ),
        "hip_abduction": Pattern(
            "strength",
            "the thigh pushed out to the side: clamshells, side-lying leg raises, band walks",
        ),
        "hip_adduction": Pattern(
            "strength", "the thigh pulled in toward the other: adductor squeezes and machines"
        ),
        "knee_extension": Pattern(
            "strength", "the knee straightened with the hip still: leg extensions"
        ),
        "anti_extension": Pattern(
            "strength",
            "the trunk kept from arching: planks, dead bugs, rollouts, stir the pot",
        ),
        "anti_rotation": Pattern(
            "strength",
            "the trunk kept from turning against a sideways pull or a lifted limb: Pallof "
            "presses, plank shoulder taps",
        ),
        "anti_lateral_flexion": Pattern(
            "strength", "the trunk kept from bending sideways: side planks, one-sided carries"
        ),
        "rotation": Pattern(
            "strength",
            "the trunk turned against resistance: woodchops, cable lifts and twists (not "
            "counted as anti-rotation)",
        ),
        "trunk_flexion": Pattern(
            "strength",
            "the trunk curled forward or bent sideways under control: curl-ups, crunches, "
            "side bends",
        ),
        "back_extension": Pattern(
            "strength",
            "back-extensor endurance: prone extensions, supermans, bird dogs, back-extension "
            "benches",
        ),
        "hip_flexion": Pattern(
            "strength",
            "the hip flexors do the work: marches, knee drives, leg raises, sit-ups, hollow "
            "holds (hip_flexors first)",
        ),
        "hip_flexor_stretch": Pattern(
            "stretch",
            "the hip extended with the knee not deeply bent: split-stance, half-kneeling, bed-edge",
        ),
        "quad_stretch": Pattern(
            "stretch",
            "the heel drawn toward the buttock with the hip straight or extended: side-lying, "
            "prone, standing, couch",
        ),
        "glute_stretch": Pattern(
            "stretch", "the hip bent and turned out or across: figure-4, pigeon, 90/90"
        ),
        "outer_hip_stretch": Pattern(
            "stretch", "the leg crossed behind or across the body: the outer hip and TFL"
        ),
        "hamstring_stretch": Pattern(
            "stretch", "the straight leg raised or hinged over: lying, standing, seated"
        ),
        "adductor_stretch": Pattern(
            "stretch", "the legs spread or the knees dropped apart: butterfly, side lunge, straddle"
        ),
        "lower_back_stretch": Pattern(
            "stretch",
            "the lower back gently rounded or draped: knees to chest, child's pose, over a ball",
        ),
        "twist_stretch": Pattern(
            "stretch", "the trunk turned while lying or seated: spinal twists"
        ),
        "side_bend_stretch": Pattern(
            "stretch", "the trunk bent sideways: the obliques and quadratus lumborum"
        ),
        "release": Pattern(
            "release", "self-massage on a ball or roller; its primary group is the target"
        ),
        "hip_mobility": Pattern(
            "mobility", "the hips moved through an easy range: circles, swings, 90/90 switches"
        ),
        "spine_mobility": Pattern(
            "mobility", "the spine moved through an easy range: cat-camel, tilts, open books"
        ),
    }
)
PATTERNS = tuple(PATTERN_INFO)
COLUMNS = (
    "id",
    "name",
    "role",
    "pattern",
    "groups",
    "level",
    "equipment",
    "per_side",
    "dose",
    "sets",
    "reps",
    "hold_s",
    "rpe",
    "spinal_flexion",
    "hip_flexor_dominant",
    "contraindications",
    "cues",
)
# Columns a catalogue may leave out. progression: the id of the harder variant a person moves
# on to once this exercise's dose has grown (glute_bridge -> single_leg_glute_bridge).
OPTIONAL_COLUMNS = ("progression",)
# Groups whose strengthening counts as core work (evidence.md, "Balance": abdominals, obliques).
CORE_GROUPS = frozenset({"core", "obliques"})
_ID = re.compile(r"[a-z0-9_]+")
_MAX_SETS = 10
_MAX_REPS = 50
_MAX_HOLD_S = 300
# Files extracted from a package that is not on disk (a zip), kept until the process ends.
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def shipped_path(name: str) -> Path:
    """A file or folder that ships with the planner (the repository's catalog/, installed as
    the package ``planner.shipped``), as a path on disk, found through importlib.resources
    so that it works in a wheel as in a checkout."""
    found = resources.files("planner.shipped") / name
    if isinstance(found, Path):  # an installed package's files are on disk
        return found
    return _EXTRACTED.enter_context(resources.as_file(found))


SHIPPED = shipped_path("exercises.csv")


# Problems a message lists before it counts the rest: a file broken on every row is told in a
# screenful, not in one line a row (as planner.plan.PlanFileError does).
MAX_SHOWN = 20


def shown_problems(problems: Sequence[str]) -> str:
    """The first MAX_SHOWN problems, one a line, then how many more there are."""
    shown = list(problems[:MAX_SHOWN])
    if len(problems) > MAX_SHOWN:
        shown.append(f"... and {len(problems) - MAX_SHOWN} more problems")
    return "\n".join(shown)


class CatalogError(ValueError):
    """A catalogue that cannot be loaded; ``problems`` holds one located line each, the
    message the first MAX_SHOWN of them and a count of the rest."""

    def __init__(self, problems: list[str]):
        self.problems = tuple(problems)
        super().__init__(shown_problems(self.problems))


@dataclass(frozen=True)
class Exercise:
    """One catalogue row, checked on construction."""

    id: str
    name: str
    role: str
    groups: tuple[str, ...]
    level: str
    equipment: tuple[str, ...]
    per_side: bool
    dose: str
    sets: int
    reps: int
    hold_s: int
    rpe: int
    spinal_flexion: bool = False
    hip_flexor_dominant: bool = False
    contraindications: tuple[str, ...] = ()
    cues: str = ""
    progression: str = ""
    # One of PATTERNS; empty (the default) for an exercise outside them all, which counts
    # toward no pattern. Every shipped row names one (tests/test_catalog.py).
    pattern: str = ""

    def __post_init__(self) -> None:
        for column, message in _exercise_problems(self):
            raise ValueError(f"exercise {self.id!r}, column {column}: {message}")

    @property
    def primary(self) -> str:
        return self.groups[0]

    @property
    def credited_groups(self) -> frozenset[str]:
        """Groups this exercise counts for; disguised hip-flexor moves never count as core."""
        if self.hip_flexor_dominant:
            return frozenset(self.groups) - CORE_GROUPS
        return frozenset(self.groups)

    def trains(self, group: str) -> bool:
        """True when this is strength work credited to ``group`` (``core`` takes obliques)."""
        if self.role != "strength":
            return False
        if group == "core":
            return bool(self.credited_groups & CORE_GROUPS)
        return group in self.credited_groups

    @property
    def stretches_hip_flexors(self) -> bool:
        return self.role == "stretch" and self.primary == "hip_flexors"


def _allowed(values) -> str:
    return ", ".join(values)


def _pattern_problems(e: Exercise) -> Iterator[tuple[str, str]]:
    """The pattern is known, belongs to the row's role, and hip_flexion goes with hip_flexors
    first both ways for strength work (evidence.md: hip-flexor work is never core work)."""
    if not e.pattern:
        return
    if e.pattern not in PATTERN_INFO:
        yield "pattern", f"{e.pattern!r} is unknown; allowed: {_allowed(PATTERNS)}"
        return
    role = PATTERN_INFO[e.pattern].role
    if e.role in ROLES and role != e.role:
        fits = [p for p, info in PATTERN_INFO.items() if info.role == e.role]
        yield (
            "pattern",
            f"{e.pattern!r} is a {role} pattern; allowed for {e.role}: {_allowed(fits)}",
        )
        return
    if e.role != "strength" or not e.groups:
        return
    if e.pattern != "hip_flexion" and e.primary == "hip_flexors":
        yield "pattern", f"{e.pattern!r} for strength with hip_flexors first; allowed: hip_flexion"
    elif e.pattern == "hip_flexion" and e.primary != "hip_flexors" and not e.hip_flexor_dominant:
        # (a hip_flexor_dominant row with another group first is reported once, below)
        yield "groups", f"{e.primary!r} first in a hip_flexion row; allowed: hip_flexors"


def _exercise_problems(e: Exercise) -> Iterator[tuple[str, str]]:
    """(column, message) for each way ``e`` breaks the schema; the one place rules live."""
    if not _ID.fullmatch(e.id):
        yield "id", f"{e.id!r} is not a slug; allowed: lower-case letters, digits and _"
    if not e.name.strip():
        yield "name", "is empty; allowed: any text"
    if e.role not in ROLES:
        yield "role", f"{e.role!r} is unknown; allowed: {_allowed(ROLES)}"
    yield from _pattern_problems(e)
    if not e.groups:
        yield "groups", f"is empty; allowed: {_allowed(GROUPS)}"
    for g in e.groups:
        if g not in GROUPS:
            yield "groups", f"{g!r} is unknown; allowed: {_allowed(GROUPS)}"
    if len(set(e.groups)) != len(e.groups):
        yield "groups", f"{';'.join(e.groups)!r} repeats a group"
    if e.level not in LEVELS:
        yield "level", f"{e.level!r} is unknown; allowed: {_allowed(LEVELS)}"
    if not e.equipment:
        yield "equipment", f"is empty; allowed: {_allowed(EQUIPMENT)}"
    for item in e.equipment:
        if item not in EQUIPMENT:
            yield "equipment", f"{item!r} is unknown; allowed: {_allowed(EQUIPMENT)}"
    if "none" in e.equipment and len(e.equipment) > 1:
        yield "equipment", f"{';'.join(e.equipment)!r} mixes none with equipment"
    if e.dose not in DOSES:
        yield "dose", f"{e.dose!r} is unknown; allowed: {_allowed(DOSES)}"
    for column, value, low, high in (
        ("sets", e.sets, 1, _MAX_SETS),
        ("reps", e.reps, 1, _MAX_REPS),
        ("hold_s", e.hold_s, 0, _MAX_HOLD_S),
        ("rpe", e.rpe, *evidence.RPE_SCALE),
    ):
        if not low <= value <= high:
            yield column, f"{value!r} is out of range; allowed: whole numbers {low} to {high}"
    if e.dose == "hold" and e.hold_s == 0:
        yield "hold_s", "is 0 for a hold; allowed: 1 to 300 seconds"
    if e.role == "stretch":
        low, high = evidence.STRETCH_HOLD_MIN_S, evidence.STRETCH_HOLD_MAX_S
        if e.dose != "hold":
            yield "dose", f"{e.dose!r} for a stretch; allowed: hold"
        elif not low <= e.hold_s <= high:
            yield "hold_s", f"{e.hold_s} for a stretch; allowed: {low} to {high} seconds (R6)"
    if e.hip_flexor_dominant and e.groups and e.primary != "hip_flexors":
        yield "groups", f"{e.primary!r} first in a hip_flexor_dominant row; allowed: hip_flexors"
    for c in e.contraindications:
        if c not in CONDITIONS:
            yield "contraindications", f"{c!r} is unknown; allowed: {_allowed(CONDITIONS)}"


@dataclass(frozen=True)
class Catalog:
    """Exercises in file order, unique by id."""

    exercises: tuple[Exercise, ...]
    source: str = "<memory>"
    _by_id: dict[str, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Exercise] = {}
        for e in self.exercises:
            if e.id in by_id:
                raise ValueError(f"exercise id {e.id!r} appears twice")
            by_id[e.id] = e
        for e in self.exercises:
            if e.progression and (e.progression not in by_id or e.progression == e.id):
                raise ValueError(
                    f"exercise {e.id!r}: progression {e.progression!r} is not another exercise"
                )
        object.__setattr__(self, "_by_id", by_id)

    def __len__(self) -> int:
        return len(self.exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def select(
        self,
        role: str | None = None,
        group: str | None = None,
        level: str | None = None,
        equipment: Iterable[str] | None = None,
    ) -> list[Exercise]:
        """The exercises, in file order, that have ``role``, work ``group``, are at ``level``
        or easier, and need nothing beyond ``equipment`` ("none" is always had); None leaves
        that filter out (``planner catalog`` lists them).

        Raises ``ValueError`` naming the first unknown equipment name: a typo would otherwise
        quietly list nothing."""
        have = None
        if equipment is not None:
            have = set(equipment) | {"none"}
            unknown = sorted(have - set(EQUIPMENT))
            if unknown:
                raise ValueError(f"{unknown[0]!r} is unknown; allowed: {', '.join(EQUIPMENT)}")
        return [
            e
            for e in self.exercises
            if (role is None or e.role == role)
            and (group is None or group in e.groups)
            and (level is None or LEVELS.index(e.level) <= LEVELS.index(level))
            and (have is None or set(e.equipment) <= have)
        ]

    def to_frame(self):
        """The catalogue as a pandas DataFrame in the CSV's column order."""
        import pandas as pd

        rows = [_row(e) for e in self.exercises]
        return pd.DataFrame(rows, columns=list(COLUMNS + OPTIONAL_COLUMNS))


def _row(e: Exercise) -> dict[str, str | int]:
    return {
        "id": e.id,
        "name": e.name,
        "role": e.role,
        "pattern": e.pattern,
        "groups": ";".join(e.groups),
        "level": e.level,
        "equipment": ";".join(e.equipment),
        "per_side": str(e.per_side).lower(),
        "dose": e.dose,
        "sets": e.sets,
        "reps": e.reps,
        "hold_s": e.hold_s,
        "rpe": e.rpe,
        "spinal_flexion": str(e.spinal_flexion).lower(),
        "hip_flexor_dominant": str(e.hip_flexor_dominant).lower(),
        "contraindications": ";".join(e.contraindications),
        "cues": e.cues,
        "progression": e.progression,
    }


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


_BOOLEANS = {"true": True, "false": False}
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")  # longer is out of any range, and int() may refuse it


def _parse_row(values: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Typed fields and (column, message) problems for one row of raw strings."""
    problems: list[tuple[str, str]] = []
    fields: dict = {}
    for column in COLUMNS + OPTIONAL_COLUMNS:
        raw = values.get(column, "").strip()
        if column in ("per_side", "spinal_flexion", "hip_flexor_dominant"):
            if raw.lower() not in _BOOLEANS:
                problems.append((column, f"{raw!r} is not a boolean; allowed: true, false"))
            fields[column] = _BOOLEANS.get(raw.lower(), False)
        elif column in ("sets", "reps", "hold_s", "rpe"):
            if not _INTEGER.fullmatch(raw):
                problems.append((column, f"{raw[:40]!r} is not a whole number"))
            fields[column] = int(raw) if _INTEGER.fullmatch(raw) else 1
        elif column in ("groups", "equipment", "contraindications"):
            fields[column] = _split(raw)
        else:
            fields[column] = raw
    return fields, problems


def load_catalog(path: str | Path = SHIPPED) -> Catalog:
    """Read and check a catalogue CSV; raise ``CatalogError`` naming every problem."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except IsADirectoryError:
        raise CatalogError([f"{name}: is a directory; allowed: a CSV file"]) from None
    except FileNotFoundError:
        raise CatalogError([f"{name}: no such file"]) from None
    except OSError as err:
        raise CatalogError([f"{name}: cannot be read ({err.strerror})"]) from None
    except UnicodeDecodeError as err:
        line = 1 + data[: err.start].count(b"\n")
        raise CatalogError(
            [f"{name}:{line}: bytes are not UTF-8; save the file as UTF-8"]
        ) from None
    return parse_catalog(text, name)


def parse_catalog(text: str, name: str = "<text>") -> Catalog:
    """Check catalogue CSV text; ``name`` is used in messages."""
    if not text.strip():
        raise CatalogError([f"{name}: is empty; allowed: a header row then one row an exercise"])
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[str] = []
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as err:
        raise CatalogError([f"{name}:1: {err}"]) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing and len(header) == 1:
        # One column where 17 are due: the wrong delimiter, not 16 separate problems.
        raise CatalogError(
            [
                f"{name}:1: one column found; is the file comma-separated? "
                f"required: {_allowed(COLUMNS)}"
            ]
        )
    if missing:
        what = "column" if len(missing) == 1 else "columns"
        raise CatalogError(
            [
                f"{name}:1: missing {what} {_allowed(map(repr, missing))}; "
                f"required: {_allowed(COLUMNS)}"
            ]
        )
    extra = [h for h in header if h not in COLUMNS + OPTIONAL_COLUMNS]
    if extra:
        raise CatalogError([f"{name}:1: unknown column {h!r}" for h in extra])
    if len(set(header)) != len(header):
        raise CatalogError([f"{name}:1: a column name repeats"])
    exercises: list[Exercise] = []
    first_line: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(f"{name}:{line}: {err}")
            break
        here, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{name}:{here}: {len(cells)} fields; the header has {len(header)}")
            continue
        fields, row_problems = _parse_row(dict(zip(header, cells, strict=True)))
        if not row_problems:
            candidate = Exercise.__new__(Exercise)
            for key, value in fields.items():
                object.__setattr__(candidate, key, value)
            row_problems = list(_exercise_problems(candidate))
        problems += [
            f"{name}:{here}: column {column}: {message}" for column, message in row_problems
        ]
        ex_id = fields["id"]
        if ex_id in first_line:
            problems.append(
                f"{name}:{here}: column id: {ex_id!r} duplicates line {first_line[ex_id]}"
            )
        first_line.setdefault(ex_id, here)
        if not row_problems:
            exercises.append(Exercise(**fields))
    for e in exercises:
        if e.progression and (e.progression not in first_line or e.progression == e.id):
            problems.append(
                f"{name}:{first_line[e.id]}: column progression: {e.progression!r} is not "
                "another exercise id in this file"
            )
    if not exercises and not problems:
        problems.append(f"{name}: has a header but no exercises")
    if problems:
        raise CatalogError(problems)
    return Catalog(tuple(exercises), source=name)
