"""``planner serve``'s pages through Starlette's test client: every page answers, a bad value
gets the CLI's message word for word, a form without its CSRF token is refused, off loopback
every request needs the start-up token, a second request for a plan joins the solve running,
and a session ticked done lands in the logbook as ``planner log session`` logs it."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import sys

import pytest

pytest.importorskip("starlette", reason="planner serve's extra (pip install -e '.[serve]')")
from starlette.testclient import TestClient  # noqa: E402

from planner.check import check_plan  # noqa: E402
from planner.logbook import Logbook  # noqa: E402
from planner.plan import read_plan  # noqa: E402
from planner.profile import Profile  # noqa: E402
from planner.screening import QUESTIONS  # noqa: E402
from planner.settings import DAYS  # noqa: E402
from planner.web import Site, create_app  # noqa: E402
from planner.web.app import CSRF_COOKIE, loopback  # noqa: E402

TODAY = dt.date.today()
# Short solves: one week on today's weekday and two days apart from it, a small budget.
FORM = {
    "level": "beginner",
    "days": [DAYS[(TODAY.weekday() + k) % 7] for k in (0, 2, 4)],
    "minutes": "20",
    "start": TODAY.isoformat(),
    "weeks": "1",
}
BUDGET = 0.5


def post(client: TestClient, url: str, data: dict, **extra):
    """A form POST with the page's CSRF token, as the browser sends it."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/screen")
    return client.post(url, data={**data, "csrf": client.cookies[CSRF_COOKIE]}, **extra)


def screened(client: TestClient):
    return post(client, "/screen", {q.id: "n" for q in QUESTIONS}, follow_redirects=False)


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path / "log.db", budget=BUDGET)


@pytest.fixture
def client(site) -> TestClient:
    with TestClient(create_app(site)) as client:
        yield client


@pytest.fixture
def planned(client, site) -> TestClient:
    """Screened, profiled and the plan solved."""
    screened(client)
    answer = post(client, "/profile", FORM, follow_redirects=False)
    assert answer.status_code == 303
    site.shown().future.result(timeout=120)
    return client


def test_screening_comes_first(client):
    """With no screening on record every page leads to it; answering no to all goes on."""
    assert client.get("/", follow_redirects=False).headers["location"] == "/screen"
    assert client.get("/profile", follow_redirects=False).headers["location"] == "/screen"
    answer = screened(client)
    assert (answer.status_code, answer.headers["location"]) == (303, "/profile")


def test_a_red_flag_stops_planning(client):
    """A yes to a red flag shows the verdict and no way on to the profile."""
    answers = {q.id: "n" for q in QUESTIONS}
    answers[next(q.id for q in QUESTIONS if q.kind == "red_flag")] = "y"
    answer = post(client, "/screen", answers)
    assert answer.status_code == 200
    assert 'class="stop"' in answer.text
    assert client.get("/profile", follow_redirects=False).headers["location"] == "/screen"


def test_unanswered_question_is_named(client):
    """A question left unanswered is refused, naming it."""
    answer = post(client, "/screen", {})
    assert answer.status_code == 400
    assert "Error: question 1: answer y or n." in answer.text


@pytest.mark.parametrize(
    ("field", "value", "option"),
    [("minutes", "5", "--minutes"), ("minutes", "abc", "--minutes"), ("exclude", "nope", None)],
)
def test_bad_input_gets_the_cli_message(client, invoke, field, value, option):
    """A bad form value is refused (400) with the message ``planner plan`` gives."""
    screened(client)
    answer = post(client, "/profile", {**FORM, field: value})
    cli = invoke("plan", f"--{field}", value, "--weeks", "1")
    assert cli.exit_code == 2
    message = cli.output.strip().splitlines()[-1]
    assert message.startswith("Error: ")
    assert answer.status_code == 400
    shown = re.search(r'<p class="error" role="alert">(.*?)</p>', answer.text).group(1)
    assert html.unescape(shown) == message


def test_every_page_answers(planned):
    """Each page and download of a solved plan answers 200."""
    for url in ("/screen", "/profile", "/plan", "/today", "/plan/progress"):
        assert planned.get(url).status_code == 200, url
    for fmt in ("csv", "ics", "json", "html"):
        answer = planned.get(f"/plan/download/{fmt}")
        assert answer.status_code == 200, fmt
        assert "attachment" in answer.headers["content-disposition"]
    page = planned.get("/plan").text
    assert 'id="load-chart"' in page and 'id="balance-chart"' in page
    assert "/static/style.css" in page and "https://" not in page
    assert planned.get("/static/planner.js").status_code == 200


def test_downloaded_csv_passes_the_validator(planned, site, tmp_path):
    """The CSV download reads back as a plan with no rule broken."""
    path = tmp_path / "plan.csv"
    path.write_bytes(planned.get("/plan/download/csv").content)
    profile = Profile.for_level("beginner", days=tuple(FORM["days"]), minutes=20, weeks=1)
    assert check_plan(read_plan(path, site.catalog, profile)) == []


def test_no_download_outside_the_table(planned):
    """A format not in the table, or a path, is not found: no request names a file."""
    assert planned.get("/plan/download/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert planned.get("/plan/download/md").status_code == 404
    assert planned.get("/static/../app.py").status_code == 404


def test_session_ticked_done_is_logged(planned, site):
    """Today's checklist logs the day: ticked exercises at their dose, the rest skipped,
    the session's RPE and pain."""
    page = planned.get("/today").text
    ids = re.findall(r'name="done" value="([^"]+)"', page)
    assert ids, "today is a planned day"
    answer = post(planned, "/today", {"done": ids[1:], "rpe": "5", "pain": "2"})
    assert answer.status_code == 200
    assert f"Logged {TODAY}: {len(ids) - 1} of {len(ids)} exercises done." in answer.text
    with Logbook.open(site.db) as book:
        entries = book.entries(site.person, TODAY, TODAY)
    assert (entries[0].session_rpe, entries[0].pain_during) == (5, 2)
    assert [e.skipped for e in entries[1:]] == [True] + [False] * (len(ids) - 1)


def test_session_rpe_out_of_range_gets_the_cli_message(planned, invoke):
    """An RPE of 11 is refused with ``planner log session``'s message."""
    answer = post(planned, "/today", {"done": [], "rpe": "11"})
    cli = invoke("log", "session", TODAY.isoformat(), "--rpe", "11")
    assert answer.status_code == 400
    shown = re.search(r'<p class="error" role="alert">(.*?)</p>', answer.text).group(1)
    assert html.unescape(shown) == cli.output.strip().splitlines()[-1]


def test_form_without_csrf_is_refused(client):
    """A POST without the CSRF token, or with another one, is refused (403)."""
    client.get("/screen")
    answers = {q.id: "n" for q in QUESTIONS}
    assert client.post("/screen", data=answers).status_code == 403
    assert client.post("/screen", data={**answers, "csrf": "forged"}).status_code == 403


def test_token_required_off_loopback(tmp_path):
    """With a token (a non-loopback host) a request without it is refused; ?token= once
    sets the cookie that lets the next ones in."""
    site = Site(tmp_path / "log.db", token="secret-token")
    with TestClient(create_app(site)) as client:
        assert client.get("/screen").status_code == 403
        assert client.get("/screen?token=wrong").status_code == 403
        assert client.get("/screen?token=secret-token").status_code == 200
        assert client.get("/screen").status_code == 200
    assert loopback("127.0.0.1") and loopback("::1") and loopback("localhost")
    assert not loopback("0.0.0.0") and not loopback("192.168.1.5")


def test_second_request_joins_the_running_solve(site, client):
    """Two requests for the same plan make one job: the second joins the first."""
    screened(client)
    profile = Profile.for_level("beginner", days=("mon", "wed"), weeks=1, start=TODAY)
    from planner.profile import SolverOptions

    first = site.plan(profile, SolverOptions(budget=BUDGET))
    second = site.plan(profile, SolverOptions(budget=BUDGET))
    assert second is first
    first.future.result(timeout=120)
    assert client.get("/plan/progress").json()["state"] == "done"


def test_no_plan_is_said_on_the_page(client, site):
    """Settings no plan fits (three days in a row: no 48 h between strength days) fail the
    job, and the plan page says why in the solver's words."""
    screened(client)
    post(client, "/profile", {**FORM, "days": ["fri", "sat", "sun"]})
    job = site.shown()
    job.future.exception(timeout=120)
    assert job.state == "failed"
    assert job.error.startswith("no week fits these settings")
    assert f"Error: {job.error}" in html.unescape(client.get("/plan").text)


def first_exercise(site: Site) -> tuple[int, str, str]:
    """(week, day, exercise id) of the shown plan's first entry."""
    entry = site.shown().future.result().plan.entries[0]
    return entry.week, DAYS[entry.day], entry.exercise.id


def test_swap_lists_the_alternatives(planned, site):
    """The swap page ranks substitutes for an exercise of the plan; one not in it is named."""
    week, day, exercise = first_exercise(site)
    answer = planned.get(f"/swap?exercise={exercise}&week={week}&day={day}")
    assert answer.status_code == 200
    assert 'name="replacement"' in answer.text
    refused = planned.get(f"/swap?exercise=nope&week={week}&day={day}")
    assert refused.status_code == 400
    assert "exercise &#39;nope&#39; is not in the plan" in refused.text


def test_swap_resolves_through_planner_revision(planned, site, monkeypatch):
    """Choosing a replacement re-solves the plan through planner.revision.swap as a job, with
    the plan's own options, and the plan page shows the new plan with the diff."""
    import types

    week, day, exercise = first_exercise(site)
    before = site.shown().future.result().plan
    calls = []

    def swap(plan, catalog, week, day, exercise, replacement=None, options=None):
        calls.append((plan, week, day, exercise, replacement, options))
        return types.SimpleNamespace(plan=plan, diff=lambda: f"- {exercise}\n+ {replacement}")

    monkeypatch.setattr("planner.web.app.swap_plan", swap)
    data = {"week": str(week), "day": day, "exercise": exercise, "replacement": "bird_dog"}
    answer = post(planned, "/swap", data, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/plan")
    site.shown().future.result(timeout=60)
    assert calls == [(before, week, day, exercise, "bird_dog", before.options)]
    assert f"- {exercise}\n+ bird_dog" in html.unescape(planned.get("/plan").text)


def test_serve_refuses_a_file_that_is_not_a_logbook(invoke, here):
    """planner serve --db naming a file that is not a planner database: exit 2, one line."""
    (here / "notes.db").write_text("not a database\n", "utf-8")
    result = invoke("serve", "--db", "notes.db")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --db notes.db is not a planner database (")


def test_serve_refuses_a_bad_port(invoke):
    """--port outside 0-65535 is refused by click before anything starts."""
    result = invoke("serve", "--port", "70000")
    assert result.exit_code == 2
    assert "'--port': 70000 is not in the range 0<=x<=65535." in result.output


def test_the_command_line_does_not_load_the_web_stack():
    """Importing the CLI (every command but serve) loads neither Starlette nor uvicorn."""
    code = (
        "import sys, planner.cli; web = ('planner.web', 'starlette', 'uvicorn', 'jinja2'); "
        "print(sorted(m for m in sys.modules if m.startswith(web)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_next_weeks_adapted_from_the_log(planned, site):
    """After a session logged, 'plan the next weeks from my log' solves them as
    ``planner plan --adapt`` does (from today: the week kept began today), keeps the plan, and
    the plan page says what the log changed."""
    ids = re.findall(r'name="done" value="([^"]+)"', planned.get("/today").text)
    post(planned, "/today", {"done": ids, "rpe": "4", "pain": "1"})
    answer = post(planned, "/adapt", {}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/plan")
    job = site.shown()
    solved = job.future.result(timeout=120)
    assert solved.changes and all(c.startswith("Adapted: ") for c in solved.changes)
    page = html.unescape(planned.get("/plan").text)
    assert "What the log changed" in page and solved.changes[0] in page
    with Logbook.open(site.db) as book:
        assert book.conn.execute("SELECT count(*) FROM plan").fetchone()[0] == 2


def test_swap_with_planner_revision(planned, site):
    """planner.revision re-solves the plan with the replacement chosen: the plan page shows
    the diff, the new plan passes the validator and is kept; a replacement already in that
    session is refused with planner swap's message."""
    week, day, exercise = first_exercise(site)
    plan = site.shown().future.result().plan
    session = {e.exercise.id for e in plan.entries if e.week == week and DAYS[e.day] == day}
    page = planned.get(f"/swap?exercise={exercise}&week={week}&day={day}").text
    choices = re.findall(r'name="replacement" value="([^"]+)"', page)
    data = {"week": str(week), "day": day, "exercise": exercise}
    post(planned, "/swap", {**data, "replacement": choices[0]})
    swapped = site.shown().future.result(timeout=120)
    assert check_plan(swapped.plan) == []
    assert swapped.diff and f"+ {site.catalog[choices[0]].name} (" in swapped.diff
    assert html.escape(swapped.diff.splitlines()[0]) in planned.get("/plan").text
    other = sorted(session - {exercise})[0]
    post(planned, "/swap", {**data, "exercise": choices[0], "replacement": other})
    job = site.shown()
    job.future.exception(timeout=120)
    assert job.error == f"--with {other!r} is already in that session"
    assert f"Error: {job.error}" in html.unescape(planned.get("/plan").text)
