"""The deck for people who cannot see it: every graphic described in the lesson's words, decoration
marked so screen readers pass over it, one unique title per slide that a screen reader meets first,
and every colour the deck draws as text reading at 4.5:1 (WCAG 2.x) on what it is drawn on.

Decks are reopened with python-pptx, as a reviewer's PowerPoint would read them; the contrast is
computed from ``templates/theme.yaml`` and, independently, from the colours each reopened deck
actually draws, text run by text run, against the fills beneath it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from support.builds import run_pipeline
from support.decks import board, slide
from support.lessons import CORPUS, SAMPLE, UNSEEN
from support.pictures import every_shape

from pipeline.deck import build_deck
from pipeline.deck.page import COLOUR_NAMES
from pipeline.deck.shapes import is_decorative, properties
from pipeline.errors import ConfigError
from pipeline.frames import render_frames
from pipeline.lesson import read_lesson
from pipeline.model import Chart, Diagram, Direction, Item, Series, Table
from pipeline.storyboard import plan
from pipeline.theme import DEFAULT_THEME, MARKABLE, MIN_CONTRAST, PAIRS, Theme, contrast, load_theme, mix, pair_contrast

LESSONS = [SAMPLE, *sorted(CORPUS.glob("L*")), *sorted(UNSEEN.glob("*"))]


CARDS = (
    Item("Deliberate", "An attacker", points=(Item("plants data", marked=True),)),
    Item("Accidental", "A team", marked=True),
    Item("Inherited", "A vendor"),
)
CHANGE = (Item("Before", points=(Item("refuses"),)), Item("After", points=(Item("complies", marked=True),)))
RIGHTS = Table(("Right", "Deadline"), (("Access", "1 month"), ("Erasure, in full", "1 month")))
THREE_SERIES = Chart(
    "column",
    ("Q1", "Q2", "Q3"),
    (
        Series("Baseline", (10.0, 12.5, 14.0)),
        Series("Filtered", (8.0, 6.0, 4.0), ("8%", "6%", "4%")),
        Series("Judged", (1200.0, 900.0, 600.0)),
    ),
    title="Attack success",
    category_axis="Quarter",
    marked=(1,),
    mark_colour="red",
)
PIE = Chart("pie", ("Backfill", "Cutover"), (Series("", (24.0, 3.0)),), value_axis="Minutes")
SKETCH = Chart(
    "line",
    ("start", "end"),
    (Series("Clean score — flat", trend="flat"), Series("Trigger rate", trend="rising")),
    category_axis="Training",
    illustrative=True,
)
FLOW = Diagram(
    "flow",
    tuple(Item(t, marked=t == "Tool") for t in ("User", "Model", "Tool", "Inbox")),
    ((0, 1), (1, 2), (3, 1)),
    boundary=(1, 2),
    dim_unmarked=True,
    mark_colour="amber",
    callouts=((2, "No tool for a summary"),),
)
HUB = Diagram("hub", tuple(Item(t) for t in ("Agent", "Email", "Shell")), ((0, 1), (0, 2)))
VENN = Diagram(
    "venn",
    (Item("Backdoor", marked=True), Item("Availability"), Item("Integrity"), Item("SUDO attack")),
    ((3, 0), (3, 1)),
    dim_unmarked=True,
    mark_colour="teal",
)
# Every layout, with the marks and colours the corpus lessons happen not to use: a marked card, a
# marked code line, three chart series, a venn with a set marked in teal and the others greyed out,
# a flow with a box marked in amber, a boundary and a note, a title used twice and one left empty.
EVERYTHING = board(
    slide(1, "Every layout", "title"),
    slide(2, "Recap", "bullets", (Item("Describe every graphic", "in its own words"), Item("Mark decoration"))),
    slide(3, "Three sources", "cards", CARDS),
    slide(4, "Before and after", "comparison", CHANGE),
    slide(5, "Versus injection", "comparison", (Item("Prompt injection", "Deployment"), Item("Poisoning"))),
    slide(6, "Five steps", "steps", tuple(Item(f"Step {i}", "Detail") for i in range(1, 6))),
    slide(7, "Checks", "checklist", (Item("Alt text"), Item("Titles"))),
    slide(8, "The template", "code", (Item("Answer using:"), Item("{documents}", marked=True), Item("Done."))),
    slide(9, "What it costs", "stat", (Item("$60", "to poison 0.01% of LAION"),), citation="Carlini et al. (2023)"),
    slide(10, "Up next", "end", (Item("Backdoors in depth", "Up next"),)),
    slide(11, "By design", "quote", (Item("Data protection by design and by default", "Article 25"),)),
    slide(12, "Why cost matters", "placeholder", (Item("A GPU costs $5"),), visual="a cost curve"),
    slide(13, "Rights", "table", table=RIGHTS),
    slide(14, "Success by quarter", "chart", chart=THREE_SERIES),
    slide(15, "Where the time goes", "chart", chart=PIE),
    slide(16, "Why evals miss it", "chart", chart=SKETCH),
    slide(17, "The flow", "diagram", diagram=FLOW),
    slide(18, "The hub", "diagram", diagram=HUB),
    slide(19, "Overlaps", "diagram", diagram=VENN),
    slide(20, "The first day", "timeline", (Item("T+0", "alert"), Item("T+1 h", "scope", points=(Item("data"),)))),
    slide(21, "recap", "statement", (Item("Accessible decks are better decks."),)),
    slide(22, "", "bullets", (Item("A slide the author left untitled"),)),
    slide(
        23,
        "In a grid",
        "cards",
        tuple(Item(f"Card {i}") for i in range(4)),
        direction=Direction("cards", grid=(2, 2)),
    ),
    stem="A1.1.1-everything",
    code="A1.1.1",
    title="Every layout, read aloud",
    module="Module 1 — Access",
    framework_tags=("WCAG 2.2",),
)


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Any:
    result = build_deck(EVERYTHING, theme, tmp_path_factory.mktemp("a11y") / "deck.pptx")
    return Presentation(str(result.path)), result.warnings


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory, theme: Theme, everything: Any) -> dict[str, Any]:
    """Every corpus and unseen lesson's deck, and the deck of every layout, reopened: name -> Presentation."""
    out = tmp_path_factory.mktemp("a11y-corpus")
    opened = {"every layout": everything[0]}
    for path in LESSONS:
        built = build_deck(plan(read_lesson(path)), theme, out / f"{path.stem}.pptx")
        opened[path.name] = Presentation(str(built.path))
    return opened


def pages(decks: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, prs in decks.items():
        for n, page in enumerate(prs.slides, start=1):
            yield f"{name} slide {n}", page


def descr(shape: Any) -> str:
    return str(properties(shape).get("descr", "")).strip()


def shown_text(shape: Any) -> str:
    return shape.text_frame.text.strip() if shape.has_text_frame else ""


def kind(shape: Any) -> str:
    return str(shape._element.tag).rpartition("}")[2]


# ---------------------------------------------------------------- alt text and decoration


def test_every_picture_chart_table_and_group_is_described_or_marked_decorative(decks: dict[str, Any]) -> None:
    for where, page in pages(decks):
        for shape in every_shape(page.shapes):
            if kind(shape) in ("pic", "graphicFrame", "grpSp"):
                assert descr(shape) or is_decorative(shape), f"{where}: {shape.name} has no alt text"


def test_every_shape_without_text_is_described_or_marked_decorative(decks: dict[str, Any]) -> None:
    for where, page in pages(decks):
        for shape in every_shape(page.shapes):
            if kind(shape) in ("sp", "cxnSp") and not shape.is_placeholder and not shown_text(shape):
                assert descr(shape) or is_decorative(shape), (
                    f"{where}: {shape.name} is neither described nor decorative"
                )


def test_a_diagram_is_one_described_group_naming_every_box_and_each_arrow_says_what_it_joins(
    decks: dict[str, Any],
) -> None:
    seen = 0
    for where, page in pages(decks):
        for group in (s for s in page.shapes if kind(s) == "grpSp" and s.name == "Diagram"):
            seen += 1
            members = list(every_shape(group.shapes))
            labels = {s.shape_id: shown_text(s).split("\n")[0] for s in members if s.name.startswith("Node ")}
            assert labels, f"{where}: a diagram group without its boxes"
            for label in labels.values():
                assert label in descr(group), f"{where}: the description leaves out {label!r}"
            for arrow in (s for s in members if s.name.startswith("Arrow ")):
                begin = labels[int(arrow._element.find(".//" + qn("a:stCxn")).get("id"))]
                end = labels[int(arrow._element.find(".//" + qn("a:endCxn")).get("id"))]
                assert descr(arrow) == f"Arrow from {begin} to {end}", where
    assert seen >= 8


def test_the_flow_description_follows_the_arrows_and_says_what_is_marked(everything: Any) -> None:
    prs, _ = everything
    (group,) = [s for s in prs.slides[16].shapes if s.name == "Diagram"]
    assert descr(group) == (
        "Flow diagram of 4 boxes: User to Model to Tool; Inbox to Model; a dashed boundary encloses Model and Tool; "
        "Tool shown in amber; the others greyed out; note on Tool: No tool for a summary."
    )
    (hub,) = [s for s in prs.slides[17].shapes if s.name == "Diagram"]
    assert descr(hub) == "Hub diagram of 3 boxes: Agent in the middle, with arrows to Email and Shell."
    (venn,) = [s for s in prs.slides[18].shapes if s.name == "Venn diagram"]
    assert descr(venn) == (
        "Venn diagram of 3 sets: Backdoor, Availability and Integrity; SUDO attack in both Backdoor and "
        "Availability; Backdoor shown in teal; the others greyed out."
    )


def chart_values(frame: Any) -> Iterator[str]:
    """Each value as the chart shows it: the point's own label text, else the value in the labels' format."""
    chart = frame.chart
    for series in chart.plots[0].series:
        places = len(series.data_labels.number_format.partition(".")[2]) if chart.plots[0].has_data_labels else 0
        for i, value in enumerate(series.values):
            label = series.points[i].data_label
            text = label.text_frame.text if label.has_text_frame else ""
            yield text.split("\n")[-1] if text else f"{value:,.{places}f}"
        if chart.chart_type is not None and "PIE" in str(chart.chart_type):
            break  # a pie shows one series


def test_a_chart_is_described_with_every_category_and_value_as_shown_and_its_source(decks: dict[str, Any]) -> None:
    seen = 0
    for where, page in pages(decks):
        for frame in (s for s in page.shapes if getattr(s, "has_chart", False) and s.has_chart):
            seen += 1
            said = descr(frame)
            for category in frame.chart.plots[0].categories:
                assert str(category) in said, f"{where}: the description leaves out category {category!r}"
            for value in chart_values(frame):
                assert value in said, f"{where}: the description leaves out the value {value!r}: {said}"
            source = [shown_text(s) for s in page.shapes if s.name == "Source"]
            assert all(s.removeprefix("Source: ") in said for s in source), f"{where}: no source in {said!r}"
    assert seen >= 5


def test_the_chart_with_three_series_reads_each_series_in_turn(everything: Any) -> None:
    prs, _ = everything
    (frame,) = [s for s in prs.slides[13].shapes if s.name == "Chart"]
    assert descr(frame) == (
        "Column chart of Attack success by Quarter. Baseline: Q1 10.0; Q2 12.5 (shown in red); Q3 14.0. "
        "Filtered: Q1 8%; Q2 6% (shown in red); Q3 4%. Judged: Q1 1,200.0; Q2 900.0 (shown in red); Q3 600.0."
    )
    assert properties(frame).get("title") == "Column chart"


def test_an_illustrative_sketch_says_it_holds_no_data_and_the_shapes_it_draws(decks: dict[str, Any]) -> None:
    seen = 0
    for where, page in pages(decks):
        for group in (s for s in page.shapes if s.name == "Illustrative chart"):
            seen += 1
            said = descr(group)
            assert re.match(r"Illustrative (sketch|frame), no data", said), f"{where}: {said}"
            for line in (s for s in every_shape(group.shapes) if s.name.startswith("Sketch: ")):
                assert line.name.removeprefix("Sketch: ") in said, where
    assert seen >= 5
    (sketch,) = [s for s in decks["every layout"].slides[15].shapes if s.name == "Illustrative chart"]
    assert descr(sketch) == (
        "Illustrative sketch, no data: Clean score — flat; Trigger rate — rising; along Training; from start to end."
    )


def test_a_table_says_its_size_columns_and_rows_before_its_cells_are_read(decks: dict[str, Any]) -> None:
    prs = decks["every layout"]
    (frame,) = [s for s in prs.slides[12].shapes if s.has_table]
    assert descr(frame) == "Table of 2 rows. Columns: Right; Deadline. Rows: Access; Erasure, in full."
    gdpr = decks["G2.1.3-gdpr-basics-for-engineers.txt"]
    (rights,) = [s for s in gdpr.slides[2].shapes if s.has_table]
    assert descr(rights) == (
        "Table of 4 rows. Columns: Right; What the user gets; Deadline. "
        "Rows: Access; Rectification; Erasure; Portability."
    )


def test_a_mark_shown_by_colour_alone_is_said_in_words(everything: Any) -> None:
    prs, _ = everything
    marked = [descr(s) for s in every_shape(prs.slides[2].shapes) if descr(s)]
    assert marked == ["Highlighted: Accidental"]
    code = [descr(s) for s in every_shape(prs.slides[7].shapes) if descr(s)]
    assert code == ["Highlighted: line 2, {documents}"]
    (arrow,) = [s for s in prs.slides[3].shapes if s.name == "Arrow"]
    assert descr(arrow) == "Arrow from Before to After"


def test_decoration_is_marked_as_powerpoint_marks_it(everything: Any) -> None:
    prs, _ = everything
    page = prs.slides[5]
    band = next(s for s in page.shapes if s.name == "Title band")
    ext = properties(band).find(f"{qn('a:extLst')}/{qn('a:ext')}")
    assert ext.get("uri") == "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
    (mark,) = list(ext)
    assert mark.tag == "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    assert mark.get("val") == "1"
    decorative = {s.name for s in every_shape(page.shapes) if is_decorative(s)}
    assert {"Title band", "Accent bar", "Footer rule", "Disc 1", "Rule"} <= decorative
    assert not any(is_decorative(s) for s in every_shape(page.shapes) if s.name.startswith("Number "))


def test_a_logo_is_described_by_the_themes_logo_alt_or_else_marked_decorative(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), "#E8833A").save(tmp_path / "logo.png")
    base = DEFAULT_THEME.read_text(encoding="utf-8") + "\nlogo: logo.png\n"
    for alt in ("Acme Academy", ""):
        (tmp_path / "theme.yaml").write_text(base + (f"logo_alt: {alt}\n" if alt else ""), encoding="utf-8")
        deck = build_deck(EVERYTHING, load_theme(tmp_path / "theme.yaml"), tmp_path / f"deck{bool(alt)}.pptx")
        for page in Presentation(str(deck.path)).slides:
            (logo,) = [s for s in page.shapes if kind(s) == "pic"]
            if alt:
                assert descr(logo) == alt and properties(logo).get("title") == "Logo"
            else:
                assert is_decorative(logo) and not descr(logo)


# ---------------------------------------------------------------- titles and reading order


def is_title(shape: Any) -> bool:
    return bool(
        shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    )


def test_every_slide_has_a_title_placeholder_with_text_and_no_two_read_the_same(decks: dict[str, Any]) -> None:
    for name, prs in decks.items():
        titles = []
        for n, page in enumerate(prs.slides, start=1):
            title = page.shapes.title
            assert title is not None and is_title(title), f"{name} slide {n} has no title placeholder"
            assert title.text_frame.text.strip(), f"{name} slide {n} has an empty title"
            titles.append(title.text_frame.text.strip().casefold())
        assert len(set(titles)) == len(titles), f"{name} repeats a title: {titles}"


def test_a_repeated_title_is_numbered_and_an_untitled_slide_named_with_a_warning(everything: Any) -> None:
    prs, warnings = everything
    titles = [page.shapes.title.text_frame.text for page in prs.slides]
    assert titles[0] == "Every layout, read aloud"
    assert (titles[1], titles[20], titles[21]) == ("Recap", "recap (2)", "Slide 22")
    said = [str(w) for w in warnings]
    assert (
        "lesson.md:31: warning: slide 21: the title 'recap' is already used in this deck; shown as 'recap (2)'" in said
    )
    assert "lesson.md:32: warning: slide 22: the slide has no title; shown as 'Slide 22'" in said


def reading_order(page: Any) -> list[Any]:
    """What a screen reader announces, in order: shapes with text or alt text, not decorative."""
    return [s for s in every_shape(page.shapes) if not is_decorative(s) and (shown_text(s) or descr(s))]


def test_the_title_is_the_first_thing_a_screen_reader_meets_and_is_drawn_over_the_band(decks: dict[str, Any]) -> None:
    for where, page in pages(decks):
        order = reading_order(page)
        assert is_title(order[0]), f"{where}: {order[0].name} is read before the title"
        tree = list(page.shapes)
        title = tree.index(page.shapes.title)
        assert all(is_decorative(s) for s in tree[:title]), where
        band = [i for i, s in enumerate(tree) if s.name == "Title band"]
        assert all(i < title for i in band), f"{where}: the band would cover the title"


def test_the_footer_and_slide_number_are_read_after_the_slides_content(decks: dict[str, Any]) -> None:
    for where, page in pages(decks):
        if not any(s.name == "Footer" for s in page.shapes):
            continue  # the cover
        assert [s.name for s in reading_order(page)[-2:]] == ["Footer", "Slide number"], where


# ---------------------------------------------------------------- contrast: the theme


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_every_colour_pair_the_deck_draws_reads_at_4_5_to_1(theme: Theme, name: str) -> None:
    ratio = pair_contrast(theme.colours, name)
    assert ratio >= MIN_CONTRAST, f"{name} ({PAIRS[name].drawn}) reads at {ratio:.2f}:1"


def test_the_contrast_ratio_is_the_wcag_formula() -> None:
    assert contrast("FFFFFF", "000000") == pytest.approx(21.0)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("E8833A", "FFFFFF") == contrast("FFFFFF", "E8833A") == pytest.approx(2.71, abs=0.01)


def test_every_colour_a_direction_may_name_has_its_pairs() -> None:
    assert set(COLOUR_NAMES.values()) <= set(MARKABLE)
    for name in MARKABLE:
        assert f"marked_{name}" in PAIRS and f"set_marked_{name}" in PAIRS


def test_a_theme_with_a_low_contrast_pair_is_refused_naming_the_pair_and_its_ratio(tmp_path: Path) -> None:
    bad = tmp_path / "theme.yaml"
    text = DEFAULT_THEME.read_text(encoding="utf-8")
    bad.write_text(text.replace('accent_text: "B74D00"', 'accent_text: "E8833A"'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_theme(bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}: colours.accent_text on colours.background reads at 2.71:1, under the 4.5:1")
    assert "(used for end-card kickers, key figures," in message
    assert "colours.accent_text on colours.card reads at 2.48:1, under the 4.5:1 text needs" in message


def test_a_theme_with_a_new_accent_gets_a_text_shade_and_fill_text_that_read(tmp_path: Path) -> None:
    green = tmp_path / "theme.yaml"
    green.write_text('colours:\n  accent: "3BB273"\n', encoding="utf-8")
    theme = load_theme(green)
    c = theme.colours
    assert c.accent == "3BB273" and c.accent_text != c.accent and c.on_accent == c.text
    hue = [int(c.accent_text[i : i + 2], 16) for i in (0, 2, 4)]
    assert hue[1] == max(hue), "still a green"
    assert all(pair_contrast(c, name) >= MIN_CONTRAST for name in PAIRS)


def test_video_with_a_low_contrast_theme_exits_2_naming_the_pair_before_writing_anything(tmp_path: Path) -> None:
    bad = tmp_path / "theme.yaml"
    bad.write_text('colours:\n  muted: "9AA3AD"\n', encoding="utf-8")
    build = tmp_path / "build"
    result = run_pipeline("video", "--theme", bad, "--build", build, SAMPLE)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{bad}: colours.muted on colours.background" in result.stderr
    assert not list(build.rglob("*.pptx"))


# ---------------------------------------------------------------- contrast: the decks as drawn

EMU_PER_PX = 12700


def solid_fill(element: Any) -> tuple[str, float] | None:
    """The solid fill (colour, opacity) in a shape's ``spPr`` or a cell's ``tcPr``; ``None`` for none."""
    props = element.find(qn("p:spPr"))
    if props is None:
        props = element.find(qn("a:tcPr"))
    fill = props.find(qn("a:solidFill")) if props is not None else None
    colour = fill.find(qn("a:srgbClr")) if fill is not None else None
    if colour is None:
        return None
    alpha = colour.find(qn("a:alpha"))
    return colour.get("val"), int(alpha.get("val")) / 100000 if alpha is not None else 1.0


def covers(shape: Any, x: float, y: float) -> bool:
    """Whether the point lies on ``shape`` (an ellipse as an ellipse, anything else as its box)."""
    left, top, width, height = shape.left, shape.top, shape.width, shape.height
    if not (left <= x <= left + width and top <= y <= top + height):
        return False
    geometry = shape._element.find(f"{qn('p:spPr')}/{qn('a:prstGeom')}")
    if geometry is not None and geometry.get("prst") == "ellipse":
        return ((x - left - width / 2) / (width / 2)) ** 2 + ((y - top - height / 2) / (height / 2)) ** 2 <= 1
    return True


def slide_ground(page: Any) -> str:
    colour = page._element.find(f"{qn('p:cSld')}/{qn('p:bg')}/{qn('p:bgPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
    return colour.get("val") if colour is not None else "FFFFFF"  # the default master's white


def grounds(page: Any, shapes: list[Any], index: int) -> list[str]:
    """What the text of ``shapes[index]`` may be drawn on: its own opaque fill, else the fills under
    nine points across its box, each laid over the slide's ground in drawing order."""
    shape = shapes[index]
    own = solid_fill(shape._element)
    if own is not None and own[1] == 1.0:
        return [own[0]]
    found = []
    for fx in (1 / 6, 1 / 2, 5 / 6):
        for fy in (1 / 6, 1 / 2, 5 / 6):
            x, y = shape.left + fx * shape.width, shape.top + fy * shape.height
            ground = slide_ground(page)
            for below in shapes[: index + 1]:
                fill = solid_fill(below._element) if kind(below) == "sp" else None
                if fill is not None and covers(below, x, y):
                    ground = mix(fill[0], fill[1], ground)
            found.append(ground)
    return found


def text_colours(element: Any) -> set[str]:
    """Every colour text is written in under ``element``: runs and bullets."""
    found = set()
    for tag, path in (
        ("a:rPr", "a:solidFill/a:srgbClr"),
        ("a:defRPr", "a:solidFill/a:srgbClr"),
        ("a:buClr", "a:srgbClr"),
    ):
        for props in element.iter(qn(tag)):
            colour = props.find("/".join(qn(step) for step in path.split("/")))
            if colour is not None:
                found.add(colour.get("val"))
    return found


def test_every_run_of_text_reads_at_4_5_to_1_on_what_is_drawn_under_it(decks: dict[str, Any]) -> None:
    checked = 0
    for where, page in pages(decks):
        shapes = list(every_shape(page.shapes))
        for i, shape in enumerate(shapes):
            if is_decorative(shape):
                continue  # decoration (the watermark) need not read
            if getattr(shape, "has_chart", False) and shape.has_chart:
                pairs = [(colour, slide_ground(page)) for colour in text_colours(shape.chart._chartSpace)]
            elif getattr(shape, "has_table", False) and shape.has_table:
                pairs = [
                    (colour, mix(*solid_fill(cell._tc), slide_ground(page)))  # type: ignore[misc]
                    for row in shape.table.rows
                    for cell in row.cells
                    for colour in text_colours(cell._tc)
                ]
            elif shown_text(shape):
                pairs = [(colour, on) for colour in text_colours(shape._element) for on in grounds(page, shapes, i)]
            else:
                continue
            for colour, on in pairs:
                checked += 1
                ratio = contrast(colour, on)
                assert ratio >= MIN_CONTRAST, f"{where}: {shape.name}: {colour} on {on} reads at {ratio:.2f}:1"
    assert checked > 1000


# ---------------------------------------------------------------- what LibreOffice draws


def plain(deck: Path, out: Path) -> Path:
    """``deck`` with every group dissolved into its members and every description and decorative
    mark removed: the deck as it was drawn before it was made accessible."""
    prs = Presentation(str(deck))
    for page in prs.slides:
        tree = page.shapes._spTree
        for group in list(tree.iter(qn("p:grpSp"))):
            parent = group.getparent()
            at = parent.index(group)
            for member in list(group)[2:]:  # after nvGrpSpPr and grpSpPr
                parent.insert(at, member)
                at += 1
            parent.remove(group)
        for props in tree.iter(qn("p:cNvPr")):
            props.attrib.pop("descr", None)
            props.attrib.pop("title", None)
            for extensions in props.findall(qn("a:extLst")):
                props.remove(extensions)
    prs.save(str(out))
    return out


def test_groups_descriptions_and_decorative_marks_change_nothing_libreoffice_draws(
    tmp_path: Path, theme: Theme
) -> None:
    picked = tuple(s for s in EVERYTHING.slides if s.n in (1, 6, 8, 16, 17, 19, 20))
    deck = build_deck(replace(EVERYTHING, slides=picked), theme, tmp_path / "deck.pptx").path
    accessible = render_frames(deck, tmp_path / "accessible").frames
    before = render_frames(plain(deck, tmp_path / "plain.pptx"), tmp_path / "plain").frames
    assert len(accessible) == len(before) == len(picked)
    for ours, theirs in zip(accessible, before, strict=True):
        with Image.open(ours) as a, Image.open(theirs) as b:
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None, ours.name
