"""A plan as a page to keep and print: the profile in brief, the weekly grid of sessions with
each exercise's dose and cue, the load and balance charts, and the safety note.

``build_report`` gathers the figures (the per-week tables from ``planner.explain``, the
ramp ceiling from ``planner.ramp``); ``Report.html`` gives one self-contained HTML file (charts
inline as SVG; no scripts, fonts or links to fetch) and ``Report.markdown`` plain Markdown that
links its charts as PNG files. Nothing here prints, and the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from planner import chart, ramp
from planner.adaptation import WeekLog
from planner.catalog import Catalog
from planner.explain import Explanation, explain
from planner.guidance import PHASE_WORDS, Guide, guide, pain_rule
from planner.plan import Plan, Session, describe_dose, week_order
from planner.profile import DAYS, Profile
from planner.ramp import History
from planner.screening import NOT_ADVICE

# What each chart shows, for its caption and for screen readers.
CHART_CAPTIONS = {
    "load": "Weekly load: a bar for each week (deload weeks orange), a black tick at the most "
    "the ramp rule allows that week, a dashed line at the target load",
    "balance": "Strength sets a week for glutes, core and hamstrings: a bar for each group "
    "each week (deload weeks hatched), a black line at the week's minimum and a dashed line "
    "at its aim",
    "pain": "Pain logged, 0-10: a dot for each day during the exercise, a ring the next "
    "morning, a dashed line at 5, the most the pain-monitoring model accepts",
}
LOAD_NOTE = (
    "Load in AU is minutes x effort (RPE). Each week's load stays under the ramp ceiling: at "
    "most the ramp cap above the last build week (held near the target once there), and a "
    "deload week at about {deload_pct} % of the week before. These are guard rails from "
    "coaching practice, not injury predictions."
)
LONE_WEEK_NOTE = "Load in AU is minutes x effort (RPE); one week repeats, so nothing ramps."
BALANCE_NOTE = (
    "Stretch and release what is tight (hip flexors, lower back), strengthen what is weak "
    "(glutes, core, hamstrings). Strength sets a week for each weak group, a set counting 1 for "
    "its exercise's main group and 0.5 for each other group it trains; stretches and releases "
    "count for none. Each week should reach its minimum and come near its aim (half of both in "
    "a deload week), glutes and core at least as many as hip flexors, and cover the strength "
    "patterns of a rounded programme."
)
LOG_NOTE = (
    "What the log says was done, week by week, against the plan kept for you: sessions, "
    "minutes and training load (minutes x effort) done: at the planned effort, and felt: at "
    "the effort you logged. Pain up to 5/10 during an exercise and settled by the next morning is "
    "acceptable (the pain-monitoring model); more, and that exercise is eased off."
)
GLOSSARY_NOTE = (
    "How to do each exercise of the plan, once: the weeks name them. Effort is on a 0-10 "
    "scale (0 rest, 10 as hard as you can); a stretch goes to a gentle pull, never to pain."
)
COACHES_NOTE = (
    "The figures behind the plan, for a coach or the curious: training load, balance of "
    "strength work and what sets one plan above another. Nothing here is needed to follow "
    "the sessions."
)
GOALS_NOTE = (
    "What sets one valid plan above another: each goal's points over the plan times its "
    "weight, 0 where the plan is on target (the whole is the objective the solver minimises)."
)
# Column headings for the explanation's tables; any other key shows with spaces.
_HEADINGS = {
    "load_au": "load (AU)",
    "change_pct": "change (%)",
    "acute_chronic": "acute:chronic",
    "heaviest_session_au": "heaviest session (AU)",
    "strength_pct": "strength (%)",
    "done_pct": "done (%)",
    # The log's table is in the plain view: its loads in words (LOG_NOTE says what they are).
    "planned_au": "load planned",
    "done_au": "load done",
    "felt_au": "load felt",
    "next_morning": "next morning",
}
_TWO_DECIMALS = ("acute_chronic", "monotony")


@dataclass(frozen=True)
class Report:
    """Everything a report page shows; ``html()`` and ``markdown()`` lay it out."""

    profile: Profile
    history: History
    explanation: Explanation
    sessions: tuple[Session, ...]
    figures: dict[int, ramp.WeekFigures]  # week -> its load and guard-rail figures
    # From a training log: (day, worst pain during, worst the next morning) of each day with
    # a pain logged; the log's weekly rows are the explanation's ``log``.
    pains: tuple[tuple[dt.date, int | None, int | None], ...] = ()
    # The plain-words guidance for each exercise of the plan, by name (the glossary's order).
    guides: tuple[Guide, ...] = ()

    @property
    def pain_rule(self) -> tuple[str, ...]:
        """The pain rule, stricter with back pain among the profile's conditions."""
        return pain_rule(self.profile.health_conditions)

    def guide_of(self, exercise_id: str) -> Guide | None:
        return next((g for g in self.guides if g.exercise.id == exercise_id), None)

    @property
    def logged_loads(self) -> dict[int, float]:
        """Week -> load logged (session RPE x minutes done, R8), for the plan's weeks the log
        covers (its week number, begun within the plan's dates for that week when the plan
        has dates)."""
        out = {}
        for row in self.explanation.log:
            dates = [s.date for s in self.sessions if s.week == row["week"] and s.date]
            begun = dt.date.fromisoformat(row["from"])
            within = not dates or min(dates) - dt.timedelta(days=6) <= begun <= max(dates)
            if row["week"] in self.figures and within:
                out[row["week"]] = row["felt_au"]
        return out

    @property
    def ceilings(self) -> dict[int, float]:
        """Each week's ramp ceiling: the top of the ramp rule's band (R10, R12) given the weeks
        before it; {} for a lone repeating week, which has no ramp."""
        if self.profile.lone_week:
            return {}
        return {week: f.ceiling for week, f in self.figures.items()}

    @property
    def weeks(self) -> list[int]:
        return sorted({s.week for s in self.sessions})

    @property
    def days(self) -> list[int]:
        """The days of the week that have a session in any week, in the order a week of the
        plan runs (from the start's weekday; Monday first without a start)."""
        return sorted(
            {s.day for s in self.sessions}, key=lambda d: week_order(self.profile.start, d)
        )

    @property
    def title(self) -> str:
        level, weeks = self.profile.level.capitalize(), self.weeks
        if len(weeks) == 1:
            return f"{level} plan: week {weeks[0]}, {len(self.sessions)} sessions"
        return f"{level} programme: weeks {weeks[0]} to {weeks[-1]}, {len(self.sessions)} sessions"

    def summary(self) -> list[tuple[str, str]]:
        """The profile in brief and in plain words, as (label, text) pairs."""
        p = self.profile
        days = ", ".join(p.days) if p.days else "spread over the week"
        left_out = [f"exercises {', '.join(sorted(p.exclude))}"] if p.exclude else []
        left_out += [f"conditions {', '.join(sorted(p.conditions))}"] if p.conditions else []
        items = [
            ("Level", f"{p.level} (effort up to {p.rpe_cap}/10)"),
            ("Sessions", f"{p.sessions} a week on {days}, up to {p.minutes} min each"),
            ("Equipment", ", ".join(sorted(p.equipment)) if p.equipment is not None else "any"),
            ("Left out", "; ".join(left_out) or "nothing asked"),
        ]
        if p.start is not None:
            items.append(("Starts", p.start.isoformat()))
        if p.session_time is not None:
            items.append(("Sessions at", f"{p.session_time} (up at {p.wake_time})"))
        return items

    def coach_summary(self) -> list[tuple[str, str]]:
        """The load settings, in the coaches' terms (AU, ramp, acute:chronic)."""
        p = self.profile
        if p.lone_week:
            load = f"about {p.target_load} AU a week (minutes x RPE)"
        else:
            load = (
                f"from {self.history.reference(p):.0f} AU towards {p.target_load} AU a week "
                f"(minutes x RPE), up at most {p.ramp_cap_pct} % a build week, a deload every "
                f"{p.deload_every} weeks at {p.deload_pct} %, acute:chronic at most {p.acwr_cap:g}"
            )
        return [("Weekly load", load)]

    def week_heading(self, week: int) -> str:
        """'Week 2 · building up': the week and its phase in plain words (the figures behind
        it are in the "For coaches" section)."""
        words = PHASE_WORDS.get(self.figures[week].phase)
        return f"Week {week} · {words}" if words else f"Week {week}"

    def coach_heading(self, week: int) -> str:
        """'Week 2 · build · 248 AU · +4.9 % · acute:chronic 1.10' (as ``planner plan
        --verbose``)."""
        f = self.figures[week]
        if self.profile.lone_week:
            return f"Week {week} · {f.load:.0f} AU (target {self.profile.target_load} AU)"
        return str(f)

    def caption(self, name: str) -> str:
        """What chart ``name`` shows, for its caption and for screen readers."""
        if name == "load" and not self.ceilings:
            caption = "Weekly load: a bar for the week, a dashed line at the target load"
        else:
            caption = CHART_CAPTIONS[name]
        if name == "load" and self.logged_loads:
            caption += ", an orange diamond at the load logged (session RPE x minutes done)"
        return caption

    def load_note(self) -> str:
        """How to read the load figures."""
        if not self.ceilings:
            return LONE_WEEK_NOTE
        return LOAD_NOTE.format(deload_pct=self.profile.deload_pct)

    def html(self) -> str:
        """One self-contained HTML page: styles and charts inline, nothing fetched."""
        return _html_page(self)

    def markdown(self, images: Mapping[str, str] | None = None) -> str:
        """The report as Markdown; ``images`` maps each chart name in ``chart.CHARTS`` to the
        PNG file to link (a path relative to the Markdown file); None leaves the charts out,
        the tables under them carry the same numbers."""
        return _markdown_page(self, images or {})

    def svg(self, name: str) -> str:
        """Chart ``name`` ("load" or "balance") as an inline ``<svg>`` element."""
        return chart.svg(self, name)

    def png(self, name: str) -> bytes:
        """Chart ``name`` ("load" or "balance") as PNG bytes."""
        return chart.png(self, name)


def build_report(plan: Plan, catalog: Catalog, log: Sequence[WeekLog] = ()) -> Report:
    """The report on ``plan`` for its profile, after the weeks before it (``plan.history``,
    ``--after``), and with ``log`` (the weeks of a training log) what was done."""
    return Report(
        profile=plan.profile,
        history=plan.history,
        explanation=explain(plan, catalog, log),
        sessions=plan.sessions,
        figures={f.week: f for f in plan.week_figures()},
        pains=tuple(
            (s.date, s.pain, s.pain_next_morning)
            for w in log
            for s in w.sessions
            if s.pain is not None or s.pain_next_morning is not None
        ),
        guides=tuple(
            sorted(
                (
                    guide(e, catalog)
                    for e in {r.exercise.id: r.exercise for r in plan.entries}.values()
                ),
                key=lambda g: (g.exercise.name, g.exercise.id),
            )
        ),
    )


def _pain_rows(report: Report) -> list[dict]:
    def shown(pain: int | None) -> int | str:
        return "-" if pain is None else pain

    return [
        {"day": day.isoformat(), "during": shown(a), "next_morning": shown(b)}
        for day, a, b in report.pains
    ]


# --- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; color: #222; max-width: 76rem;
       margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; }
.note { border-left: 4px solid #c0392b; background: #fdf2f0; padding: .5rem .8rem; }
dl.profile { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.profile dt { font-weight: 600; }
dl.profile dd { margin: 0; }
/* A table wider than the screen scrolls inside its box, never the page. */
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.grid { width: 100%; table-layout: fixed; }
table.grid thead th { background: #f3f3f3; }
tr.week th { background: #e8f1f8; font-weight: 600; }
tr.week.deload th { background: #fdf0dc; }
.when { margin: 0 0 .3rem; color: #444; font-size: .9em; }
.grid ol { margin: 0; padding-left: 1.4rem; }
.grid li { margin-bottom: .35rem; overflow-wrap: anywhere; }
.dose { font-variant-numeric: tabular-nums; }
/* The role in word and colour (Okabe-Ito, as the charts), a tag beside the dose. */
.role { font-size: .8em; padding: 0 .35em; border-radius: .3em; white-space: nowrap;
        border-left: .3em solid #999; background: #f3f3f3; }
.role.stretch { border-color: #0072B2; background: #e5f1f8; }
.role.strength { border-color: #D55E00; background: #fbeee5; }
.role.mobility { border-color: #009E73; background: #e5f5f1; }
.role.release { border-color: #CC79A7; background: #f9eff5; }
.cue { display: block; color: #555; font-size: .85em; }
td.rest { color: #999; }
.effort { color: #444; font-size: .85em; white-space: nowrap; }
a.how { font-size: .85em; }
.pain { border-left: 4px solid #E69F00; background: #fdf6e8; padding: .3rem .8rem; }
.pain h2 { border: 0; margin-top: .5rem; }
.exercise h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.exercise p { margin: .2rem 0; }
.exercise p.cue { color: #222; font-size: 1em; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { width: 100%; max-width: 52rem; height: auto; }
figcaption { color: #555; font-size: .9em; }
/* A phone: one session a card in one column, the day on the card; rest days left out; the
   charts kept at a size whose labels can be read, scrolling sideways inside their box. */
@media (max-width: 700px) {
  body { margin: 1rem auto; padding: 0 .75rem; }
  dl.profile { grid-template-columns: 1fr; }
  dl.profile dd { margin-bottom: .4rem; }
  table.grid, table.grid tbody, table.grid tr, table.grid th, table.grid td { display: block;
    width: auto; border: 0; }
  table.grid thead, table.grid td.rest { display: none; }
  tr.week th { margin-top: 1rem; padding: .4rem .6rem; border-radius: .4rem; }
  table.grid td { border: 1px solid #ccc; border-radius: .4rem; margin: .5rem 0;
    padding: .6rem .7rem; }
  .when { font-weight: 600; font-size: 1em; color: #222; }
  figure svg { width: 44rem; max-width: none; }
}
@media print {
  body { font-size: 9.5pt; max-width: none; margin: 0; padding: 0; }
  /* A week's row is often taller than a page: let it flow on, but keep each heading with
     what follows it and each exercise whole. */
  h2, tr.week { break-after: avoid; }
  section.chart, .note, dl.profile, .grid li { break-inside: avoid; }
  .note { border: 1px solid #000; background: none; }
  tr.week th, tr.week.deload th, table.grid thead th { background: none; }
  .scroll, figure { overflow: visible; }
  @page { margin: 1.5cm; }
}
"""


def _goal_rows(costs: Mapping[str, int]) -> list[dict]:
    return [{"goal": name, "cost": cost} for name, cost in costs.items()]


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _number(key: str, value) -> str:
    if isinstance(value, float):
        return f"{value:.{2 if key in _TWO_DECIMALS else 1}f}"
    return str(value)


def _heading(key: str) -> str:
    return _HEADINGS.get(key, key.replace("_", " "))


def _html_table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["<p>(none)</p>"]
    keys = list(rows[0])
    out = [
        '<div class="scroll"><table>',
        "<tr>" + "".join(f"<th>{_e(_heading(k))}</th>" for k in keys) + "</tr>",
    ]
    for row in rows:
        cells = [
            f'<td class="n">{_e(_number(k, v))}</td>'
            if isinstance(v, int | float)
            else f"<td>{_e(v)}</td>"
            for k, v in row.items()
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return [*out, "</table></div>"]


def _short_effort(report: Report, exercise_id: str) -> str:
    g = report.guide_of(exercise_id)
    return g.short_effort if g else ""


def _html_session(report: Report, session: Session | None) -> str:
    if session is None:
        return '<td class="rest">rest</td>'
    when = DAYS[session.day].capitalize() + (f" {session.date.isoformat()}" if session.date else "")
    items = []
    for r in session.entries:
        e = r.exercise
        items.append(
            f'<li><strong>{_e(e.name)}</strong> <span class="dose">{_e(describe_dose(r))}'
            f'</span> <span class="role {_e(e.role)}">{_e(e.role)}</span> '
            f'<span class="effort">{_e(_short_effort(report, e.id))}</span> '
            f'<a class="how" href="#ex-{_e(e.id)}">how</a></li>'
        )
    return (
        f'<td><p class="when">{_e(when)} · {session.minutes:.0f} min</p>'
        f"<ol>{''.join(items)}</ol></td>"
    )


def _html_grid(report: Report) -> list[str]:
    days = report.days
    by_day = {(s.week, s.day): s for s in report.sessions}
    kinds = {w["week"]: w["kind"] for w in report.explanation.weeks}
    out = ['<table class="grid">', "<thead><tr>"]
    out += [f"<th>{_e(DAYS[d].capitalize())}</th>" for d in days]
    out.append("</tr></thead>")
    for week in report.weeks:
        deload = " deload" if kinds[week] == "deload" else ""
        out.append(
            f'<tbody><tr class="week{deload}"><th colspan="{len(days)}">'
            f"{_e(report.week_heading(week))}</th></tr>"
        )
        out.append("<tr>" + "".join(_html_session(report, by_day.get((week, d))) for d in days))
        out.append("</tr></tbody>")
    return [*out, "</table>"]


def _html_figure(report: Report, name: str) -> list[str]:
    caption = report.caption(name)
    return [
        f'<figure id="{name}-chart">',
        report.svg(name).replace("<svg ", f'<svg role="img" aria-label="{_e(caption)}" ', 1),
        f"<figcaption>{_e(caption)}.</figcaption>",
        "</figure>",
    ]


def _html_chart(report: Report, name: str, heading: str, note: str) -> list[str]:
    """A chart's section: its heading, what it shows, the figure."""
    return [
        '<section class="chart">',
        f"<h3>{_e(heading)}</h3>",
        f"<p>{_e(note)}</p>",
        *_html_figure(report, name),
        "</section>",
    ]


def _html_page(report: Report) -> str:
    x = report.explanation
    names = {r.exercise.id: r.exercise.name for s in report.sessions for r in s.entries}
    summary = [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in report.summary()]
    purposes = [{"exercise": names[e["exercise_id"]], "for": e["serves"]} for e in x.exercises]
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="note"><strong>{_e(NOT_ADVICE)}</strong></p>',
        '<dl class="profile">',
        *summary,
        "</dl>",
        *_html_pain(report),
        "<h2>Sessions, week by week</h2>",
        *_html_grid(report),
        *_html_glossary(report),
        *_html_log(report),
        '<h2 id="coaches">For coaches</h2>',
        f"<p>{_e(COACHES_NOTE)}</p>",
        '<dl class="profile">',
        *[f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in report.coach_summary()],
        "</dl>",
        "<ul>",
        *[f"<li>{_e(report.coach_heading(w))}</li>" for w in report.weeks],
        "</ul>",
        *_html_chart(report, "load", "Load", report.load_note()),
        *_html_table(x.weeks),
        *_html_chart(report, "balance", "Balance", BALANCE_NOTE),
        *_html_table(x.sets),
        *_html_table(x.patterns),
        "<h3>Soft goals</h3>",
        f"<p>{_e(GOALS_NOTE)}</p>",
        *_html_table(_goal_rows(x.costs)),
        "<h3>What each exercise is for</h3>",
        *_html_table(purposes),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


PAGE_CSS = _CSS  # the report's look, shared by the web app's plan page (planner serve)


def plan_sections(report: Report) -> str:
    """The parts of the HTML page the web app's plan page shows (``planner serve``), laid
    out as the report does: the pain box, the sessions week by week, the load and balance
    charts with their notes, and how to do each exercise."""
    lines = [
        *_html_pain(report),
        "<h2>Sessions, week by week</h2>",
        *_html_grid(report),
        *_html_chart(report, "load", "Load", report.load_note()),
        *_html_chart(report, "balance", "Balance", BALANCE_NOTE),
        *_html_glossary(report),
        *_html_log(report),
    ]
    return "\n".join(lines)


def _html_pain(report: Report) -> list[str]:
    """The pain box: what to do when something hurts."""
    items = "".join(f"<li>{_e(line)}</li>" for line in report.pain_rule)
    return [
        '<section class="pain">',
        "<h2>If something hurts</h2>",
        f"<ul>{items}</ul>",
        "</section>",
    ]


def _neighbours(g: Guide) -> str:
    """'Easier: X. Harder: Y.' from the progression chain, or '' for a lone exercise."""
    parts = [f"Easier: {g.easier}." if g.easier else "", f"Harder: {g.harder}." if g.harder else ""]
    return " ".join(p for p in parts if p)


def _html_glossary(report: Report) -> list[str]:
    """Each exercise once: its cue, its effort, its easier and harder variants."""
    lines = ["<h2>How to do each exercise</h2>", f"<p>{_e(GLOSSARY_NOTE)}</p>"]
    for g in report.guides:
        e = g.exercise
        lines += [
            f'<section class="exercise" id="ex-{_e(e.id)}">',
            f'<h3>{_e(e.name)} <span class="role {_e(e.role)}">{_e(e.role)}</span></h3>',
            f'<p class="cue">{_e(e.cues)}</p>' if e.cues else "",
            f"<p>{_e(g.effort)}</p>",
            f"<p>{_e(_neighbours(g))}</p>" if _neighbours(g) else "",
            "</section>",
        ]
    return [line for line in lines if line]


def _html_log(report: Report) -> list[str]:
    """The planned-against-done section, when the report has a log."""
    if not report.explanation.log:
        return []
    lines = ["<h2>Planned against done</h2>", f"<p>{_e(LOG_NOTE)}</p>"]
    lines += _html_table(report.explanation.log)
    if report.pains:
        lines += ['<section class="chart">', *_html_figure(report, "pain"), "</section>"]
    return lines


# --- Markdown -------------------------------------------------------------------------------


def _md(value) -> str:
    """Text safe in a Markdown table cell or heading: ``&``, ``<`` and ``>`` as entities, so
    catalogue text never becomes HTML or an autolink (every renderer shows an entity as its
    character, while some pass ``\\<`` on as a tag); the other markup characters
    backslash-escaped (``_`` only where it could start or end emphasis, so hip_flexors stays
    readable); newlines folded, as a newline would end a table row."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*\[\]|~])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    return " ".join(text.split())


def _md_table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["(none)"]
    keys = list(rows[0])
    align = ["--:" if isinstance(rows[0][k], int | float) else "---" for k in keys]
    out = ["| " + " | ".join(_md(_heading(k)) for k in keys) + " |", f"|{'|'.join(align)}|"]
    out += ["| " + " | ".join(_md(_number(k, v)) for k, v in row.items()) + " |" for row in rows]
    return out


def _md_session(report: Report, session: Session) -> list[str]:
    """A session as a numbered list, each exercise with its effort; the cues are in the
    glossary at the end, once."""
    when = DAYS[session.day].capitalize() + (f" {session.date.isoformat()}" if session.date else "")
    out = [f"#### {_md(when)} · {session.minutes:.0f} min", ""]
    for r in session.entries:
        e = r.exercise
        effort = _short_effort(report, e.id)
        out.append(
            f"{r.order}. **{_md(e.name)}** · {_md(describe_dose(r))} · {_md(e.role)}"
            + (f" · {_md(effort)}" if effort else "")
        )
    return [*out, ""]


def _md_glossary(report: Report) -> list[str]:
    lines = ["## How to do each exercise", "", _md(GLOSSARY_NOTE), ""]
    for g in report.guides:
        e = g.exercise
        lines += [f"### {_md(e.name)} · {_md(e.role)}", ""]
        lines += [_md(e.cues), ""] if e.cues else []
        lines += [_md(g.effort), ""]
        lines += [_md(_neighbours(g)), ""] if _neighbours(g) else []
    return lines


def _md_chart(report: Report, name: str, images: Mapping[str, str]) -> list[str]:
    if name not in images:
        return []
    return [f"![{_md(report.caption(name))}]({quote(images[name])})", ""]


def _md_log(report: Report) -> list[str]:
    if not report.explanation.log:
        return []
    lines = ["## Planned against done", "", _md(LOG_NOTE), ""]
    lines += [*_md_table(report.explanation.log), ""]
    if report.pains:
        lines += [*_md_table(_pain_rows(report)), ""]
    return lines


def _markdown_page(report: Report, images: Mapping[str, str]) -> str:
    x = report.explanation
    names = {r.exercise.id: r.exercise.name for s in report.sessions for r in s.entries}
    purposes = [{"exercise": names[e["exercise_id"]], "for": e["serves"]} for e in x.exercises]
    head, _, rest = NOT_ADVICE.partition(". ")
    lines = [f"# {_md(report.title)}", "", f"> **{_md(head)}.** {_md(rest)}", ""]
    lines += [f"- **{_md(k)}:** {_md(v)}" for k, v in report.summary()]
    lines += ["", "## If something hurts", ""]
    lines += [f"- {_md(line)}" for line in report.pain_rule]
    lines += ["", "## Sessions, week by week", ""]
    for week in report.weeks:
        lines += [f"### {_md(report.week_heading(week))}", ""]
        for session in report.sessions:
            if session.week == week:
                lines += _md_session(report, session)
    lines += [
        *_md_glossary(report),
        *_md_log(report),
        "## For coaches",
        "",
        _md(COACHES_NOTE),
        "",
        *[f"- **{_md(k)}:** {_md(v)}" for k, v in report.coach_summary()],
        *[f"- {_md(report.coach_heading(w))}" for w in report.weeks],
        "",
        "### Load",
        "",
        _md(report.load_note()),
        "",
        *_md_chart(report, "load", images),
        *_md_table(x.weeks),
        "",
        "### Balance",
        "",
        _md(BALANCE_NOTE),
        "",
        *_md_chart(report, "balance", images),
        *_md_table(x.sets),
        "",
        *_md_table(x.patterns),
        "",
        "### Soft goals",
        "",
        _md(GOALS_NOTE),
        "",
        *_md_table(_goal_rows(x.costs)),
        "",
        "### What each exercise is for",
        "",
        *_md_table(purposes),
        "",
    ]
    return "\n".join(lines)
