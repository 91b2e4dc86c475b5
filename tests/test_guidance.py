"""planner.guidance: the effort beside each exercise, its easier and harder variant from the
progression chain, and the pain rule, stricter with back pain."""

from __future__ import annotations

from planner import Catalog
from planner.guidance import guide, pain_rule


def test_a_strength_set_has_its_effort_in_words_and_reps_in_reserve(exercise):
    """RPE 6 reads as hard, with about 4 reps left in you (Zourdos 2016)."""
    squat = exercise("squat", "strength", ("glutes",), rpe=6)
    g = guide(squat, Catalog((squat,)))
    assert g.effort == (
        "Effort 6/10, hard: a few words at a time. Stop each set with about 4 more reps in you."
    )
    assert g.short_effort == "effort 6/10"


def test_a_stretch_goes_to_a_gentle_pull_never_pain(exercise):
    """A stretch's target is a pull of 3-4 out of 10, not its RPE."""
    stretch = exercise("couch_stretch", "stretch", ("hip_flexors",))
    g = guide(stretch, Catalog((stretch,)))
    assert g.effort == "A pull of 3-4 out of 10, never pain; ease off if it grows."
    assert g.short_effort == "pull 3-4/10"


def test_easier_and_harder_come_from_the_progression_chain(exercise):
    """The harder variant is the exercise's progression; the easier one points to it."""
    easy = exercise("bridge", "strength", ("glutes",), progression="single_leg_bridge")
    mid = exercise("single_leg_bridge", "strength", ("glutes",), progression="hip_thrust")
    hard = exercise("hip_thrust", "strength", ("glutes",))
    catalog = Catalog((easy, mid, hard))
    assert (guide(mid, catalog).easier, guide(mid, catalog).harder) == (
        "Bridge",
        "Hip thrust",
    )
    assert (guide(easy, catalog).easier, guide(hard, catalog).harder) == ("", "")


def test_pain_rule_is_the_pain_monitoring_model():
    """Up to 5/10 settled by morning is fine; more, stop that exercise; red flags, see someone."""
    assert pain_rule(frozenset()) == (
        "Pain up to 5/10 during an exercise is acceptable if it has settled (to 2/10 or less) "
        "by the next morning.",
        "More than 5/10, or still there the next morning: stop that exercise and do its easier "
        "variant next time.",
        "Pain of 7/10 or more, numbness, weakness in a leg, loss of bladder or bowel control, "
        "fever, or pain at night: stop and see a professional.",
    )


def test_back_pain_makes_the_pain_rule_stricter():
    """With back pain the back keeps to the safe zone, 2/10, and pain down a leg stops it."""
    rule = pain_rule(frozenset({"back_pain"}))
    assert rule[1] == (
        "With back pain, stricter: keep back pain to 2/10 or less during a session, and stop "
        "any exercise that sends pain down a leg."
    )
    assert rule[:1] + rule[2:] == pain_rule(frozenset())
