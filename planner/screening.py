"""Red-flag screening: the questions to ask before planning, the answers, and the verdict.

The questions are data (``QUESTIONS``), worded in our own words. A ``red_flag`` yes stops
planning: see a professional first; the cauda-equina signs are an emergency. A ``clearance``
yes asks for medical clearance first, and planning goes on once the answers record it.
``screen_verdict`` turns answers into a ``Verdict``; the command line turns that into words
on the terminal and an exit code (nothing here prints).

Sources (shared/reference/evidence.md, "Red flags"): the AHCPR acute low-back problems table
(NBK52120); NHS red-flag pathways; Verhagen et al. 2016 (red flags in 16 guidelines); NICE NG59
1.1 (low back pain and sciatica); NICE NG65 (spondyloarthritis: inflammatory back pain); the
PAR-Q+ (Warburton et al., 2011; the 2023 edition) for the clearance questions.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Question:
    """One yes/no question; ``text`` is asked as is, a yes is the worrying answer."""

    id: str
    group: str
    text: str
    kind: str  # "red_flag" (stop, see a professional) or "clearance" (get clearance first)
    # A yes also plans around this condition (planner.catalog.CONDITIONS), cleared or not.
    condition: str | None = None


# Group -> how a message names it. Red-flag groups first, in evidence.md's order (items 1-5),
# then the "ask also" groups (item 6).
GROUPS = {
    "cauda_equina": "cauda-equina sign",
    "fracture": "possible fracture",
    "cancer": "possible cancer",
    "infection": "possible infection",
    "inflammatory": "possible inflammatory back pain",
    "injury": "recent injury",
    "nerve": "pain spreading below the knee",
    "pregnancy": "pregnancy or recent birth",
    "par_q": "PAR-Q+ question",
}
# Any yes in this group is an emergency (cauda equina syndrome: same-day care, NICE NG59).
EMERGENCY_GROUP = "cauda_equina"
KINDS = ("red_flag", "clearance")

QUESTIONS = (
    # 1. Cauda equina (AHCPR; NHS; NICE NG59): emergency.
    Question(
        "saddle_numbness",
        "cauda_equina",
        "Numbness or pins and needles between your legs, around your bottom or genitals?",
        "red_flag",
    ),
    Question(
        "bladder_trouble",
        "cauda_equina",
        "New trouble starting to pass urine, or leaking it without meaning to?",
        "red_flag",
    ),
    Question(
        "bowel_control",
        "cauda_equina",
        "New loss of bowel control, or not feeling when you need to go?",
        "red_flag",
    ),
    Question(
        "leg_weakness",
        "cauda_equina",
        "Weakness or numbness in both legs, or in one leg and getting worse?",
        "red_flag",
    ),
    Question(
        "walking_trouble",
        "cauda_equina",
        "New trouble walking: legs giving way, tripping, unsteady on your feet?",
        "red_flag",
    ),
    # 2. Fracture (AHCPR; Verhagen 2016).
    Question(
        "major_trauma",
        "fracture",
        "Did the pain start with a serious accident, such as a car crash or a fall from height?",
        "red_flag",
    ),
    Question(
        "minor_trauma",
        "fracture",
        "Did it start with a small fall or heavy lifting, and you have osteoporosis or are "
        "over 50?",
        "red_flag",
    ),
    Question(
        "steroids",
        "fracture",
        "Have you taken steroid tablets (corticosteroids such as prednisolone) for months?",
        "red_flag",
    ),
    Question(
        "deformity",
        "fracture",
        "Has the shape of your spine changed visibly (a new hump or bend)?",
        "red_flag",
    ),
    # 3. Cancer (AHCPR; Verhagen 2016).
    Question("cancer_history", "cancer", "Have you ever had cancer?", "red_flag"),
    Question("weight_loss", "cancer", "Are you losing weight without trying?", "red_flag"),
    Question(
        "onset_age",
        "cancer",
        "Is this your first bout of back pain, and are you over 50 or under 20?",
        "red_flag",
    ),
    Question(
        "night_pain",
        "cancer",
        "Is the pain constant, or there at night, and not eased by changing position?",
        "red_flag",
    ),
    Question(
        "no_improvement",
        "cancer",
        "Has the pain not improved at all in 4-6 weeks?",
        "red_flag",
    ),
    # 4. Infection (AHCPR; NICE NG59).
    Question("fever", "infection", "Fever, chills or night sweats with the pain?", "red_flag"),
    Question("injected_drugs", "infection", "Do you inject drugs?", "red_flag"),
    Question(
        "immune_suppression",
        "infection",
        "Is your immune system weakened (chemotherapy, transplant medicines, HIV, long-term "
        "steroids)?",
        "red_flag",
    ),
    Question(
        "recent_infection",
        "infection",
        "A recent bacterial infection (such as a urine infection) or surgery on your spine?",
        "red_flag",
    ),
    # 5. Inflammatory back pain (NICE NG65).
    Question(
        "inflammatory_pain",
        "inflammatory",
        "Did the back pain start before 45, has it lasted over 3 months, and is it stiff in the "
        "morning but better with exercise?",
        "red_flag",
    ),
    # 6. Ask also: a yes means "get medical clearance first" (evidence.md item 6; PAR-Q+).
    Question(
        "recent_injury",
        "injury",
        "A recent injury, such as a strain or a fall, that still hurts?",
        "clearance",
    ),
    Question(
        "pain_below_knee",
        "nerve",
        "Does pain spread down a leg below the knee?",
        "clearance",
    ),
    Question(
        "pregnancy",
        "pregnancy",
        "Are you pregnant, or have you given birth in the last 6 months?",
        "clearance",
        "pregnancy",
    ),
    Question(
        "heart_condition",
        "par_q",
        "Has a doctor ever said you have a heart condition or high blood pressure?",
        "clearance",
        "hypertension",
    ),
    Question(
        "chest_pain",
        "par_q",
        "Do you get chest pain at rest, in daily life or when you are active?",
        "clearance",
    ),
    Question(
        "dizziness",
        "par_q",
        "Have you lost your balance from dizziness, or fainted, in the last 12 months?",
        "clearance",
    ),
    Question(
        "bone_joint_problem",
        "par_q",
        "Do you have a bone, joint or muscle problem that more activity could make worse?",
        "clearance",
    ),
    Question(
        "heart_medication",
        "par_q",
        "Do you take medicine for blood pressure or a heart condition?",
        "clearance",
        "hypertension",
    ),
)
BY_ID = {q.id: q for q in QUESTIONS}
IDS = tuple(BY_ID)
# The key in a [screening] table that records a doctor's go-ahead after a "clearance" yes.
CLEARANCE_KEY = "medical_clearance"
# Said once under every plan and report.
NOT_ADVICE = (
    "Not medical advice. Numbness, weakness, loss of bladder or bowel control, fever, or pain "
    "after a fall or at night: see a professional before exercising."
)
SCREEN_COMMAND = "planner screen --profile FILE"


# What ``planner screen`` takes as an answer, in any case. There is no default: a blank line
# must not record a "no" to a red flag.
ANSWERS = {"y": True, "yes": True, "n": False, "no": False}


def parse_answer(text: str) -> bool | None:
    """True for y or yes, False for n or no (any case, spaces around ignored), None for
    anything else, a blank line included."""
    return ANSWERS.get(text.strip().lower())


class ScreeningError(ValueError):
    """Answers that cannot be used; ``key`` names the answer (``screening.<id>``)."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"{key}: {message}")


@dataclass(frozen=True)
class Screening:
    """The answers given: question id -> True for yes, and whether clearance is on record.

    ``answers`` may be a mapping; it is stored as (id, answer) pairs in question order, so a
    Screening (and the Profile holding it) stays hashable. Questions left out are unanswered.
    """

    answers: tuple[tuple[str, bool], ...] | Mapping[str, bool] = ()
    medical_clearance: bool = False

    def __post_init__(self) -> None:
        given = dict(self.answers)
        for key, value in given.items():
            if key not in BY_ID:
                raise ScreeningError("screening", f"{key!r} is not a screening question{hint(key)}")
            if not isinstance(value, bool):
                raise ScreeningError(f"screening.{key}", f"{value!r} is not true or false")
        if not isinstance(self.medical_clearance, bool):
            raise ScreeningError(
                f"screening.{CLEARANCE_KEY}", f"{self.medical_clearance!r} is not true or false"
            )
        object.__setattr__(self, "answers", tuple((q, given[q]) for q in IDS if q in given))

    def answer(self, question_id: str) -> bool | None:
        """True for yes, False for no, None when not answered."""
        return dict(self.answers).get(question_id)

    @property
    def yes(self) -> tuple[Question, ...]:
        return tuple(BY_ID[q] for q, value in self.answers if value)

    @property
    def conditions(self) -> frozenset[str]:
        """The conditions the yes answers imply (pregnancy; high blood pressure)."""
        return frozenset(q.condition for q in self.yes if q.condition)

    @property
    def unanswered(self) -> tuple[Question, ...]:
        given = dict(self.answers)
        return tuple(q for q in QUESTIONS if q.id not in given)


def hint(key: str) -> str:
    """A near question id, else the clearance key's name when it is near, else nothing."""
    close = difflib.get_close_matches(key, (*IDS, CLEARANCE_KEY), n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; run {SCREEN_COMMAND}"


class Outcome(Enum):
    OK = "ok"  # every question answered no, or clearance on record
    REMINDER = "reminder"  # not screened (or not every question answered): plan, but remind
    CLEARANCE = "clearance needed"  # a "clearance" yes and no clearance on record
    RED_FLAG = "red flag"  # a red-flag yes: see a professional first
    EMERGENCY = "emergency"  # a cauda-equina sign: seek care today

    @property
    def plans(self) -> bool:
        return self in (Outcome.OK, Outcome.REMINDER)


@dataclass(frozen=True)
class Verdict:
    """What the screening answers allow; ``questions`` are the answers that decided it (the
    yes answers, or the unanswered questions for a reminder)."""

    outcome: Outcome
    questions: tuple[Question, ...] = ()

    @property
    def plans(self) -> bool:
        return self.outcome.plans

    @property
    def message(self) -> str:
        """One line saying why and what to do."""
        ids = ", ".join(q.id for q in self.questions)
        groups = ", ".join(dict.fromkeys(GROUPS[q.group] for q in self.questions))
        if self.outcome is Outcome.EMERGENCY:
            return (
                f"screening: yes to {ids} ({groups}): emergency — seek care today (an "
                "emergency department or urgent care); do not exercise. No plan made."
            )
        if self.outcome is Outcome.RED_FLAG:
            return (
                f"screening: yes to {ids} ({groups}): a red flag; see a doctor before "
                "exercising. No plan made."
            )
        if self.outcome is Outcome.CLEARANCE:
            return (
                f"screening: yes to {ids} ({groups}): get medical clearance first, then record "
                f"it as {CLEARANCE_KEY} = true in the profile's [screening] table. No plan made."
            )
        if self.outcome is Outcome.REMINDER:
            if len(self.questions) == len(QUESTIONS):
                return f"Reminder: no red-flag screening on record; run {SCREEN_COMMAND} once."
            return (
                f"Reminder: {len(self.questions)} screening question(s) unanswered ({ids}); "
                f"run {SCREEN_COMMAND}."
            )
        return "screening: no red flags."


def screen_verdict(screening: Screening | None) -> Verdict:
    """The verdict on ``screening`` (None: never screened), worst first: an emergency, a red
    flag, clearance needed, then a reminder when questions are unanswered."""
    if screening is None:
        return Verdict(Outcome.REMINDER, QUESTIONS)
    yes = screening.yes
    emergency = tuple(q for q in yes if q.group == EMERGENCY_GROUP)
    if emergency:
        return Verdict(Outcome.EMERGENCY, emergency)
    red = tuple(q for q in yes if q.kind == "red_flag")
    if red:
        return Verdict(Outcome.RED_FLAG, red)
    clearance = tuple(q for q in yes if q.kind == "clearance")
    if clearance and not screening.medical_clearance:
        return Verdict(Outcome.CLEARANCE, clearance)
    if screening.unanswered:
        return Verdict(Outcome.REMINDER, screening.unanswered)
    return Verdict(Outcome.OK)
