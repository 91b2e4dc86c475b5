"""The plan as a person reads it: ``Plan.render``'s plain text (each session's aim, each
exercise's effort target, the pain rule once) and its ``verbose`` engineering view, on a plan
made by hand from the tiny catalogue (no solve)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.plan import Entry, Plan
from tests.conftest import build_tiny_catalog, build_tiny_profile


def hand_plan(**profile) -> Plan:
    """Two sessions, Monday (hip flexors and glutes) and Wednesday (core), starting on Monday
    2026-11-30."""
    c = build_tiny_catalog()
    p = build_tiny_profile(days=("mon", "wed"), sessions=2, start=dt.date(2026, 11, 30), **profile)
    entries = (
        Entry(1, 0, 1, c["ball_release_glutes"], 1, 1, 60),
        Entry(1, 0, 2, c["kneeling_hip_flexor_stretch"], 3, 1, 30),
        Entry(1, 0, 3, c["glute_bridge"], 2, 12, 0),
        Entry(1, 2, 1, c["cat_camel"], 1, 10, 0),
        Entry(1, 2, 2, c["dead_bug"], 2, 10, 0),
        Entry(1, 2, 3, c["curl_up"], 1, 5, 10),
    )
    return Plan(p, entries)


PAIN_RULE = [
    "If something hurts:",
    "- Pain up to 5/10 during an exercise is acceptable if it has settled (to 2/10 or less)",
    "  by the next morning.",
    "- More than 5/10, or still there the next morning: stop that exercise and do its easier",
    "  variant next time.",
    "- Pain of 7/10 or more, numbness, weakness in a leg, loss of bladder or bowel control,",
    "  fever, or pain at night: stop and see a professional.",
]


SESSIONS = [
    "",
    "Mon 2026-11-30  ·  7 min  ·  Stretch the front of the hips and glutes, strengthen the glutes",
    "   1. Ball release glutes          release   1 x 60 s      pressure 3-4/10",
    "   2. Kneeling hip flexor stretch  stretch   3 x 30 s      pull 3-4/10",
    "   3. Glute bridge                 strength  2 x 12        effort 4/10",
    "",
    "Wed 2026-12-02  ·  6 min  ·  Strengthen the core",
    "   1. Cat camel                    mobility  1 x 10        effort 2/10",
    "   2. Dead bug                     strength  2 x 10        effort 4/10",
    "   3. Curl up                      strength  1 x 5 x 10 s  effort 4/10",
    "",
]


def test_render_says_each_sessions_aim_each_exercises_effort_and_the_pain_rule_once():
    """The plain text: the training load explained once, no AU, a session heading with its
    aim, an effort target on each exercise line, the pain rule once at the end."""
    text = hand_plan().render()
    assert text.splitlines() == [
        "Beginner week: 2 sessions of up to 15 min, training load (minutes x effort) 42 (aim 90)",
        *SESSIONS,
        *PAIN_RULE,
    ]
    assert "AU" not in text and "acute:chronic" not in text


def test_render_with_back_pain_gives_the_stricter_pain_rule():
    """With back pain the pain rule carries its stricter line, still once."""
    lines = hand_plan(conditions=frozenset({"back_pain"})).render().splitlines()
    assert lines[-6:-4] == [
        "- With back pain, stricter: keep back pain to 2/10 or less during a session, and stop",
        "  any exercise that sends pain down a leg.",
    ]
    assert lines.count("If something hurts:") == 1


def test_verbose_render_keeps_the_engineering_view():
    """``verbose``: loads in AU against the target, each session's load, each exercise's
    muscle groups as the catalogue names them."""
    lines = hand_plan().render(verbose=True).splitlines()
    assert lines[:4] == [
        "Beginner week: 2 sessions of up to 15 min, load 42 AU (target 90 AU)",
        "",
        "Mon 2026-11-30  ·  7 min  ·  Stretch the front of the hips and glutes, strengthen the "
        "glutes  ·  load 21 AU",
        "   1. Ball release glutes          release   1 x 60 s      pressure 3-4/10  glutes",
    ]
    assert lines[-len(PAIN_RULE) :] == PAIN_RULE


def test_a_programmes_render_gives_each_week_in_plain_words():
    """A programme: the headline says the load builds, each week its phase in words and its
    training load; --verbose the ramp and acute:chronic figures."""
    plan = hand_plan(weeks=1, programme=True)
    lines = plan.render().splitlines()
    assert lines[:4] == [
        "Beginner programme: 1 week of 2 sessions of up to 15 min, an easier week every 4 weeks",
        "Training load (minutes x effort) builds from 72 a week towards 90, a little each week",
        "",
        "======== Week 1 · building up · training load 42",
    ]
    verbose = plan.render(verbose=True).splitlines()
    assert verbose[2].startswith("======== Week 1 · build · 42 AU · ")
    assert "acute:chronic" in verbose[2]


def test_sessions_come_in_date_order_from_the_starts_weekday():
    """A plan starting on a Wednesday runs Wednesday to Tuesday: its Wednesday session comes
    before its Monday one (dated five days later), in the text as in ``sessions``."""
    plan = hand_plan()
    plan = replace(plan, profile=plan.profile.with_changes(start=dt.date(2026, 12, 2)))
    assert [(s.day, s.date) for s in plan.sessions] == [
        (2, dt.date(2026, 12, 2)),
        (0, dt.date(2026, 12, 7)),
    ]
    text = plan.render()
    assert text.index("Wed 2026-12-02") < text.index("Mon 2026-12-07")
