"""The plan for a terminal: rich tables with each role and muscle group in its own colour, and
the line that shows a long solve's progress.

Only builds rich renderables; the CLI prints them, through a ``rich.console.Console`` that
leaves the colour out under NO_COLOR or TERM=dumb. ``Plan.render`` stays the plain text that
pipes and files get. rich is imported here, and this module only when stdout or stderr is a
terminal, so that scripts piping ``planner plan`` do not pay for it.
"""

from __future__ import annotations

import math
import time

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from planner.guidance import GROUP_WORDS, PHASE_WORDS, target
from planner.plan import Plan, describe_dose
from planner.ramp import WeekFigures
from planner.solve import Progress, Status

# One colour a group wherever it appears. The five groups the balance goal weighs get the five
# most distinct colours; the others a bright shade of the group they work with (quadriceps
# with the hip flexors: rectus femoris is both; obliques with the core; the abductors with
# the glutes). Only the 16 standard colours, so that every colour terminal shows them.
GROUP_STYLES = {
    "hip_flexors": "red",
    "glutes": "magenta",
    "hamstrings": "yellow",
    "core": "cyan",
    "obliques": "bright_cyan",
    "lower_back": "green",
    "quadriceps": "bright_red",
    "adductors": "bright_blue",
    "abductors": "bright_magenta",
}
# Roles in bold, in the order a session goes: release, mobility, stretch, strength.
ROLE_STYLES = {
    "release": "bold blue",
    "mobility": "bold yellow",
    "stretch": "bold cyan",
    "strength": "bold green",
}
PHASE_STYLES = {"build": "bold green", "hold": "bold cyan", "deload": "bold black on yellow"}


def plan_view(plan: Plan, width: int = 80, verbose: bool = False) -> RenderableType:
    """The plan as ``Plan.render`` tells it (``verbose``: its engineering view), as a table a
    session (order, exercise, role, dose, effort target, and the groups it works, which the
    plain text leaves out for width: in plain words, or with ``verbose`` as the catalogue names
    them) under each programme week's line, a deload week standing out, and the pain rule at
    the end; every table with the same columns, fitted to ``width`` (the console's) by
    wrapping names and groups."""
    parts: list[RenderableType] = [Text(plan.headline(verbose), style="bold")]
    figures = {} if plan.profile.lone_week else {f.week: f for f in plan.week_figures()}
    widths = _column_widths(plan, width, verbose)
    for session in plan.sessions:
        week, entries = session.week, list(session.entries)
        if week in figures:  # before the week's first session only
            parts += [Text(""), week_rule(figures.pop(week), verbose)]
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),
            header_style="dim",
        )
        for (name, column_width), justify in zip(widths.items(), _JUSTIFY, strict=True):
            table.add_column(name, width=column_width, justify=justify, overflow="fold")
        for e in entries:
            role = e.exercise.role
            table.add_row(
                str(e.order),
                e.exercise.name,
                Text(role, style=ROLE_STYLES[role]),
                describe_dose(e),
                target(e.exercise),
                groups_text(e.exercise.groups, verbose),
            )
        # The heading above its table, not its title: a title wraps at the table's width.
        parts += [Text(""), Text(session.heading(verbose), style="bold"), table]
    parts += [Text(""), Text("If something hurts:", style="bold")]
    parts += [Text(f"- {rule}") for rule in plan.pain_rule()]
    return Group(*parts)


_JUSTIFY = ("right", "left", "left", "left", "left", "left")
_GAP = 2  # between two columns: a cell's padding on its right, then the box's divider


def _column_widths(plan: Plan, width: int, verbose: bool = False) -> dict[str, int]:
    """Each column's width: order, role, dose and effort as wide as their widest cell;
    exercise and groups too when the screen has room, else sharing what is left 3:2, neither
    narrower than its longest word (so that at 80 columns a name wraps between words)."""
    entries = plan.entries
    named = [group_names(e.exercise.groups, verbose) for e in entries]
    order = max((len(str(e.order)) for e in entries), default=1)
    role = max(map(len, ROLE_STYLES))
    dose = max((len(describe_dose(e)) for e in entries), default=4)
    aim = max((len(target(e.exercise)) for e in entries), default=6)
    name = max((len(e.exercise.name) for e in entries), default=8)
    groups = max((len(", ".join(n)) for n in named), default=6)
    word = max((len(w) for e in entries for w in e.exercise.name.split()), default=8)
    group = max((len(w) + 1 for n in named for g in n for w in g.split()), default=6)
    left = width - 5 * _GAP - order - role - dose - aim
    if name + groups > left:
        groups = min(groups, max(group, left * 2 // 5))
        name = max(word, left - groups)
    return {
        "#": order,
        "exercise": name,
        "role": role,
        "dose": dose,
        "effort": aim,
        "groups": groups,
    }


def week_rule(figures: WeekFigures, verbose: bool = False) -> Rule:
    """The week's summary line across the screen, its phase coloured (a deload reversed):
    in plain words, or with ``verbose`` the figures ``planner explain`` gives."""
    phase = figures.phase
    style = PHASE_STYLES.get(phase, "bold")
    if verbose:
        title = Text.assemble(
            f"Week {figures.week} · ",
            (phase.upper() if phase == "deload" else phase, style),
            f" · {figures.load:.0f} AU · {figures.change_pct:+.1f} % "
            f"· acute:chronic {figures.acute_chronic:.2f}",
        )
    else:
        title = Text.assemble(
            f"Week {figures.week} · ",
            (PHASE_WORDS.get(phase, phase), style),
            f" · training load {figures.load:.0f}",
        )
    return Rule(title, align="left", characters="=", style="dim")


def group_names(groups: tuple[str, ...], verbose: bool = False) -> list[str]:
    """The groups in plain words ('front of the hips'), or with ``verbose`` as the catalogue
    names them ('hip_flexors')."""
    return list(groups) if verbose else [GROUP_WORDS.get(g, g) for g in groups]


def groups_text(groups: tuple[str, ...], verbose: bool = False) -> Text:
    """'front of the hips, front of the thighs' ('hip_flexors, quadriceps' with ``verbose``),
    each group in its colour."""
    text = Text()
    for i, (group, name) in enumerate(zip(groups, group_names(groups, verbose), strict=True)):
        if i:
            text.append(", ")
        text.append(name, style=GROUP_STYLES.get(group, ""))
    return text


class ProgressView:
    """The transient line a long solve shows on stderr: 'Planning week 3 of 12 · best
    objective 12 · 2.1 s', with a spinner. ``update`` it from ``solve``'s progress hook; a
    ``rich.live.Live`` redraws it, the seconds counting on between updates."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._started = clock()
        self._latest: Progress | None = None
        self._spinner = Spinner("dots", style="cyan")

    def update(self, progress: Progress) -> None:
        self._latest = progress

    def line(self) -> str:
        """The line's text as of now."""
        seconds = f"{self._clock() - self._started:.1f} s"
        p = self._latest
        if p is None:
            return f"Planning · {seconds}"
        if p.event == "end" and p.done is not None and p.done.status is Status.INFEASIBLE:
            return f"Week {p.week} has no plan: finding the rules that clash · {seconds}"
        best = "" if math.isnan(p.objective) else f" · best objective {p.objective:g}"
        again = " again" if p.again else ""
        return f"Planning week {p.week} of {p.last_week}{again}{best} · {seconds}"

    def __rich__(self) -> RenderableType:
        self._spinner.update(text=Text(self.line()))
        return self._spinner
