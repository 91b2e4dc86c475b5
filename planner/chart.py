"""The report's two charts, drawn with matplotlib: weekly load against the ramp ceiling, and
each week's strength sets for the weak groups against the week's minimum and aim.

matplotlib is imported inside the functions, so commands that draw nothing (``planner plan``)
do not pay its import time; figures are built with the object API on the Agg canvas, never
pyplot's global state. Output is byte-for-byte repeatable: SVG ids come from a fixed hash salt
and no file carries a date or a software version.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from planner import evidence

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planner.report import Report

# Okabe-Ito colours (distinguishable with colour blindness): blue for build and hold weeks,
# orange for deloads; in the balance chart one colour a weak group, deload weeks hatched.
BUILD, DELOAD, CEILING, TARGET = "#0072B2", "#E69F00", "#000000", "#444444"
DONE, PAIN = "#D55E00", "#CC79A7"  # vermillion: what the log says was done; pain
GROUP_COLOURS = ("#009E73", "#0072B2", "#CC79A7")  # bluish green, blue, reddish purple
SIZE = (8.0, 3.6)  # inches: 576 x 259 pt in SVG; 1200 x 540 px at the PNG resolution
PNG_DPI = 150
# svg.fonttype "path": glyphs are drawn as paths, so the page needs no fonts at view time.
_RC = {"svg.hashsalt": "planner", "svg.fonttype": "path", "font.size": 9}


def _figure() -> tuple[Figure, object]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    axes.grid(axis="y", color="#EEEEEE")
    return figure, axes


def load_chart(report: Report) -> Figure:
    """Bars of each week's load (deload weeks orange and hatched), a black tick at each week's
    ramp ceiling (the most the ramp rule allows that week, R10/R12) and the target load."""
    weeks = report.explanation.weeks
    x = list(range(len(weeks)))
    loads = [w["load_au"] for w in weeks]
    deload = [w["kind"] == "deload" for w in weeks]
    figure, axes = _figure()
    bars = axes.bar(
        x,
        loads,
        width=0.6,
        color=[DELOAD if d else BUILD for d in deload],
        edgecolor="white",
        linewidth=0,
    )
    for bar, d in zip(bars, deload, strict=True):
        bar.set_hatch("//" if d else "")
    # Values inside the bars' tops, clear of the ceiling ticks and the target line.
    labels = axes.bar_label(bars, labels=[f"{v:.0f}" for v in loads], padding=-14)
    for label, d in zip(labels, deload, strict=True):
        label.set_color("black" if d else "white")  # black reads better on the orange hatch
    ceilings = [report.ceilings.get(w["week"]) for w in weeks]
    shown = [(i, c) for i, c in zip(x, ceilings, strict=True) if c is not None]
    if shown:
        axes.hlines(
            [c for _, c in shown],
            [i - 0.38 for i, _ in shown],
            [i + 0.38 for i, _ in shown],
            colors=CEILING,
            linewidth=2,
        )
    target = report.profile.target_load
    axes.axhline(target, color=TARGET, linestyle="--", linewidth=1)
    done = report.logged_loads
    logged = [(i, done[w["week"]]) for i, w in zip(x, weeks, strict=True) if w["week"] in done]
    if logged:
        axes.scatter(
            [i for i, _ in logged], [v for _, v in logged], marker="D", color=DONE, zorder=3
        )
    top = max([*loads, target, *(c for _, c in shown), *(v for _, v in logged)])
    axes.set_ylim(0, top * 1.25)
    axes.set_xticks(x, [f"week {w['week']}\n{w['kind']}" for w in weeks])
    axes.set_xlim(-0.6, len(weeks) - 0.4)
    axes.set_ylabel("load (AU = minutes x RPE)")
    against = "the ramp ceiling and the target" if shown else "the target"
    axes.set_title(f"Weekly load against {against}", loc="left")
    legend = [_patch(BUILD, "week's load")]
    legend += [_patch(DELOAD, "deload week", "//")] if any(deload) else []
    if shown:
        ceiling = f"ramp ceiling (+{report.profile.ramp_cap_pct} % a build week)"
        legend.append(_line(CEILING, "-", ceiling))
    legend.append(_line(TARGET, "--", f"target {target} AU"))
    if logged:
        legend.append(_marker(DONE, "D", "logged"))
    axes.legend(handles=legend, loc="upper left", ncols=5, frameon=False, fontsize=8)
    return figure


def pain_chart(report: Report) -> Figure:
    """Pain logged over time (0-10): during the exercise and the next morning, against the
    most the pain-monitoring model accepts (Silbernagel 2007)."""
    figure, axes = _figure()
    days = [d for d, _, _ in report.pains]
    during = [(d, a) for d, a, _ in report.pains if a is not None]
    morning = [(d, b) for d, _, b in report.pains if b is not None]
    if during:
        axes.plot(*zip(*during, strict=True), marker="o", color=PAIN, linewidth=1)
    if morning:
        axes.plot(
            *zip(*morning, strict=True),
            marker="o",
            markerfacecolor="white",
            color=PAIN,
            linestyle=":",
            linewidth=1,
        )
    axes.axhline(evidence.PAIN_ACCEPTABLE, color=TARGET, linestyle="--", linewidth=1)
    axes.set_ylim(0, 10.5)
    axes.set_xticks(days, [d.strftime("%d %b") for d in days])
    axes.set_ylabel("pain (0-10)")
    axes.set_title("Pain logged", loc="left")
    legend = [
        _marker(PAIN, "o", "during"),
        _marker(PAIN, "o", "next morning", hollow=True),
        _line(TARGET, "--", f"acceptable up to {evidence.PAIN_ACCEPTABLE}"),
    ]
    axes.legend(handles=legend, loc="upper left", ncols=3, frameon=False, fontsize=8)
    return figure


def _marker(color: str, marker: str, label: str, hollow: bool = False):
    from matplotlib.lines import Line2D

    face = "white" if hollow else color
    return Line2D(
        [], [], color=color, marker=marker, markerfacecolor=face, linestyle="", label=label
    )


def _patch(color: str, label: str, hatch: str = ""):
    from matplotlib.patches import Patch

    return Patch(facecolor=color, edgecolor="white", hatch=hatch, linewidth=0, label=label)


def _line(color: str, style: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, linestyle=style, linewidth=2, label=label)


def balance_chart(report: Report) -> Figure:
    """For each week, one bar per weak group for its strength sets (R18, R19; deload weeks
    hatched), against the week's minimum (black line) and aim (dashed line), both halved in a
    deload week (R12)."""
    rows = report.explanation.sets
    groups = evidence.WEAK_GROUPS
    figure, axes = _figure()
    width = 0.8 / len(groups)
    for g, group in enumerate(groups):
        offsets = [i - 0.4 + width * (g + 0.5) for i in range(len(rows))]
        bars = axes.bar(
            offsets,
            [row[group] for row in rows],
            width=width * 0.9,
            color=GROUP_COLOURS[g],
            edgecolor="white",
            linewidth=0,
            label=group.replace("_", " "),
        )
        for bar, row in zip(bars, rows, strict=True):
            bar.set_hatch("//" if row["kind"] == "deload" else "")
    x = list(range(len(rows)))
    axes.hlines(
        [row["minimum"] for row in rows],
        [i - 0.45 for i in x],
        [i + 0.45 for i in x],
        colors=CEILING,
        linewidth=2,
        label="minimum",
    )
    axes.hlines(
        [row["aim"] for row in rows],
        [i - 0.45 for i in x],
        [i + 0.45 for i in x],
        colors=TARGET,
        linestyle="--",
        linewidth=1.5,
        label="aim",
    )
    top = max([1.0, *(row[g] for row in rows for g in groups), *(row["aim"] for row in rows)])
    axes.set_ylim(0, top * 1.3)
    axes.set_xticks(x, [f"week {row['week']}\n{row['kind']}" for row in rows])
    axes.set_xlim(-0.6, len(rows) - 0.4)
    axes.set_ylabel("strength sets a week")
    axes.set_title("Strength sets for the weak groups against the minimum and aim", loc="left")
    legend = [_patch(colour, g) for colour, g in zip(GROUP_COLOURS, groups, strict=True)]
    if any(row["kind"] == "deload" for row in rows):
        legend.append(_patch("#999999", "deload week", "//"))
    legend += [_line(CEILING, "-", "minimum"), _line(TARGET, "--", "aim")]
    axes.legend(handles=legend, loc="upper left", ncols=len(legend), frameon=False, fontsize=8)
    return figure


# The charts every report has (its PNG files); "pain" is drawn on the HTML page when a log has
# pains (the Markdown page lists them as a table).
CHARTS: dict[str, Callable[[Report], Figure]] = {"load": load_chart, "balance": balance_chart}
DRAWN = {**CHARTS, "pain": pain_chart}


def svg(report: Report, name: str) -> str:
    """Chart ``name`` as an ``<svg>`` element to inline in HTML: no XML prolog, no date, no
    software name, and every id prefixed with ``name`` so two charts on one page never share
    one."""
    # None drops a key: no date, no "Matplotlib vX" and no Dublin Core block at all.
    metadata = dict.fromkeys(("Date", "Creator", "Format", "Type"))
    text = _save(report, name, "svg", metadata=metadata).decode()
    text = text[text.index("<svg") :]
    return re.sub(r'(\bid="|href="#|url\(#)', rf"\1{name}-", text)


def png(report: Report, name: str) -> bytes:
    """Chart ``name`` as PNG bytes, without the software version a PNG records by default."""
    return _save(report, name, "png", dpi=PNG_DPI, metadata={"Software": None})


def _save(report: Report, name: str, format: str, **options) -> bytes:
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context(_RC):  # drawing and saving both read these settings
        DRAWN[name](report).savefig(out, format=format, **options)
    return out.getvalue()
