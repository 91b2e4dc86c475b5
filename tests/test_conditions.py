"""Conditions and contraindications: the profile's conditions, wake and session times, the
reasons an exercise is left out for them, their errors, and a property test that no plan on the
shipped catalogue ever breaks them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from planner import NoPlan, Profile, ProfileError, SolverOptions, solve
from planner.catalog import CONDITIONS, EQUIPMENT, LEVELS
from planner.check import check_plan
from planner.plan import Plan
from planner.profile_file import ProfileFileError, load_profile
from planner.screening import QUESTIONS, Screening
from planner.solve import OutOfTime

ALLOWED = ", ".join(CONDITIONS)
QUICK = ("--days", "mon,wed,fri", "--weeks", "1", "--time-limit", "20")


def beginner(**overrides) -> Profile:
    return Profile.for_level("beginner", **overrides)


# --- the profile's settings -----------------------------------------------------------------


def test_unknown_condition_is_refused():
    """An unknown condition names the key and every allowed condition."""
    with pytest.raises(ProfileError) as err:
        beginner(conditions=frozenset({"bad_knee"}))
    assert str(err.value) == f"conditions: 'bad_knee' is unknown; allowed: {ALLOWED}"


@pytest.mark.parametrize("value", ["25:00", "7:60", "noon", "07:00:00", "", "7"])
@pytest.mark.parametrize("key", ["session_time", "wake_time"])
def test_bad_time_is_refused(key, value):
    """A time that is not HH:MM names the key and the allowed form."""
    with pytest.raises(ProfileError) as err:
        beginner(**{key: value})
    assert str(err.value) == f"{key}: {value!r} is not a time; allowed: HH:MM"


@pytest.mark.parametrize(
    ("value", "stored"), [("7:05", "07:05"), ("23:59", "23:59"), (dt.time(6, 30), "06:30")]
)
def test_times_are_stored_as_hh_mm(value, stored):
    """Times are kept as zero-padded HH:MM; a datetime.time on the minute is accepted."""
    assert beginner(session_time=value).session_time == stored
    assert beginner(wake_time=value).wake_time == stored


def test_defaults_are_no_conditions_a_seven_oclock_wake_and_no_session_time():
    """By default nothing is filtered for safety: no conditions, wake 07:00, no session time."""
    profile = beginner()
    assert (profile.conditions, profile.wake_time, profile.session_time) == (
        frozenset(),
        "07:00",
        None,
    )
    assert not profile.morning


@pytest.mark.parametrize(
    ("wake", "session", "morning"),
    [
        ("07:00", "07:00", True),
        ("07:00", "07:59", True),
        ("07:00", "08:00", False),
        ("07:00", "06:30", False),
        ("23:30", "00:10", True),
        ("06:00", "18:00", False),
    ],
)
def test_morning_is_the_first_hour_after_waking(wake, session, morning):
    """A session is a morning one when it starts less than 60 min after waking (R15); the
    clock wraps at midnight."""
    assert beginner(wake_time=wake, session_time=session).morning is morning


# --- reasons --------------------------------------------------------------------------------


def test_contraindicated_exercise_names_the_condition(exercise):
    """An exercise contraindicated for a condition the profile has is left out, naming it."""
    lunge = exercise("lunge", "strength", ("glutes",), contraindications=("knee_pain",))
    assert beginner(conditions=frozenset({"knee_pain"})).reason_excluded(lunge) == (
        "not with knee_pain (contraindicated)"
    )
    assert beginner(conditions=frozenset({"wrist_pain"})).reason_excluded(lunge) is None


def test_back_pain_leaves_out_loaded_spinal_flexion(exercise):
    """back_pain leaves out strength work with end-range spinal flexion (R16), even when its
    catalogue row names no contraindication."""
    curl = exercise("loaded_curl", "strength", ("core",), spinal_flexion=True)
    assert beginner(conditions=frozenset({"back_pain"})).reason_excluded(curl) == (
        "loaded end-range flexion, not with back_pain (R16)"
    )
    assert beginner().reason_excluded(curl) is None


def test_back_pain_leaves_out_hip_flexor_dominant_even_when_allowed(exercise):
    """back_pain leaves out hip-flexor work in disguise although --allow-hip-flexor-dominant
    lets it in otherwise."""
    sit_up = exercise("sit_up", "strength", ("hip_flexors", "core"), hip_flexor_dominant=True)
    assert beginner(allow_hip_flexor_dominant=True).reason_excluded(sit_up) is None
    profile = beginner(allow_hip_flexor_dominant=True, conditions=frozenset({"back_pain"}))
    assert profile.reason_excluded(sit_up) == (
        "hip-flexor work in disguise (Juker & McGill 1998), not with back_pain"
    )


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("pregnancy", "pregnancy"),
        ("heart_condition", "hypertension"),
        ("heart_medication", "hypertension"),
    ],
)
def test_a_cleared_screening_yes_still_plans_around_its_condition(exercise, question, condition):
    """Medical clearance lets planning go on, but a yes to the pregnancy or blood-pressure
    question keeps out what the catalogue marks contraindicated for it."""
    drape = exercise("drape", "stretch", ("lower_back",), contraindications=(condition,))
    no = {q.id: False for q in QUESTIONS}
    cleared = Screening({**no, question: True}, medical_clearance=True)
    assert beginner(screening=cleared).health_conditions == {condition}
    assert beginner(screening=cleared).reason_excluded(drape) == (
        f"not with {condition} (contraindicated)"
    )
    assert beginner(screening=Screening(no)).reason_excluded(drape) is None


@pytest.mark.parametrize("role", ["stretch", "mobility"])
def test_morning_leaves_out_end_range_flexion_stretches(exercise, role):
    """Within an hour of waking, end-range flexion stretches and mobility are left out (R15);
    later in the day they are allowed, and unflexed ones always are."""
    extra = {"dose": "hold", "reps": 1, "hold_s": 30} if role == "stretch" else {}
    flexed = exercise("knee_to_chest", role, ("lower_back",), spinal_flexion=True, **extra)
    plain = exercise("cat_camel", role, ("lower_back",), **extra)
    morning = beginner(wake_time="06:30", session_time="07:00")
    assert morning.reason_excluded(flexed) == "end-range flexion within an hour of waking (R15)"
    assert morning.reason_excluded(plain) is None
    assert beginner(wake_time="06:30", session_time="07:30").reason_excluded(flexed) is None


def test_safety_reasons_come_before_level_and_equipment(exercise):
    """A contraindicated exercise above the level still gives the safety reason."""
    hard = exercise(
        "hard", "strength", ("glutes",), level="advanced", contraindications=("hypertension",)
    )
    profile = beginner(conditions=frozenset({"hypertension"}))
    assert profile.reason_excluded(hard) == "not with hypertension (contraindicated)"
    excluded = beginner(exclude=frozenset({"hard"}), conditions=frozenset({"hypertension"}))
    assert excluded.reason_excluded(hard) == "excluded by you"


# --- files and the command line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'conditions = ["bad_knee"]\n',
            f"me.toml: conditions: 'bad_knee' is unknown; allowed: {ALLOWED}",
        ),
        (
            'conditions = "back_pain"\n',
            "me.toml: conditions: expected a list of condition names, got 'back_pain'",
        ),
        (
            'session_time = "25:00"\n',
            "me.toml: session_time: '25:00' is not a time; allowed: HH:MM",
        ),
        (
            "wake_time = 700\n",
            'me.toml: wake_time: expected a time in quotes, e.g. "07:00", got 700',
        ),
    ],
    ids=["condition", "conditions-type", "time", "time-type"],
)
def test_bad_file_values_are_one_line(here, invoke, content, message):
    """A bad condition or time in a file names the file, the key and what is allowed."""
    (here / "me.toml").write_text(content)
    with pytest.raises(ProfileFileError) as err:
        load_profile("me.toml")
    assert str(err.value) == message
    result = invoke("plan", "--profile", "me.toml")
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_toml_local_time_is_accepted(here):
    """An unquoted TOML time (session_time = 06:45:00) is read as "06:45"."""
    (here / "me.toml").write_text("session_time = 06:45:00\n")
    assert load_profile("me.toml").session_time == "06:45"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--condition", "bad_knee"), f"--condition: 'bad_knee' is unknown; allowed: {ALLOWED}"),
        (
            ("--condition", "back_pain,bad_knee"),
            f"--condition: 'bad_knee' is unknown; allowed: {ALLOWED}",
        ),
        (("--session-time", "25:00"), "--session-time: '25:00' is not a time; allowed: HH:MM"),
        (("--wake-time", "7am"), "--wake-time: '7am' is not a time; allowed: HH:MM"),
    ],
    ids=["condition", "condition-list", "session-time", "wake-time"],
)
@pytest.mark.parametrize("command", ["plan", "check", "explain", "profile show"])
def test_bad_option_is_one_line_naming_the_option(here, invoke, command, args, line):
    """A bad --condition or time exits 2 with one line naming the option, on every command
    that takes profile options."""
    result = invoke(*command.split(), *(["week.csv"] if command == "check" else []), *args)
    assert (result.exit_code, result.output) == (2, f"Error: {line}\n")


def test_condition_options_add_to_the_files_conditions(here, invoke):
    """--condition (repeatable, or comma-separated) adds to the file's conditions."""
    (here / "me.toml").write_text('conditions = ["back_pain"]\n')
    conditions = ("--condition", "knee_pain", "--condition", "wrist_pain,pregnancy")
    result = invoke("profile", "show", "--profile", "me.toml", *conditions)
    assert result.exit_code == 0, result.output
    assert 'conditions = ["back_pain", "knee_pain", "wrist_pain", "pregnancy"]\n' in result.stdout


def test_file_with_a_bad_option_condition_blames_the_option(here, invoke):
    """With a good file, a bad --condition is the option's fault."""
    (here / "me.toml").write_text('conditions = ["back_pain"]\n')
    result = invoke("profile", "show", "--profile", "me.toml", "--condition", "bad_knee")
    assert result.stderr == f"Error: --condition: 'bad_knee' is unknown; allowed: {ALLOWED}\n"


def test_explain_lists_the_new_reasons(catalog, invoke):
    """`explain` lists each exercise left out for a condition or for the morning rule."""
    args = ("--condition", "knee_pain", "--session-time", "07:30", *QUICK)
    result = invoke("explain", *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"  {'split_squat':<34} not with knee_pain (contraindicated)" in lines
    assert (
        f"  {'knee_to_chest_stretch':<34} end-range flexion within an hour of waking (R15)" in lines
    )


def test_plan_with_a_condition_leaves_its_exercises_out(catalog, here, invoke):
    """`plan --condition C` writes no exercise contraindicated for C."""
    result = invoke("plan", "--condition", "wrist_pain", *QUICK, "-q", "--csv", "week.csv")
    assert result.exit_code == 0, result.output
    ids = {line.split(",")[4] for line in (here / "week.csv").read_text().splitlines()[1:]}
    assert ids and not any("wrist_pain" in catalog[i].contraindications for i in ids)


def test_check_reports_a_contraindicated_exercise(catalog, here, invoke):
    """A plan made without a condition, checked with it, breaks allowed_exercises."""
    assert invoke("plan", *QUICK, "-q", "--csv", "week.csv").exit_code == 0
    rows = (here / "week.csv").read_text().splitlines()[1:]
    ids = [line.split(",")[4] for line in rows]
    condition = next(c for i in ids for c in catalog[i].contraindications)
    hit = [n for n, i in enumerate(ids, 1) if condition in catalog[i].contraindications]
    result = invoke("check", "week.csv", *QUICK[:4], "--condition", condition)
    assert result.exit_code == 1
    for n in hit:
        line = (
            f"row {n}: {ids[n - 1]} is not allowed: not with {condition} (contraindicated) "
            "[allowed_exercises]"
        )
        assert line in result.stdout.splitlines()


# --- property: no plan breaks a condition ---------------------------------------------------


# 30 solves of 1 deterministic s at most: 50 of 2 s had grown to 106 s once the coach-grade
# goals made short advanced weeks slower to settle; plans and NoPlans both still come up.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    conditions=st.frozensets(st.sampled_from(CONDITIONS)),
    level=st.sampled_from(LEVELS),
    equipment=st.none() | st.frozensets(st.sampled_from(EQUIPMENT)),
    allow_hip_flexor_dominant=st.booleans(),
    sessions=st.integers(2, 3),
    minutes=st.sampled_from((15, 20, 25, 30)),
    session_time=st.none() | st.sampled_from(("06:30", "07:00", "07:45", "08:00", "18:00")),
)
def test_no_plan_breaks_a_condition(
    catalog,
    conditions,
    level,
    equipment,
    allow_hip_flexor_dominant,
    sessions,
    minutes,
    session_time,
):
    """On the shipped catalogue, whatever the conditions, level and equipment, every exercise in
    a plan respects each condition (no contraindicated exercise; back_pain: no loaded spinal
    flexion and no hip-flexor-dominant move; no end-range flexion stretch within an hour of
    waking) and the plan passes check_plan. NoPlan is an acceptable outcome."""
    profile = Profile.for_level(
        level,
        conditions=conditions,
        equipment=equipment,
        allow_hip_flexor_dominant=allow_hip_flexor_dominant,
        sessions=sessions,
        minutes=minutes,
        days=("mon", "wed", "fri"),
        session_time=session_time,
        weeks=1,
    )
    try:
        plan = solve(catalog, profile, options=SolverOptions(budget=1.0))
    except NoPlan as err:
        note(f"no plan: {err}")
        event("no plan")
        return
    event("plan")
    morning = session_time in ("07:00", "07:45")  # the default wake time is 07:00
    for entry in plan.entries:
        e = entry.exercise
        assert not conditions & set(e.contraindications), e.id
        if "back_pain" in conditions:
            assert not (e.role == "strength" and e.spinal_flexion), e.id
            assert not e.hip_flexor_dominant, e.id
        if morning:
            assert not (e.role in ("stretch", "mobility") and e.spinal_flexion), e.id
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, plan.profile)) == []


# 100 catalogues and profiles (not more) keep the suite near two minutes on two cores; about
# half of them plan, the others are proven NoPlans.
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_plan_on_a_random_catalogue_subset_breaks_a_condition(tiny_catalog, tiny_profile, data):
    """On random subsets of the tiny catalogue with random contraindications and spinal-flexion
    flags, under random conditions and session times, every plan returned passes the validator
    and uses no exercise a condition rules out (100 profiles and catalogues)."""
    ids = [e.id for e in tiny_catalog()]
    drop = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=3), label="drop")
    marks = {
        i: {
            "contraindications": tuple(
                sorted(data.draw(st.frozensets(st.sampled_from(CONDITIONS), max_size=2)))
            ),
            "spinal_flexion": data.draw(st.booleans()),
        }
        for i in ids
        if i not in drop
    }
    catalog = tiny_catalog(drop=drop, **marks)
    profile = tiny_profile(
        data.draw(st.sampled_from(LEVELS), label="level"),
        conditions=data.draw(st.frozensets(st.sampled_from(CONDITIONS), max_size=3)),
        session_time=data.draw(st.none() | st.sampled_from(("07:30", "18:00")), label="time"),
        allow_hip_flexor_dominant=data.draw(st.booleans(), label="allow"),
    )
    try:
        plan = solve(catalog, profile, options=SolverOptions(budget=0.2))
    except NoPlan as err:
        event(f"no plan: {'proven' if err.rules or err.missing else 'ran out'}")
        assert err.rules or isinstance(err, OutOfTime)
        return
    event("plan")
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, profile)) == []
    for entry in plan.entries:
        e = entry.exercise
        assert not profile.conditions & set(e.contraindications), e.id
        if "back_pain" in profile.conditions:
            assert not e.hip_flexor_dominant, e.id
            assert not (e.role == "strength" and e.spinal_flexion), e.id
        if profile.morning:
            assert not (e.role in ("stretch", "mobility") and e.spinal_flexion), e.id
