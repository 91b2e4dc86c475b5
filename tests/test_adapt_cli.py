"""``planner plan --person`` keeps a plan in the logbook, ``planner plan --adapt`` plans the
next weeks from the log, and ``explain`` / ``report`` ``--person`` show planned against done
(planner/cli/adapt.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner import load_catalog
from planner.logbook import Logbook
from planner.plan import read_plan
from planner.profile_file import load_settings

KEEP = ("plan", "--db", "log.db", "--person", "ana", "--level", "beginner", "--days",
        "mon,wed,fri", "--quiet")  # fmt: skip
START = "2026-12-07"


def assert_exits(result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)


def kept_rows(path="log.db", person="ana"):
    with Logbook.open(path) as book:
        return book.schedule(person), book.profile(person)


def test_person_keeps_the_plan_and_its_profile(here, invoke):
    """--person with --start keeps every row of the plan, dated, and the profile it was
    made for; the CSV written is the same plan."""
    result = invoke(*KEEP, "--start", START, "--csv", "plan.csv")
    assert_exits(result, 0)
    schedule, profile_text = kept_rows()
    frame = pd.read_csv(here / "plan.csv")
    assert len(schedule) == len(frame)
    assert [p.date.isoformat() for p in schedule] == sorted(frame["date"])
    assert 'level = "beginner"' in profile_text
    assert "Kept the plan" not in result.output  # --quiet


def test_person_says_where_the_plan_is_kept(here, invoke):
    """Without --quiet the last lines say where the plan is kept and how to log it."""
    result = invoke(*KEEP[:-1], "--weeks", "1", "--programme", "--start", START)
    assert_exits(result, 0)
    assert (
        "Kept the plan in log.db for ana: record each session with planner log session DATE.\n"
        in result.output
    )


def test_person_needs_dates(here, invoke):
    """A plan kept for logging needs --start: one line, exit 2, nothing kept."""
    result = invoke(*KEEP)
    assert_exits(result, 2)
    assert result.output == (
        "Error: --person keeps the plan for planner log, which needs dates; give --start "
        "YYYY-MM-DD (or start in the profile)\n"
    )
    assert not (here / "log.db").exists()


def test_adapt_without_a_logbook_or_plan_says_what_to_do(here, invoke):
    """--adapt on a missing logbook, and on one with no plan kept for the person."""
    result = invoke("plan", "--adapt", "--db", "log.db", "--person", "ana")
    assert_exits(result, 2)
    assert result.output == "Error: --adapt: no logbook at log.db; plan with --person first\n"
    invoke("log", "add", "2026-12-07", "glute_bridge", "--db", "log.db", "--person", "ana")
    result = invoke("plan", "--adapt", "--db", "log.db", "--person", "ana")
    assert_exits(result, 2)
    assert result.output == (
        "Error: --adapt: no plan kept for ana in log.db; plan with --person ana --start "
        "YYYY-MM-DD first\n"
    )


def test_adapt_and_after_cannot_go_together(here, invoke):
    """--adapt carries on from the log, --after from a plan file: one of them."""
    invoke(*KEEP, "--start", START, "--csv", "plan.csv")
    result = invoke(*KEEP, "--adapt", "--after", "plan.csv")
    assert_exits(result, 2)
    assert result.output == "Error: --adapt and --after cannot be used together; give one of them\n"


def test_adapt_repeats_a_missed_week_with_the_kept_profile(here, invoke):
    """A week with one exercise logged is repeated: the adapted plan starts at week 1 again
    from the profile kept for the person (beginner, mon/wed/fri without options), says why
    in one line a change, keeps every rule and is kept in its turn."""
    invoke(*KEEP, "--start", START)
    invoke("log", "add", START, "glute_bridge", "--sets", "1", "--db", "log.db", "--person", "ana")
    result = invoke("plan", "--adapt", "--db", "log.db", "--person", "ana", "--start",
                    "2026-12-14", "--csv", "next.csv")  # fmt: skip
    assert_exits(result, 0)
    adapted = [line for line in result.output.splitlines() if line.startswith("Adapted: ")]
    assert adapted[0].startswith("Adapted: week 1: repeated, not progressed: ")
    assert adapted[1].startswith("Adapted: week 1 load: at most ")
    schedule, text = kept_rows()
    profile, _ = load_settings("kept", text)
    assert (profile.level, profile.days) == ("beginner", ("mon", "wed", "fri"))
    assert profile.start == dt.date(2026, 12, 14)
    assert min(p.date for p in schedule if p.week == 1) == dt.date(2026, 12, 7)
    assert {p.week for p in schedule if p.date >= dt.date(2026, 12, 14)} == {1, 2, 3, 4}
    plan = read_plan(here / "next.csv", load_catalog(), profile)
    assert sorted({e.week for e in plan.entries}) == [1, 2, 3, 4]


def test_adapt_with_pain_of_7_stops_planning(here, invoke):
    """Pain 7/10 logged stops --adapt with exit 4 and the reason, and keeps nothing new."""
    invoke(*KEEP, "--start", START)
    invoke("log", "add", "2026-12-09", "glute_bridge", "--pain", "7", "--db", "log.db",
           "--person", "ana")  # fmt: skip
    before, _ = kept_rows()
    result = invoke("plan", "--adapt", "--db", "log.db", "--person", "ana", "--start", "2026-12-14")
    assert_exits(result, 4)
    assert result.output == (
        "Error: log: pain 7/10 during it (glute_bridge on 2026-12-09): stop, and see a doctor "
        "or physiotherapist before exercising on. No plan made.\n"
    )
    assert kept_rows()[0] == before


def test_explain_and_report_show_planned_against_done(here, invoke):
    """explain --person adds the planned-against-done table; report --person the same
    section and the pain chart on the HTML page."""
    invoke(*KEEP, "--start", START, "--csv", "plan.csv")
    frame = pd.read_csv(here / "plan.csv")
    first = frame[frame["date"] == START]["exercise_id"].iloc[0]  # Monday's first exercise
    invoke("log", "add", START, first, "--sets", "1", "--pain", "3", "--db", "log.db",
           "--person", "ana")  # fmt: skip
    common = ("plan.csv", "--level", "beginner", "--days", "mon,wed,fri", "--start", START)
    result = invoke("explain", *common, "--db", "log.db", "--person", "ana")
    assert_exits(result, 0)
    table = result.output.split("Planned against done, from the log")[1].splitlines()
    assert table[1].split() == [
        "week", "from", "sessions", "minutes", "done_pct", "planned_au", "done_au",
        "felt_au", "pain", "next_morning",
    ]  # fmt: skip
    assert table[2].split()[:3] == ["1", START, "1/3"]
    assert table[2].split()[-2:] == ["3", "-"]
    result = invoke("report", *common, "--db", "log.db", "--person", "ana", "--html", "r.html")
    assert_exits(result, 0)
    page = (here / "r.html").read_text()
    assert "<h2>Planned against done</h2>" in page
    plain, coaches = page.split('<h2 id="coaches">For coaches</h2>')
    assert "<th>load planned</th><th>load done</th><th>load felt</th>" in plain
    assert "AU" not in plain and "(AU)" in coaches  # the engineering words for coaches only
    assert 'aria-label="Pain logged, 0-10' in page
    assert "an orange diamond at the load logged (session RPE x minutes done)" in page
