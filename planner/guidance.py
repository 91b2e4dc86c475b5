"""What a person needs beside each exercise to do it safely alone: how hard it should feel,
how far to take a stretch, the easier and the harder variant (the catalogue's progression
chains), and the pain rule of every plan (the pain-monitoring model, stricter for back pain);
and the plain words every view shares: muscle groups, a session's aim, a week's phase, what
training load is.

Every number comes from ``planner.evidence``. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import balance, evidence
from planner.catalog import GROUPS, Catalog, Exercise

# Each muscle group as a person would name it, for a session's title and aim.
GROUP_WORDS = {
    "hip_flexors": "front of the hips",
    "glutes": "glutes",
    "hamstrings": "back of the thighs",
    "core": "core",
    "obliques": "sides of the waist",
    "lower_back": "lower back",
    "quadriceps": "front of the thighs",
    "adductors": "inner thighs",
    "abductors": "outer hips",
}


# Each week's phase in plain words (the ramp's build, hold, deload), for a week's heading.
PHASE_WORDS = {
    "build": "building up",
    "hold": "holding steady",
    "deload": "an easier week to recover",
}
# What "training load" means, said once wherever a plain view gives a load (R8, session RPE).
LOAD_WORDS = "training load (minutes x effort)"


def session_focus(entries) -> tuple[str, ...]:
    """The session's focus: the (at most two) primary groups with the most minutes, ties in
    the catalogue's group order, by each exercise's primary group."""
    seconds: dict[str, int] = {}
    for e in entries:
        seconds[e.exercise.primary] = seconds.get(e.exercise.primary, 0) + e.seconds
    ranked = sorted(seconds, key=lambda g: (-seconds[g], GROUPS.index(g)))
    return tuple(ranked[:2])


def session_aim(entries) -> str:
    """'Stretch the front of the hips and lower back, strengthen the glutes and core': what a
    session is for, in the article's terms (the plan's session heading). The groups stretched
    or released longest and the two strengthened most (fractional sets, R19); a session
    without strength work only stretches."""
    stretched: dict[str, int] = {}
    strengthened: dict[str, int] = {}
    for e in entries:
        x = e.exercise
        if x.role in ("stretch", "release"):
            stretched[x.primary] = stretched.get(x.primary, 0) + e.seconds
        elif x.role == "strength":
            for g in (g for g in GROUPS if g != "obliques"):  # core counts them (R19)
                strengthened[g] = strengthened.get(g, 0) + balance.credit(x, g) * e.sets
    parts = []
    for verb, amounts in (("stretch the", stretched), ("strengthen the", strengthened)):
        ranked = sorted(
            (g for g in amounts if amounts[g]), key=lambda g: (-amounts[g], GROUPS.index(g))
        )
        if ranked:
            parts.append(f"{verb} {plain_groups(ranked[:2]).lower()}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def plain_groups(groups) -> str:
    """'Front of the hips and glutes': groups in plain words, the first capitalised."""
    words = [GROUP_WORDS.get(g, g.replace("_", " ")) for g in groups]
    text = " and ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " and " + words[-1]
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Guide:
    """The plain-words guidance for one exercise."""

    exercise: Exercise
    effort: str  # "Effort 4/10, somewhat hard: ...; stop with about 6 more reps in you."
    easier: str  # the easier variant's name, or "" at the start of its chain
    harder: str  # the harder variant's name, or "" at the end of its chain

    @property
    def short_effort(self) -> str:
        return target(self.exercise)


def target(exercise: Exercise) -> str:
    """The target in a few words, for a session's list: "effort 4/10", "pull 3-4/10" (a
    stretch), "pressure 3-4/10" (a release)."""
    if exercise.role in ("stretch", "release"):
        low, high = evidence.STRETCH_PULL
        feel = "pull" if exercise.role == "stretch" else "pressure"
        return f"{feel} {low}-{high}/10"
    return f"effort {exercise.rpe}/10"


def effort(exercise: Exercise) -> str:
    """How hard ``exercise`` should feel, in words: a stretch or release as a pull short of
    pain (R6), a strength set as its RPE with reps in reserve (R8, Zourdos 2016), mobility as
    its RPE."""
    if exercise.role in ("stretch", "release"):
        low, high = evidence.STRETCH_PULL
        feel = "A pull" if exercise.role == "stretch" else "Pressure"
        return f"{feel} of {low}-{high} out of 10, never pain; ease off if it grows."
    words = evidence.EFFORT_WORDS[exercise.rpe]
    text = f"Effort {exercise.rpe}/10, {words}."
    if exercise.role == "strength":
        text += (
            f" Stop each set with about {evidence.RIR_AT_RPE_10 - exercise.rpe} more reps in you."
        )
    return text


def guide(exercise: Exercise, catalog: Catalog) -> Guide:
    """The guidance for ``exercise``: its effort and its neighbours in its progression chain
    (the harder variant is its ``progression``; the easier one is the exercise whose
    progression points to it)."""
    easier = next((e.name for e in catalog if e.progression == exercise.id), "")
    harder = catalog[exercise.progression].name if exercise.progression in catalog else ""
    return Guide(exercise=exercise, effort=effort(exercise), easier=easier, harder=harder)


def pain_rule(conditions: frozenset[str]) -> tuple[str, ...]:
    """The pain rule every plan carries (the pain-monitoring model, Silbernagel 2007), as
    lines; with back pain among ``conditions`` it is stricter: no pain added to the back."""
    ok, settled, stop = evidence.PAIN_ACCEPTABLE, evidence.PAIN_SETTLED, evidence.PAIN_STOP
    lines = [
        f"Pain up to {ok}/10 during an exercise is acceptable if it has settled (to {settled}/10 "
        "or less) by the next morning.",
        f"More than {ok}/10, or still there the next morning: stop that exercise and do its "
        "easier variant next time.",
        f"Pain of {stop}/10 or more, numbness, weakness in a leg, loss of bladder or bowel "
        "control, fever, or pain at night: stop and see a professional.",
    ]
    if "back_pain" in conditions:
        # Stricter for back pain: keep to the model's "safe" zone (0-2, Thomee 1997).
        lines.insert(
            1,
            f"With back pain, stricter: keep back pain to {settled}/10 or less during a session, "
            "and stop any exercise that sends pain down a leg.",
        )
    return tuple(lines)
