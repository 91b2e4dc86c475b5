"""Red-flag screening: the questions as data, each verdict and its exact message, `planner
screen` driven from a pipe, the [screening] table in a profile file, and `plan` / `explain`
refusing (exit 4), reminding, or planning."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from planner import Profile
from planner.cli import NOT_ADVICE
from planner.profile_file import ProfileFileError, dump_profile, load_profile
from planner.screening import (
    BY_ID,
    GROUPS,
    KINDS,
    QUESTIONS,
    Outcome,
    Screening,
    ScreeningError,
    parse_answer,
    screen_verdict,
)

ALL_NO = {q.id: False for q in QUESTIONS}
REMINDER = "Reminder: no red-flag screening on record; run planner screen --profile FILE once.\n"
EMERGENCY = (
    "screening: yes to saddle_numbness (cauda-equina sign): emergency — seek care today (an "
    "emergency department or urgent care); do not exercise. No plan made."
)
RED_FLAG = (
    "screening: yes to weight_loss (possible cancer): a red flag; see a doctor before "
    "exercising. No plan made."
)
CLEARANCE = (
    "screening: yes to chest_pain (PAR-Q+ question): get medical clearance first, then record it "
    "as medical_clearance = true in the profile's [screening] table. No plan made."
)
# A quick week, so that each plan below solves in a fraction of a second.
WEEK = 'days = ["mon", "wed", "fri"]\nweeks = 1\ntime_limit = 20.0\n'


def answers(*yes: str, clearance: bool = False) -> Screening:
    return Screening({**ALL_NO, **dict.fromkeys(yes, True)}, medical_clearance=clearance)


def screened_file(here, *yes: str, clearance: bool = False) -> str:
    """me.toml: the quick week with every question answered, yes to ``yes``."""
    lines = [f"{q} = {'true' if q in yes else 'false'}" for q in BY_ID]
    lines.append(f"medical_clearance = {'true' if clearance else 'false'}")
    (here / "me.toml").write_text(WEEK + "[screening]\n" + "\n".join(lines) + "\n")
    return "me.toml"


def pipe(*yes: str, then: str = "") -> str:
    """One answer a line, in question order: y for the ids in ``yes``, n for the rest."""
    return "".join("y\n" if q.id in yes else "n\n" for q in QUESTIONS) + then


# --- the questions as data ------------------------------------------------------------------


def test_questions_are_data_with_unique_ids_known_groups_and_kinds():
    """Every question has a unique id, a known group and kind, and text that asks."""
    assert len(BY_ID) == len(QUESTIONS)
    for q in QUESTIONS:
        assert q.group in GROUPS and q.kind in KINDS
        assert q.text.endswith("?")


def test_red_flags_and_clearance_questions_cover_the_evidence_groups():
    """Items 1-5 of evidence.md are red flags, item 6 asks for clearance."""
    kinds = {q.group: q.kind for q in QUESTIONS}
    for group in ("cauda_equina", "fracture", "cancer", "infection", "inflammatory"):
        assert kinds[group] == "red_flag"
    for group in ("injury", "nerve", "pregnancy", "par_q"):
        assert kinds[group] == "clearance"
    assert len([q for q in QUESTIONS if q.group == "par_q"]) == 5


# --- verdicts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("screening", "outcome", "ids"),
    [
        (None, Outcome.REMINDER, tuple(BY_ID)),
        (answers(), Outcome.OK, ()),
        (answers("saddle_numbness"), Outcome.EMERGENCY, ("saddle_numbness",)),
        (
            answers("walking_trouble", "fever", "chest_pain"),
            Outcome.EMERGENCY,
            ("walking_trouble",),
        ),
        (answers("fever", "chest_pain"), Outcome.RED_FLAG, ("fever",)),
        (answers("cancer_history", clearance=True), Outcome.RED_FLAG, ("cancer_history",)),
        (answers("chest_pain", "pregnancy"), Outcome.CLEARANCE, ("pregnancy", "chest_pain")),
        (answers("chest_pain", clearance=True), Outcome.OK, ()),
        (Screening({"fever": False}), Outcome.REMINDER, tuple(q for q in BY_ID if q != "fever")),
    ],
    ids=[
        "never",
        "all-no",
        "cauda",
        "cauda-first",
        "red-flag",
        "clearance-no-help",
        "clearance",
        "cleared",
        "partial",
    ],
)
def test_verdict_outcome_and_the_answers_behind_it(screening, outcome, ids):
    """The worst answer decides: emergency, red flag, clearance needed, reminder, ok; medical
    clearance lifts only a clearance yes."""
    verdict = screen_verdict(screening)
    assert verdict.outcome is outcome
    assert tuple(q.id for q in verdict.questions) == ids
    assert verdict.plans is (outcome in (Outcome.OK, Outcome.REMINDER))


@pytest.mark.parametrize(
    ("screening", "message"),
    [
        (None, REMINDER.rstrip("\n")),
        (answers("saddle_numbness"), EMERGENCY),
        (answers("weight_loss"), RED_FLAG),
        (answers("chest_pain"), CLEARANCE),
        (answers(), "screening: no red flags."),
        (
            Screening({q: False for q in tuple(BY_ID)[:-2]}),
            "Reminder: 2 screening question(s) unanswered (bone_joint_problem, "
            "heart_medication); run planner screen --profile FILE.",
        ),
    ],
    ids=["reminder", "emergency", "red-flag", "clearance", "ok", "partial"],
)
def test_verdict_message(screening, message):
    """Each verdict's one line says why and what to do."""
    assert screen_verdict(screening).message == message


def test_screening_refuses_unknown_questions_and_non_booleans():
    """A Screening names an unknown id (with a near match) or a non-boolean answer."""
    with pytest.raises(ScreeningError) as err:
        Screening({"fevr": True})
    assert str(err.value) == "screening: 'fevr' is not a screening question; did you mean 'fever'?"
    with pytest.raises(ScreeningError) as err:
        Screening({"fever": "no"})
    assert (err.value.key, str(err.value)) == (
        "screening.fever",
        "screening.fever: 'no' is not true or false",
    )


def test_screening_keeps_question_order_and_is_hashable():
    """Answers are stored in question order, so equal answers compare and hash equal."""
    one = Screening({"fever": True, "saddle_numbness": False})
    two = Screening({"saddle_numbness": False, "fever": True})
    assert one == two and hash(one) == hash(two)
    assert one.answers == (("saddle_numbness", False), ("fever", True))
    assert hash(Profile.for_level("beginner", screening=one))


# --- the profile file -----------------------------------------------------------------------


def test_round_trip_with_conditions_times_and_screening(here):
    """A profile with conditions, times and screening answers survives dump and load."""
    profile = Profile.for_level(
        "intermediate",
        conditions=frozenset({"knee_pain", "back_pain"}),
        wake_time="6:15",
        session_time="06:45",
        screening=answers("chest_pain", clearance=True),
    )
    (here / "me.toml").write_text(dump_profile(profile), encoding="utf-8")
    assert load_profile("me.toml") == profile
    data = tomllib.loads((here / "me.toml").read_text())
    assert data["conditions"] == ["back_pain", "knee_pain"]
    assert (data["wake_time"], data["session_time"]) == ("06:15", "06:45")
    assert data["screening"] == {**ALL_NO, "chest_pain": True, "medical_clearance": True}


def test_hand_written_partial_table_loads(here):
    """A hand-written [screening] table may answer some questions only."""
    (here / "me.toml").write_text("[screening]\nfever = false\nmedical_clearance = true\n")
    assert load_profile("me.toml").screening == Screening({"fever": False}, True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[screening]\nfevr = true\n",
            "me.toml: screening: 'fevr' is not a screening question; did you mean 'fever'?",
        ),
        (
            '[screening]\nfever = "no"\n',
            "me.toml: screening.fever: expected true or false, got 'no'",
        ),
        (
            "[screening]\nmedical_clearance = 1\n",
            "me.toml: screening.medical_clearance: expected true or false, got 1",
        ),
        (
            "[screening]\nfever = false\nminutes = 20\n",
            "me.toml: screening: 'minutes' is not a screening question; move it above the "
            "[screening] table",
        ),
        ("screening = true\n", "me.toml: screening: expected a table of answers, got true"),
    ],
    ids=["unknown", "not-bool", "clearance-not-bool", "key-below", "not-table"],
)
def test_bad_screening_table_is_one_line(here, invoke, content, message):
    """A bad [screening] table is refused with one line naming the file and the answer."""
    (here / "me.toml").write_text(content)
    with pytest.raises(ProfileFileError) as err:
        load_profile("me.toml")
    assert str(err.value) == message
    result = invoke("plan", "--profile", "me.toml")
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


# --- planner screen -------------------------------------------------------------------------


def test_screen_from_a_pipe_writes_the_table_and_plan_reads_it(here, invoke):
    """Answers piped one a line create the profile from the preset with a [screening] table
    of them; `plan --profile` then plans without a reminder."""
    result = invoke("screen", "--profile", "me.toml", input=pipe())
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "No red flags on record: planner plan --profile me.toml will plan.",
        NOT_ADVICE,
    ]
    assert "Wrote 27 answers to the [screening] table of me.toml." in result.stdout
    data = tomllib.loads((here / "me.toml").read_text())
    assert data["screening"] == {**ALL_NO, "medical_clearance": False}
    assert load_profile("me.toml") == Profile.for_level("beginner", screening=answers())
    planned = invoke("plan", "--profile", "me.toml", "--days", "mon,wed,fri", "--time-limit", "20")
    assert planned.exit_code == 0, planned.output
    assert planned.stderr == ""
    assert planned.stdout.splitlines()[-1] == NOT_ADVICE


def test_second_screen_keeps_the_files_settings_and_replaces_the_answers(here, invoke):
    """Screening again reads the existing file: its settings stay, the new answers replace
    the old ones."""
    (here / "me.toml").write_text('level = "intermediate"\nminutes = 40\n')
    assert invoke("screen", "--profile", "me.toml", input=pipe()).exit_code == 0
    result = invoke("screen", "--profile", "me.toml", input=pipe("fever"))
    assert result.exit_code == 4, result.output
    profile = load_profile("me.toml")
    assert (profile.level, profile.minutes) == ("intermediate", 40)
    assert profile.screening == answers("fever")


def test_screen_keeps_the_persons_comments_and_key_order(here, invoke):
    """`screen` on an existing file changes only its [screening] table: a hand-written
    comment, the key order and the spacing elsewhere stay as the person wrote them."""
    mine = (
        "# My own note: physio says keep sessions short.\n"
        'level = "intermediate"  # since March\n'
        "\n"
        "minutes = 25\n"
        'days = ["tue", "sat"]\n'
        "sessions = 2\n"
        "seed = 3\n"
    )
    (here / "me.toml").write_text(mine)
    assert invoke("screen", "--profile", "me.toml", input=pipe()).exit_code == 0
    text = (here / "me.toml").read_text()
    assert text.startswith(mine)
    assert tomllib.loads(text[len(mine) :])["screening"] == {**ALL_NO, "medical_clearance": False}
    assert invoke("screen", "--profile", "me.toml", input=pipe("fever")).exit_code == 4
    again = (here / "me.toml").read_text()
    assert again.startswith(mine)
    assert load_profile("me.toml").screening == answers("fever")
    assert again.count("[screening]") == 1


def test_screen_of_an_init_file_reads_as_if_written_with_the_answers(here, invoke):
    """A file from `profile init` gets its table where the "(none yet ...)" line was: the
    same text `dump_profile` writes for the profile with the answers."""
    (here / "me.toml").write_text(dump_profile(Profile.for_level("advanced")))
    assert (
        invoke("screen", "--profile", "me.toml", input=pipe("pregnancy", then="y\n")).exit_code == 0
    )
    expected = Profile.for_level("advanced", screening=answers("pregnancy", clearance=True))
    assert (here / "me.toml").read_text() == dump_profile(expected)


@pytest.mark.parametrize(
    "content",
    ["screening = { fever = true }\nminutes = 20\n", "minutes = 20\nscreening.fever = true\n"],
    ids=["inline-table", "dotted-keys"],
)
def test_screen_replaces_an_inline_screening_table(here, invoke, content):
    """Answers written as an inline table or dotted keys become one [screening] table, and
    the keys around them stay top-level keys."""
    (here / "me.toml").write_text(content)
    assert invoke("screen", "--profile", "me.toml", input=pipe()).exit_code == 0
    data = tomllib.loads((here / "me.toml").read_text())
    assert data == {"minutes": 20, "screening": {**ALL_NO, "medical_clearance": False}}


def test_screen_level_sets_the_preset_of_a_new_file(here, invoke):
    """--level picks the preset a new file starts from."""
    result = invoke("screen", "--profile", "new.toml", "--level", "advanced", input=pipe())
    assert result.exit_code == 0
    assert load_profile("new.toml").level == "advanced"


@pytest.mark.parametrize(
    ("yes", "message"),
    [(("saddle_numbness",), EMERGENCY), (("weight_loss",), RED_FLAG)],
    ids=["emergency", "red-flag"],
)
def test_screen_with_a_red_flag_records_it_and_exits_4(here, invoke, yes, message):
    """A red-flag yes is written to the file, and `screen` ends with the verdict, exit 4."""
    result = invoke("screen", "--profile", "me.toml", input=pipe(*yes))
    assert result.exit_code == 4, result.output
    assert result.stdout.splitlines()[-1] == message
    assert load_profile("me.toml").screening == answers(*yes)


@pytest.mark.parametrize("cleared", [True, False], ids=["cleared", "not-cleared"])
def test_screen_asks_for_clearance_after_a_clearance_yes(here, invoke, cleared):
    """After a clearance yes, one more question records whether a doctor has cleared you."""
    then = "y\n" if cleared else "n\n"
    result = invoke("screen", "--profile", "me.toml", input=pipe("pregnancy", then=then))
    assert "Has a doctor cleared you to exercise, knowing the answers you gave?" in result.stdout
    assert result.exit_code == (0 if cleared else 4), result.output
    assert load_profile("me.toml").screening == answers("pregnancy", clearance=cleared)


def test_screen_without_a_red_flag_asks_no_clearance_question(here, invoke):
    """With every answer no there is no clearance question."""
    result = invoke("screen", "--profile", "me.toml", input=pipe())
    assert "cleared" not in result.stdout


def test_screen_cut_short_writes_nothing(here, invoke):
    """Input that ends before the last question is bad input: exit 2, one line naming the
    question it ended at, and no file."""
    result = invoke("screen", "--profile", "me.toml", input="n\n" * 5)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: question 6: the input ended before a y or n; nothing written.\n",
    )
    assert not (here / "me.toml").exists()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("y", True),
        ("Y", True),
        ("yes", True),
        (" YES ", True),
        ("n", False),
        ("N", False),
        ("no", False),
        ("No", False),
        ("", None),
        ("   ", None),
        ("xyz", None),
        ("yep", None),
        ("0", None),
    ],
)
def test_parse_answer_takes_y_yes_n_no_in_any_case_and_nothing_else(text, answer):
    """Only y, yes, n and no (any case) are answers; a blank line is not a no."""
    assert parse_answer(text) is answer


def test_screen_asks_again_after_a_blank_line(here, invoke):
    """A blank answer records nothing: the question is asked again with a one-line hint, and
    the answer that follows counts."""
    result = invoke("screen", "--profile", "me.toml", input="\n" + pipe("saddle_numbness"))
    assert result.exit_code == 4, result.output
    assert result.stdout.count("\n1/27. ") == 2
    assert result.stdout.count("Answer y or n.\n") == 1
    assert load_profile("me.toml").screening == answers("saddle_numbness")


def test_screen_takes_yes_and_no_in_any_case(here, invoke):
    """YES, No, y and N are answers like y and n."""
    replies = [
        "YES" if q.id == "fever" else ("No", "n", "N")[i % 3] for i, q in enumerate(QUESTIONS)
    ]
    result = invoke("screen", "--profile", "me.toml", input="\n".join(replies) + "\n")
    assert result.exit_code == 4, result.output
    assert "Answer y or n." not in result.stdout
    assert load_profile("me.toml").screening == answers("fever")


@pytest.mark.parametrize(
    ("before", "replies"),
    [("", "\n" * 27), ("n\n" * 2, "\n \nmaybe\n"), ("", "xyz\n" * 100)],
    ids=["enter-27-times", "blank-blank-maybe", "yes-xyz"],
)
def test_three_invalid_answers_stop_with_exit_2_and_write_nothing(here, invoke, before, replies):
    """The third answer to one question that is neither yes nor no stops: exit 2, one line
    naming the question; a new file is not made."""
    result = invoke("screen", "--profile", "me.toml", input=before + replies)
    number = before.count("\n") + 1
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: question {number}: no y or n after 3 answers; nothing written.\n",
    )
    assert result.stdout.count("Answer y or n.\n") == 2
    assert not (here / "me.toml").exists()


def test_invalid_answers_leave_an_existing_file_byte_for_byte(here, invoke):
    """Screening stopped by invalid answers leaves an existing profile exactly as it was."""
    mine = b"# mine\r\nminutes = 25  # short\r\n[screening]\r\nfever = true\r\n"
    (here / "me.toml").write_bytes(mine)
    result = invoke("screen", "--profile", "me.toml", input="n\n" * 26 + "?\n" * 3)
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: question 27: no y or n after 3 answers; nothing written.\n",
    )
    assert (here / "me.toml").read_bytes() == mine


@pytest.mark.parametrize(
    ("then", "message"),
    [
        ("\nlater\n\n", "no y or n after 3 answers"),
        ("\n", "the input ended before a y or n"),
    ],
    ids=["invalid", "ended"],
)
def test_clearance_question_needs_a_y_or_n_too(here, invoke, then, message):
    """The clearance question after a clearance yes has no default either: three invalid
    answers, or the end of the input, stop with exit 2 and nothing written."""
    result = invoke("screen", "--profile", "me.toml", input=pipe("pregnancy", then=then))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: clearance question: {message}; nothing written.\n",
    )
    assert not (here / "me.toml").exists()


def test_ctrl_c_at_a_question_exits_130_and_writes_nothing(here, invoke, monkeypatch):
    """Ctrl-C at a question is an interruption (exit 130), not bad input."""

    def interrupted(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr("builtins.input", interrupted)
    result = invoke("screen", "--profile", "me.toml")
    assert (result.exit_code, result.stderr) == (130, "\nInterrupted: nothing written.\n")
    assert not (here / "me.toml").exists()


def test_screen_from_a_real_pipe(here):
    """`printf 'n\\n...' | planner screen` as a process: the answers come from the pipe."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", "screen", "--profile", "me.toml"],
        input=pipe("fever"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4, done.stderr
    assert done.stderr == ""
    assert load_profile("me.toml").screening == answers("fever")


def test_screen_refuses_a_bad_profile_file(here, invoke):
    """An existing file that does not load is named; exit 2 and the file is untouched."""
    (here / "me.toml").write_text("minutes = 90\n")
    result = invoke("screen", "--profile", "me.toml", input=pipe())
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: me.toml: minutes: 90 is out of range; allowed: 10 to 60\n",
    )
    assert (here / "me.toml").read_text() == "minutes = 90\n"


def test_screen_needs_a_profile(invoke):
    """`screen` without --profile is a usage error (exit 2)."""
    result = invoke("screen")
    assert result.exit_code == 2
    assert "Missing option '--profile'" in result.stderr


# --- plan and explain act on the answers ----------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "message"),
    [
        (("saddle_numbness",), EMERGENCY),
        (("weight_loss",), RED_FLAG),
        (("chest_pain",), CLEARANCE),
    ],
    ids=["emergency", "red-flag", "clearance"],
)
@pytest.mark.parametrize("command", ["plan", "explain"])
def test_plan_and_explain_refuse_with_exit_4(here, invoke, command, yes, message):
    """A red flag, or a clearance yes without clearance, stops planning: exit 4, one line."""
    result = invoke(command, "--profile", screened_file(here, *yes))
    assert (result.exit_code, result.stdout, result.stderr) == (4, "", f"Error: {message}\n")


def test_cauda_equina_says_emergency_seek_care_today(here, invoke):
    """Every cauda-equina sign says "emergency — seek care today"."""
    for q in (q for q in QUESTIONS if q.group == "cauda_equina"):
        result = invoke("plan", "--profile", screened_file(here, q.id))
        assert result.exit_code == 4
        assert "emergency — seek care today" in result.stderr


def test_clearance_on_record_plans(here, invoke):
    """A clearance yes with medical_clearance = true plans (exit 0), with no reminder."""
    result = invoke("plan", "--profile", screened_file(here, "chest_pain", clearance=True))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == NOT_ADVICE


def test_red_flag_is_not_lifted_by_clearance(here, invoke):
    """medical_clearance = true does not lift a red flag."""
    result = invoke("plan", "--profile", screened_file(here, "fever", clearance=True))
    assert result.exit_code == 4


def test_plan_without_answers_reminds_on_stderr_once(here, invoke):
    """With no screening on record, plan plans and prints the reminder to stderr, once; the
    not-medical-advice line is said once, last."""
    (here / "me.toml").write_text(WEEK)
    result = invoke("plan", "--profile", "me.toml")
    assert result.exit_code == 0, result.output
    assert result.stderr == REMINDER
    assert result.stdout.splitlines()[-1] == NOT_ADVICE
    assert result.stdout.count(NOT_ADVICE) == 1


def test_plan_quiet_leaves_the_reminder_out(here, invoke):
    """--quiet suppresses the reminder."""
    (here / "me.toml").write_text(WEEK)
    result = invoke("plan", "--profile", "me.toml", "--quiet", "--csv", "week.csv")
    assert (result.exit_code, result.output) == (0, "")


def test_plan_with_partial_answers_names_the_unanswered(here, invoke):
    """A hand-written table that skips questions plans, reminding which are unanswered."""
    (here / "me.toml").write_text(
        WEEK + "[screening]\n" + "".join(f"{q} = false\n" for q in ALL_NO if q != "fever")
    )
    result = invoke("plan", "--profile", "me.toml")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Reminder: 1 screening question(s) unanswered (fever); run planner screen --profile FILE.\n"
    )


def test_explain_of_a_plan_file_does_not_screen(here, invoke):
    """`explain PLAN.csv` only explains a plan already made, so it does not screen."""
    (here / "me.toml").write_text(WEEK)
    assert invoke("plan", "--profile", "me.toml", "-q", "--csv", "week.csv").exit_code == 0
    screened_file(here, "fever")
    result = invoke("explain", "week.csv", "--profile", "me.toml")
    assert result.exit_code == 0, result.output
