"""The report's two charts, drawn with matplotlib: weekly load against the ramp ceiling, and
each muscle group's share of session time against its target.

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
# orange for deloads; shades of blue tell the weeks apart in the balance chart.
BUILD, DELOAD, CEILING, TARGET, TOLERANCE = "#0072B2", "#E69F00", "#000000", "#444444", "#DDDDDD"
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
    top = max([*loads, target, *(c for _, c in shown)])
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
    axes.legend(handles=legend, loc="upper left", ncols=4, frameon=False, fontsize=8)
    return figure


def _patch(color: str, label: str, hatch: str = ""):
    from matplotlib.patches import Patch

    return Patch(facecolor=color, edgecolor="white", hatch=hatch, linewidth=0, label=label)


def _line(color: str, style: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, linestyle=style, linewidth=2, label=label)


def balance_chart(report: Report) -> Figure:
    """For each balance group, one bar a week for its share of session time (by primary group),
    against its target share (black line) and the band around it the objective does not
    penalise (grey, +-SHARE_TOLERANCE_PCT points)."""
    weeks = sorted(report.shares)
    groups = [row["group"] for row in report.shares[weeks[0]]] if weeks else []
    deloads = {w["week"] for w in report.explanation.weeks if w["kind"] == "deload"}
    builds = [w for w in weeks if w not in deloads]
    shade = {w: _blue(i, len(builds)) for i, w in enumerate(builds)}
    figure, axes = _figure()
    width = 0.8 / max(len(weeks), 1)
    tol = evidence.SHARE_TOLERANCE_PCT
    top = 0.0
    for g, group in enumerate(groups):
        target = next(row["target_pct"] for row in report.shares[weeks[0]] if row["group"] == group)
        axes.bar(
            g,
            target + tol - max(target - tol, 0),
            bottom=max(target - tol, 0),
            width=0.9,
            color=TOLERANCE,
            zorder=0,
            label=f"target ± {tol} points" if g == 0 else None,
        )
        axes.hlines(
            target,
            g - 0.45,
            g + 0.45,
            colors=CEILING,
            linewidth=2,
            label="target share" if g == 0 else None,
        )
        top = max(top, target + tol)
    for i, week in enumerate(weeks):
        rows = {row["group"]: row["share_pct"] for row in report.shares[week]}
        offsets = [g - 0.4 + width * (i + 0.5) for g in range(len(groups))]
        deload = week in deloads
        axes.bar(
            offsets,
            [rows[group] for group in groups],
            width=width * 0.9,
            color=DELOAD if deload else shade[week],
            hatch="//" if deload else "",
            edgecolor="white",
            linewidth=0,
            label=f"week {week}" + (" (deload)" if deload else ""),
        )
        top = max(top, *rows.values())
    axes.set_ylim(0, top * 1.2)
    axes.set_xticks(range(len(groups)), [group.replace("_", " ") for group in groups])
    axes.set_ylabel("share of session time (%)")
    axes.set_title("Each muscle group's share of the week against its target", loc="left")
    axes.legend(loc="upper right", ncols=min(len(weeks) + 2, 6), frameon=False, fontsize=8)
    return figure


def _blue(i: int, n: int) -> tuple[float, float, float]:
    """The i-th of n blues, light to dark (Okabe-Ito's sky blue towards its blue)."""
    light, dark = (0.60, 0.80, 0.93), (0.0, 0.30, 0.55)
    t = i / (n - 1) if n > 1 else 1.0
    return tuple(a + (b - a) * t for a, b in zip(light, dark, strict=True))


CHARTS: dict[str, Callable[[Report], Figure]] = {"load": load_chart, "balance": balance_chart}


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
        CHARTS[name](report).savefig(out, format=format, **options)
    return out.getvalue()
