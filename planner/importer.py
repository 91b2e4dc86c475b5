"""Importing open exercise data into the catalogue format.

``import_free_exercise_db`` reads free-exercise-db's ``exercises.json`` (public domain;
evidence.md, "Open exercise data") and returns a checked ``Catalog`` plus a count of what was
left out and why. The source has no hip-flexor muscle and tags several key moves wrongly, so
the conversion is three steps, each overriding the one before:

1. the mapping tables below (muscles to groups, category to role, level, equipment);
2. a rule pass on names for the obvious cases (hip-flexor stretches, the sit-up and leg-raise
   families that are hip-flexor work in disguise, end-range flexion, loaded hinges) and for
   the movement pattern (``deadlift`` is a hinge, ``leg curl`` a hamstring curl, ...; else the
   pattern the role's primary group makes most likely);
3. the override table ``catalog/free-exercise-db-overrides.csv``, one row per source id that
   a person checked by reading its record. Any non-empty cell replaces the computed value;
   ``contraindications`` takes ``none`` to clear them; ``note`` says why and is not used.

``write_catalog`` writes a catalogue in the CSV format ``load_catalog`` reads.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planner import evidence
from planner.catalog import (
    COLUMNS,
    CONDITIONS,
    EQUIPMENT,
    GROUPS,
    OPTIONAL_COLUMNS,
    PATTERNS,
    ROLES,
    Catalog,
    Exercise,
    shipped_path,
    shown_problems,
)
from planner.export import table_csv
from planner.output import write

SOURCE = "free-exercise-db"
# Shipped beside the catalogue: the source as published (public domain, unmodified; its
# README.md says how to refresh it), read when no path is given, and our override table.
DEFAULT_SOURCE = shipped_path("free-exercise-db")
DEFAULT_OVERRIDES = shipped_path("free-exercise-db-overrides.csv")

# Its 17 muscles: ours where the names agree; None for muscles outside the hips and trunk.
MUSCLES = {
    "abdominals": "core",
    "lower back": "lower_back",
    "glutes": "glutes",
    "hamstrings": "hamstrings",
    "quadriceps": "quadriceps",
    "adductors": "adductors",
    "abductors": "abductors",
    **dict.fromkeys(
        (
            "biceps",
            "calves",
            "chest",
            "forearms",
            "lats",
            "middle back",
            "neck",
            "shoulders",
            "traps",
            "triceps",
        )
    ),
}
# Category to role; None: not planned for this audience, with the reason counted.
CATEGORIES = {
    "stretching": "stretch",
    "strength": "strength",
    "powerlifting": "strength",
    "strongman": None,
    "olympic weightlifting": None,
    "plyometrics": None,
    "cardio": None,
}
CATEGORY_DROPS = {
    "strongman": "strongman event",
    "olympic weightlifting": "olympic lift",
    "plyometrics": "plyometric (jumping)",
    "cardio": "cardio, not planned",
}
LEVEL_NAMES = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
# None (null in the source) and "other" say nothing about what is needed: both become
# "unknown", left out unless allowed. An EZ bar is a cambered barbell.
EQUIPMENT_NAMES = {
    "body only": "none",
    "medicine ball": "medicine_ball",
    "dumbbell": "dumbbell",
    "bands": "band",
    "kettlebells": "kettlebell",
    "foam roll": "foam_roller",
    "cable": "cable",
    "machine": "machine",
    "barbell": "barbell",
    "exercise ball": "stability_ball",
    "e-z curl bar": "barbell",
    "other": "unknown",
    None: "unknown",
}
UNKNOWN = "unknown"
MAX_GROUPS = 4

# Default doses: a stretch 2 x 1 x 30 s, which meets R6's 60 s a side; strength 3 sets of 8
# (compound) or 12 (isolation) within R2's 8-12; static strength holds 3 x 20 s like the
# shipped plank; release 1 x 60 s; mobility 1 x 10 easy reps (shipped catalogue conventions).
STRETCH_HOLD_S = evidence.STRETCH_HOLD_MAX_S
RELEASE_HOLD_S = 60
STRENGTH_HOLD_S = 20
STRENGTH_REPS = {"compound": 8, "isolation": 12, None: 10}
# Typical effort (CR-10) by role, and for strength by level, as the shipped catalogue rates
# its rows (a stretch is a gentle pull, 2; a beginner's strength set is moderate, 4): the
# session shape (R20) has a week's load come mostly from strength at the shipped ratio.
RPE = {"release": 3, "stretch": 2, "mobility": 2}
STRENGTH_RPE = {"beginner": 4, "intermediate": 6, "advanced": 8}
CUE_CHARS = 160
# Text a spreadsheet would run as a formula starts with one of these (planner.plan too).
_FORMULA = "=+-@\t\r"

_OVERRIDE_COLUMNS = (
    "source_id",
    "groups",
    "hip_flexor_dominant",
    "spinal_flexion",
    "role",
    "equipment",
    "contraindications",
    "pattern",
    "drop_reason",
    "note",
)


class SourceError(ValueError):
    """A source file that cannot be imported; the message names the file and the record."""


class OverrideError(ValueError):
    """A bad override table; ``problems`` holds one line each naming the file, line and
    column, the message the first MAX_SHOWN of them and a count of the rest."""

    def __init__(self, problems: str | list[str]):
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__(shown_problems(self.problems))


@dataclass(frozen=True)
class Override:
    """One checked row of the override table; empty fields change nothing."""

    source_id: str
    line: int
    groups: tuple[str, ...] = ()
    hip_flexor_dominant: bool | None = None
    spinal_flexion: bool | None = None
    role: str = ""
    equipment: tuple[str, ...] = ()
    contraindications: tuple[str, ...] | None = None
    pattern: str = ""
    drop_reason: str = ""


@dataclass(frozen=True)
class ImportResult:
    """The imported catalogue, and how many source exercises were dropped for each reason."""

    catalog: Catalog
    dropped: Counter = field(default_factory=Counter)
    total: int = 0
    source: str = SOURCE

    @property
    def by_role(self) -> dict[str, int]:
        counts = Counter(e.role for e in self.catalog)
        return {r: counts[r] for r in ROLES if counts[r]}

    @property
    def by_group(self) -> dict[str, int]:
        """Exercises by primary group."""
        counts = Counter(e.primary for e in self.catalog)
        return {g: counts[g] for g in GROUPS if counts[g]}

    @property
    def by_level(self) -> dict[str, int]:
        counts = Counter(e.level for e in self.catalog)
        return {lv: counts[lv] for lv in LEVEL_NAMES.values() if counts[lv]}

    @property
    def by_pattern(self) -> dict[str, int]:
        counts = Counter(e.pattern for e in self.catalog)
        return {p: counts[p] for p in PATTERNS if counts[p]}

    def summary(self) -> str:
        """How many were imported, by role, primary group, level and pattern; how many dropped,
        why."""

        def counts(mapping) -> str:
            return ", ".join(f"{k} {v}" for k, v in mapping.items())

        lines = [
            f"Imported {len(self.catalog)} of {self.total} {self.source} exercises; "
            f"dropped {sum(self.dropped.values())}.",
            f"By role: {counts(self.by_role)}.",
            f"By primary group: {counts(self.by_group)}.",
            f"By level: {counts(self.by_level)}.",
            f"By pattern: {counts(self.by_pattern)}.",
        ]
        if self.dropped:
            lines.append("Dropped:")
            width = len(str(max(self.dropped.values())))
            for reason, n in sorted(self.dropped.items(), key=lambda item: (-item[1], item[0])):
                lines.append(f"  {n:>{width}} {reason}")
        return "\n".join(lines)


# --- the rule pass: names, lower-cased with punctuation as spaces -----------------------------

_HIP_FLEXOR_NAME = re.compile(r"\bhip flexors?\b|\bpsoas\b|\blunge stretch\b|\bkneeling hip\b")
# Sit-up and leg-raise families: hip-flexor work in disguise when the source calls them ab
# moves (evidence.md; Juker & McGill 1998). Checked on strength moves tagged abdominals only,
# so that a step-up with a knee raise or a prone (glute) flutter kick is left alone.
_DISGUISED = re.compile(
    r"\bsit ?ups?\b|\bleg (raises?|lifts?)\b|\bknee raises?\b|\bv ups?\b|\bjackknife\b"
    r"|\bflutter\b|\bscissors?\b|\btoes? to bar\b|\bpull ins?\b|\bleg tucks?\b"
)
# End-range lumbar flexion (R15, R16): full sit-ups, toe touches, knee-to-chest, child's pose.
_END_RANGE_FLEXION = re.compile(
    r"\bsit ?ups?\b|\bv ups?\b|\btoe touch(es)?\b|\bknees? to chest\b|\bchild ?s pose\b"
)
# Loaded hinges that end in lumbar flexion when form slips (R16): not with back pain.
_LOADED_HINGE = re.compile(
    r"\bgood mornings?\b|\bstiff ?leg(ged)?\b|\bstraight leg deadlift\b|\bjefferson\b"
)
_OLYMPIC = re.compile(r"\bclean\b|\bsnatch\b|\bjerk\b")
_JUMPING = re.compile(r"\bjump\b|\bhops?\b")
_OBLIQUE = re.compile(
    r"\boblique|\bside bends?\b|\btwists?\b|\bwood ?chop|\bside bridge\b|\bside plank\b"
    r"|\bheel touchers\b|\bcross body\b|\brussian\b|\bwindmill\b"
)
_HANGING = re.compile(r"\bhanging\b")
# Dynamic moves filed under stretching are done for reps: mobility.
_DYNAMIC_FORCES = ("push", "pull")
# Done on each side: said by the name, or by phrases in the instructions that are about the
# body ("each side" alone also describes barbell plates, "one arm" cleaning dumbbells).
_PER_SIDE_NAME = re.compile(
    r"\b(single|one) (leg|arm)|\bone legged\b|\balternat(e|ing)\b|\blunges?\b|\bsplit squats?\b"
    r"|\bstep ups?\b|\bside (bridge|plank|bends?|jackknife)\b"
)
_PER_SIDE_TEXT = re.compile(
    r"\b(other|opposite) (side|leg)\b(?! of)|\bfor each (side|leg|arm)\b|\beach leg\b"
    r"|\bswitch (sides|legs)\b|\balternat(e|es|ing|ely)\b(?! (your )?grip)|\b(single|one) leg\b"
    r"|\bone (foot|of your feet)\b"
)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def slug(source_id: str) -> str:
    """The catalogue id for a source id: lower-cased, every run of other characters one _."""
    return re.sub(r"[^a-z0-9]+", "_", source_id.lower()).strip("_") or "exercise"


def _clean(text: str) -> str:
    """One line of text that no spreadsheet runs as a formula."""
    return " ".join(text.split()).lstrip(_FORMULA + " ")


def cue(instructions: list[str]) -> str:
    """The first sentence of the instructions, cut to about CUE_CHARS characters."""
    text = _clean(" ".join(instructions))
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= CUE_CHARS:
        return first
    return first[: CUE_CHARS - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


# --- reading -----------------------------------------------------------------------------------

_RECORD_KEYS = {
    "id": str,
    "name": str,
    "category": str,
    "level": str,
    "primaryMuscles": list,
    "secondaryMuscles": list,
    "instructions": list,
}
_VOCABULARIES = {
    "category": CATEGORIES,
    "level": LEVEL_NAMES,
    "equipment": EQUIPMENT_NAMES,
    "mechanic": STRENGTH_REPS,
}


def read_source(path: str | Path) -> tuple[Path, list[dict]]:
    """The exercises.json file (``path`` or the one in folder ``path``) and its records,
    checked against the vocabularies above; ``SourceError`` names what is wrong."""
    path = Path(path)
    file = path / "exercises.json" if path.is_dir() else path
    if not file.exists():
        where = f"{path}: no exercises.json in this folder" if path.is_dir() else None
        raise SourceError(where or f"{path}: no such file or folder")
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise SourceError(f"{file}:{err.lineno}:{err.colno}: not JSON ({err.msg})") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(f"{file}: cannot be read ({getattr(err, 'strerror', err)})") from None
    if not isinstance(records, list) or not records:
        raise SourceError(f"{file}: expected a list of exercises")
    for number, record in enumerate(records, 1):
        problem = _record_problem(record)
        if problem:
            label = record.get("id") if isinstance(record, dict) else None
            raise SourceError(
                f"{file}: exercise {number}" + (f" ({label})" if label else "") + f": {problem}"
            )
    return file, records


def _record_problem(record) -> str | None:
    if not isinstance(record, dict):
        return "expected an object"
    for key, kind in _RECORD_KEYS.items():
        if not isinstance(record.get(key), kind):
            return f"{key} is missing or not a {kind.__name__}"
    for key, known in _VOCABULARIES.items():
        value = record.get(key)
        if value not in known:
            return f"{key} {value!r} is unknown; known: {', '.join(str(k) for k in known)}"
    for key in ("primaryMuscles", "secondaryMuscles"):
        for muscle in record[key]:
            if muscle not in MUSCLES:
                return f"{key}: {muscle!r} is unknown; known: {', '.join(MUSCLES)}"
    if not record["primaryMuscles"]:
        return "primaryMuscles is empty"
    if not all(isinstance(step, str) for step in record["instructions"]):
        return "instructions must be a list of text"
    return None


def read_overrides(path: str | Path, source_ids: set[str], source: str) -> dict[str, Override]:
    """The override table by source id; ``OverrideError`` names file, line and column of
    every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OverrideError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise OverrideError(f"{path}: cannot be read ({getattr(err, 'strerror', err)})") from None
    reader = csv.DictReader(text.splitlines(), strict=True)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise OverrideError(f"{path}:{reader.line_num + 1}: {err}") from None
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in _OVERRIDE_COLUMNS]
    if "source_id" not in header or unknown:
        what = f"unknown column {unknown[0]!r}" if unknown else "missing column 'source_id'"
        raise OverrideError(f"{path}:1: {what}; allowed: {', '.join(_OVERRIDE_COLUMNS)}")
    overrides: dict[str, Override] = {}
    first_line: dict[str, int] = {}
    problems: list[str] = []
    for line, row in zip(_row_lines(text), rows, strict=False):
        row_problems = list(_override_problems(row, source_ids, source))
        problems += [
            f"{path}:{line}: column {column}: {message}" for column, message in row_problems
        ]
        sid = _cell(row, "source_id")
        if sid in first_line:
            problems.append(
                f"{path}:{line}: column source_id: {sid!r} duplicates line {first_line[sid]}"
            )
            continue
        first_line[sid] = line
        if not row_problems:
            overrides[sid] = _override(row, line)
    if problems:
        raise OverrideError(problems)
    return overrides


def _row_lines(text: str) -> Iterator[int]:
    """The line each data row of CSV ``text`` starts on (after the header)."""
    reader = csv.reader(text.splitlines())
    next(reader, None)
    line = reader.line_num + 1
    for row in reader:
        if row:  # DictReader skips blank lines
            yield line
        line = reader.line_num + 1


def _cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _items(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _override_problems(row: dict, source_ids: set[str], source: str) -> Iterator[tuple[str, str]]:
    sid = _cell(row, "source_id")
    if sid not in source_ids:
        yield "source_id", f"{sid!r} is not an exercise id in {source}"
    for column, allowed in (("groups", GROUPS), ("equipment", EQUIPMENT)):
        for item in _items(_cell(row, column)):
            if item not in allowed:
                yield column, f"{item!r} is unknown; allowed: {', '.join(allowed)}"
    for item in _items(_cell(row, "contraindications")):
        if item not in CONDITIONS and item != "none":
            allowed = ", ".join((*CONDITIONS, "none"))
            yield "contraindications", f"{item!r} is unknown; allowed: {allowed}"
    for column in ("hip_flexor_dominant", "spinal_flexion"):
        if _cell(row, column).lower() not in ("", "true", "false"):
            yield column, f"{_cell(row, column)!r} is not a boolean; allowed: true, false"
    role = _cell(row, "role")
    if role and role not in ROLES:
        yield "role", f"{role!r} is unknown; allowed: {', '.join(ROLES)}"
    pattern = _cell(row, "pattern")
    if pattern and pattern not in PATTERNS:
        yield "pattern", f"{pattern!r} is unknown; allowed: {', '.join(PATTERNS)}"


def _override(row: dict, line: int) -> Override:
    def flag(column: str) -> bool | None:
        value = _cell(row, column).lower()
        return None if not value else value == "true"

    conditions = _items(_cell(row, "contraindications"))
    return Override(
        source_id=_cell(row, "source_id"),
        line=line,
        groups=_items(_cell(row, "groups")),
        hip_flexor_dominant=flag("hip_flexor_dominant"),
        spinal_flexion=flag("spinal_flexion"),
        role=_cell(row, "role"),
        equipment=_items(_cell(row, "equipment")),
        contraindications=None if not conditions else tuple(c for c in conditions if c != "none"),
        pattern=_cell(row, "pattern"),
        drop_reason=_cell(row, "drop_reason"),
    )


# --- converting one record ---------------------------------------------------------------------


def _groups(record: dict, name: str) -> list[str]:
    """Our groups from the source's muscles, primary first, obliques for rotation and side
    bending, hip flexors first for moves named after them."""
    groups: list[str] = []
    for muscle in record["primaryMuscles"] + record["secondaryMuscles"]:
        group = MUSCLES[muscle]
        if group == "core" and _OBLIQUE.search(name):
            groups.append("obliques")
        if group is not None:
            groups.append(group)
    if _HIP_FLEXOR_NAME.search(name):
        groups.insert(0, "hip_flexors")
    return list(dict.fromkeys(groups))


def _role(record: dict, equipment: str) -> str | None:
    role = CATEGORIES[record["category"]]
    if role == "stretch":
        if equipment == "foam_roller":
            return "release"
        if record.get("force") in _DYNAMIC_FORCES:
            return "mobility"
    return role


def _drop_reason(
    record: dict, name: str, groups: list[str], equipment: tuple[str, ...], allow_unknown: bool
) -> str | None:
    category = record["category"]
    if category in CATEGORY_DROPS:
        return CATEGORY_DROPS[category]
    if _OLYMPIC.search(name):
        return "olympic lift"
    if _JUMPING.search(name):
        return "plyometric (jumping)"
    if not groups:
        ours = {MUSCLES[m] for m in record["secondaryMuscles"]} - {None}
        return "hip/trunk muscles only secondary" if ours else "no hip/trunk muscle group"
    if UNKNOWN in equipment and not allow_unknown:
        if record.get("equipment") is None:
            return "equipment not given (null)"
        return f"equipment '{record['equipment']}' (not specific)"
    return None


def convert(
    record: dict, exercise_id: str, override: Override | None = None, allow_unknown: bool = False
) -> Exercise | str:
    """One source record as an Exercise, or the reason it is dropped."""
    o = override or Override(record["id"], 0)
    name = _words(record["name"])
    primary_ours = MUSCLES[record["primaryMuscles"][0]] is not None
    groups = _groups(record, name) if primary_ours else []
    equipment = o.equipment or (EQUIPMENT_NAMES[record.get("equipment")],)
    role = o.role or _role(record, equipment[0])
    disguised = (
        role == "strength"
        and record["primaryMuscles"] == ["abdominals"]
        and bool(_DISGUISED.search(name))
    )
    hip_flexor_dominant = disguised if o.hip_flexor_dominant is None else o.hip_flexor_dominant
    if o.groups:
        groups = list(o.groups)
    elif hip_flexor_dominant:
        groups = ["hip_flexors", *(g for g in groups if g != "hip_flexors")]
    groups = groups[:MAX_GROUPS]
    reason = _drop_reason(record, name, groups, equipment, allow_unknown)
    if o.drop_reason or reason:
        return o.drop_reason or reason
    flexion = bool(_END_RANGE_FLEXION.search(name))
    spinal_flexion = flexion if o.spinal_flexion is None else o.spinal_flexion
    if o.contraindications is not None:
        contraindications = o.contraindications
    else:
        contraindications = _contraindications(role, name, hip_flexor_dominant, spinal_flexion)
    level = LEVEL_NAMES[record["level"]]
    text = _words(" ".join(record["instructions"]))
    return Exercise(
        id=exercise_id,
        name=_clean(record["name"]) or exercise_id,
        role=role,
        pattern=o.pattern or pattern(role, groups, name),
        groups=tuple(groups),
        level=level,
        equipment=equipment,
        per_side=bool(_PER_SIDE_NAME.search(name) or _PER_SIDE_TEXT.search(text)),
        spinal_flexion=spinal_flexion,
        hip_flexor_dominant=hip_flexor_dominant,
        contraindications=contraindications,
        cues=cue(record["instructions"]),
        **_dose(role, record, level),
    )


# Strength patterns from the name, first match wins: side planks before the crunch family's
# side bends, crunches before rotation (a crunch with a twist curls the trunk), the curls and
# hip extensions before the hinges and back extensions whose words they share (a glute-ham
# raise, a reverse hyperextension). A rule with groups applies only when the primary group is
# one of them: a "hip raise" with the abdominals first is a reverse crunch, not a bridge.
_STRENGTH_PATTERN_RULES: tuple[tuple[str, re.Pattern, frozenset[str] | None], ...] = tuple(
    (pattern_name, re.compile(words), frozenset(groups) if groups else None)
    for pattern_name, words, groups in (
        ("anti_lateral_flexion", r"\bside (bridge|plank)s?\b|\bsuitcase\b", None),
        ("anti_rotation", r"\bpallof\b(?! press with rotation)", None),
        (
            "trunk_flexion",
            r"\bcrunch(es)?\b|\bsit ?ups?\b|\bcurl ?ups?\b|\bside bends?\b|\bwindmill\b"
            r"|\bjackknife\b|\belbow to knee\b|\bheel touchers\b|\btoe touchers\b",
            None,
        ),
        (
            "rotation",
            r"\btwists?\b|\bwood ?chops?\b|\bwith rotation\b|\bjudo flip\b|\b180s?\b"
            r"|\bcable lift\b",
            None,
        ),
        (
            "hamstring_curl",
            r"\bleg curls?\b|\bhamstring curls?\b|\bglute ham raise\b|\bnordic\b",
            None,
        ),
        ("hip_extension", r"\bkickbacks?\b|\bhip extensions?\b|\breverse hyperextension", None),
        (
            "hinge",
            r"\bdeadlifts?\b|\bgood mornings?\b|\bromanian\b|\bstiff leg|\brack pulls?\b"
            r"|\bpull ?through\b|\bswings?\b",
            None,
        ),
        ("back_extension", r"\bhyperextensions?\b|\bback extensions?\b|\bsuperman\b", None),
        (
            "bridge_thrust",
            r"\bbridges?\b|\bhip thrusts?\b|\bhip (raise|lift)s?\b|\bbutt lift\b",
            ("glutes", "hamstrings"),
        ),
        (
            "squat_lunge",
            r"\bsquats?\b|\blunges?\b|\bstep ?ups?\b|\bleg press\b|\bhack\b|\bpistol\b",
            None,
        ),
        ("anti_extension", r"\bplanks?\b|\brollouts?\b|\bab wheel\b|\bdead bug\b", None),
        (
            "hip_abduction",
            r"\babduct|\bmonster walk\b|\blateral (band )?walk\b|\bclam(shell)?s?\b",
            None,
        ),
        ("hip_adduction", r"\badduct", None),
        ("knee_extension", r"\bleg extensions?\b", None),
    )
)
# When no name rule matches: the pattern a role's primary group makes most likely.
_PATTERN_BY_GROUP = {
    "strength": {
        "hip_flexors": "hip_flexion",
        "glutes": "hip_extension",
        "hamstrings": "hinge",
        "core": "trunk_flexion",
        "obliques": "trunk_flexion",
        "lower_back": "back_extension",
        "quadriceps": "squat_lunge",
        "adductors": "hip_adduction",
        "abductors": "hip_abduction",
    },
    "stretch": {
        "hip_flexors": "hip_flexor_stretch",
        "glutes": "glute_stretch",
        "hamstrings": "hamstring_stretch",
        "core": "side_bend_stretch",
        "obliques": "side_bend_stretch",
        "lower_back": "lower_back_stretch",
        "quadriceps": "quad_stretch",
        "adductors": "adductor_stretch",
        "abductors": "outer_hip_stretch",
    },
    "mobility": {
        **dict.fromkeys(GROUPS, "hip_mobility"),
        **dict.fromkeys(("core", "obliques", "lower_back"), "spine_mobility"),
    },
    "release": dict.fromkeys(GROUPS, "release"),
}
_TWIST_STRETCH = re.compile(r"\btwists?\b")


def pattern(role: str, groups: list[str] | tuple[str, ...], name: str) -> str:
    """The movement pattern of an imported exercise from its role, groups (primary first) and
    name (as ``_words`` gives it); hip-flexor strength work is always ``hip_flexion``."""
    primary = groups[0]
    if role == "strength" and primary != "hip_flexors":
        for found, words, primaries in _STRENGTH_PATTERN_RULES:
            if words.search(name) and (primaries is None or primary in primaries):
                return found
    if role == "stretch" and _TWIST_STRETCH.search(name):
        return "twist_stretch"
    return _PATTERN_BY_GROUP[role][primary]


def _contraindications(
    role: str, name: str, hip_flexor_dominant: bool, spinal_flexion: bool
) -> tuple[str, ...]:
    found = set()
    if hip_flexor_dominant:  # evidence.md: left out for back pain
        found.add("back_pain")
    if spinal_flexion:  # R16 for loaded flexion; flexion stretches load an osteoporotic spine
        found.add("osteoporosis")
        if role == "strength":
            found.add("back_pain")
    if role == "strength" and _LOADED_HINGE.search(name):
        found.add("back_pain")
    if role == "strength" and _HANGING.search(name):
        found.add("shoulder_pain")
    return tuple(c for c in CONDITIONS if c in found)


def _dose(role: str, record: dict, level: str) -> dict[str, str | int]:
    if role == "stretch":  # R6: 15-30 s holds, 60 s a side in total
        return dict(dose="hold", sets=2, reps=1, hold_s=STRETCH_HOLD_S, rpe=RPE[role])
    if role == "release":
        return dict(dose="hold", sets=1, reps=1, hold_s=RELEASE_HOLD_S, rpe=RPE[role])
    if role == "mobility":
        return dict(dose="reps", sets=1, reps=10, hold_s=0, rpe=RPE[role])
    rpe = STRENGTH_RPE[level]
    if record.get("force") == "static":
        return dict(dose="hold", sets=3, reps=1, hold_s=STRENGTH_HOLD_S, rpe=rpe)
    return dict(dose="reps", sets=3, reps=STRENGTH_REPS[record.get("mechanic")], hold_s=0, rpe=rpe)


# --- the public entry points -------------------------------------------------------------------


def import_free_exercise_db(
    path: str | Path = DEFAULT_SOURCE,
    overrides: str | Path | None = DEFAULT_OVERRIDES,
    allow_unknown: bool = False,
) -> ImportResult:
    """free-exercise-db's exercises.json (or its folder; by default the shipped copy) as a
    checked catalogue.

    ``overrides``: the override table, or None for none. ``allow_unknown``: keep exercises
    whose equipment the source does not name, as equipment ``unknown``."""
    file, records = read_source(path)
    ids = _unique_ids([r["id"] for r in records])
    table = {} if overrides is None else read_overrides(overrides, set(ids), str(file))
    exercises: list[Exercise] = []
    dropped: Counter = Counter()
    broken: list[tuple[int, str]] = []  # (line, problem) for each override that breaks a row
    for record in records:
        override = table.get(record["id"])
        try:
            result = convert(record, ids[record["id"]], override, allow_unknown)
        except ValueError as err:  # only an override can make a row invalid
            if override is None:
                raise SourceError(f"{file}: exercise {record['id']}: {err}") from None
            broken.append((override.line, f"{overrides}:{override.line}: {err}"))
            continue
        if isinstance(result, str):
            dropped[result] += 1
        else:
            exercises.append(result)
    if broken:
        raise OverrideError([problem for _, problem in sorted(broken)])
    catalog = Catalog(tuple(exercises), source=f"{SOURCE} ({file})")
    return ImportResult(catalog=catalog, dropped=dropped, total=len(records))


# Sources by name, as the CLI offers them.
IMPORTERS = {SOURCE: import_free_exercise_db}


def _unique_ids(source_ids: list[str]) -> dict[str, str]:
    """A slug for every source id, in file order; a repeated slug gets _2, _3, ..."""
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for sid in source_ids:
        if sid in ids:
            raise SourceError(f"source id {sid!r} appears twice")
        base = candidate = slug(sid)
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate)
        ids[sid] = candidate
    return ids


def catalog_csv(catalog: Catalog) -> str:
    """A catalogue as CSV text in the format ``load_catalog`` reads."""
    rows = catalog.to_frame().to_dict("records")
    return table_csv(rows, COLUMNS + OPTIONAL_COLUMNS)


def write_catalog(catalog: Catalog, path: str | Path) -> None:
    """Write a catalogue CSV (``planner.output.write``: what stands at the path decides how);
    ``planner.OutputError`` names the path on failure."""
    write(path, catalog_csv(catalog))
