"""Writing plans and reports to files: one function per format, registered in ``EXPORTS``.

Each format makes text or bytes; nothing here prints or writes to standard output (the
command line does, for ``-``). The files are written by ``planner.output.write``, the one
write path: atomically for a regular file, through a symlink, in place for a device or FIFO.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from planner import chart
from planner.guidance import effort, pain_rule, plain_groups, session_focus, target
from planner.output import OutputError, write_files
from planner.plan import COLUMNS, FORMULA_STARTS, Entry, Plan, describe_dose
from planner.profile import DAYS, DEFAULT_SESSION_TIME, Profile, SolverOptions
from planner.report import Report

# The name this error had before planner.output: the same class, so that planner.ExportError
# and ``except ExportError`` around a write keep working. A calendar without dates raises it.
ExportError = OutputError


def neutralise(value):
    """``value``, with ``'`` before text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def table_csv(rows: list[dict], columns=None) -> str:
    """Records as CSV text with a header row, formula-like text neutralised."""
    out = io.StringIO()
    fieldnames = list(columns or (rows[0] if rows else []))
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def csv_text(plan: Plan) -> str:
    """The plan in the CSV contract: header row, one row per exercise per session, UTF-8."""
    return table_csv(plan.rows(), COLUMNS)


STDOUT = "-"  # the path that means standard output, where the command line allows it


# --- JSON -----------------------------------------------------------------------------------

JSON_SCHEMA = "planner.plan/1"
# The schema, as JSON Schema: what every key means. A new key that readers may ignore keeps
# the version; a key removed, renamed or changed in meaning makes it planner.plan/2.
SCHEMA_FILE = Path(__file__).with_name("plan.schema.json")


def plan_record(plan: Plan) -> dict:
    """The plan as the ``planner.plan/1`` document (``plan.schema.json``).

    Deterministic: the same inputs and seed give the same document, so the solver's wall-clock
    time, which varies run to run, is left out. Minutes and loads are rounded as in the CSV, so
    the exercises' loads are the CSV's ``load`` column."""
    p = plan.profile
    by_session: dict[tuple[int, int], list[dict]] = {}
    for entry, row in zip(plan.entries, plan.rows(), strict=True):
        by_session.setdefault((entry.week, entry.day), []).append(_exercise_record(entry, row))
    weeks: dict[int, list[dict]] = {}
    for session in plan.sessions:
        week, day, entries = session.week, session.day, list(session.entries)
        date = plan.date(week, day)
        weeks.setdefault(week, []).append(
            {
                "day": DAYS[day],
                "date": date.isoformat() if date else None,
                "minutes": round(sum(e.seconds for e in entries) / 60, 2),
                "load": round(sum(e.load for e in entries), 1),
                "focus": list(session_focus(entries)),
                "title": session_title(week, entries, p),
                "exercises": by_session[week, day],
            }
        )
    week_records = [
        {
            "week": f.week,
            "phase": f.phase,
            "load": round(f.load, 1),
            "ramp_pct": round(f.change_pct, 1),
            "acute_chronic": round(f.acute_chronic, 2),
            "sessions": weeks[f.week],
        }
        for f in plan.week_figures()
    ]
    return {
        "schema": JSON_SCHEMA,
        "profile": _profile_record(p, plan.options),
        "solver": {
            "status": plan.status.value,
            "objective": _finite(plan.objective),
            "bound": _finite(plan.bound),
            "gap": _finite(round(plan.gap, 6)),
        },
        "pain_rule": list(pain_rule(p.health_conditions)),
        "weeks": week_records,
    }


def _exercise_record(entry: Entry, row: dict) -> dict:
    e = entry.exercise
    return {
        "order": entry.order,
        "exercise_id": e.id,
        "exercise": e.name,
        "role": e.role,
        "groups": list(e.groups),
        "sets": entry.sets,
        "reps": entry.reps,
        "hold_s": entry.hold_s,
        "per_side": e.per_side,
        "dose": describe_dose(entry),
        "minutes": row["minutes"],
        "rpe": e.rpe,
        "load": row["load"],
        "cue": e.cues,
        "target": target(e),
        "effort": effort(e),
    }


def _profile_record(p: Profile, options: SolverOptions) -> dict:
    return {
        "level": p.level,
        "days": list(p.days),
        "sessions": p.sessions,
        "minutes": p.minutes,
        "weeks": p.weeks,
        "start": p.start.isoformat() if p.start else None,
        "session_time": p.session_time,
        "timezone": p.timezone,
        "seed": options.seed,
        "target_load": p.target_load,
        "conditions": sorted(p.health_conditions),
    }


def _finite(value: float) -> float | None:
    """JSON has no NaN or infinity: an unknown objective or gap is null."""
    return value if math.isfinite(value) else None


def json_text(plan: Plan) -> str:
    """The ``planner.plan/1`` document as indented UTF-8 JSON text."""
    return json.dumps(plan_record(plan), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- iCalendar ------------------------------------------------------------------------------

PRODID = "-//planner//exercise plan//EN"
# Bump to change every UID on purpose; otherwise never change the recipe (see session_uid).
UID_RECIPE = "planner.session/1"


def session_uid(programme_start: dt.date, date: dt.date, slot: int) -> str:
    """A session's calendar UID: a hash of the programme (the date it starts), the session's
    date and its slot that day (1, the model plans one session a day).

    Nothing the solver chooses goes in, so an updated plan for the same start date, imported
    again, replaces its events rather than adding a second copy; a programme starting on
    another day gets its own events."""
    key = f"{UID_RECIPE}|{programme_start.isoformat()}|{date.isoformat()}|{slot}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@planner"


def session_minutes(entries: list[Entry]) -> int:
    """The session's length in whole minutes, rounded up: what its calendar event lasts."""
    return math.ceil(sum(e.seconds for e in entries) / 60)


def session_title(week: int, entries: list[Entry], profile: Profile) -> str:
    """'Core and glutes · 12 min', 'Core and glutes · 8 min · easier week': what the session
    is for in plain words (its focus) and how long it takes."""
    title = f"{plain_groups(session_focus(entries))} · {session_minutes(entries)} min"
    return title + (" · easier week" if profile.is_deload(week) else "")


def session_description(entries: list[Entry], profile: Profile) -> str:
    """Each exercise in order with its dose and effort, its cue underneath; then the length
    and the pain rule."""
    lines = []
    for e in entries:
        lines += [f"{e.order}. {e.exercise.name}: {describe_dose(e)}, {target(e.exercise)}"]
        if e.exercise.cues:
            lines.append(e.exercise.cues)
        lines.append("")
    lines.append(f"About {session_minutes(entries)} min in all.")
    lines += ["", "If something hurts:", *pain_rule(profile.health_conditions)]
    return "\n".join(lines)


def ics_text(plan: Plan) -> str:
    """The plan as an iCalendar file (RFC 5545): one event per session.

    Each event starts on the session's date at the profile's ``session_time`` (else
    ``DEFAULT_SESSION_TIME``) in its ``timezone`` (else floating local time) and lasts the
    session's minutes, rounded up; with the profile's ``remind`` it carries a VALARM that
    many minutes before. Raises ``ExportError`` when the profile has no start date.
    """
    from icalendar import Alarm, Calendar, Event, Timezone  # 70 ms to import: only when asked for

    p = plan.profile
    if p.start is None:
        raise ExportError("a calendar needs dates; the profile has no start date")
    zone = zoneinfo.ZoneInfo(p.timezone) if p.timezone else None
    clock = dt.time.fromisoformat(p.session_time or DEFAULT_SESSION_TIME)
    # DTSTAMP is meant to be when the file was made; the start date at midnight UTC keeps
    # the same inputs byte-identical, and clients match updates by UID, not by this stamp.
    stamp = dt.datetime.combine(p.start, dt.time(), dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    dates = []
    for session in plan.sessions:
        week, day, entries = session.week, session.day, list(session.entries)
        date = plan.date(week, day)
        start = dt.datetime.combine(date, clock, zone)
        event = Event()
        event.add("uid", session_uid(p.start, date, slot=1))  # one session a day
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=session_minutes(entries)))
        event.add("summary", session_title(week, entries, p))
        event.add("description", session_description(entries, p))
        if p.remind is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", session_title(week, entries, p))
            alarm.add("trigger", dt.timedelta(minutes=-p.remind))
            event.add_component(alarm)
        calendar.add_component(event)
        dates.append(date)
    # A VTIMEZONE for the plan's span only (icalendar's default covers 1970-2038).
    for tzid in sorted(calendar.get_missing_tzids()):
        zone_component = Timezone.from_tzid(
            tzid, first_date=min(dates), last_date=max(dates) + dt.timedelta(days=1)
        )
        calendar.subcomponents.insert(0, zone_component)
    return calendar.to_ical().decode("utf-8")


# --- the formats ----------------------------------------------------------------------------

Render = Callable[[Any], str | bytes]


@dataclass(frozen=True)
class Export:
    """One output format, declared once: its option (``--name``), the option's help, what it
    is made from (a ``Plan``, which ``planner plan`` writes, or a ``Report``, which
    ``planner report`` writes) and the files it writes for the path given, each with the
    function that makes its text or bytes."""

    name: str
    source: type
    help: str
    layout: Callable[[Path], dict[Path, Render]]
    folder: bool = False  # the path names a folder the files go into
    to_stdout: bool = False  # one text file that "-" may send to standard output instead
    holds: Callable[[Any], str] = lambda source: "the plan"  # for "Wrote ... to FILE."

    def files(self, path: str | Path) -> dict[Path, Render]:
        """The files written for ``path``, in order, and how each is made."""
        return self.layout(Path(path))

    def render(self, source: Any) -> str | bytes:
        """The text of a one-file format, e.g. for standard output."""
        (make,) = self.files(STDOUT).values()
        return make(source)

    def write(self, source: Any, path: str | Path) -> list[Path]:
        """Write this format of ``source`` to ``path`` (a folder is made first), each file
        by ``planner.output.write``. The files written."""
        return write_files(self.files(path), source, Path(path) if self.folder else None)


def _one_file(make: Render) -> Callable[[Path], dict[Path, Render]]:
    return lambda path: {path: make}


def _markdown_files(path: Path) -> dict[Path, Render]:
    """The Markdown, and beside it the charts it links, NAME-load.png and NAME-balance.png."""
    pngs = {name: path.with_name(f"{path.stem}-{name}.png") for name in chart.CHARTS}
    images = {name: png.name for name, png in pngs.items()}
    files: dict[Path, Render] = {path: partial(Report.markdown, images=images)}
    files.update({png: partial(Report.png, name=name) for name, png in pngs.items()})
    return files


def _chart_files(folder: Path) -> dict[Path, Render]:
    """The charts alone, load.png and balance.png, in ``folder``."""
    return {folder / f"{name}.png": partial(Report.png, name=name) for name in chart.CHARTS}


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export(
            "csv",
            Plan,
            "Write the plan as CSV, one row per exercise per session",
            _one_file(csv_text),
            to_stdout=True,
            holds=lambda plan: f"{len(plan.entries)} rows",
        ),
        Export(
            "ics",
            Plan,
            "Write the plan as an iCalendar file (RFC 5545), an event a session, needs --start",
            _one_file(ics_text),
            to_stdout=True,
            holds=lambda plan: f"{len(plan.sessions)} events",
        ),
        Export(
            "json",
            Plan,
            "Write the whole plan as JSON, schema planner.plan/1",
            _one_file(json_text),
            to_stdout=True,
        ),
        Export(
            "html",
            Report,
            "Write one self-contained HTML page (charts inline, nothing fetched; prints well)",
            _one_file(Report.html),
        ),
        Export(
            "md",
            Report,
            "Write Markdown, with the charts it links beside it as NAME-load.png and "
            "NAME-balance.png",
            _markdown_files,
        ),
        Export(
            "png",
            Report,
            "Write the charts alone, load.png and balance.png, into this folder",
            _chart_files,
            folder=True,
        ),
    )
}
"""Every output format, by name (its option), in the order the options are offered."""


def exports_of(source: type) -> dict[str, Export]:
    """The formats made from ``source`` (``Plan`` or ``Report``), in table order."""
    return {name: e for name, e in EXPORTS.items() if e.source is source}
