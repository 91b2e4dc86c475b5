"""The routes of ``planner serve``: each page reads its form through the command line's own
options (so a bad value gets the message the CLI gives), makes one library call, and renders a
template. Plans are solved off the request thread (``planner.web.jobs``) and kept in the
logbook, as ``planner plan --person`` keeps them.

Safe by default: off the loopback address every request needs the token printed at start-up
(``?token=`` once, then a cookie); every form carries a CSRF token matched against a cookie;
no request names a file: downloads are made in memory, the logbook is the one given at
start-up."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import click
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from planner.adaptation import AdaptationStop, adapt, next_start
from planner.alternatives import alternatives
from planner.catalog import CONDITIONS, LEVELS, SHIPPED, Catalog, load_catalog
from planner.cli.adapt import Keeping
from planner.cli.log import SCALE
from planner.cli.options import profile_options
from planner.export import EXPORTS, exports_of
from planner.logbook import DEFAULT_PERSON, Logbook, session_entries
from planner.plan import Entry, Plan, describe_dose
from planner.profile import Profile, SolverOptions
from planner.profile_file import dump_profile, load_settings
from planner.ramp import NO_HISTORY, History
from planner.report import PAGE_CSS, Report, build_report, plan_sections
from planner.revision import swap as swap_plan
from planner.screening import NOT_ADVICE, QUESTIONS, Screening, screen_verdict
from planner.settings import DAYS
from planner.web.jobs import Job, Jobs

TOKEN_COOKIE, CSRF_COOKIE, CSRF_FIELD = "planner_token", "planner_csrf", "csrf"
# Downloads by name; each is a format of planner.export.EXPORTS made in memory.
DOWNLOADS = {"csv": "text/csv", "ics": "text/calendar", "json": "application/json"}
REPORT_FORMAT = "html"


def loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost: only this machine can reach the app."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Solved:
    """A plan the app solved, what the log changed when it was adapted, and its report and
    the plan page's part of it, made once on the solve's thread (the charts take a good
    part of a second to draw; a page load should not)."""

    plan: Plan
    report: Report
    sections: str
    changes: tuple[str, ...] = ()
    diff: str = ""  # after a swap: what changed (planner.revision's Revision.diff)

    @classmethod
    def of(cls, plan: Plan, catalog: Catalog, changes: tuple[str, ...] = (), diff: str = ""):
        report = build_report(plan, catalog)
        return cls(plan, report, plan_sections(report), changes, diff)


@dataclass
class Site:
    """What the app serves: the logbook file (the data directory's one file), the catalogue,
    the token (None on loopback), the solves, and the plan shown (a job's key)."""

    db: Path
    token: str | None = None
    catalog_path: str = str(SHIPPED)
    budget: float | None = None  # the solver budget, for tests and benchmarks; None: default
    person: str = DEFAULT_PERSON
    jobs: Jobs = field(default_factory=Jobs)
    current: object = None

    def __post_init__(self) -> None:
        self.catalog: Catalog = load_catalog(self.catalog_path)

    def book(self) -> Logbook:
        return Logbook.open(self.db)

    def kept_profile(self) -> Profile | None:
        """The profile kept for the person in the logbook, or None."""
        if not self.db.exists():
            return None
        with self.book() as book:
            text = book.profile(self.person)
        if text is None:
            return None
        return load_settings(f"{self.db} (the profile kept for {self.person})", text)[0]

    def keep_profile(self, profile: Profile) -> None:
        with self.book() as book:
            book.save_profile(self.person, dump_profile(profile))

    def plan(
        self,
        profile: Profile,
        options: SolverOptions,
        history: History = NO_HISTORY,
        adaptation=None,
    ) -> Job:
        """The job solving ``profile`` after ``history`` (started unless one for the same
        inputs is running or done), kept in the logbook when done; it becomes the one shown."""
        # What the log changed is part of the inputs: an adaptation that changes nothing
        # still says so, rather than joining the plain plan of the same profile.
        key = (dump_profile(profile), repr(options), repr(history), repr(adaptation))

        def work(hook) -> Solved:
            from planner.solve import solve

            plan = solve(self.catalog, profile, history=history, progress=hook, options=options)
            # As planner plan --person (--adapt) keeps it: the lines say what the log changed.
            keeping = Keeping(self.db, self.person, adaptation is not None, adaptation)
            *changes, _kept_in = keeping.keep(plan, self.catalog)
            return Solved.of(plan, self.catalog, tuple(changes))

        job = self.jobs.start(key, work)
        self.current = key
        return job

    def keep(self, plan: Plan) -> None:
        """Keep ``plan`` and its profile in the logbook, as ``planner plan --person`` does."""
        Keeping(self.db, self.person, False).keep(plan, self.catalog)

    def shown(self) -> Job | None:
        return self.jobs.get(self.current) if self.current is not None else None


# --- Reading forms through the command line's options ---------------------------------------


class FormError(ValueError):
    """A form value the command line would refuse: its message, word for word."""


@click.command()
@profile_options
def _profile_args(catalog, profile, options, inputs):
    return profile, options


@click.command()
@click.option("--rpe", type=SCALE)
@click.option("--pain", type=SCALE)
def _session_args(rpe, pain):
    return rpe, pain


def parse(command: click.Command, args: list[str]):
    """``command`` run on ``args`` as the CLI would; a refusal is ``FormError`` with the
    message the CLI prints after "Error: "."""
    try:
        with command.make_context("planner", args) as ctx:
            return command.invoke(ctx)
    except click.ClickException as err:
        raise FormError(err.format_message()) from None


def profile_args(form, budget: float | None) -> list[str]:
    """The profile form as ``planner plan`` options."""
    args = []
    for name in ("level", "minutes", "equipment", "exclude", "start", "weeks"):
        value = str(form.get(name, "")).strip()
        if value:
            args += [f"--{name}", value]
    days = form.getlist("days")
    if days:
        args += ["--days", ",".join(days)]
    for condition in form.getlist("conditions"):
        args += ["--condition", condition]
    if budget is not None:
        args += ["--budget", str(budget)]
    return args


# --- Pages -----------------------------------------------------------------------------------

_env = Environment(
    loader=PackageLoader("planner.web", "templates"), autoescape=select_autoescape(["html"])
)


def page(request: Request, name: str, status: int = 200, **values) -> HTMLResponse:
    """A template rendered with what every page needs (the CSRF token, the safety note)."""
    values.setdefault("error", "")
    html = _env.get_template(name).render(
        csrf=request.state.csrf, not_advice=NOT_ADVICE, path=request.url.path, **values
    )
    return HTMLResponse(html, status_code=status)


async def home(request: Request) -> Response:
    site: Site = request.app.state.site
    profile = site.kept_profile()
    if profile is None or profile.screening is None:
        return RedirectResponse("/screen", 303)
    return RedirectResponse("/plan" if site.shown() else "/profile", 303)


async def screen(request: Request) -> Response:
    """The red-flag questions; the answers are kept in the person's profile."""
    site: Site = request.app.state.site
    if request.method == "GET":
        return page(request, "screen.html", questions=QUESTIONS)
    form = request.scope["planner.form"]
    answers = {}
    for number, q in enumerate(QUESTIONS, 1):
        reply = form.get(q.id)
        if reply not in ("y", "n"):
            return page(
                request,
                "screen.html",
                400,
                questions=QUESTIONS,
                error=f"question {number}: answer y or n.",
            )
        answers[q.id] = reply == "y"
    answered = Screening(answers, medical_clearance=form.get("clearance") == "y")
    profile = site.kept_profile() or Profile.for_level("beginner")
    site.keep_profile(profile.with_changes(screening=answered))
    verdict = screen_verdict(answered)
    if not verdict.plans:
        return page(request, "screen.html", questions=QUESTIONS, stop=verdict.message)
    return RedirectResponse("/profile", 303)


async def profile_page(request: Request) -> Response:
    """The profile form; a valid one starts its plan and goes to the plan page."""
    site: Site = request.app.state.site
    kept = site.kept_profile()
    if kept is None or kept.screening is None or not screen_verdict(kept.screening).plans:
        return RedirectResponse("/screen", 303)
    values = dict(
        levels=LEVELS, days=DAYS, conditions=CONDITIONS, profile=kept, today=dt.date.today()
    )
    if request.method == "GET":
        return page(request, "profile.html", **values)
    form = request.scope["planner.form"]
    try:
        profile, options = parse(_profile_args, profile_args(form, site.budget))
    except FormError as err:
        return page(request, "profile.html", 400, error=str(err), **values)
    profile = profile.with_changes(screening=kept.screening)
    if profile.start is None:
        profile = profile.with_changes(start=dt.date.today())
    site.keep_profile(profile)
    site.plan(profile, options)
    return RedirectResponse("/plan", 303)


async def plan_page(request: Request) -> Response:
    """The plan being solved (its progress) or solved: week by week, the charts, downloads."""
    site: Site = request.app.state.site
    job = site.shown()
    if job is None:
        return RedirectResponse("/profile", 303)
    if job.state != "done":
        return page(request, "progress.html", job=job.status())
    solved: Solved = job.future.result()
    return page(
        request,
        "plan.html",
        plan=solved.plan,
        changes=solved.changes,
        diff=solved.diff,
        sections=Markup(solved.sections),
        css=Markup(PAGE_CSS),
        downloads=DOWNLOADS,
    )


async def progress(request: Request) -> Response:
    job = request.app.state.site.shown()
    return JSONResponse(job.status() if job else {"state": "none"})


async def download(request: Request) -> Response:
    """The plan shown as CSV, ICS or JSON, or its report page; made in memory."""
    site: Site = request.app.state.site
    fmt = request.path_params["fmt"]
    job = site.shown()
    if job is None or job.state != "done" or fmt not in (*DOWNLOADS, REPORT_FORMAT):
        return PlainTextResponse("No such download: plan first.", 404)
    solved: Solved = job.future.result()
    plan = solved.plan
    if fmt == REPORT_FORMAT:
        body = exports_of(Report)[fmt].render(solved.report)
        media = "text/html"
    else:
        if fmt == "ics" and plan.profile.start is None:
            return PlainTextResponse("--ics needs dates; give a start date", 400)
        body, media = EXPORTS[fmt].render(plan), DOWNLOADS[fmt]
    name = "report.html" if fmt == REPORT_FORMAT else f"plan.{fmt}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def day_of(request: Request) -> dt.date:
    """The day asked for (``?date=YYYY-MM-DD``), today when none."""
    text = request.query_params.get("date")
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise FormError(f"DATE {text!r}: not a date; allowed: YYYY-MM-DD") from None


async def today(request: Request) -> Response:
    """The day's session as a checklist; ticking it done logs it as planner log session."""
    site: Site = request.app.state.site
    try:
        date = day_of(request)
    except FormError as err:
        return page(request, "today.html", 400, error=str(err), cards=[], date=None)
    planned = []
    if site.db.exists():
        with site.book() as book:
            planned = book.schedule(site.person, date, date)
    cards = [card(site.catalog, p) for p in planned]
    if request.method == "GET":
        return page(request, "today.html", cards=cards, date=date, saved=None)
    form = request.scope["planner.form"]
    try:
        rpe, pain = parse(
            _session_args,
            [
                a
                for name in ("rpe", "pain")
                if form.get(name, "").strip()
                for a in (f"--{name}", form[name].strip())
            ],
        )
    except FormError as err:
        return page(request, "today.html", 400, error=str(err), cards=cards, date=date)
    if not planned:
        return page(
            request,
            "today.html",
            400,
            cards=cards,
            date=date,
            error=f"DATE {date}: no session planned for {site.person} that day",
        )
    done = set(form.getlist("done"))
    skipped = [p.exercise_id for p in planned if p.exercise_id not in done]
    prefix, entries = session_entries(site.person, date, planned, rpe, pain, skipped=skipped)
    with site.book() as book:
        book.replace_logged(site.person, prefix, entries)
    saved = f"Logged {date}: {len(planned) - len(skipped)} of {len(planned)} exercises done"
    return page(request, "today.html", cards=cards, date=date, saved=saved)


def card(catalog: Catalog, planned) -> dict:
    """One exercise of a day's session, as its card shows it."""
    e = catalog[planned.exercise_id]
    entry = Entry(
        planned.week, planned.day, planned.position, e, planned.sets, planned.reps, planned.hold_s
    )
    hold = planned.hold_s if e.dose != "reps" else 0
    return {
        "id": e.id,
        "name": e.name,
        "dose": describe_dose(entry),
        "cue": e.cues,
        "role": e.role,
        "hold": hold,
        "week": planned.week,
        "day": DAYS[planned.day],
    }


async def swap(request: Request) -> Response:
    """An exercise of the plan shown: its ranked substitutes, then the plan re-solved with
    the one chosen and what changed."""
    site: Site = request.app.state.site
    job = site.shown()
    if job is None or job.state != "done":
        return RedirectResponse("/plan", 303)
    plan = job.future.result().plan
    source = request.query_params if request.method == "GET" else request.scope["planner.form"]
    ids = {e.exercise.id for e in plan.entries}
    try:
        week = int(source.get("week", ""))
    except ValueError:
        week = -1
    day, exercise = source.get("day", ""), source.get("exercise", "")
    values = dict(
        week=week,
        day=day,
        exercise=exercise,
        ids=sorted(ids),
        options=[],
    )
    if exercise not in ids:
        values["error"] = (
            (f"exercise {exercise!r} is not in the plan; its exercises: {', '.join(sorted(ids))}")
            if exercise
            else ""
        )
        return page(request, "swap.html", 400 if exercise else 200, **values)
    values["title"] = site.catalog[exercise].name
    values["options"] = alternatives(site.catalog, plan.profile, exercise)
    if request.method == "GET":
        return page(request, "swap.html", **values)
    replacement = source.get("replacement") or None

    def work(hook) -> Solved:
        changed = swap_plan(plan, site.catalog, week, day, exercise, replacement, plan.options)
        site.keep(changed.plan)
        return Solved.of(changed.plan, site.catalog, diff=changed.diff())

    # The re-solve runs as a job like any plan: its refusal (NoPlan, or the one-line
    # ValueError of a bad week, day or replacement) is the plan page's error.
    site.current = ("swap", site.current, week, day, exercise, replacement)
    site.jobs.start(site.current, work)
    return RedirectResponse("/plan", 303)


async def adapt_page(request: Request) -> Response:
    """The next weeks planned from the log, as planner plan --adapt does."""
    site: Site = request.app.state.site
    profile = site.kept_profile()
    if profile is None or not site.db.exists():
        return RedirectResponse("/profile", 303)
    with site.book() as book:
        schedule = book.schedule(site.person)
        entries = book.entries(site.person)
    if not schedule:
        return page(
            request,
            "progress.html",
            400,
            job={"state": "none"},
            error=f"no plan kept for {site.person}; plan first",
        )
    profile = profile.with_changes(start=next_start(schedule, dt.date.today()))
    try:
        adaptation = adapt(site.catalog, profile, schedule, entries, profile.start)
    except AdaptationStop as err:
        return page(request, "progress.html", 400, job={"state": "none"}, error=str(err))
    options = load_settings(None, None, **({"budget": site.budget} if site.budget else {}))[1]
    site.plan(profile, options, adaptation.history, adaptation)
    return RedirectResponse("/plan", 303)


# --- Security ---------------------------------------------------------------------------------


class Guard:
    """ASGI middleware: the start-up token off loopback, and a CSRF token on every POST."""

    def __init__(self, app, site: Site) -> None:
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        token, set_token = self.site.token, False
        if token is not None and not secrets.compare_digest(
            request.cookies.get(TOKEN_COOKIE, ""), token
        ):
            if not secrets.compare_digest(request.query_params.get("token", ""), token):
                refused = PlainTextResponse(
                    "Forbidden: open the address planner serve printed (it carries the token).",
                    403,
                )
                return await refused(scope, receive, send)
            set_token = True
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = csrf
        if request.method == "POST":
            form = await request.form()
            if not secrets.compare_digest(str(form.get(CSRF_FIELD, "")), csrf) or (
                CSRF_COOKIE not in request.cookies
            ):
                refused = PlainTextResponse(
                    "Forbidden: the form's CSRF token is missing or "
                    "stale; reload the page and send it again.",
                    403,
                )
                return await refused(scope, receive, send)
            scope["planner.form"] = form

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if CSRF_COOKIE not in request.cookies:
                    headers.append((b"set-cookie", _cookie(CSRF_COOKIE, csrf)))
                if set_token:
                    headers.append((b"set-cookie", _cookie(TOKEN_COOKIE, token)))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


def _cookie(name: str, value: str) -> bytes:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict".encode()


def create_app(site: Site) -> Starlette:
    """The app serving ``site``."""
    static = StaticFiles(packages=[("planner.web", "static")])
    routes = [
        Route("/", home),
        Route("/screen", screen, methods=["GET", "POST"]),
        Route("/profile", profile_page, methods=["GET", "POST"]),
        Route("/plan", plan_page),
        Route("/plan/progress", progress),
        Route("/plan/download/{fmt}", download),
        Route("/today", today, methods=["GET", "POST"]),
        Route("/swap", swap, methods=["GET", "POST"]),
        Route("/adapt", adapt_page, methods=["POST"]),
        Mount("/static", static, name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        site.jobs.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.site = site
    app.add_middleware(Guard, site=site)
    return app
