"""The validator: a solved week passes, and each rule broken by hand is caught by name.

Each test starts from a valid beginner week on the shipped catalogue (mon, wed, fri) and edits
its table to break one rule, keeping the minutes and load columns true to the edited dose
wherever the rule under test is not the dose rule.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from planner import Profile, check_plan, solve
from planner.catalog import SESSION_ORDER
from planner.dose import prescribe, seconds
from planner.evidence import STRENGTHENED_GROUPS
from planner.plan import Plan, PlanFileError
from planner.profile import DAYS, SolverOptions


@pytest.fixture(scope="module")
def week(shipped):
    """(catalogue, profile, frame) of a valid lone beginner week."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1)
    frame = solve(shipped, profile, options=SolverOptions(time_limit=20.0)).to_frame()
    return shipped, profile, frame


def check(frame, catalog, profile):
    """The validator on the plan in ``frame`` (the CSV contract), read as a file would be."""
    return check_plan(Plan.from_frame(frame, catalog, profile))


def rules(frame, catalog, profile) -> set[str]:
    return {v.rule for v in check(frame, catalog, profile)}


def messages(frame, catalog, profile, rule: str) -> list[str]:
    return [v.message for v in check(frame, catalog, profile) if v.rule == rule]


def redo(frame: pd.DataFrame, catalog, index) -> None:
    """Make row ``index``'s minutes and load columns true to its (edited) dose."""
    row = frame.loc[index]
    e = catalog[row.exercise_id]
    secs = seconds(e.role, e.dose, int(row.sets), int(row.reps), int(row.hold_s), e.per_side)
    frame.loc[index, "minutes"] = round(secs / 60, 2)
    frame.loc[index, "load"] = round(secs / 60 * e.rpe, 1)


def swap(frame: pd.DataFrame, catalog, profile, index, exercise_id: str) -> None:
    """Put ``exercise_id`` in row ``index`` at its prescribed dose."""
    e = catalog[exercise_id]
    rx = prescribe(e, profile)
    frame.loc[index, ["exercise_id", "exercise", "role", "groups"]] = [
        e.id,
        e.name,
        e.role,
        ";".join(e.groups),
    ]
    frame.loc[index, ["sets", "reps", "hold_s", "rpe"]] = [rx.min_sets, rx.reps, rx.hold_s, e.rpe]
    frame.loc[index, "per_side"] = str(e.per_side).lower()
    redo(frame, catalog, index)


def add(frame: pd.DataFrame, catalog, profile, day: str, exercise_id: str) -> pd.DataFrame:
    """``frame`` with ``exercise_id`` added to ``day``'s session at its prescribed dose, orders
    renumbered so the session stays in role order."""
    extra = frame.iloc[[0]].copy()
    extra.index = [frame.index.max() + 1]
    extra.loc[:, "day"] = day
    swap(extra, catalog, profile, extra.index[0], exercise_id)
    return resequence(pd.concat([frame, extra]), catalog)


def resequence(frame: pd.DataFrame, catalog) -> pd.DataFrame:
    """Orders 1..n in each session, by role (release, mobility, stretch, strength)."""
    frame = frame.copy()
    frame["_role"] = [SESSION_ORDER.index(catalog[i].role) for i in frame.exercise_id]
    frame["_day"] = [DAYS.index(d) for d in frame.day]
    frame = frame.sort_values(["week", "_day", "_role", "order"], kind="stable")
    frame["order"] = frame.groupby(["week", "_day"]).cumcount() + 1
    return frame.drop(columns=["_role", "_day"]).reset_index(drop=True)


def trained(frame, catalog, day: str) -> set[str]:
    """Groups strengthened in ``day``'s session."""
    ids = frame.exercise_id[frame.day == day]
    return {g for i in ids for g in STRENGTHENED_GROUPS + ("hip_flexors",) if catalog[i].trains(g)}


def session_seconds(frame, catalog, day: str) -> int:
    rows = frame[frame.day == day]
    total = 0
    for row in rows.itertuples():
        e = catalog[row.exercise_id]
        total += seconds(e.role, e.dose, row.sets, row.reps, row.hold_s, e.per_side)
    return total


def test_valid_week_has_no_violations(week):
    """A solved week breaks no rule."""
    catalog, profile, frame = week
    assert check(frame, catalog, profile) == []


def test_empty_plan_breaks_session_count(week):
    """A plan with no rows at all has 0 of the 3 sessions asked for."""
    _, profile, _ = week
    assert "session_count" in {v.rule for v in check_plan(Plan(profile, ()))}


def test_violation_reads_where_message_rule(week):
    """A violation prints as '<where>: <message> [<rule>]'."""
    catalog, profile, frame = week
    frame = frame.copy()
    last = frame.index[frame.day == "mon"][-1]
    frame.loc[last, "order"] += 1
    found = [str(v) for v in check(frame, catalog, profile)]
    assert found == ["week 1 mon: order is not 1, 2, 3, ... [order]"]


# --- available_days and session_count ----------------------------------------------------


def test_catches_a_session_on_an_unavailable_day(week):
    """Moving Friday's session to Saturday breaks available_days and nothing else."""
    catalog, profile, frame = week
    frame = frame.replace({"day": {"fri": "sat"}})
    assert rules(frame, catalog, profile) == {"available_days"}
    assert "sat is not one of your days" in messages(frame, catalog, profile, "available_days")


def test_catches_a_missing_week_of_a_programme(shipped):
    """A four-week programme whose last week is gone has 0 of the 3 sessions asked for in
    week 4."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=4)
    frame = solve(shipped, profile).to_frame()
    assert check(frame, shipped, profile) == []
    found = messages(frame[frame.week != 4], shipped, profile, "session_count")
    assert "0 sessions; asked for 3" in found


def test_catches_a_missing_session(week):
    """Dropping Wednesday's session leaves 2 of the 3 sessions asked for."""
    catalog, profile, frame = week
    frame = frame[frame.day != "wed"]
    assert "2 sessions; asked for 3" in messages(frame, catalog, profile, "session_count")


# --- session_minutes ---------------------------------------------------------------------


def test_catches_a_session_over_the_minutes(week):
    """The same week checked against a budget one minute under its longest session breaks
    session_minutes and nothing else (a session could not take more strength moves: the
    strength block caps them)."""
    catalog, profile, frame = week
    longest = max(session_seconds(frame, catalog, day) for day in set(frame.day))
    limit = math.ceil(longest / 60) - 1
    shorter = profile.with_changes(minutes=limit)
    assert rules(frame, catalog, shorter) == {"session_minutes"}
    found = messages(frame, catalog, shorter, "session_minutes")
    assert found and all(m.endswith(f"over your {limit} min") for m in found)


def test_catches_a_session_under_the_floor(week):
    """Trimming a session below 80 % of its minutes (mobility and releases out, stretches to
    their fewest sets) is caught as too short."""
    catalog, profile, frame = week
    floor = int(profile.minutes * 60 * profile.session_fill)
    day = "mon"
    session = frame[frame.day == day]
    kept = frame.copy()
    for index, row in session.iterrows():
        role = catalog[row.exercise_id].role
        if role == "mobility" or (
            role == "release" and session_seconds(kept, catalog, day) >= floor
        ):
            kept = kept.drop(index)
    for index in kept.index[(kept.day == day) & (kept.role == "stretch")]:
        kept.loc[index, "sets"] = prescribe(
            catalog[kept.loc[index, "exercise_id"]], profile
        ).min_sets
        redo(kept, catalog, index)
    for index in kept.index[(kept.day == day) & (kept.role == "strength")]:
        if session_seconds(kept, catalog, day) < floor:
            break
        kept = kept.drop(index)
    assert session_seconds(kept, catalog, day) < floor
    kept = resequence(kept, catalog)
    found = messages(kept, catalog, profile, "session_minutes")
    assert any(m.endswith("(too short)") for m in found), found


# --- allowed_exercises -------------------------------------------------------------------


def test_catches_an_unknown_exercise(week):
    """An id that is not in the catalogue is refused on reading, naming the row and the id."""
    catalog, profile, frame = week
    frame = frame.copy()
    frame.loc[frame.index[0], "exercise_id"] = "no_such_exercise"
    with pytest.raises(PlanFileError) as caught:
        check(frame, catalog, profile)
    assert str(caught.value) == (
        f"<plan>:2: column exercise_id: 'no_such_exercise' is not in the catalogue {catalog.source}"
    )


@pytest.mark.parametrize(
    "pick, reason",
    [
        (lambda e: e.level == "intermediate" and e.role == "strength", "above the beginner level"),
        (lambda e: e.hip_flexor_dominant and e.level == "beginner", "hip-flexor work in disguise"),
    ],
    ids=["too_hard", "hip_flexor_dominant"],
)
def test_catches_an_exercise_the_profile_leaves_out(week, pick, reason):
    """A strength row swapped for a too-hard or a disguised hip-flexor move is caught."""
    catalog, profile, frame = week
    frame = frame.copy()
    newcomer = next(e for e in catalog if pick(e))
    index = frame.index[frame.role == "strength"][0]
    swap(frame, catalog, profile, index, newcomer.id)
    found = messages(frame, catalog, profile, "allowed_exercises")
    assert any(m.startswith(f"{newcomer.id} is not allowed") and reason in m for m in found)


def test_catches_an_excluded_exercise(week):
    """An exercise in the plan that the person then excludes is caught."""
    catalog, profile, frame = week
    first = frame.exercise_id.iloc[0]
    found = messages(frame, catalog, profile.with_changes(exclude={first}), "allowed_exercises")
    assert f"{first} is not allowed: excluded by you" in found


def test_catches_missing_equipment(week):
    """A plan using equipment the person does not have is caught, naming the equipment."""
    catalog, profile, frame = week
    needy = [i for i in frame.exercise_id if catalog[i].equipment != ("none",)]
    assert needy
    found = messages(
        frame, catalog, profile.with_changes(equipment=frozenset()), "allowed_exercises"
    )
    assert len(found) == len(needy)
    assert all("needs" in m for m in found)


# --- dose --------------------------------------------------------------------------------


def _first(frame, catalog, role: str, dose: str):
    return next(
        i
        for i in frame.index
        if catalog[frame.loc[i, "exercise_id"]].role == role
        and catalog[frame.loc[i, "exercise_id"]].dose == dose
    )


def test_catches_sets_out_of_range(week):
    """A strength row with one set more than the level allows breaks the dose rule."""
    catalog, profile, frame = week
    frame = frame.copy()
    index = _first(frame, catalog, "strength", "reps")
    frame.loc[index, "sets"] = profile.strength_sets[1] + 1
    redo(frame, catalog, index)
    found = messages(frame, catalog, profile, "dose")
    assert any(f"{profile.strength_sets[1] + 1} sets; allowed" in m for m in found)


def test_catches_reps_off_the_prescription(week):
    """A strength row with reps outside the level's range breaks the dose rule."""
    catalog, profile, frame = week
    frame = frame.copy()
    index = _first(frame, catalog, "strength", "reps")
    frame.loc[index, "reps"] = profile.reps[1] + 5
    redo(frame, catalog, index)
    found = messages(frame, catalog, profile, "dose")
    assert any(f"{profile.reps[1] + 5} reps; prescribed" in m for m in found)


def test_catches_a_strength_hold_off_the_prescription(week):
    """A timed strength hold (a McGill-style 10 s hold, R13) held six times as long as its
    prescription breaks the dose rule, as reps off the prescription do."""
    catalog, profile, frame = week
    frame = frame.copy()
    index = _first(frame, catalog, "strength", "reps")
    hold = next(e.id for e in profile.allowed(catalog) if e.role == "strength" and e.dose == "hold")
    swap(frame, catalog, profile, index, hold)  # the week may have no timed hold of its own
    exercise_id = frame.loc[index, "exercise_id"]
    prescribed = prescribe(catalog[exercise_id], profile).hold_s
    frame.loc[index, "hold_s"] = 6 * prescribed
    redo(frame, catalog, index)
    found = messages(frame, catalog, profile, "dose")
    assert any(m.startswith(f"{exercise_id}: ") for m in found), found


def test_catches_a_ten_second_stretch_hold(week):
    """A stretch held 10 s (below the 15 s floor) breaks the dose rule."""
    catalog, profile, frame = week
    frame = frame.copy()
    index = _first(frame, catalog, "stretch", "hold")
    frame.loc[index, "hold_s"] = 10
    redo(frame, catalog, index)
    found = messages(frame, catalog, profile, "dose")
    assert any("10 s holds; allowed 15 to 30 s" in m for m in found)


def test_catches_a_stretch_under_a_minute_a_side(week):
    """Two 15 s holds (30 s a side) break the 60 s per side minimum, and only that."""
    catalog, profile, frame = week
    frame = frame.copy()
    index = _first(frame, catalog, "stretch", "hold")
    frame.loc[index, ["sets", "reps", "hold_s"]] = [2, 1, 15]
    redo(frame, catalog, index)
    found = messages(frame, catalog, profile, "dose")
    exercise_id = frame.loc[index, "exercise_id"]
    assert found == [f"{exercise_id}: 30 s of stretch per side; at least 60 s"]


def test_catches_minutes_that_do_not_match_the_dose(week):
    """A minutes cell one minute off its dose breaks the dose rule and nothing else."""
    catalog, profile, frame = week
    frame = frame.copy()
    frame.loc[frame.index[0], "minutes"] += 1
    assert rules(frame, catalog, profile) == {"dose"}
    assert "do not match the dose" in messages(frame, catalog, profile, "dose")[0]


def test_catches_load_that_is_not_minutes_times_rpe(week):
    """A load cell 5 AU off minutes x RPE breaks the dose rule and nothing else."""
    catalog, profile, frame = week
    frame = frame.copy()
    frame.loc[frame.index[0], "load"] += 5
    assert rules(frame, catalog, profile) == {"dose"}
    assert "is not minutes x RPE" in messages(frame, catalog, profile, "dose")[0]


# --- recovery ----------------------------------------------------------------------------


def _relabel(frame, catalog, first: str, second: str, third: str):
    """The week with two sessions that strengthen a common group moved to ``first`` and
    ``second``, and the remaining session to ``third``."""
    days = list(dict.fromkeys(frame.day))
    pair = next(
        (a, b)
        for a in days
        for b in days
        if a != b and trained(frame, catalog, a) & trained(frame, catalog, b)
    )
    rest = next(d for d in days if d not in pair)
    mapping = {pair[0]: first, pair[1]: second, rest: third}
    return frame.replace({"day": mapping}), pair


def test_catches_one_group_on_consecutive_days(week):
    """Two sessions strengthening the same group moved to mon and tue break recovery only."""
    catalog, profile, frame = week
    frame, pair = _relabel(frame, catalog, "mon", "tue", "thu")
    profile = profile.with_changes(days=("mon", "tue", "thu"))
    assert rules(frame, catalog, profile) == {"recovery"}
    found = messages(frame, catalog, profile, "recovery")
    assert all(m.endswith("on mon and again on tue, under 48 h apart") for m in found)


def test_catches_one_group_from_sunday_to_monday(week):
    """A repeating week strengthening a group on sun and on mon breaks recovery across the
    wrap."""
    catalog, profile, frame = week
    frame, pair = _relabel(frame, catalog, "mon", "sun", "wed")
    profile = profile.with_changes(days=("mon", "wed", "sun"))
    assert rules(frame, catalog, profile) == {"recovery"}
    found = messages(frame, catalog, profile, "recovery")
    assert all(m.endswith("on sun and again on mon, under 48 h apart") for m in found)


def test_sunday_meets_monday_only_in_a_lone_week(week):
    """The same week read as a programme's first week breaks no rule for its sun and mon:
    the next week's Monday, not its own, follows its Sunday."""
    catalog, profile, frame = week
    frame, pair = _relabel(frame, catalog, "mon", "sun", "wed")
    programme = profile.with_changes(days=("mon", "wed", "sun"), programme=True)
    assert "recovery" not in rules(frame, catalog, programme)


# --- strength_days, hip_flexor_stretch, balance ------------------------------------------


def test_catches_a_group_strengthened_on_one_day(week):
    """Taking a group's strength work out of all sessions but one breaks strength_days."""
    catalog, profile, frame = week
    group = "hamstrings"
    trains = frame.exercise_id.map(lambda i: catalog[i].trains(group))
    first_day = frame.day[trains].iloc[0]
    frame = resequence(frame[~trains | (frame.day == first_day)], catalog)
    found = messages(frame, catalog, profile, "strength_days")
    assert f"{group} strengthened on 1 day(s); needs 2" in found


def test_catches_too_few_hip_flexor_stretch_sessions(week):
    """Swapping one session's hip-flexor stretches for other stretches at the same dose leaves
    2 of the 3 sessions stretching the hip flexors, and breaks nothing else."""
    catalog, profile, frame = week
    frame = frame.copy()
    hip = frame.exercise_id.map(lambda i: catalog[i].stretches_hip_flexors)
    day = frame.day[hip].iloc[0]
    used = set(frame.exercise_id)
    stretched = {
        catalog[i].primary
        for i in frame.exercise_id[frame.day == day]
        if catalog[i].role == "stretch"
    }
    for index in frame.index[hip & (frame.day == day)]:
        old = catalog[frame.loc[index, "exercise_id"]]
        new = next(
            e
            for e in profile.allowed(catalog)
            if e.role == "stretch"
            and e.primary not in stretched | {"hip_flexors"}
            and e.per_side == old.per_side
            and e.id not in used
        )
        stretched.add(new.primary)
        used.add(new.id)
        frame.loc[index, ["exercise_id", "exercise", "groups"]] = [
            new.id,
            new.name,
            ";".join(new.groups),
        ]
        frame.loc[index, "rpe"] = new.rpe
        redo(frame, catalog, index)
    assert rules(frame, catalog, profile) == {"hip_flexor_stretch"}
    assert messages(frame, catalog, profile, "hip_flexor_stretch") == [
        "hip flexors stretched in 2 session(s); needs 3"
    ]


def test_catches_a_second_hip_flexor_strength_exercise(week):
    """Two hip-flexor strength exercises in a week break hip_flexion_limit, naming both."""
    catalog, profile, frame = week
    march = next(
        e.id
        for e in profile.allowed(catalog)
        if e.role == "strength" and e.primary == "hip_flexors"
    )
    flexions = {e.id for e in catalog if e.role == "strength" and e.primary == "hip_flexors"}
    frame = resequence(frame[~frame["exercise_id"].isin(flexions)], catalog)
    frame = add(add(frame, catalog, profile, "mon", march), catalog, profile, "fri", march)
    assert messages(frame, catalog, profile, "hip_flexion_limit") == [
        f"2 hip-flexor strength exercises ({march}, {march}); at most 1"
    ]


def test_catches_more_hip_flexor_than_glute_work(week):
    """Adding hip-flexor strengthening to every session until it outweighs the glute work
    breaks balance."""
    catalog, profile, frame = week
    marches = [
        e.id
        for e in profile.allowed(catalog)
        if e.role == "strength" and e.primary == "hip_flexors"
    ]
    assert marches

    def sets(f, group):
        return sum(
            s for i, s in zip(f.exercise_id, f.sets, strict=True) if catalog[i].trains(group)
        )

    placements = [(e, day) for e in marches for day in ("mon", "wed", "fri")]
    for exercise_id, day in placements * 3:  # a move twice in a session, if need be
        if sets(frame, "hip_flexors") > sets(frame, "glutes"):
            break
        frame = add(frame, catalog, profile, day, exercise_id)
    assert sets(frame, "hip_flexors") > sets(frame, "glutes")
    found = messages(frame, catalog, profile, "balance")
    assert any("hip_flexors strength sets exceed" in m and m.endswith("glutes sets") for m in found)


# --- order -------------------------------------------------------------------------------


def test_catches_strength_before_stretching(week):
    """Swapping a session's first (lengthening) and last (strength) orders breaks order only."""
    catalog, profile, frame = week
    frame = frame.copy()
    session = frame.index[frame.day == "wed"]
    first, last = session[0], session[-1]
    frame.loc[[first, last], "order"] = frame.loc[[last, first], "order"].to_numpy()
    assert rules(frame, catalog, profile) == {"order"}
    found = messages(frame, catalog, profile, "order")
    assert any(
        m.startswith(f"{frame.loc[last, 'exercise_id']} (strength) comes before") for m in found
    )


def test_catches_orders_that_are_not_one_to_n(week):
    """Two rows sharing order 1 break order."""
    catalog, profile, frame = week
    frame = frame.copy()
    session = frame.index[frame.day == "fri"]
    frame.loc[session[1], "order"] = 1
    assert "order is not 1, 2, 3, ..." in messages(frame, catalog, profile, "order")


# --- weekly_repeats ----------------------------------------------------------------------


def test_catches_an_exercise_on_four_days(week):
    """A four-session week with one exercise in every session breaks weekly_repeats (at most
    3 days)."""
    catalog, profile, frame = week
    exercise_id = frame.exercise_id[frame.role == "stretch"].iloc[0]
    for day in ("mon", "wed", "fri", "sat"):
        if exercise_id not in set(frame.exercise_id[frame.day == day]):
            frame = add(frame, catalog, profile, day, exercise_id)
    profile = profile.with_changes(days=("mon", "wed", "fri", "sat"), sessions=4)
    found = messages(frame, catalog, profile, "weekly_repeats")
    assert found == [f"{exercise_id} on 4 days; at most 3"]


def test_catches_one_exercise_twice_in_a_session(week):
    """The same exercise listed twice in one session breaks weekly_repeats."""
    catalog, profile, frame = week
    last = frame.index[frame.day == "mon"][-1]
    again = frame.loc[[last]].copy()
    again.loc[:, "order"] += 1
    frame = pd.concat([frame, again], ignore_index=True)
    exercise_id = frame.loc[last, "exercise_id"]
    found = messages(frame, catalog, profile, "weekly_repeats")
    assert f"{exercise_id} appears twice in one session" in found


# --- warm_up, stretch_block, strength_block, strength_share (R20) -------------------------


def test_catches_two_releases_in_a_short_session(week):
    """Two releases in Monday's 30-minute session break warm_up (one under 40 minutes)."""
    catalog, profile, frame = week
    mine = [i for i in frame.exercise_id[frame.day == "mon"] if catalog[i].role == "release"]
    for release in ("ball_release_glutes", "ball_release_hamstrings")[: 2 - len(mine)]:
        frame = add(frame, catalog, profile, "mon", release)
    assert messages(frame, catalog, profile, "warm_up") == ["2 releases; at most 1"]


def _with_five_stretches(frame, catalog, profile):
    """(day, frame) with the most-stretched day taken to five stretches, each added one of a
    muscle not yet stretched there."""
    day, stretches = _most_stretched(frame)
    there = {catalog[i].primary for i in stretches}
    extra = [e.id for e in profile.allowed(catalog) if e.role == "stretch"]
    extra = [i for i in extra if catalog[i].primary not in there]
    for exercise_id in extra[: 5 - len(stretches)]:
        frame = add(frame, catalog, profile, day, exercise_id)
    return day, frame


def test_catches_a_fifth_stretch(week):
    """A fifth stretch in a session, of a muscle not yet stretched there, breaks
    stretch_block."""
    catalog, profile, frame = week
    _, frame = _with_five_stretches(frame, catalog, profile)
    assert messages(frame, catalog, profile, "stretch_block") == ["5 stretches; at most 4"]


def test_catches_three_stretches_for_one_muscle(week):
    """Three hip-flexor stretches in one session break stretch_block."""
    catalog, profile, frame = week
    hips = [e.id for e in profile.allowed(catalog) if e.stretches_hip_flexors]
    day = frame.day.iloc[0]
    present = [i for i in frame.exercise_id[frame.day == day] if catalog[i].stretches_hip_flexors]
    for exercise_id in [i for i in hips if i not in present][: 3 - len(present)]:
        frame = add(frame, catalog, profile, day, exercise_id)
    found = [m for m in messages(frame, catalog, profile, "stretch_block") if "hip_flexors" in m]
    assert found == ["3 hip_flexors stretches; at most 2"]


def test_catches_a_session_with_one_short_strength_exercise(week):
    """Keeping only the shortest strength exercise of Monday's 30-minute session breaks
    strength_block twice: under 30 % of the session, and one exercise where 2 are needed."""
    catalog, profile, frame = week
    mon = frame[frame.day == "mon"]
    strength = mon[mon.role == "strength"]
    keep = strength.minutes.idxmin()
    frame = resequence(frame.drop(index=[i for i in strength.index if i != keep]), catalog)
    strong = session_seconds(frame[frame.role == "strength"], catalog, "mon")
    share = 100 * strong / session_seconds(frame, catalog, "mon")
    assert share < 30
    assert messages(frame, catalog, profile, "strength_block") == [
        f"strengthening takes {share:.0f} % of the time; at least 30 %",
        "1 strength exercise(s); at least 2 in a session of 20 min or more",
    ]


def test_catches_three_strength_exercises_of_one_pattern(week):
    """A third strength exercise of one movement pattern in Monday's session (one of its own
    when the profile allows three of it) breaks strength_block (at most 2 of one pattern a
    session, R22)."""
    catalog, profile, frame = week
    mon = [catalog[i] for i in frame.exercise_id[frame.day == "mon"]]
    strength = [e for e in profile.allowed(catalog) if e.role == "strength"]
    patterns = [e.pattern for e in mon if e.role == "strength"] + [e.pattern for e in strength]
    pattern = next(p for p in patterns if sum(e.pattern == p for e in strength) >= 3)
    present = {e.id for e in mon}
    same = [e.id for e in strength if e.pattern == pattern]
    have = sum(e.role == "strength" and e.pattern == pattern for e in mon)
    for exercise_id in [i for i in same if i not in present][: 3 - have]:
        frame = add(frame, catalog, profile, "mon", exercise_id)
    found = [m for m in messages(frame, catalog, profile, "strength_block") if pattern in m]
    assert found == [f"3 {pattern} strength exercises; at most 2 of one pattern"]


def test_catches_a_week_short_of_strength(week):
    """Dropping two sessions' strength work leaves the week under its 35 % (beginner)."""
    catalog, profile, frame = week
    frame = frame[~(frame.day.isin(["mon", "fri"]) & (frame.role == "strength"))]
    days = frame.day.unique()
    total = sum(session_seconds(frame, catalog, d) for d in days)
    strong = sum(session_seconds(frame[frame.role == "strength"], catalog, d) for d in days)
    assert 100 * strong < 35 * total
    assert messages(frame, catalog, profile, "strength_share") == [
        f"strengthening takes {100 * strong / total:.0f} % of the week; at least 35 %"
    ]


def _most_stretched(frame) -> tuple[str, list[str]]:
    """The day with the most stretches, and their ids."""
    stretches = frame[frame.role == "stretch"]
    day = stretches.day.value_counts().idxmax()
    return day, list(stretches.exercise_id[stretches.day == day])


# --- planner check names the session of a session-shape violation -------------------------

WEEK_OPTIONS = ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "1")


def _check_lines(frame, here, invoke) -> tuple[int, list[str]]:
    """``planner check`` on ``frame`` written as a plan CSV: (exit code, output lines)."""
    frame.to_csv(here / "week.csv", index=False)
    result = invoke("check", "week.csv", *WEEK_OPTIONS)
    return result.exit_code, result.output.splitlines()


def test_check_names_the_session_with_too_many_stretches(week, here, invoke):
    """A fifth stretch on a day: `planner check` prints 'week 1 <day>: 5 stretches; at most 4
    [stretch_block]' and exits 1."""
    catalog, profile, frame = week
    day, frame = _with_five_stretches(frame, catalog, profile)
    code, lines = _check_lines(frame, here, invoke)
    assert code == 1
    assert [line for line in lines if "[stretch_block]" in line] == [
        f"week 1 {day}: 5 stretches; at most 4 [stretch_block]"
    ]
    assert lines[-1].endswith("rule violation(s) in week.csv.")


def test_check_names_the_session_with_nine_strength_exercises(week, here, invoke):
    """Nine strength exercises on Monday: `planner check` prints 'week 1 mon: 9 strength
    exercises; at most 8 [strength_block]' and exits 1."""
    catalog, profile, frame = week
    mon = set(frame.exercise_id[frame.day == "mon"])
    have = sum(catalog[i].role == "strength" for i in mon)
    # Of patterns Monday holds fewer than two of, so that only the count is broken.
    patterns = Counter(catalog[i].pattern for i in mon if catalog[i].role == "strength")
    extra = []
    for e in profile.allowed(catalog):
        if e.role == "strength" and e.id not in mon and patterns[e.pattern] < 2:
            patterns[e.pattern] += 1
            extra.append(e.id)
    for exercise_id in extra[: 9 - have]:
        frame = add(frame, catalog, profile, "mon", exercise_id)
    code, lines = _check_lines(frame, here, invoke)
    assert code == 1
    assert [line for line in lines if "[strength_block]" in line] == [
        "week 1 mon: 9 strength exercises; at most 8 [strength_block]"
    ]
    assert lines[-1].endswith("rule violation(s) in week.csv.")
