"""Profile: level presets, overrides, the exact message and key of each out-of-range setting,
why an exercise is left out, and the numbers derived from a profile."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner import evidence
from planner.catalog import EQUIPMENT, LEVELS, Catalog, Exercise
from planner.profile import DAYS, LAST_DATE, Profile, ProfileError, SolverOptions

ALL_DAYS = ", ".join(DAYS)
ALL_EQUIPMENT = ", ".join(EQUIPMENT)


def make(id: str = "x", **fields) -> Exercise:
    """A beginner bodyweight strength exercise at RPE 4, with ``fields`` changed."""
    base = dict(
        name=id,
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
    return Exercise(id=id, **base)


# --- presets and overrides ------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_preset_matches_the_evidence_table(level):
    """for_level(level) takes every preset value from evidence.LEVELS."""
    preset = evidence.LEVELS[level]
    p = Profile.for_level(level)
    assert p.level == level
    assert p.sessions == preset["sessions"]
    assert p.minutes == preset["minutes"]
    assert p.strength_sets == preset["strength_sets"]
    assert p.reps == preset["reps"]
    assert p.rpe_cap == preset["rpe_cap"]
    assert p.session_rpe == preset["session_rpe"]
    assert p.acwr_cap == preset["acwr_cap"]
    assert p.catalog_levels == preset["levels"]


def test_presets_grow_with_the_level():
    """Sessions, minutes, sets and the effort cap rise from beginner to advanced."""
    b, i, a = (Profile.for_level(level) for level in LEVELS)
    assert (b.sessions, i.sessions, a.sessions) == (3, 4, 5)
    assert (b.minutes, i.minutes, a.minutes) == (30, 45, 60)
    assert (b.rpe_cap, i.rpe_cap, a.rpe_cap) == (6, 8, 9)
    assert b.catalog_levels == ("beginner",)
    assert a.catalog_levels == LEVELS


def test_preset_defaults_for_the_rest():
    """A preset profile spreads its sessions over the week (mon/wed/sat for a beginner's three),
    with no exclusions, all equipment and no disguised moves."""
    p = Profile.for_level("beginner")
    assert p.days == ("mon", "wed", "sat")
    assert p.equipment is None
    assert p.exclude == frozenset()
    assert p.allow_hip_flexor_dominant is False
    assert p.max_days_per_exercise == evidence.MAX_DAYS_PER_EXERCISE


def test_overrides_replace_preset_values():
    """Overrides given to for_level win over the preset; the rest of the preset stays."""
    p = Profile.for_level(
        "intermediate", minutes=20, days=("mon", "wed", "fri", "sat"), rpe_cap=7, weeks=1
    )
    assert (p.minutes, p.days, p.rpe_cap, p.weeks) == (20, ("mon", "wed", "fri", "sat"), 7, 1)
    assert p.sessions == 4
    assert p.strength_sets == (2, 3)


def test_none_overrides_are_ignored():
    """An override of None leaves the preset's value (an option not given)."""
    assert Profile.for_level("advanced", minutes=None, sessions=None).minutes == 60
    assert Profile.for_level("advanced", minutes=None, sessions=None).sessions == 5


def test_unknown_override_is_refused():
    """An override that is not a profile setting raises ProfileError keyed by its name."""
    with pytest.raises(ProfileError) as info:
        Profile.for_level("beginner", minuts=20)
    assert info.value.key == "minuts"
    assert str(info.value) == "minuts: is not a profile setting"


def test_days_are_put_in_week_order():
    """Days given in any order are stored Monday first."""
    assert Profile.for_level("beginner", days=("fri", "mon", "wed")).days == ("mon", "wed", "fri")


def test_profile_is_frozen():
    """A Profile cannot be changed in place; with_changes gives a checked copy."""
    p = Profile.for_level("beginner")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.minutes = 20  # type: ignore[misc]
    assert p.with_changes(minutes=20).minutes == 20
    with pytest.raises(ProfileError):
        p.with_changes(minutes=5)


# --- out-of-range settings: exact message and key -------------------------------------------

BAD_SETTINGS = {
    "minutes 90": (dict(minutes=90), "minutes", "minutes: 90 is out of range; allowed: 10 to 60"),
    "minutes 9": (dict(minutes=9), "minutes", "minutes: 9 is out of range; allowed: 10 to 60"),
    "sessions 0": (dict(sessions=0), "sessions", "sessions: 0 is out of range; allowed: 1 to 7"),
    "sessions 8": (dict(sessions=8), "sessions", "sessions: 8 is out of range; allowed: 1 to 7"),
    "sessions over days": (
        dict(sessions=4, days=("mon", "wed", "fri")),
        "sessions",
        "sessions: 4 sessions need 4 available days; days gives 3 (mon,wed,fri)",
    ),
    "unknown day": (
        dict(days=("mon", "xyz")),
        "days",
        f"days: 'xyz' is not a day; allowed: {ALL_DAYS}",
    ),
    "repeated day": (
        dict(days=("mon", "mon", "wed", "fri")),
        "days",
        "days: list each available day once, e.g. mon,wed,fri",
    ),
    "no days": (dict(days=()), "days", "days: list each available day once, e.g. mon,wed,fri"),
    "unknown equipment": (
        dict(equipment=frozenset({"band", "rocket"})),
        "equipment",
        f"equipment: 'rocket' is unknown; allowed: {ALL_EQUIPMENT}",
    ),
    "minutes not a number": (
        dict(minutes="30"),
        "minutes",
        "minutes: '30' is not a number; allowed: 10 to 60",
    ),
    "minutes a boolean": (
        dict(minutes=True),
        "minutes",
        "minutes: True is not a number; allowed: 10 to 60",
    ),
    "weeks 0": (dict(weeks=0), "weeks", "weeks: 0 is out of range; allowed: 1 to 52"),
    "lone week of 3 weeks": (
        dict(programme=False, weeks=3),
        "weeks",
        "weeks: 3 weeks make a programme, but programme asks for a lone week, which is 1 week",
    ),
    "start past the last date": (
        dict(start=dt.date(9999, 12, 31), weeks=4),
        "start",
        "start: 9999-12-31 is too late for 4 weeks of dates (a plan ends by 9998-12-31); "
        "allowed: up to 9998-12-03",
    ),
    "start a day too late": (
        dict(start=dt.date(9998, 12, 4), weeks=4),
        "start",
        "start: 9998-12-04 is too late for 4 weeks of dates (a plan ends by 9998-12-31); "
        "allowed: up to 9998-12-03",
    ),
    "start not a date": (
        dict(start="2026-11-30"),
        "start",
        "start: '2026-11-30' is not a date; allowed: YYYY-MM-DD",
    ),
}


@pytest.mark.parametrize("overrides, key, message", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_out_of_range_setting_is_refused(overrides, key, message):
    """Each bad setting raises ProfileError with its key and one exact message."""
    with pytest.raises(ProfileError) as info:
        Profile.for_level("beginner", **overrides)
    assert info.value.key == key
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("weeks", [1, 4, 51])
def test_latest_start_leaves_every_week_a_date_by_the_last_date(weeks):
    """The latest start allowed keeps the last session, and the day after it, by LAST_DATE;
    a day later is refused."""
    latest = LAST_DATE - dt.timedelta(days=7 * weeks)
    assert Profile.for_level("beginner", start=latest, weeks=weeks).start == latest
    with pytest.raises(ProfileError):
        Profile.for_level("beginner", start=latest + dt.timedelta(days=1), weeks=weeks)
    with pytest.raises(ProfileError) as info:  # a longer programme from an allowed start
        Profile.for_level("beginner", start=latest, weeks=weeks).with_changes(weeks=weeks + 1)
    assert info.value.key == "start"


def test_sessions_over_days_names_the_days_as_asked():
    """The days clash names the days setting by its key, or by whatever ``worded`` is given
    (the command line's --days)."""
    with pytest.raises(ProfileError) as info:
        Profile.for_level("beginner", sessions=4, days=("mon", "wed", "fri"))
    assert info.value.worded(lambda key: f"--{key}") == (
        "--sessions: 4 sessions need 4 available days; --days gives 3 (mon,wed,fri)"
    )


def test_sessions_default_fits_the_days_given():
    """Without sessions, the level's preset is capped at the days given (intermediate's 4 on
    mon,wed,fri become 3); fewer sessions than days keep the preset, and sessions asked for
    are never changed."""
    days = ("mon", "wed", "fri")
    assert Profile.for_level("intermediate", days=days).sessions == 3
    assert Profile.for_level("intermediate", days=days, sessions=None).sessions == 3
    assert Profile.for_level("beginner", days=("mon", "tue", "thu", "sat")).sessions == 3
    assert Profile.for_level("intermediate", days=days, sessions=2).sessions == 2
    with pytest.raises(ProfileError):
        Profile.for_level("intermediate", days=days, sessions=4)


BAD_OPTIONS = {
    "time_limit 0": (dict(time_limit=0), "time_limit: 0 is out of range; allowed: 0.1 to 600.0"),
    "seed -1": (dict(seed=-1), "seed: -1 is out of range; allowed: 0 to 2147483647"),
    "time_limit NaN": (
        dict(time_limit=float("nan")),
        "time_limit: nan is not a number; allowed: 0.1 to 600.0",
    ),
}


@pytest.mark.parametrize("options, message", BAD_OPTIONS.values(), ids=BAD_OPTIONS.keys())
def test_out_of_range_solver_option_is_refused(options, message):
    """SolverOptions checks the seed and the time limit as a Profile checks its settings."""
    with pytest.raises(ProfileError) as info:
        SolverOptions(**options)
    assert info.value.key == next(iter(options))
    assert str(info.value) == message


def test_seed_and_time_limit_are_not_profile_fields():
    """The solver's options live in SolverOptions, not in the person's Profile."""
    names = {f.name for f in dataclasses.fields(Profile)}
    assert not names & {"seed", "time_limit"}
    assert SolverOptions() == SolverOptions(seed=0, budget=4.0, time_limit=60.0)


@pytest.mark.parametrize("make_profile", [Profile.for_level, lambda level: Profile(level=level)])
def test_unknown_level_is_refused(make_profile):
    """An unknown level raises ProfileError keyed level, listing the three levels."""
    with pytest.raises(ProfileError) as info:
        make_profile("expert")
    assert info.value.key == "level"
    assert (
        str(info.value) == "level: 'expert' is unknown; allowed: beginner, intermediate, advanced"
    )


@pytest.mark.parametrize("minutes", [10, 60])
def test_minutes_at_the_limits_are_allowed(minutes):
    """10 and 60 minutes are both valid session budgets."""
    assert Profile.for_level("beginner", minutes=minutes).minutes == minutes


def test_sessions_equal_to_days_is_allowed():
    """As many sessions as free days is valid."""
    p = Profile.for_level("beginner", sessions=2, days=("tue", "sat"))
    assert (p.sessions, p.days) == (2, ("tue", "sat"))


# --- equipment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, stored",
    [
        (frozenset({"band"}), frozenset({"band", "none"})),
        (frozenset(), frozenset({"none"})),
        (frozenset({"none"}), frozenset({"none"})),
        (frozenset({"dumbbell", "bench"}), frozenset({"dumbbell", "bench", "none"})),
    ],
)
def test_equipment_always_gains_none(given, stored):
    """Whatever equipment is listed, bodyweight (none) is always available."""
    assert Profile.for_level("beginner", equipment=given).equipment == stored


def test_equipment_none_means_everything():
    """Leaving equipment out (None) allows every piece of equipment."""
    p = Profile.for_level("advanced")
    assert p.equipment is None
    assert p.reason_excluded(make(equipment=("barbell", "bench"))) is None


# --- reason_excluded ------------------------------------------------------------------------

DISGUISE = "hip-flexor work in disguise (Juker & McGill 1998), left out for tight hips"


@pytest.mark.parametrize(
    "exercise, overrides, reason",
    [
        (make("bridge"), dict(exclude=frozenset({"bridge"})), "excluded by you"),
        (make(level="intermediate"), {}, "intermediate exercise, above the beginner level"),
        (make(level="advanced"), {}, "advanced exercise, above the beginner level"),
        (make(rpe=7), {}, "effort RPE 7 above the beginner cap of 6"),
        (
            make(equipment=("dumbbell", "bench")),
            dict(equipment=frozenset({"band"})),
            "needs bench, dumbbell",
        ),
        (make(equipment=("band",)), dict(equipment=frozenset()), "needs band"),
        (make(groups=("hip_flexors", "core"), hip_flexor_dominant=True), {}, DISGUISE),
    ],
    ids=["excluded", "intermediate", "advanced", "rpe", "equipment", "band", "dominant"],
)
def test_reason_excluded_names_the_reason(exercise, overrides, reason):
    """A beginner profile gives the right reason for each kind of exercise it cannot use."""
    assert Profile.for_level("beginner", **overrides).reason_excluded(exercise) == reason


def test_reason_excluded_is_none_for_a_usable_exercise():
    """An exercise at the level, under the cap, with the equipment at hand has no reason."""
    p = Profile.for_level("beginner", equipment=frozenset({"band"}))
    assert p.reason_excluded(make(equipment=("band",), rpe=6)) is None
    assert p.reason_excluded(make()) is None


def test_higher_levels_take_easier_exercises():
    """An intermediate profile uses beginner and intermediate exercises, not advanced ones."""
    p = Profile.for_level("intermediate")
    assert p.reason_excluded(make(level="beginner")) is None
    assert p.reason_excluded(make(level="intermediate")) is None
    assert p.reason_excluded(make(level="advanced")) == (
        "advanced exercise, above the intermediate level"
    )


def test_allow_hip_flexor_dominant_lets_sit_ups_in():
    """With allow_hip_flexor_dominant a flagged exercise is no longer excluded."""
    sit_up = make(groups=("hip_flexors", "core"), hip_flexor_dominant=True)
    assert (
        Profile.for_level("beginner", allow_hip_flexor_dominant=True).reason_excluded(sit_up)
        is None
    )


def test_exclusion_is_the_first_reason_given():
    """An excluded exercise that is also too hard is reported as excluded by you."""
    hard = make("hard", level="advanced", rpe=9)
    p = Profile.for_level("beginner", exclude=frozenset({"hard"}))
    assert p.reason_excluded(hard) == "excluded by you"


def test_allowed_keeps_catalogue_order_and_drops_the_rest():
    """allowed() returns the usable exercises in catalogue order."""
    catalog = Catalog(
        (make("c"), make("a", rpe=9), make("b"), make("d", level="advanced")), source="mem"
    )
    assert [e.id for e in Profile.for_level("beginner").allowed(catalog)] == ["c", "b"]


@pytest.mark.parametrize("key", ["exclude", "prefer", "dislike"])
def test_allowed_refuses_ids_not_in_the_catalogue(key):
    """An exclude/prefer/dislike id missing from the catalogue raises ProfileError naming it."""
    catalog = Catalog((make("a"),), source="mem.csv")
    p = Profile.for_level("beginner", **{key: frozenset({"nope"})})
    with pytest.raises(ProfileError) as info:
        p.allowed(catalog)
    assert info.value.key == key
    assert str(info.value) == f"{key}: 'nope' is not in the catalogue (mem.csv)"


# --- derived numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sessions, minutes, session_rpe, load",
    [(3, 30, 3, 270), (4, 45, 4, 720), (5, 60, 5, 1500), (1, 10, 1, 10), (7, 60, 10, 4200)],
)
def test_target_load_is_sessions_times_minutes_times_session_rpe(
    sessions, minutes, session_rpe, load
):
    """Target weekly load (R8) is sessions x minutes x session RPE in AU."""
    p = Profile.for_level("beginner", sessions=sessions, minutes=minutes, session_rpe=session_rpe)
    assert p.target_load == load


def test_starting_load_is_a_share_of_the_target_unless_given():
    """Without start_load a plan starts at START_SHARE_PCT of the target; with it, at it."""
    p = Profile.for_level("beginner")
    assert p.starting_load == round(270 * evidence.START_SHARE_PCT / 100)
    assert Profile.for_level("beginner", start_load=150).starting_load == 150


@pytest.mark.parametrize("sessions, days", [(1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (7, 2)])
def test_required_strength_days(sessions, days):
    """Each strengthened group needs 2 days at 3 or more sessions a week, else 1."""
    assert Profile.for_level("beginner", sessions=sessions).required_strength_days == days


@pytest.mark.parametrize("sessions", range(1, 8))
def test_hip_flexor_stretch_sessions_is_min_of_3_and_sessions(sessions):
    """Hip flexors are stretched in 3 sessions, or every session when there are fewer."""
    p = Profile.for_level("beginner", sessions=sessions)
    assert p.hip_flexor_stretch_sessions == min(3, sessions)


def test_lone_week_is_one_week_unless_programme_says_otherwise():
    """Without programme, 1 week is a lone week and more a programme; programme true makes
    1 week a programme's first week; programme false alone is 1 week, a lone week."""
    assert Profile.for_level("beginner", weeks=1).lone_week
    assert not Profile.for_level("beginner", weeks=4).lone_week
    assert not Profile.for_level("beginner", weeks=1, programme=True).lone_week
    lone = Profile.for_level("beginner", programme=False)
    assert (lone.lone_week, lone.weeks) == (True, 1)


def test_deload_every_fourth_week_of_a_programme():
    """Weeks 4 and 8 of a programme are deload weeks, week 4 of a 1-week programme too (after
    three weeks of history); a lone week never is."""
    p = Profile.for_level("beginner", weeks=8)
    assert [w for w in range(1, 9) if p.is_deload(w)] == [4, 8]
    assert Profile.for_level("beginner", weeks=1, programme=True).is_deload(4)
    assert not Profile.for_level("beginner", weeks=1).is_deload(4)


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ({"wed-glute_bridge"}, "pins: 'wed-glute_bridge' is not day:id, e.g. wed:glute_bridge"),
        ({"sun:glute_bridge"}, "pins: 'sun:glute_bridge' pins to sun, not one of days "
         "(mon,wed,fri)"),
    ],
)  # fmt: skip
def test_a_pin_must_be_a_day_of_the_profile_and_an_id(pins, message):
    """A pin is day:id on one of the profile's days; anything else is named, with the rule."""
    with pytest.raises(ProfileError) as caught:
        Profile.for_level("beginner", days=("mon", "wed", "fri"), pins=frozenset(pins))
    assert str(caught.value) == message


def test_a_pinned_exercise_must_be_known_and_allowed(catalog):
    """Pinning an unknown id, or one the level leaves out, is refused with the reason."""
    profile = Profile.for_level("beginner", pins=frozenset({"mon:no_such_move"}))
    with pytest.raises(ProfileError, match=r"^pins: 'no_such_move' is not in the catalogue"):
        profile.allowed(catalog)
    profile = Profile.for_level("beginner", pins=frozenset({"mon:hip_thrust"}))
    with pytest.raises(ProfileError) as caught:
        profile.allowed(catalog)
    assert str(caught.value) == (
        "pins: 'hip_thrust' cannot be pinned: intermediate exercise, above the beginner level"
    )
