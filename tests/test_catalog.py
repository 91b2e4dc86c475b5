"""The catalogue: the shipped file's content, and the loader's exact message for each way a
file can be wrong (file, line, column, value, what is allowed), with nothing partly loaded."""

from __future__ import annotations

import csv
import fnmatch
import io
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from planner import Profile
from planner.catalog import (
    COLUMNS,
    EQUIPMENT,
    GROUPS,
    LEVELS,
    PATTERN_INFO,
    PATTERNS,
    SHIPPED,
    Catalog,
    CatalogError,
    Exercise,
    load_catalog,
    parse_catalog,
    shipped_path,
)
from planner.evidence import ROUNDED_PATTERNS
from planner.importer import DEFAULT_OVERRIDES, DEFAULT_SOURCE

ALLOWED_COLUMNS = ", ".join(COLUMNS)
REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
# What ships with the planner, relative to planner.shipped (the repository's catalog/).
SHIPPED_FILES = (
    "exercises.csv",
    "free-exercise-db-overrides.csv",
    "free-exercise-db/exercises.json",
    "free-exercise-db/LICENSE.md",
    "free-exercise-db/README.md",
    "free-exercise-db/schema.json",
)
STRENGTH_PATTERNS = ", ".join(p for p, info in PATTERN_INFO.items() if info.role == "strength")
BODYWEIGHT = frozenset({"none", "mat", "wall_or_chair"})


def _shipped_rows() -> tuple[list[str], dict[str, dict[str, str]]]:
    with SHIPPED.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or ()), {row["id"]: row for row in reader}


HEADER, SHIPPED_ROWS = _shipped_rows()


def row(exercise_id: str, **cells: str) -> dict[str, str]:
    """A copy of a shipped catalogue row, without its progression, with ``cells`` changed."""
    out = dict(SHIPPED_ROWS[exercise_id], progression="")
    out.update(cells)
    return out


def csv_text(rows: list[dict[str, str]], header: list[str] = HEADER, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: v for k, v in r.items() if k in header})
    return out.getvalue()


@pytest.fixture
def write(tmp_path: Path):
    """Call it: ``write(rows)`` or ``write(text=...)``; returns the path of a catalogue file."""

    def _write(rows=(), text: str | None = None, name: str = "cat.csv", **options) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(list(rows), **options) if text is None else text, "utf-8")
        return path

    return _write


def problems_of(path: Path) -> tuple[str, ...]:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return info.value.problems


# --- the shipped catalogue ------------------------------------------------------------------

SOURCE_EXERCISES = (
    # The article's exercises.
    "standing_hip_flexor_stretch",
    "knee_to_chest_stretch",
    "double_knee_to_chest_stretch",
    "ball_drape_stretch",
    "plank",
    "crunch",
    "glute_bridge",
    "bodyweight_squat",
    "lying_leg_curl",
    "stability_ball_hamstring_curl",
    "ball_release_glutes",
    "ball_release_lower_back",
    "ball_release_hip_flexors",
    # The evidence's exercises.
    "mcgill_curl_up",
    "side_plank",
    "bird_dog",
    "dead_bug",
    "clamshell",
    "single_leg_glute_bridge",
    "hip_thrust",
    "romanian_deadlift",
    "half_kneeling_hip_flexor_stretch",
    "couch_stretch",
    "ninety_ninety_stretch",
    "pigeon_stretch",
    "figure_four_stretch",
    "childs_pose",
    "cat_camel",
    "supine_hamstring_stretch",
)
DISGUISED = ("full_sit_up", "hanging_leg_raise", "v_up")


def test_shipped_catalogue_loads_with_at_least_45_exercises(catalog):
    """The shipped file loads cleanly and holds at least 45 exercises, all unique by id."""
    assert len(catalog) >= 45
    assert len({e.id for e in catalog}) == len(catalog)
    assert catalog.source == str(SHIPPED)


def test_default_path_is_the_shipped_catalogue(catalog):
    """load_catalog() with no argument reads the shipped exercises.csv."""
    assert [e.id for e in catalog] == list(SHIPPED_ROWS)
    assert load_catalog() == load_catalog(SHIPPED)


def test_shipped_files_are_package_data_found_through_importlib_resources():
    """The catalogue, the override table and the free-exercise-db copy are files of the
    package planner.shipped, which is how an installed wheel finds them; the paths the
    command line shows are those files."""
    root = resources.files("planner.shipped")
    for name in SHIPPED_FILES:
        assert (root / name).is_file(), name
        assert shipped_path(name).read_bytes() == (root / name).read_bytes()
    assert shipped_path("exercises.csv") == SHIPPED
    assert shipped_path("free-exercise-db-overrides.csv") == DEFAULT_OVERRIDES
    assert shipped_path("free-exercise-db") == DEFAULT_SOURCE
    assert DEFAULT_SOURCE.is_dir()


def test_the_repositorys_catalog_folder_is_the_one_copy_and_all_of_it_is_packaged():
    """catalog/ in the repository is what planner.shipped holds, and each of its data files
    matches a package-data pattern in pyproject.toml, so none is left out of the wheel."""
    folder = REPO / "catalog"
    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc")
    )
    assert files == sorted(SHIPPED_FILES)
    for name in files:
        assert (folder / name).read_bytes() == shipped_path(name).read_bytes()
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    assert setuptools["package-dir"]["planner.shipped"] == "catalog"
    patterns = setuptools["package-data"]["planner.shipped"]
    for name in files:
        assert any(fnmatch.fnmatchcase(name, p) for p in patterns), name


@pytest.mark.parametrize("exercise_id", SOURCE_EXERCISES)
def test_shipped_catalogue_holds_the_sources_exercises(catalog, exercise_id):
    """Every exercise the article and the evidence name is in the shipped catalogue."""
    assert exercise_id in catalog


def test_shipped_catalogue_covers_every_role_and_the_tight_and_weak_groups(catalog):
    """The shipped file has releases, stretches, mobility and strength, and strength work for
    glutes, hamstrings, core and lower back, and stretches for hip flexors."""
    assert {e.role for e in catalog} == {"release", "stretch", "mobility", "strength"}
    for group in ("glutes", "hamstrings", "core", "lower_back"):
        assert any(e.trains(group) for e in catalog), group
    assert sum(e.stretches_hip_flexors for e in catalog) >= 3


@pytest.mark.parametrize("exercise_id", DISGUISED)
def test_disguised_hip_flexor_moves_are_flagged_and_not_core(catalog, exercise_id):
    """Full sit-up, hanging leg raise and V-up are hip_flexor_dominant and never count as core."""
    e = catalog[exercise_id]
    assert e.hip_flexor_dominant
    assert "core" in e.groups  # listed, yet not credited
    assert not e.trains("core")
    assert e.trains("hip_flexors")
    assert e.credited_groups.isdisjoint({"core", "obliques"})


def test_only_hip_flexor_first_rows_are_flagged_dominant(catalog):
    """Every hip_flexor_dominant row in the shipped file lists hip_flexors first."""
    flagged = [e for e in catalog if e.hip_flexor_dominant]
    assert set(DISGUISED) <= {e.id for e in flagged}
    assert all(e.primary == "hip_flexors" for e in flagged)


def test_every_shipped_exercise_has_a_pattern_of_its_role(catalog):
    """Each shipped row names a pattern, and it is one of its role's patterns."""
    for e in catalog:
        assert e.pattern in PATTERNS, e.id
        assert PATTERN_INFO[e.pattern].role == e.role, e.id


def test_hip_flexor_work_is_hip_flexion_and_nothing_else_is(catalog):
    """hip_flexion strength rows list hip_flexors first, every strength row with hip_flexors first
    is hip_flexion, and every disguised hip-flexor move (hollow hold included) is hip_flexion."""
    for e in catalog:
        if e.role == "strength":
            assert (e.pattern == "hip_flexion") == (e.primary == "hip_flexors"), e.id
        if e.hip_flexor_dominant:
            assert e.pattern == "hip_flexion", e.id
    hollow = catalog["hollow_hold"]
    assert hollow.hip_flexor_dominant and not hollow.trains("core")


def test_lower_back_strength_is_extensor_endurance(catalog):
    """Strength work whose main group is the lower back is back-extensor or side endurance
    (bird dogs, back-extension holds, side planks; McGill), never loaded flexion."""
    for e in catalog:
        if e.role == "strength" and e.primary == "lower_back":
            assert e.pattern in ("back_extension", "anti_lateral_flexion"), e.id
            assert not e.spinal_flexion, e.id


def test_the_quad_stretches_a_session_once_held_together_are_near_duplicates(catalog):
    """Side-lying quad, standing quad and couch stretch (back to back in one early session) share
    pattern and primary group, so a session can be kept to one of them."""
    ids = ("side_lying_quad_stretch", "standing_quad_stretch", "couch_stretch")
    assert {(catalog[i].pattern, catalog[i].primary) for i in ids} == {
        ("quad_stretch", "quadriceps")
    }


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("conditions", [frozenset(), frozenset({"back_pain"})])
def test_bodyweight_week_can_cover_every_pattern_at_every_level(catalog, level, conditions):
    """With no kit, at every level, with or without back pain, the allowed strength work covers
    R22's patterns, a hinge or hamstring curl, and has two or more exercises with each weak group
    first (bench/catalog_coverage.py prints the whole table)."""
    profile = Profile.for_level(level, equipment=BODYWEIGHT, conditions=conditions)
    strength = [e for e in profile.allowed(catalog) if e.role == "strength"]
    patterns = {e.pattern for e in strength}
    assert set(ROUNDED_PATTERNS) <= patterns
    assert patterns & {"hinge", "hamstring_curl"}
    for group in ("glutes", "hamstrings"):
        assert sum(e.primary == group for e in strength) >= 2, group
    assert sum(e.primary in ("core", "obliques") for e in strength) >= 2


def test_progressions_lead_to_harder_work_of_the_same_kind(catalog):
    """A progression is an exercise of the same role at the same or a later level, and for
    strength the same pattern, except the heel-dig bridge that leads on to a hamstring curl."""
    order = {level: i for i, level in enumerate(LEVELS)}
    for e in catalog:
        if not e.progression:
            continue
        harder = catalog[e.progression]
        assert harder.role == e.role, e.id
        assert order[harder.level] >= order[e.level], e.id
        if e.id != "hamstring_bridge":
            assert harder.pattern == e.pattern, e.id


def test_readme_pattern_table_is_the_vocabulary():
    """The README's pattern table has one row for each pattern, in order, with its role and
    its one-line description from PATTERN_INFO."""
    rows = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and line.count("|") == 4
    ]
    expected = [f"| `{p}` | {info.role} | {info.description} |" for p, info in PATTERN_INFO.items()]
    assert [r for r in rows if r.split("`")[1] in PATTERN_INFO] == expected


def test_shipped_to_frame_round_trips(catalog, tmp_path):
    """Catalog.to_frame written back as CSV loads into the same catalogue."""
    path = tmp_path / "copy.csv"
    catalog.to_frame().to_csv(path, index=False)
    again = load_catalog(path)
    assert again.exercises == catalog.exercises


# --- Exercise and Catalog objects -----------------------------------------------------------


def make(**fields) -> Exercise:
    base = dict(
        id="x",
        name="X",
        role="strength",
        groups=("glutes",),
        level="beginner",
        equipment=("none",),
        per_side=False,
        dose="reps",
        sets=2,
        reps=10,
        hold_s=0,
        rpe=4,
    )
    base.update(fields)
    return Exercise(**base)


def test_obliques_strength_counts_as_core():
    """Strength work whose groups include obliques is credited to core."""
    assert make(groups=("obliques",)).trains("core")
    assert not make(groups=("glutes",)).trains("core")


def test_stretches_train_nothing():
    """A stretch is never credited as strengthening, even of its primary group."""
    stretch = make(role="stretch", dose="hold", reps=1, hold_s=30, groups=("hip_flexors",))
    assert not stretch.trains("hip_flexors")
    assert stretch.stretches_hip_flexors


def test_exercise_pattern_defaults_to_none_and_is_checked():
    """An Exercise built without a pattern has none (""); an unknown one raises ValueError."""
    assert make().pattern == ""
    with pytest.raises(ValueError) as info:
        make(pattern="lunge")
    assert str(info.value) == (
        f"exercise 'x', column pattern: 'lunge' is unknown; allowed: {', '.join(PATTERNS)}"
    )


def test_exercise_checks_itself_on_construction():
    """Building an Exercise with a bad field raises ValueError naming the id and column."""
    with pytest.raises(ValueError) as info:
        make(level="expert")
    assert str(info.value) == (
        "exercise 'x', column level: 'expert' is unknown; allowed: beginner, intermediate, advanced"
    )


def test_catalog_refuses_duplicate_ids():
    """A Catalog built in memory with one id twice raises ValueError."""
    with pytest.raises(ValueError, match="^exercise id 'x' appears twice$"):
        Catalog((make(), make()))


# --- loader: whole-file problems ------------------------------------------------------------


def test_empty_file_is_refused(write):
    """An empty file: one problem, naming the file and what a catalogue holds."""
    path = write(text="")
    assert problems_of(path) == (
        f"{path}: is empty; allowed: a header row then one row an exercise",
    )


def test_blank_file_is_refused_as_empty(write):
    """A file of blank lines counts as empty."""
    path = write(text="\n  \n\n")
    assert problems_of(path) == (
        f"{path}: is empty; allowed: a header row then one row an exercise",
    )


def test_header_only_is_refused(write):
    """A header with no rows: 'has a header but no exercises'."""
    path = write([])
    assert problems_of(path) == (f"{path}: has a header but no exercises",)


def test_missing_column_is_named_on_line_1(write):
    """A file without the rpe column names it, on line 1, with the required columns."""
    header = [h for h in HEADER if h != "rpe"]
    path = write([row("glute_bridge")], header=header)
    assert problems_of(path) == (f"{path}:1: missing column 'rpe'; required: {ALLOWED_COLUMNS}",)


def test_missing_pattern_column_is_named_on_line_1(write):
    """A file from before the pattern column is refused with the missing-column line."""
    header = [h for h in HEADER if h != "pattern"]
    path = write([row("glute_bridge")], header=header)
    assert problems_of(path) == (
        f"{path}:1: missing column 'pattern'; required: {ALLOWED_COLUMNS}",
    )


def test_empty_pattern_cell_loads_as_no_pattern(write):
    """An empty pattern cell is the default, no pattern, as for an Exercise built in code."""
    path = write([row("glute_bridge", pattern="")])
    assert load_catalog(path)["glute_bridge"].pattern == ""


def test_semicolon_separated_file_gets_one_line_with_the_comma_hint(write):
    """A semicolon-separated file is one problem, the delimiter, not a missing column each."""
    path = write([row("glute_bridge", cues="Lift.")], delimiter=";")
    assert problems_of(path) == (
        f"{path}:1: one column found; is the file comma-separated? required: {ALLOWED_COLUMNS}",
    )


def test_several_missing_columns_are_one_line(write):
    """Two missing columns are named together on line 1."""
    header = [h for h in HEADER if h not in ("rpe", "cues")]
    path = write([row("glute_bridge")], header=header)
    assert problems_of(path) == (
        f"{path}:1: missing columns 'rpe', 'cues'; required: {ALLOWED_COLUMNS}",
    )


def test_unknown_column_is_refused(write):
    """A header with a column the schema does not know names it."""
    path = write([{**row("glute_bridge"), "colour": "red"}], header=[*HEADER, "colour"])
    assert problems_of(path) == (f"{path}:1: unknown column 'colour'",)


def test_bom_prefixed_file_loads(write, tmp_path):
    """A UTF-8 file starting with a byte-order mark loads; the first id has no BOM in it."""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([row("glute_bridge"), row("plank")]).encode())
    catalog = load_catalog(path)
    assert [e.id for e in catalog] == ["glute_bridge", "plank"]


def test_crlf_line_endings_load(write, tmp_path):
    """A file saved with Windows line endings loads the same as one with Unix endings."""
    path = tmp_path / "crlf.csv"
    path.write_bytes(csv_text([row("glute_bridge"), row("plank")]).replace("\n", "\r\n").encode())
    assert [e.id for e in load_catalog(path)] == ["glute_bridge", "plank"]


def test_non_utf8_bytes_name_their_line(tmp_path):
    """Latin-1 bytes on line 3 are refused, naming line 3 and asking for UTF-8."""
    path = tmp_path / "latin1.csv"
    text = csv_text([row("glute_bridge"), row("plank", name="Plank caf\u00e9")])
    path.write_bytes(text.encode("latin-1"))
    assert problems_of(path) == (f"{path}:3: bytes are not UTF-8; save the file as UTF-8",)


def test_directory_is_refused(tmp_path):
    """A directory given as the catalogue file: 'is a directory'."""
    assert problems_of(tmp_path) == (f"{tmp_path}: is a directory; allowed: a CSV file",)


def test_missing_file_is_refused(tmp_path):
    """A path that does not exist: 'no such file'."""
    path = tmp_path / "nope.csv"
    assert problems_of(path) == (f"{path}: no such file",)


def test_row_with_wrong_number_of_fields(write):
    """A row with too few cells names its line and the field counts."""
    path = write(text=csv_text([row("glute_bridge")]) + "plank,Plank,strength\n")
    assert problems_of(path) == (f"{path}:3: 3 fields; the header has {len(HEADER)}",)


# --- loader: cell problems, exact messages --------------------------------------------------

CELL_CASES = {
    "unknown group": (
        dict(groups="glutes;calves"),
        "column groups: 'calves' is unknown; allowed: " + ", ".join(GROUPS),
    ),
    "unknown level": (
        dict(level="expert"),
        "column level: 'expert' is unknown; allowed: " + ", ".join(LEVELS),
    ),
    "unknown equipment": (
        dict(equipment="rocket"),
        "column equipment: 'rocket' is unknown; allowed: " + ", ".join(EQUIPMENT),
    ),
    "sets not a number": (dict(sets="two"), "column sets: 'two' is not a whole number"),
    "reps not a number": (dict(reps="1.5"), "column reps: '1.5' is not a whole number"),
    "hold_s not a number": (dict(hold_s="2s"), "column hold_s: '2s' is not a whole number"),
    "rpe not a number": (dict(rpe="high"), "column rpe: 'high' is not a whole number"),
    "rpe empty": (dict(rpe=""), "column rpe: '' is not a whole number"),
    "rpe above 10": (
        dict(rpe="11"),
        "column rpe: 11 is out of range; allowed: whole numbers 1 to 10",
    ),
    "rpe 0": (dict(rpe="0"), "column rpe: 0 is out of range; allowed: whole numbers 1 to 10"),
    "bad boolean": (
        dict(per_side="yes"),
        "column per_side: 'yes' is not a boolean; allowed: true, false",
    ),
    "bad flag boolean": (
        dict(hip_flexor_dominant="1"),
        "column hip_flexor_dominant: '1' is not a boolean; allowed: true, false",
    ),
    "unknown role": (
        dict(role="cardio"),
        "column role: 'cardio' is unknown; allowed: release, stretch, mobility, strength",
    ),
    "unknown pattern": (
        dict(pattern="lunge"),
        "column pattern: 'lunge' is unknown; allowed: " + ", ".join(PATTERNS),
    ),
    "pattern of another role": (
        dict(pattern="glute_stretch"),
        f"column pattern: 'glute_stretch' is a stretch pattern; allowed for strength: "
        f"{STRENGTH_PATTERNS}",
    ),
    "hip_flexion with glutes first": (
        dict(pattern="hip_flexion"),
        "column groups: 'glutes' first in a hip_flexion row; allowed: hip_flexors",
    ),
    "hip_flexors first, not hip_flexion": (
        dict(groups="hip_flexors;glutes"),
        "column pattern: 'bridge_thrust' for strength with hip_flexors first; allowed: hip_flexion",
    ),
    "id not a slug": (
        dict(id="Glute Bridge"),
        "column id: 'Glute Bridge' is not a slug; allowed: lower-case letters, digits and _",
    ),
}


@pytest.mark.parametrize("cells, message", CELL_CASES.values(), ids=CELL_CASES.keys())
def test_bad_cell_gives_one_exact_message(write, cells, message):
    """A bad cell on line 3 is one problem naming file, line, column, value and what is allowed."""
    path = write([row("plank"), row("glute_bridge", **cells)])
    assert problems_of(path) == (f"{path}:3: {message}",)


@pytest.mark.parametrize("value", ["true", "TRUE", "False", " false "])
def test_booleans_are_case_and_space_insensitive(write, value):
    """true/false load in any case and with surrounding spaces."""
    path = write([row("glute_bridge", per_side=value)])
    assert load_catalog(path)["glute_bridge"].per_side is (value.strip().lower() == "true")


@pytest.mark.parametrize("hold", ["14", "31", "60"])
def test_stretch_hold_outside_15_to_30_is_refused(write, hold):
    """A stretch held under 15 s or over 30 s is refused, citing R6."""
    path = write([row("half_kneeling_hip_flexor_stretch", hold_s=hold)])
    assert problems_of(path) == (
        f"{path}:2: column hold_s: {hold} for a stretch; allowed: 15 to 30 seconds (R6)",
    )


@pytest.mark.parametrize("hold", ["15", "30"])
def test_stretch_hold_at_the_limits_loads(write, hold):
    """Stretch holds of exactly 15 s and 30 s are allowed."""
    path = write([row("half_kneeling_hip_flexor_stretch", hold_s=hold)])
    assert load_catalog(path)["half_kneeling_hip_flexor_stretch"].hold_s == int(hold)


def test_hip_flexor_dominant_row_must_list_hip_flexors_first(write):
    """A hip_flexor_dominant row whose first group is core is refused."""
    path = write([row("full_sit_up", groups="core;hip_flexors")])
    assert problems_of(path) == (
        f"{path}:2: column groups: 'core' first in a hip_flexor_dominant row; allowed: hip_flexors",
    )


def test_duplicate_id_names_the_first_line(write):
    """A repeated id on line 4 names line 2, where it first appeared."""
    path = write([row("glute_bridge"), row("plank"), row("glute_bridge", name="Bridge again")])
    assert problems_of(path) == (f"{path}:4: column id: 'glute_bridge' duplicates line 2",)


def test_quoted_newline_in_cues_loads(write):
    """A cues cell with a line break inside quotes loads, the break kept."""
    path = write([row("glute_bridge", cues="Lie down.\nLift your hips."), row("plank")])
    catalog = load_catalog(path)
    assert catalog["glute_bridge"].cues == "Lie down.\nLift your hips."
    assert [e.id for e in catalog] == ["glute_bridge", "plank"]


def test_line_numbers_after_a_quoted_newline_stay_right(write):
    """After a row spanning lines 2-4, an error in the next row is reported on line 5."""
    path = write([row("glute_bridge", cues="One.\nTwo.\nThree."), row("plank", level="expert")])
    text = path.read_text("utf-8")
    assert text.splitlines()[4].startswith("plank,")  # the bad row is on line 5 of the file
    assert problems_of(path) == (
        f"{path}:5: column level: 'expert' is unknown; allowed: " + ", ".join(LEVELS),
    )


def test_blank_lines_between_rows_are_skipped_and_counted(write):
    """Blank lines load as nothing, and later rows keep their file line numbers."""
    bridge, plank = csv_text([row("glute_bridge"), row("plank", rpe="12")]).splitlines()[1:]
    path = write(text="\n".join([",".join(HEADER), bridge, "", "", plank]) + "\n")
    assert problems_of(path) == (
        f"{path}:5: column rpe: 12 is out of range; allowed: whole numbers 1 to 10",
    )


def test_every_problem_in_a_file_is_reported(write):
    """Problems on several rows, and several in one row, are all listed in file order."""
    path = write(
        [
            row("glute_bridge", level="expert", equipment="rocket"),
            row("plank"),
            row("crunch", rpe="eleven"),
            row("half_kneeling_hip_flexor_stretch", hold_s="45"),
            row("plank", name="Plank again"),
        ]
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert info.value.problems == (
        f"{path}:2: column level: 'expert' is unknown; allowed: " + ", ".join(LEVELS),
        f"{path}:2: column equipment: 'rocket' is unknown; allowed: " + ", ".join(EQUIPMENT),
        f"{path}:4: column rpe: 'eleven' is not a whole number",
        f"{path}:5: column hold_s: 45 for a stretch; allowed: 15 to 30 seconds (R6)",
        f"{path}:6: column id: 'plank' duplicates line 3",
    )
    assert str(info.value) == "\n".join(info.value.problems)
    assert isinstance(info.value, ValueError)


def test_one_bad_row_loads_nothing(write):
    """A file with good rows and one bad row raises; no catalogue of the good rows comes back."""
    path = write([row("glute_bridge"), row("plank"), row("crunch", sets="x")])
    result = None
    with pytest.raises(CatalogError):
        result = load_catalog(path)
    assert result is None


def test_unknown_progression_is_refused(write):
    """A progression naming an id not in the file is refused on the row that names it."""
    path = write([row("glute_bridge", progression="single_leg_glute_bridge")])
    assert problems_of(path) == (
        f"{path}:2: column progression: 'single_leg_glute_bridge' is not another exercise "
        "id in this file",
    )


@pytest.mark.parametrize("command", [["catalog"], ["plan"], ["explain"]])
def test_a_catalogue_with_24000_bad_rows_is_told_in_21_lines(write, invoke, command):
    """24,000 bad rows: CatalogError keeps every problem, its message and the command line
    show the first 20 and a count of the rest (exit 2) (bench/errors.py times it)."""
    rows = [row("glute_bridge", id=f"bridge_{n}", level="expert") for n in range(24_000)]
    path = write(rows)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    problems = info.value.problems
    assert len(problems) == 24_000
    level = f"column level: 'expert' is unknown; allowed: {', '.join(LEVELS)}"
    assert problems[-1] == f"{path}:24001: {level}"
    lines = str(info.value).splitlines()
    assert lines == [*problems[:20], "... and 23980 more problems"]
    result = invoke(*command, "--catalog", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"Error: {lines[0]}", *lines[1:]]


def test_up_to_20_problems_are_all_shown(write):
    """A file with exactly 20 problems is shown whole, with no count line."""
    path = write([row("glute_bridge", id=f"b{n}", level="expert") for n in range(20)])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == "\n".join(info.value.problems)
    assert len(info.value.problems) == 20


def test_parse_catalog_uses_the_name_given(write):
    """parse_catalog names problems with the name passed in, not a path."""
    with pytest.raises(CatalogError) as info:
        parse_catalog(csv_text([row("glute_bridge", level="pro")]), "mine")
    assert info.value.problems[0].startswith("mine:2: column level: 'pro' is unknown")


def test_valid_small_file_loads_typed_fields(write):
    """A good row loads with typed fields: tuples for lists, ints, booleans."""
    path = write([row("full_sit_up")])
    e = load_catalog(path)["full_sit_up"]
    assert e.groups == ("hip_flexors", "core")
    assert e.equipment == ("none",)
    assert (e.sets, e.reps, e.hold_s, e.rpe) == (2, 12, 0, 5)
    assert e.spinal_flexion is True and e.hip_flexor_dominant is True and e.per_side is False
    assert e.contraindications == ("back_pain", "osteoporosis", "pregnancy")
