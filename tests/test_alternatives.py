"""``planner alternatives`` (planner/alternatives.py, planner/cli/alternatives.py): substitutes
of the same role that the profile allows, sharing the movement or the main group, ranked,
each with why it fits."""

from __future__ import annotations

import pytest

from planner import Profile
from planner.alternatives import alternatives


def test_substitutes_share_role_and_movement_or_main_group_and_are_allowed(catalog):
    """Every substitute keeps the role, shares the pattern or the main group, and is one the
    profile may be given; the exercise itself is never among them."""
    profile = Profile.for_level("beginner", equipment=frozenset({"none"}))
    for original in catalog:
        for a in alternatives(catalog, profile, original.id):
            e = a.exercise
            assert e.id != original.id and e.role == original.role
            assert e.primary == original.primary or (e.pattern and e.pattern == original.pattern)
            assert profile.reason_excluded(e) is None


def test_same_movement_and_main_group_come_first_then_the_variant(catalog):
    """Ranked: same pattern and main group, before same main group, before same pattern; the
    exercise's own easier or harder variant first among the first kind."""
    profile = Profile.for_level("advanced")
    found = alternatives(catalog, profile, "hip_thrust")
    kinds = [
        0 if a.exercise.pattern == "bridge_thrust" and a.exercise.primary == "glutes"
        else 1 if a.exercise.primary == "glutes" else 2
        for a in found
    ]  # fmt: skip
    assert kinds == sorted(kinds)
    hip_thrust = catalog["hip_thrust"]
    linked = {hip_thrust.progression} | {e.id for e in catalog if e.progression == "hip_thrust"}
    first = [a.exercise.id for a in found[: len(linked & {a.exercise.id for a in found})]]
    assert set(first) <= linked


def test_reasons_say_why_each_fits(catalog):
    """The kneeling side plank stands in for the side plank: same movement and group, its
    easier variant, the effort difference and the equipment."""
    profile = Profile.for_level("beginner", equipment=frozenset({"none"}))
    (only,) = alternatives(catalog, profile, "side_plank")
    assert only.exercise.id == "knee_side_plank"
    assert only.reasons == (
        "same movement (anti_lateral_flexion) and main group (obliques)",
        "the easier variant of side_plank",
        "also trains core, lower_back",
        f"RPE {only.exercise.rpe} ({catalog['side_plank'].rpe - only.exercise.rpe} less)",
        "no equipment",
    )


def test_cli_lists_ranked_substitutes(invoke):
    """One heading line, then one numbered line a substitute, then how many more."""
    result = invoke("alternatives", "side_plank", "--level", "beginner", "--equipment", "none")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Instead of Side plank (side_plank: strength, anti_lateral_flexion movement, main "
        "group obliques), for your level (beginner), equipment and conditions:"
    )
    assert lines[1].startswith("1. Kneeling side plank (knee_side_plank): same movement")
    assert len(lines) == 2


def test_cli_limit_says_how_many_more(catalog, invoke):
    """--limit 2 shows the first two and says how many more there are."""
    found = alternatives(catalog, Profile.for_level("beginner"), "glute_bridge")
    result = invoke("alternatives", "glute_bridge", "--limit", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(" (")[0] for line in lines[1:3]] == [
        f"{rank}. {a.exercise.name}" for rank, a in enumerate(found[:2], 1)
    ]
    assert lines[3:] == [f"{len(found) - 2} more with --limit {len(found)}."]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("glute_brige",), "Error: EXERCISE: 'glute_brige' is not in the catalogue; did you mean "
         "'glute_bridge'?\n"),
        (("glute_bridge", "--limit", "0"), None),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line(invoke, args, message):
    """An unknown id names the nearest one; a --limit under 1 is refused by click; exit 2."""
    result = invoke("alternatives", *args)
    assert result.exit_code == 2
    if message is not None:
        assert result.output == message
    else:
        assert "Invalid value for '--limit'" in result.output


def test_cli_says_when_nothing_fits(invoke):
    """A move with no substitute at the level and equipment says so, exit 0."""
    result = invoke("alternatives", "side_plank", "--level", "beginner", "--equipment", "none",
                    "--exclude", "knee_side_plank")  # fmt: skip
    assert result.exit_code == 0
    assert result.output == (
        "No substitute for side_plank fits your level (beginner), equipment and conditions; "
        "try another --level or --equipment.\n"
    )
