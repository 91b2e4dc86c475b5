"""planner.report and `planner report`: what the page shows, that it stands alone, that the same
inputs give the same bytes, and the command's outputs and errors."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest

from planner import History, Profile, load_catalog, ramp, read_plan, solve
from planner.export import EXPORTS, exports_of
from planner.plan import Plan, describe_dose
from planner.profile import DAYS
from planner.ramp import NO_HISTORY
from planner.report import Report, build_report
from planner.screening import NOT_ADVICE

# Catalogue text that would break a page not escaped: markup, a table pipe, Markdown emphasis
# and a link.
HOSTILE_NAME = 'Glute <b>bridge</b> | & "co"'
HOSTILE_CUE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> & *x* _y_ [link](http://example.com)"
    " | z"
)
CHANGES = dict(
    glute_bridge={"name": HOSTILE_NAME, "cues": HOSTILE_CUE},
    dead_bug={"cues": "Brace, then move one arm and the opposite leg slowly."},
)
IMAGES = {"load": "r-load.png", "balance": "r-balance.png"}
WEEK = ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "1")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tiny(tiny_catalog, tiny_profile):
    """A 2-week tiny programme whose second week is a deload, with hostile catalogue text."""
    catalog = tiny_catalog(**CHANGES)
    profile = tiny_profile(weeks=2, deload_every=2)
    plan = solve(catalog, profile)
    assert "glute_bridge" in {e.exercise.id for e in plan.entries}
    report = build_report(Plan.from_frame(plan.to_frame(), catalog, profile), catalog)
    return plan, report, report.html(), report.markdown(IMAGES)


def expected_sessions(plan) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(day, [(name, dose, role), ...]) for each session, in week then day order."""
    return [
        (DAYS[day].capitalize(), [(e.exercise.name, describe_dose(e), e.exercise.role) for e in es])
        for day, es in ((s.day, s.entries) for s in plan.sessions)
    ]


def html_sessions(page: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    cells = re.findall(r'<td><p class="when">(\w+).*?</p><ol>(.*?)</ol></td>', page)
    item = (
        r'<li><strong>(.*?)</strong> <span class="dose">(.*?)</span> '
        r'<span class="role [^"]*">(.*?)<'
    )
    return [
        (day, [tuple(html.unescape(v) for v in found) for found in re.findall(item, items)])
        for day, items in cells
    ]


def md_sessions(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    out = []
    for line in text.splitlines():
        if line.startswith("#### "):
            out.append((line.split()[1], []))
        elif found := re.fullmatch(r"\d+\. \*\*(.+)\*\* · (.+?) · (\w+)(?: · .+)?", line):
            out[-1][1].append(
                tuple(html.unescape(re.sub(r"\\(.)", r"\1", v)) for v in found.groups())
            )
    return out


def test_html_shows_every_session_and_exercise_with_dose(tiny):
    """The HTML grid has each session, in order, with each exercise's name, dose and role."""
    plan, report, page, _ = tiny
    assert html_sessions(page) == expected_sessions(plan)
    for week in report.weeks:
        assert html.escape(report.week_heading(week)) in page


def test_markdown_shows_every_session_and_exercise_with_dose(tiny):
    """The Markdown lists each session, in order, with each exercise's name, dose and role."""
    plan, report, _, text = tiny
    assert md_sessions(text) == expected_sessions(plan)
    for week in report.weeks:
        assert f"### {report.week_heading(week)}\n" in text


def test_both_pages_show_each_soft_goal_cost_of_the_plan(tiny):
    """Each soft goal has a row with its weighted cost over the plan, which add up to the
    objective solving reported."""
    plan, report, page, text = tiny
    costs = report.explanation.costs
    assert sum(costs.values()) == plan.objective
    for name, cost in costs.items():
        assert f"| {name} | {cost} |" in text
        assert f'<tr><td>{name}</td><td class="n">{cost}</td></tr>' in page


def test_cues_are_printed_once_in_the_glossary(tiny):
    """A cue is printed once, under its exercise in the glossary, however often the exercise
    is planned; the weeks link to it by the exercise's id."""
    plan, _, page, text = tiny
    assert Counter(e.exercise.id for e in plan.entries)["dead_bug"] > 1
    cue = "Brace, then move one arm and the opposite leg slowly."
    assert page.count(cue) == 1 and text.count(cue) == 1
    assert (
        '<section class="exercise" id="ex-dead_bug">\n<h3>Dead bug <span class="role strength">'
        f'strength</span></h3>\n<p class="cue">{cue}</p>\n'
        "<p>Effort 4/10, somewhat hard: you could talk in short sentences. Stop each set with "
        "about 6 more reps in you.</p>\n</section>"
    ) in page
    assert (
        "### Dead bug · strength\n\n"
        f"{cue}\n\n"
        "Effort 4/10, somewhat hard: you could talk in short sentences. Stop each set with about 6 "
        "more reps in you.\n\n"
    ) in text
    assert (
        page.count('<a class="how" href="#ex-dead_bug">how</a>')
        == Counter(e.exercise.id for e in plan.entries)["dead_bug"]
    )


def test_catalogue_text_is_escaped(tiny):
    """Markup, pipes, emphasis and links in catalogue text are shown as text, never run."""
    _, _, page, text = tiny
    assert "<script" not in page and "<b>" not in page
    assert html.escape(HOSTILE_NAME) in page
    assert html.escape(HOSTILE_CUE) in page
    assert r'Glute &lt;b&gt;bridge&lt;/b&gt; \| &amp; "co"' in text
    assert (
        r"&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &amp; \*x\* "
        r"\_y\_ \[link\](http://example.com) \| z"
    ) in text
    for tag in ("<script", "<img", "<b>"):
        assert tag not in text


def test_markdown_renders_catalogue_markup_as_text(tiny):
    """Rendered, the Markdown shows catalogue markup as the characters typed: no tag, no
    link, no emphasis made from them (markdown-it-py, which comes with rich, renders it)."""
    markdown_it = pytest.importorskip("markdown_it")
    _, report, _, _ = tiny
    page = markdown_it.MarkdownIt("commonmark").render(report.markdown())  # no chart images
    for tag in ("<script", "<img", "<b>", "<a ", "<em>y"):
        assert tag not in page
    assert html.escape(HOSTILE_CUE) in page
    assert html.escape(HOSTILE_NAME) in page


def test_html_embeds_both_charts_as_inline_svg(tiny):
    """Two inline SVG charts, no images to fetch, and no id on the page used twice."""
    _, _, page, _ = tiny
    assert page.count("<svg ") == 2
    assert "<img" not in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', page):
        assert ref in ids


def test_html_fetches_nothing(tiny):
    """No scripts, stylesheets, fonts or images from anywhere: the file stands alone."""
    _, _, page, _ = tiny
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", page)
    for tag in ("<script", "<link", "<iframe", "<object", "@import", "@font-face"):
        assert tag not in page


def test_safety_note_is_on_the_page(tiny):
    """Both formats carry the 'not medical advice' note."""
    _, _, page, text = tiny
    assert NOT_ADVICE.startswith("Not medical advice.")
    assert html.escape(NOT_ADVICE) in page
    head, rest = NOT_ADVICE.split(". ", 1)
    assert f"> **{head}.** {rest}\n" in text


def test_markdown_links_the_chart_files(tiny):
    """The Markdown links each chart PNG by the name it is given; without names, none."""
    _, report, _, text = tiny
    assert re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text) == ["r-load.png", "r-balance.png"]
    assert "![" not in report.markdown()


def test_same_inputs_give_the_same_bytes(tiny, tiny_catalog):
    """A report built again from the same plan is byte for byte the same: HTML, Markdown and
    both PNGs (no dates, random ids or software versions)."""
    plan, report, page, text = tiny
    catalog = tiny_catalog(**CHANGES)
    again = build_report(Plan.from_frame(plan.to_frame(), catalog, report.profile), catalog)
    assert again.html() == page
    assert again.markdown(IMAGES) == text
    for name in ("load", "balance"):
        assert again.png(name) == report.png(name)
    assert "<dc:date>" not in page and "Matplotlib v" not in page


def test_ceilings_are_the_ramp_rules_band(tiny):
    """Each week's ceiling is the top of the ramp rule's band given the weeks before it."""
    plan, report, _, _ = tiny
    loads = plan.weekly_loads()
    build = ramp.band(report.profile, NO_HISTORY, deload=False).high
    deload = ramp.band(report.profile, History((loads[1],), (False,)), deload=True).high
    assert report.ceilings == pytest.approx({1: build, 2: deload})
    assert [w["kind"] for w in report.explanation.weeks] == ["build", "deload"]


def test_a_lone_week_has_no_ramp_ceiling(tiny_catalog, tiny_profile):
    """A single repeating week has nothing to ramp from, so no ceiling is drawn."""
    catalog, profile = tiny_catalog(), tiny_profile()
    plan = solve(catalog, profile)
    report = build_report(Plan.from_frame(plan.to_frame(), catalog, profile), catalog)
    assert report.ceilings == {}
    assert "ramp ceiling" not in report.svg("load")


def test_balance_chart_draws_each_weeks_sets_against_its_minimum_and_aim(tiny):
    """One bar per weak group a week at its strength sets (the deload week's hatched), a
    solid line at each week's minimum and a dashed one at its aim (halved in the deload)."""
    from planner import balance
    from planner.chart import balance_chart

    plan, report, _, _ = tiny
    figure = balance_chart(report)
    axes = figure.axes[0]
    bars = [(round(b.get_height(), 2), b.get_hatch() or "") for b in axes.patches]
    expected = [
        (balance.week_sets(plan.weeks[week])[group], "//" if week == 2 else "")
        for group in ("glutes", "core", "hamstrings")
        for week in (1, 2)
    ]
    assert bars == expected
    minimum, aim = (
        [round(seg[0][1], 2) for seg in lines.get_segments()] for lines in axes.collections
    )
    low, high = report.profile.weekly_sets
    assert (minimum, aim) == ([low, low / 2], [high, high / 2])
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "glutes",
        "core",
        "hamstrings",
        "deload week",
        "minimum",
        "aim",
    ]


def test_balance_section_shows_sets_not_time_shares(tiny):
    """Both pages' balance sections give the sets table and the patterns table, not the old
    share of session time."""
    _, _, page, text = tiny
    for heading in ("glutes", "core", "hamstrings", "minimum", "aim", "covered", "missing"):
        assert f"<th>{heading}</th>" in page
    assert "| week | kind | glutes | core | hamstrings | minimum | aim |" in text
    assert "share (%)" not in page and "target (%)" not in page


def test_report_files_layout():
    """--html writes one file; --md its Markdown and two PNGs beside it; --png two PNGs."""
    given = {"html": "a/r.html", "md": "b/notes.md", "png": "c"}
    files = {name: EXPORTS[name].files(path) for name, path in given.items()}
    assert {option: [str(p) for p in paths] for option, paths in files.items()} == {
        "html": ["a/r.html"],
        "md": ["b/notes.md", "b/notes-load.png", "b/notes-balance.png"],
        "png": ["c/load.png", "c/balance.png"],
    }
    assert list(exports_of(Report)) == ["html", "md", "png"]


def test_a_shipped_four_week_programme(shipped):
    """A real 4-week beginner programme: 12 sessions, 4 week rows, the deload marked."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"))
    plan = solve(shipped, profile)
    report = build_report(Plan.from_frame(plan.to_frame(), shipped, profile), shipped)
    page, text = report.html(), report.markdown(IMAGES)
    assert html_sessions(page) == md_sessions(text) == expected_sessions(plan)
    assert len(html_sessions(page)) == 12
    assert page.count('<tr class="week') == 4 and page.count('<tr class="week deload">') == 1
    for e in plan.entries:
        assert html.escape(e.exercise.cues) in page


# --- the command -----------------------------------------------------------------------------


def test_report_writes_html_markdown_and_png(tmp_path, invoke):
    """All three outputs at once: one line a output naming its files; PNGs are PNGs, and the
    Markdown's charts are the --png charts."""
    page, notes, charts = tmp_path / "r.html", tmp_path / "notes.md", tmp_path / "charts"
    result = invoke("report", *WEEK, "--html", str(page), "--md", str(notes), "--png", str(charts))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {page}.\n"
        f"Wrote {notes}, {tmp_path / 'notes-load.png'} and {tmp_path / 'notes-balance.png'}.\n"
        f"Wrote {charts / 'load.png'} and {charts / 'balance.png'}.\n"
    )
    assert page.read_text("utf-8").count("<svg ") == 2
    assert "](notes-load.png)" in notes.read_text("utf-8")
    for name in ("load", "balance"):
        png = (charts / f"{name}.png").read_bytes()
        assert png.startswith(PNG_MAGIC)
        assert (tmp_path / f"notes-{name}.png").read_bytes() == png


def test_report_on_a_plan_csv(tmp_path, invoke):
    """Given PLAN_CSV it reports on that file; the page is the same as for the plan solved."""
    plan_csv, page = tmp_path / "week.csv", tmp_path / "r.html"
    assert invoke("plan", *WEEK, "--csv", str(plan_csv), "--quiet").exit_code == 0
    result = invoke("report", str(plan_csv), *WEEK, "--html", str(page))
    assert (result.exit_code, result.output) == (0, f"Wrote {page}.\n")
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1)
    expected = build_report(read_plan(plan_csv, load_catalog(), profile), load_catalog())
    assert page.read_text("utf-8") == expected.html()


def test_report_needs_an_output(invoke):
    """No --html, --md or --png: one line naming them, exit 2."""
    result = invoke("report", *WEEK)
    assert (result.exit_code, result.output) == (
        2,
        "Error: choose an output: --html FILE, --md FILE or --png DIR\n",
    )


def test_report_refuses_two_outputs_on_one_file(tmp_path, monkeypatch, invoke):
    """--html and --md naming one file is refused (exit 2) before any solving."""
    monkeypatch.setattr("planner.cli.progress.solve", lambda *a, **k: pytest.fail("solved"))
    same = tmp_path / "r.txt"
    result = invoke("report", *WEEK, "--html", str(same), "--md", str(same))
    assert (result.exit_code, result.output) == (
        2,
        f"Error: --html and --md both write to {same}; give each its own file\n",
    )


def test_report_refuses_unwritable_targets_before_solving(tmp_path, monkeypatch, invoke):
    """A target in a missing folder, or a --png folder under a file, is refused (exit 2)
    before any solving."""
    monkeypatch.setattr("planner.cli.progress.solve", lambda *a, **k: pytest.fail("solved"))
    missing = tmp_path / "missing" / "r.html"
    result = invoke("report", *WEEK, "--html", str(missing))
    assert (result.exit_code, result.output) == (
        2,
        f"Error: --html {missing}: folder {missing.parent} does not exist\n",
    )
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = invoke("report", *WEEK, "--md", str(tmp_path / "ok.md"), "--png", f"{a_file}/charts")
    assert (result.exit_code, result.output) == (
        2,
        f"Error: --png {a_file}/charts: {a_file} is a file; give a folder\n",
    )
    assert not (tmp_path / "ok.md").exists()


def test_report_refuses_a_bad_plan_csv(tmp_path, invoke):
    """A PLAN_CSV that is not a plan is refused with the file's error, exit 2."""
    bad = tmp_path / "bad.csv"
    bad.write_text("week,day\n1,mon\n")
    result = invoke("report", str(bad), *WEEK, "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {bad}:1: missing column 'date'")
    assert not (tmp_path / "r.html").exists()


def test_planning_does_not_import_matplotlib():
    """matplotlib is imported only when a chart is drawn, so `planner plan` starts fast."""
    code = "import sys, planner, planner.cli; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_pain_box_is_on_every_page_and_stricter_for_back_pain(tiny):
    """Both pages carry the pain rule; with back pain among the conditions, its stricter line."""
    _, report, page, text = tiny
    for line in report.pain_rule:
        assert f"<li>{html.escape(line)}</li>" in page and f"- {line}\n" in text
    back = replace(report, profile=replace(report.profile, conditions=frozenset({"back_pain"})))
    assert "<li>With back pain, stricter: keep back pain to 2/10 or less" in back.html()
    assert "With back pain" not in page
