"""Importing free-exercise-db: counts and drop reasons, the override table and the rule pass,
the CSV it writes, the CLI, and that the imported catalogue plans at every level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import Profile, check_plan, load_catalog, solve
from planner.catalog import GROUPS, LEVELS, PATTERN_INFO, PATTERNS, ROLES
from planner.cli import cli
from planner.importer import (
    DEFAULT_OVERRIDES,
    DEFAULT_SOURCE,
    ImportResult,
    OverrideError,
    SourceError,
    catalog_csv,
    import_free_exercise_db,
    slug,
    write_catalog,
)
from planner.plan import Plan

# The copy in the repository (catalog/free-exercise-db), so the tests run in any clone.
FEDB = DEFAULT_SOURCE
SOURCE_COUNT = 873
# Only exercises for the hips and trunk can be planned (our groups), and the source has about
# 290 of those once olympic lifts, plyometrics, strongman and cardio are out: 253 today.
MIN_IMPORTED = 250


@pytest.fixture(scope="session")
def imported() -> ImportResult:
    return import_free_exercise_db(FEDB)


@pytest.fixture(scope="session")
def imported_csv(imported, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fedb") / "fedb.csv"
    write_catalog(imported.catalog, path)
    return path


def record(**fields) -> dict:
    """A valid free-exercise-db record: a bodyweight glute strength move, with ``fields``."""
    base = {
        "id": "Test_Move",
        "name": "Test Move",
        "force": "push",
        "level": "beginner",
        "mechanic": "compound",
        "equipment": "body only",
        "primaryMuscles": ["glutes"],
        "secondaryMuscles": ["hamstrings"],
        "instructions": ["Lie on your back. Lift your hips."],
        "category": "strength",
        "images": [],
    }
    base.update(fields)
    return base


def import_records(tmp_path: Path, records: list[dict], **options) -> ImportResult:
    path = tmp_path / "exercises.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return import_free_exercise_db(tmp_path, overrides=None, **options)


# --- the real file --------------------------------------------------------------------------------


def test_real_file_imports_and_every_drop_has_a_counted_reason(imported):
    """The real file gives at least MIN_IMPORTED exercises and drops add up to 873 - imported."""
    assert imported.total == SOURCE_COUNT
    assert len(imported.catalog) >= MIN_IMPORTED
    assert sum(imported.dropped.values()) == SOURCE_COUNT - len(imported.catalog)
    assert {"olympic lift", "plyometric (jumping)", "no hip/trunk muscle group"} <= set(
        imported.dropped
    )


def test_written_catalogue_loads_with_the_validator(imported, imported_csv):
    """write_catalog's file loads with load_catalog and holds exactly the imported exercises."""
    loaded = load_catalog(imported_csv)
    assert loaded.exercises == imported.catalog.exercises


def test_import_is_deterministic(tmp_path):
    """Two imports of the same file write byte-identical CSVs."""
    for name in ("a.csv", "b.csv"):
        write_catalog(import_free_exercise_db(FEDB).catalog, tmp_path / name)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_overrides_fix_the_evidence_examples(imported):
    """The override rows fix groups and equipment of Kneeling Hip Flexor and Hanging Leg Raise."""
    kneeling = imported.catalog["kneeling_hip_flexor"]  # tagged quadriceps, equipment null
    assert kneeling.groups == ("hip_flexors", "quadriceps")
    assert kneeling.equipment == ("none",)
    assert kneeling.stretches_hip_flexors
    hanging = imported.catalog["hanging_leg_raise"]  # tagged abdominals only, "body only"
    assert hanging.groups == ("hip_flexors", "core")
    assert hanging.equipment == ("pull_up_bar",)
    assert hanging.contraindications == ("back_pain", "shoulder_pain")


@pytest.mark.parametrize("exercise_id", ["hanging_leg_raise", "scissor_kick", "sit_up"])
def test_disguised_moves_are_hip_flexor_work_not_core(imported, exercise_id):
    """Hanging leg raise, scissor (supine flutter) kicks and sit-ups are flagged
    hip_flexor_dominant and never credited to core."""
    e = imported.catalog[exercise_id]
    assert e.hip_flexor_dominant
    assert e.primary == "hip_flexors"
    assert e.role == "strength"
    assert not e.trains("core")


def test_prone_flutter_kicks_stay_glute_work(imported):
    """free-exercise-db's Flutter Kicks is done face down on a bench (hip extension): the override
    keeps it glute work even though its name is in the flutter-kick family."""
    e = imported.catalog["flutter_kicks"]
    assert e.groups == ("glutes", "hamstrings")
    assert not e.hip_flexor_dominant
    assert e.trains("glutes")


# One spot-checked exercise for each strength pattern the name rules give, and stretches.
NAMED_PATTERNS = {
    "romanian_deadlift": "hinge",
    "one_arm_kettlebell_swings": "hinge",
    "lying_leg_curls": "hamstring_curl",
    "glute_ham_raise": "hamstring_curl",
    "bodyweight_walking_lunge": "squat_lunge",
    "barbell_hip_thrust": "bridge_thrust",
    "reverse_hyperextension": "hip_extension",
    "monster_walk": "hip_abduction",
    "thigh_adductor": "hip_adduction",
    "leg_extensions": "knee_extension",
    "plank": "anti_extension",
    "pallof_press": "anti_rotation",
    "side_bridge": "anti_lateral_flexion",
    "standing_cable_wood_chop": "rotation",
    "crunches": "trunk_flexion",
    "dumbbell_side_bend": "trunk_flexion",
    "bent_knee_hip_raise": "trunk_flexion",  # a reverse crunch, abdominals first: not a bridge
    "hyperextensions_back_extensions": "back_extension",
    "superman": "back_extension",
    "hanging_leg_raise": "hip_flexion",
    "sit_up": "hip_flexion",
    "kneeling_hip_flexor": "hip_flexor_stretch",
    "on_your_side_quad_stretch": "quad_stretch",
    "hamstring_stretch": "hamstring_stretch",
    "hug_knees_to_chest": "lower_back_stretch",
    "lower_back_smr": "release",
}


def test_every_imported_exercise_has_a_pattern_of_its_role(imported):
    """Each imported exercise gets a pattern of its role; hip-flexor strength work is
    hip_flexion; the summary's pattern counts add up to the catalogue."""
    for e in imported.catalog:
        assert PATTERN_INFO[e.pattern].role == e.role, e.id
        if e.role == "strength":
            assert (e.pattern == "hip_flexion") == (e.primary == "hip_flexors"), e.id
    assert sum(imported.by_pattern.values()) == len(imported.catalog)
    assert list(imported.by_pattern) == [p for p in PATTERNS if p in imported.by_pattern]
    counts = ", ".join(f"{p} {n}" for p, n in imported.by_pattern.items())
    assert f"By pattern: {counts}." in imported.summary().splitlines()


@pytest.mark.parametrize("exercise_id, pattern", NAMED_PATTERNS.items())
def test_name_rules_give_the_pattern(imported, exercise_id, pattern):
    """Spot checks of the name rules and the primary-group fallback on the real file."""
    assert imported.catalog[exercise_id].pattern == pattern


def test_shipped_override_pattern_wins_over_the_rules(imported):
    """Kneeling Squat is a squat by name, but the override table makes it the kneeling hip hinge
    it is; Knee Across The Body is a glute stretch by group, a twist by override."""
    assert imported.catalog["kneeling_squat"].pattern == "hinge"
    assert imported.catalog["knee_across_the_body"].pattern == "twist_stretch"


def test_an_override_pattern_replaces_the_computed_one(tmp_path):
    """A pattern cell in an override table replaces the pattern the rules give."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("source_id,pattern\nPlank,anti_rotation\n", encoding="utf-8")
    assert import_free_exercise_db(FEDB).catalog["plank"].pattern == "anti_extension"
    result = import_free_exercise_db(FEDB, overrides=overrides)
    assert result.catalog["plank"].pattern == "anti_rotation"


def test_rule_pass_gives_patterns_from_names_then_groups(tmp_path):
    """Names decide first (a hip raise is a bridge only with glutes or hamstrings first), the
    primary group otherwise; a stretch named twist is a twist_stretch."""
    ab = {"primaryMuscles": ["abdominals"], "secondaryMuscles": []}
    stretch = {"category": "stretching", "force": "static"}
    result = import_records(
        tmp_path,
        [
            record(id="A", name="Romanian Deadlift"),
            record(id="B", name="Hip Raise"),
            record(id="C", name="Hip Raise", **ab),
            record(id="D", name="Glute Thing"),
            record(id="E", name="Seated Twist", **stretch, primaryMuscles=["lower back"]),
            record(id="F", name="Back Thing", **stretch, primaryMuscles=["lower back"]),
            record(id="G", name="Leg Raise", **ab),
        ],
    )
    assert [e.pattern for e in result.catalog] == [
        "hinge",
        "bridge_thrust",
        "trunk_flexion",
        "hip_extension",
        "twist_stretch",
        "lower_back_stretch",
        "hip_flexion",
    ]


def test_override_with_unknown_pattern_names_the_line(tmp_path):
    """An override pattern outside the vocabulary names file, line, column and what is allowed."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("source_id,pattern\nPlank,anti_extension\nCrunches,curl\n", "utf-8")
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    assert str(info.value) == (
        f"{overrides}:3: column pattern: 'curl' is unknown; allowed: {', '.join(PATTERNS)}"
    )


def test_override_pattern_of_another_role_names_the_line(tmp_path):
    """An override giving a strength move a stretch pattern names its line and the patterns
    its role allows."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("source_id,pattern\nPlank,glute_stretch\n", encoding="utf-8")
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    allowed = ", ".join(p for p, i in PATTERN_INFO.items() if i.role == "strength")
    assert str(info.value) == (
        f"{overrides}:2: exercise 'plank', column pattern: 'glute_stretch' is a stretch "
        f"pattern; allowed for strength: {allowed}"
    )


def test_every_override_row_names_a_source_exercise(imported):
    """Every row of the shipped override table is used: all its source ids exist."""
    lines = DEFAULT_OVERRIDES.read_text(encoding="utf-8").splitlines()[1:]
    ids = {line.split(",", 1)[0] for line in lines if line.strip()}
    records = json.loads((FEDB / "exercises.json").read_text(encoding="utf-8"))
    assert ids <= {r["id"] for r in records}
    assert len(ids) >= 18


def test_ids_are_unique_slugs_of_the_source_ids(imported):
    """Ids are the source ids lower-cased with every run of other characters one _."""
    assert slug("Weighted_Sit-Ups_-_With_Bands") == "weighted_sit_ups_with_bands"
    assert "3_4_sit_up" in imported.catalog
    assert len({e.id for e in imported.catalog}) == len(imported.catalog)


@pytest.mark.parametrize("level", LEVELS)
def test_imported_catalogue_plans_at_every_level(imported_csv, level):
    """solve() on the imported catalogue gives a plan that check_plan passes, for each level
    (its default four weeks, every week planned within the default budget)."""
    catalog = load_catalog(imported_csv)
    profile = Profile.for_level(level)
    plan = solve(catalog, profile)
    assert sorted(plan.weeks) == [1, 2, 3, 4] and not plan.cut_short
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, profile)) == []


# --- the conversion rules, on small made-up records -----------------------------------------------


def test_categories_levels_and_doses(tmp_path):
    """stretching -> a 2 x 30 s stretch at RPE 3; expert -> advanced; compound 3 x 8 and
    isolation 3 x 12 reps; a foam-roll stretch is a release."""
    result = import_records(
        tmp_path,
        [
            record(id="S", category="stretching", force="static", equipment=None),
            record(id="C", level="expert"),
            record(id="I", mechanic="isolation", level="intermediate"),
            record(id="R", category="stretching", force="static", equipment="foam roll"),
        ],
        allow_unknown=True,
    )
    s, c, i, r = result.catalog
    assert (s.role, s.dose, s.sets, s.reps, s.hold_s, s.rpe) == ("stretch", "hold", 2, 1, 30, 2)
    assert s.equipment == ("unknown",)
    assert (c.level, c.reps, c.rpe) == ("advanced", 8, 8)
    assert (i.level, i.reps, i.rpe) == ("intermediate", 12, 6)
    assert (r.role, r.equipment) == ("release", ("foam_roller",))


def test_drop_reasons_are_counted(tmp_path):
    """Olympic lifts, plyometrics, upper-body moves and null equipment are dropped by reason."""
    result = import_records(
        tmp_path,
        [
            record(id="A", category="olympic weightlifting"),
            record(id="B", category="plyometrics"),
            record(id="C", name="Hang Clean"),
            record(id="D", primaryMuscles=["chest"], secondaryMuscles=["triceps"]),
            record(id="E", primaryMuscles=["chest"], secondaryMuscles=["abdominals"]),
            record(id="F", equipment=None),
            record(id="G"),
        ],
    )
    assert [e.id for e in result.catalog] == ["g"]
    assert result.dropped == {
        "olympic lift": 2,
        "plyometric (jumping)": 1,
        "no hip/trunk muscle group": 1,
        "hip/trunk muscles only secondary": 1,
        "equipment not given (null)": 1,
    }


def test_rule_pass_flags_sit_ups_and_hip_flexor_stretches(tmp_path):
    """An ab move named sit-up is hip-flexor dominant end-range flexion; a stretch named for the
    hip flexors has them first; a step-up with a knee raise (a glute move) is left alone."""
    ab = {"primaryMuscles": ["abdominals"], "secondaryMuscles": []}
    result = import_records(
        tmp_path,
        [
            record(id="Sit-Up", name="Decline Sit-Up", **ab),
            record(
                id="HF",
                name="Lunging Hip Flexor Stretch",
                category="stretching",
                force="static",
                primaryMuscles=["quadriceps"],
            ),
            record(id="Step", name="Step-up with Knee Raise"),
        ],
    )
    sit_up, stretch, step = result.catalog
    assert (sit_up.groups, sit_up.hip_flexor_dominant, sit_up.spinal_flexion) == (
        ("hip_flexors", "core"),
        True,
        True,
    )
    assert sit_up.contraindications == ("back_pain", "osteoporosis")
    assert stretch.groups == ("hip_flexors", "quadriceps", "hamstrings")
    assert not step.hip_flexor_dominant


def test_per_side_from_name_and_instructions(tmp_path):
    """per_side comes from the name (single-leg) or the instructions (switch sides), not from
    "each side" describing a barbell."""
    result = import_records(
        tmp_path,
        [
            record(id="A", name="Single-Leg Bridge"),
            record(id="B", instructions=["Hold 20 seconds, then switch sides."]),
            record(id="C", instructions=["Put 5 lbs on each side of the bar."]),
        ],
    )
    assert [e.per_side for e in result.catalog] == [True, True, False]


def test_text_never_starts_like_a_formula(tmp_path):
    """Names and cues are one line that never starts with = + - @; cues are one sentence of at
    most 160 characters."""
    long = "Lie down " + "and breathe " * 30 + "slowly. Then rise."
    result = import_records(
        tmp_path,
        [
            record(id="A", name="=HYPERLINK()", instructions=["-@Lie\tdown. Rise."]),
            record(id="B", instructions=[long]),
        ],
    )
    a, b = result.catalog
    assert (a.name, a.cues) == ("HYPERLINK()", "Lie down.")
    assert len(b.cues) <= 160 and b.cues.endswith("...")
    assert "'" not in catalog_csv(result.catalog)


def test_repeated_slugs_get_a_number(tmp_path):
    """Source ids that slug alike get _2, _3 in file order."""
    result = import_records(
        tmp_path, [record(id="Bridge"), record(id="bridge"), record(id="B-ridge")]
    )
    assert [e.id for e in result.catalog] == ["bridge", "bridge_2", "b_ridge"]


# --- bad input ------------------------------------------------------------------------------------


def test_override_with_unknown_source_id_names_the_line(tmp_path):
    """An override row whose source id is not in the source is an error naming file and line."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "source_id,groups,hip_flexor_dominant\nKneeling_Hip_Flexor,hip_flexors,\nNo_Such_Move,core,\n",
        encoding="utf-8",
    )
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    assert str(info.value) == (
        f"{overrides}:3: column source_id: 'No_Such_Move' is not an exercise id in "
        f"{FEDB / 'exercises.json'}"
    )


def test_override_that_breaks_the_schema_names_the_line(tmp_path):
    """An override flagging a move hip_flexor_dominant with another group first names its line."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "source_id,groups,hip_flexor_dominant\nPlank,core,true\n", encoding="utf-8"
    )
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    assert str(info.value) == (
        f"{overrides}:2: exercise 'plank', column groups: 'core' first in a hip_flexor_dominant "
        "row; allowed: hip_flexors"
    )


def test_override_table_problems_are_all_named_in_file_order(tmp_path):
    """Every bad cell of every row and a repeated source id are named, in file order."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "source_id,groups,role\nPlank,abs,\nNo_Such_Move,core,yoga\nPlank,,\n", encoding="utf-8"
    )
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    source = FEDB / "exercises.json"
    assert info.value.problems == (
        f"{overrides}:2: column groups: 'abs' is unknown; allowed: {', '.join(GROUPS)}",
        f"{overrides}:3: column source_id: 'No_Such_Move' is not an exercise id in {source}",
        f"{overrides}:3: column role: 'yoga' is unknown; allowed: {', '.join(ROLES)}",
        f"{overrides}:4: column source_id: 'Plank' duplicates line 2",
    )
    assert str(info.value) == "\n".join(info.value.problems)


def test_override_table_with_24000_bad_rows_is_told_in_21_lines(tmp_path):
    """24,000 bad override rows: OverrideError keeps every problem, its message and the
    command line show the first 20 and a count of the rest (exit 2) (bench/errors.py
    times it)."""
    overrides = tmp_path / "overrides.csv"
    rows = "".join(f"Move_{n},core\n" for n in range(24_000))
    overrides.write_text("source_id,groups\n" + rows, encoding="utf-8")
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    problems = info.value.problems
    assert len(problems) == 24_000
    lines = str(info.value).splitlines()
    assert lines == [*problems[:20], "... and 23980 more problems"]
    out = tmp_path / "out.csv"
    args = ["catalog", "import", "free-exercise-db", "--overrides", str(overrides), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"Error: {lines[0]}", *lines[1:]]
    assert not out.exists()


def test_overrides_that_break_rows_are_all_named_by_line(tmp_path):
    """Overrides that each make a valid row invalid are all named, by override line."""
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "source_id,groups,hip_flexor_dominant\nPlank,core,true\nCrunches,core,true\n",
        encoding="utf-8",
    )
    with pytest.raises(OverrideError) as info:
        import_free_exercise_db(FEDB, overrides=overrides)
    assert [p.split(": ", 1)[0] for p in info.value.problems] == [
        f"{overrides}:2",
        f"{overrides}:3",
    ]


def test_unknown_source_value_names_the_record(tmp_path):
    """A category outside the source's schema is an error naming the record, not a silent drop."""
    with pytest.raises(SourceError) as info:
        import_records(tmp_path, [record(), record(id="Odd", category="yoga")])
    assert str(info.value).startswith(
        f"{tmp_path / 'exercises.json'}: exercise 2 (Odd): category 'yoga' is unknown; known: "
    )


# --- the command line -----------------------------------------------------------------------------


def test_cli_import_prints_the_summary_and_writes_a_catalogue(imported, tmp_path):
    """`catalog import free-exercise-db PATH -o out.csv` exits 0, prints the summary and writes a
    catalogue that loads."""
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["catalog", "import", "free-exercise-db", str(FEDB), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    n = len(imported.catalog)
    assert lines[0] == f"Imported {n} of 873 free-exercise-db exercises; dropped {873 - n}."
    assert lines[1].startswith("By role: release ")
    assert lines[-1] == f"Wrote {n} exercises to {out}."
    assert lines[1:-1] == imported.summary().splitlines()[1:]
    assert len(load_catalog(out)) == n


def test_cli_import_without_a_path_reads_the_shipped_copy(imported_csv, tmp_path):
    """`catalog import free-exercise-db -o out.csv` with no PATH imports catalog/free-exercise-db:
    the same catalogue, byte for byte, as the library writes from it."""
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["catalog", "import", "free-exercise-db", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == imported_csv.read_bytes()


def test_cli_bad_path_exits_2_with_one_line(tmp_path):
    """A PATH that does not exist exits 2 with one line naming it."""
    missing = tmp_path / "nope"
    result = CliRunner().invoke(
        cli, ["catalog", "import", "free-exercise-db", str(missing), "-o", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2
    assert result.output == f"Error: {missing}: no such file or folder\n"
    assert not (tmp_path / "x.csv").exists()


def test_cli_catalog_lists_the_imported_file(imported, imported_csv):
    """`catalog --catalog FILE --group hip_flexors` lists the imported hip-flexor exercises."""
    result = CliRunner().invoke(
        cli, ["catalog", "--catalog", str(imported_csv), "--group", "hip_flexors"]
    )
    assert result.exit_code == 0, result.output
    expected = [e.id for e in imported.catalog if "hip_flexors" in e.groups]
    assert [line.split()[0] for line in result.output.splitlines()[:-1]] == expected
