"""planner.explain and `planner explain`: per week the weak groups' strength sets against the
minimum and aim, each session's strength share, the strength patterns covered, and what each
exercise is for in the article's terms (stretch what is tight, strengthen what is weak)."""

from __future__ import annotations

import csv

import pytest

from planner.explain import explain
from planner.plan import Entry, Plan

# A 2-week tiny programme whose second week is a deload, written by hand so each figure can be
# counted on paper: (week, day, exercise, sets, reps, hold_s).
ROWS = (
    (1, 0, "figure_four_stretch", 2, 1, 30),
    (1, 0, "glute_bridge", 3, 12, 0),
    (1, 0, "hamstring_curl", 2, 10, 0),
    (1, 0, "dead_bug", 2, 10, 0),
    (1, 2, "kneeling_hip_flexor_stretch", 2, 1, 30),
    (1, 2, "glute_bridge", 2, 12, 0),
    (1, 2, "supine_march", 2, 10, 0),
    (1, 2, "bird_dog", 3, 10, 0),
    (2, 0, "kneeling_hip_flexor_stretch", 2, 1, 30),
    (2, 0, "glute_bridge", 1, 12, 0),
    (2, 0, "hamstring_curl", 2, 10, 0),
    (2, 0, "bird_dog", 3, 10, 0),
)


@pytest.fixture(scope="module")
def explained(tiny_catalog, tiny_profile):
    catalog = tiny_catalog()
    profile = tiny_profile(weeks=2, deload_every=2)  # beginner: 4 sets at least, aim 6
    entries = tuple(
        Entry(week, day, i, catalog[x], sets, reps, hold)
        for i, (week, day, x, sets, reps, hold) in enumerate(ROWS, 1)
    )
    return explain(Plan(profile, entries), catalog)


def section(text: str, heading: str) -> list[str]:
    """The lines under the heading that starts with ``heading``, up to the blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading)) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return [line.rstrip() for line in lines[start:end]]


def test_sets_a_week_against_the_minimum_and_aim(explained):
    """Week 1: glutes 3 + 2 = 5, core 2 (dead bug) + 0.5 x 2 (march) + 0.5 x 3 (bird dog) =
    4.5, hamstrings 2, against 4 and 6; the deload week's minimum and aim are halved, and its
    3 lower-back sets over 1.5 core sets break a balance pair. Stretches count for nothing."""
    assert section(explained.render(), "Strength sets a week") == [
        "  week  kind    glutes  core  hamstrings  minimum  aim  hip_flexors  lower_back  short"
        "                                               balance",
        "  1     build   5.0     4.5   2.0         4.0      6.0  2.0          3.0         glutes"
        " < aim, core < aim, hamstrings < minimum      ok",
        "  2     deload  1.0     1.5   2.0         2.0      3.0  0.0          3.0         glutes"
        " < minimum, core < minimum, hamstrings < aim  lower_back > core",
    ]


def test_strength_share_of_each_session(explained):
    """Monday of week 1: 100 s of stretch, 263 + 170 + 170 s of strength: 603 of 703 s."""
    assert section(explained.render(), "Strength share of each session") == [
        "  week  day  minutes  strength_minutes  strength_pct  strength_exercises",
        "  1     mon  11.7     10.1              85.8          3",
        "  1     wed  11.6     9.9               85.7          3",
        "  2     mon  10.3     8.6               83.8          3",
    ]


def test_a_session_on_a_day_the_profile_does_not_give_is_explained(tiny_catalog, tiny_profile):
    """A plan made for other days (explained without its options) is explained as it stands,
    Thursday's session included: the goals count a session on any day (this was a KeyError)."""
    catalog = tiny_catalog()
    entries = tuple(
        Entry(week, 3 if day == 2 else day, i, catalog[x], sets, reps, hold)
        for i, (week, day, x, sets, reps, hold) in enumerate(ROWS, 1)
    )
    text = explain(Plan(tiny_profile(weeks=2, deload_every=2), entries), catalog).render()
    days = [line.split()[:2] for line in section(text, "Strength share of each session")[1:]]
    assert days == [["1", "mon"], ["1", "thu"], ["2", "mon"]]


def test_patterns_covered_and_missing(explained):
    """Only the bridge is one of the rounded programme's patterns (a hamstring curl is not)."""
    missing = "hinge, squat_lunge, anti_extension, anti_rotation, anti_lateral_flexion, "
    assert section(explained.render(), "Strength patterns each week") == [
        "  week  covered  missing",
        f"  1     1 of 7   {missing}back_extension",
        f"  2     1 of 7   {missing}back_extension",
    ]


def test_what_each_exercise_is_for_in_the_articles_terms(explained):
    """A glute stretch is not glute work and the glutes are not called tight; strength says
    what a set counts for."""
    assert section(explained.render(), "What each exercise is for") == [
        "  figure_four_stretch                stretch the glutes for range (R6); counts for no "
        "glutes strength sets",
        "  glute_bridge                       strengthen what is weak (bridge thrust, R22): a set "
        "counts glutes 1 (R18, R19)",
        "  hamstring_curl                     strengthen what is weak (hamstring curl): a set "
        "counts hamstrings 1 (R18, R19)",
        "  dead_bug                           strengthen what is weak: a set counts core 1 "
        "(R18, R19)",
        "  kneeling_hip_flexor_stretch        stretch what is tight: the hip flexors (R6)",
        "  supine_march                       strengthen the hip flexors: a set counts core 0.5, "
        "hip_flexors 1 (R18, R19)",
        "  bird_dog                           strengthen the lower back: a set counts core 0.5, "
        "lower_back 1 (R18, R19)",
    ]
    assert "share_" not in explained.render()  # the old time-share goals are gone


def test_explain_csv_writes_each_table(here, invoke):
    """explain PLAN_CSV --csv DIR writes weeks, sets, sessions and patterns, one row a week
    (one a session for sessions), and says so."""
    options = ("--level", "intermediate", "--weeks", "2")
    assert invoke("plan", *options, "--quiet", "--csv", "p.csv").exit_code == 0
    result = invoke("explain", "p.csv", *options, "--csv", "tables")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Wrote weeks.csv, sets.csv, sessions.csv and patterns.csv to tables."
    )
    with open("p.csv", encoding="utf-8") as f:
        sessions = {(row["week"], row["day"]) for row in csv.DictReader(f)}

    def read(name: str) -> list[dict]:
        with open(here / "tables" / name, encoding="utf-8") as f:
            return list(csv.DictReader(f))

    sets = read("sets.csv")
    assert list(sets[0]) == [
        "week",
        "kind",
        "glutes",
        "core",
        "hamstrings",
        "minimum",
        "aim",
        "hip_flexors",
        "lower_back",
        "short",
        "balance",
    ]
    assert [(row["week"], row["minimum"], row["aim"]) for row in sets] == [
        ("1", "6.0", "10.0"),
        ("2", "6.0", "10.0"),
    ]
    assert {(row["week"], row["day"]) for row in read("sessions.csv")} == sessions
    assert [row["week"] for row in read("patterns.csv")] == ["1", "2"]
    assert [row["week"] for row in read("weeks.csv")] == ["1", "2"]


def test_explain_says_when_the_plan_breaks_the_rules_with_the_options_given(here, invoke):
    """An advanced plan explained without --level advanced is explained (exit 0), with a note
    that it breaks the rules with these options; with its own options, no note."""
    options = ("--level", "advanced", "--weeks", "1")
    assert invoke("plan", *options, "--quiet", "--csv", "a.csv").exit_code == 0
    result = invoke("explain", "a.csv", *options)
    assert result.exit_code == 0, result.output
    assert "Note:" not in result.stderr
    result = invoke("explain", "a.csv")
    assert result.exit_code == 0, result.output
    broken = invoke("check", "a.csv").output.splitlines()[-1].split()[0]
    assert result.stderr.splitlines()[-1] == (
        f"Note: a.csv has {broken} rule violation(s) with these options; give the options it "
        "was made with (planner check a.csv lists them)."
    )
    assert result.stdout.startswith("Weeks (load in AU")
