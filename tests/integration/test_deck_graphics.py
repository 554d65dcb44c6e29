"""Graphic layouts (diagram, chart, timeline): built, reopened with python-pptx and measured; then
rendered once by the real LibreOffice to check what the video will show."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter.core
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from support.decks import Rendered, board, body_shapes, glued, named, nodes, page_text, render_deck, slide
from support.pictures import every_shape, ink_rows

from pipeline import deck as deck_mod
from pipeline.deck import DeckResult, build_deck
from pipeline.deck.geometry import Rect, boundary_rect
from pipeline.deck.graph_layout import chain_plan, flow_plan, flow_routes, hub_plan
from pipeline.deck.layouts.sketch import trend_shape
from pipeline.model import Chart, Diagram, Item, Series
from pipeline.theme import DEFAULT_THEME, Theme, load_theme

INCH = deck_mod.EMU_PER_INCH

FLOW_LABELS = ("User", "Chat front end", "Orchestrator", "Retriever", "Prompt template", "Model", "Email tool",
               "Attacker", "Victim's inbox", "Mailbox index")  # fmt: skip
FLOW_EDGES = ((0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (7, 8), (8, 9), (9, 3))
FLOW = Diagram("flow", tuple(Item(t) for t in FLOW_LABELS), FLOW_EDGES)
REUSED = replace(
    FLOW,
    nodes=tuple(Item(t, marked=t == "Email tool") for t in FLOW_LABELS),
    dim_unmarked=True,
    mark_colour="red",
    callouts=((6, "No email tool on a summarisation request"),),
)
CHAIN = Diagram(
    "chain", tuple(Item(t) for t in ("Behaviours", "Converters", "Target adapter", "Judge", "Results store"))
)
LONG_CHAIN = Diagram(
    "chain", tuple(Item(f"Stage {word}") for word in ["one", "two", "three", "four", "five", "six", "seven", "eight"])
)
HUB = Diagram("hub", tuple(Item(t) for t in ("Agent", "Email", "Calendar", "Shell", "Browser")), boundary=(1, 2))
VENN = Diagram(
    "venn", (Item("Backdoor"), Item("Availability"), Item("SUDO gibberish backdoor")), edges=((2, 0), (2, 1))
)
BARS = Chart(
    "bar",
    ("No defence", "Data delimiting", "Repeat user prompt", "Prompt-injection detector", "Tool filter"),
    (Series("Targeted ASR", (57.7, 41.7, 27.8, 8.0, 6.8)),),
    value_axis="targeted ASR (%)",
    category_axis="Defence",
    decimals=1,
    marked=(0,),
    mark_colour="grey",
)
SHARES = ("0.0035%", "0.001%", "0.0003%", "0.00016%")
COLUMNS = Chart(
    "column",
    ("600M", "2B", "7B", "13B"),
    (Series("Share of training tokens", (0.0035, 0.001, 0.0003, 0.00016), SHARES),),
    value_axis="share of training tokens",
    category_axis="model size",
)
SKETCH = Chart(
    "line",
    (),
    (Series("Clean-benchmark score", trend="flat"), Series("Triggered-behaviour rate", trend="climbing")),
    value_axis="score",
    category_axis="training time",
    illustrative=True,
)
MARKERS = (
    Item("T+0", "alert or report", points=(Item("incident lead, channel"),)),
    Item("T+15 min", "first lever pulled"),
    Item("T+1 h", "scope known", points=(Item("accounts, conversations, data, spend"),)),
    Item("T+24 h", "fix in"),
)


GRAPHICS = board(
    slide(1, "Graphics", "title"),
    slide(2, "How the text reaches the model", "diagram", diagram=FLOW),
    slide(3, "Where the boundary goes", "diagram", diagram=REUSED),
    slide(4, "Anatomy of a harness", "diagram", diagram=CHAIN),
    slide(5, "Eight stages", "diagram", diagram=LONG_CHAIN),
    slide(6, "Scope the toolset", "diagram", diagram=HUB),
    slide(7, "What the poison did", "diagram", diagram=VENN),
    slide(8, "Attack success rate by defence", "chart", chart=BARS, citation="AgentDojo (Debenedetti et al., 2024)"),
    slide(9, "A count, not a percentage", "chart", chart=COLUMNS, citation="Souly et al. 2025"),
    slide(10, "Why evals miss it", "chart", chart=SKETCH),
    slide(11, "The first day", "timeline", MARKERS),
    title="Graphics",
    module="Module 9",
    framework_tags=(),
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> DeckResult:
    return build_deck(GRAPHICS, theme, tmp_path_factory.mktemp("deck") / "deck.pptx")


@pytest.fixture(scope="module")
def pages(built: DeckResult) -> list[Any]:
    return list(Presentation(str(built.path)).slides)


def rect_of(shape: Any) -> Rect:
    return Rect(shape.left, shape.top, shape.width, shape.height)


def content_area(theme: Theme) -> Rect:
    margin = round(theme.layout.margin * INCH)
    top = round((theme.layout.band_height + deck_mod.CONTENT_GAP) * INCH)
    return Rect(margin, top, deck_mod.SLIDE_W - 2 * margin, round(deck_mod.CONTENT_BOTTOM * INCH) - top)


def fill_of(shape: Any) -> str:
    return str(shape.fill.fore_color.rgb)


def run_colours(shape: Any) -> set[str]:
    return {str(r.font.color.rgb) for p in shape.text_frame.paragraphs for r in p.runs}


# ---------------------------------------------------------------- diagrams


def test_a_flow_shows_every_node_as_a_labelled_box_and_every_edge_as_a_glued_connector(pages: list[Any]) -> None:
    page = pages[1]
    assert [s.text_frame.text for s in nodes(page)] == list(FLOW_LABELS)
    assert sorted(glued(page)) == sorted(FLOW_EDGES)
    for shape in named(page, "Arrow"):
        assert shape._element.find(".//" + qn("a:tailEnd")).get("type") == "triangle"


def test_the_longest_route_runs_left_to_right_and_the_side_route_ends_right_above_its_join(pages: list[Any]) -> None:
    boxes = [rect_of(s) for s in nodes(pages[1])]
    main, side = boxes[:7], boxes[7:]
    assert len({b.top for b in main}) == 1
    assert [b.left for b in main] == sorted(b.left for b in main)
    assert all(b.bottom < main[0].top for b in side), "the attacker's route runs above the main row"
    assert [b.left for b in side] == sorted(b.left for b in side)
    assert side[-1].centre_x == main[3].centre_x, "the mailbox index sits right above the retriever"
    # Seven boxes across 1920 px stay legible: no label below the theme's minimum size.
    sizes = {r.font.size.pt for s in nodes(pages[1]) for p in s.text_frame.paragraphs for r in p.runs}
    assert min(sizes) >= 14


def test_no_two_boxes_overlap_and_every_drawn_shape_stays_inside_the_content_area(
    pages: list[Any], theme: Theme
) -> None:
    area = content_area(theme)
    for n, page in enumerate(pages[1:], start=2):
        boxes = [rect_of(s) for s in nodes(page)]
        for i, a in enumerate(boxes):
            assert not any(a.overlaps(b) for b in boxes[i + 1 :]), f"slide {n}: boxes overlap"
        for shape in body_shapes(page, theme):
            assert area.contains(rect_of(shape)), f"slide {n}: {shape.name} leaves the content area"


def test_a_reused_diagram_draws_every_box_in_exactly_the_same_place(pages: list[Any]) -> None:
    assert [rect_of(s) for s in nodes(pages[2])] == [rect_of(s) for s in nodes(pages[1])]
    assert sorted(glued(pages[2])) == sorted(glued(pages[1]))


def test_the_marked_node_is_filled_red_with_white_text_and_the_others_are_greyed_out(
    pages: list[Any], theme: Theme
) -> None:
    c = theme.colours
    boxes = nodes(pages[2])
    email = boxes[FLOW_LABELS.index("Email tool")]
    assert fill_of(email) == c.highlight and run_colours(email) == {c.band_text}
    for shape in boxes:
        if shape is not email:
            assert fill_of(shape) == c.card and str(shape.line.color.rgb) == c.dim
            assert run_colours(shape) == {c.muted}
    arrows = {pair: shape for pair, shape in zip(glued(pages[2]), named(pages[2], "Arrow"), strict=True)}
    assert str(arrows[(0, 1)].line.color.rgb) == c.dim
    assert str(arrows[(5, 6)].line.color.rgb) == c.muted, "the arrow into the marked node stays dark"
    # Undimmed, unmarked boxes are navy with white text.
    assert {fill_of(s) for s in nodes(pages[1])} == {c.band}


def test_a_callout_is_pinned_to_its_node_and_covers_no_box(pages: list[Any]) -> None:
    page = pages[2]
    (note,) = named(page, "Callout 1 on node 7")
    assert note.text_frame.text == "No email tool on a summarisation request"
    (pointer,) = named(page, "Pointer 1 on node 7")
    email = rect_of(nodes(page)[6])
    assert not any(rect_of(note).overlaps(rect_of(b)) for b in nodes(page))
    ends = {(pointer.begin_x, pointer.begin_y), (pointer.end_x, pointer.end_y)}
    assert any(email.left <= x <= email.right and y in (email.top, email.bottom) for x, y in ends)


def test_a_chain_of_five_is_one_row_joined_by_four_arrows_in_order(pages: list[Any]) -> None:
    page = pages[3]
    boxes = [rect_of(s) for s in nodes(page)]
    assert [s.text_frame.text for s in nodes(page)] == [n.text for n in CHAIN.nodes]
    assert len({b.top for b in boxes}) == 1 and [b.left for b in boxes] == sorted(b.left for b in boxes)
    assert glued(page) == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_a_long_chain_wraps_onto_a_second_row_and_every_arrow_still_joins_neighbours(pages: list[Any]) -> None:
    page = pages[4]
    boxes = [rect_of(s) for s in nodes(page)]
    assert len({b.top for b in boxes}) == 2
    assert glued(page) == [(i, i + 1) for i in range(7)]
    # The snake: the second row starts under the end of the first.
    assert boxes[4].left == boxes[3].left and boxes[4].top > boxes[3].bottom


def test_one_dashed_boundary_encloses_exactly_the_hubs_inside_tools(pages: list[Any], theme: Theme) -> None:
    page = pages[5]
    boxes = {s.text_frame.text: rect_of(s) for s in nodes(page)}
    (boundary,) = named(page, "Boundary")
    outline = rect_of(boundary)
    assert boundary._element.find(".//" + qn("a:prstDash")).get("val") == "dash"
    assert str(boundary.line.color.rgb) == theme.colours.accent
    assert outline.contains(boxes["Email"]) and outline.contains(boxes["Calendar"])
    for outside in ("Agent", "Shell", "Browser"):
        assert not outline.overlaps(boxes[outside])
    assert sorted(glued(page)) == [(0, 1), (0, 2), (0, 3), (0, 4)]
    assert boxes["Email"].right < boxes["Agent"].left < boxes["Agent"].right < boxes["Shell"].left
    # Drawn behind the boxes.
    order = [s.name for s in every_shape(page.shapes)]
    assert order.index("Boundary") < min(order.index(s.name) for s in nodes(page))


def test_a_venn_overlaps_two_translucent_circles_and_puts_the_shared_member_in_both(pages: list[Any]) -> None:
    page = pages[6]
    circles = named(page, "Set ")
    circles = [s for s in circles if not s.name.startswith("Set label")]
    assert [s.name.split(": ")[1] for s in circles] == ["Backdoor", "Availability"]
    for circle in circles:
        assert circle._element.find(".//" + qn("a:alpha")) is not None
    a, b = (rect_of(s) for s in circles)
    assert a.overlaps(b)
    (member,) = named(page, "Member 3")
    chip = rect_of(member)
    for circle in (a, b):
        assert (chip.centre_x - circle.centre_x) ** 2 + (chip.centre_y - circle.centre_y) ** 2 < (circle.width / 2) ** 2
    labels = [s.text_frame.text for s in named(page, "Set label")]
    assert labels == ["Backdoor", "Availability"]


# ---------------------------------------------------------------- charts


def test_a_bar_chart_is_native_with_the_lessons_values_in_order_and_one_decimal(pages: list[Any], theme: Theme) -> None:
    (frame,) = named(pages[7], "Chart")
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = chart.plots[0]
    assert list(plot.categories) == list(BARS.categories)
    assert chart.category_axis.reverse_order, "the first category is drawn at the top"
    (series,) = plot.series
    assert tuple(series.values) == BARS.series[0].values
    assert plot.series[0].data_labels.number_format == "#,##0.0"
    assert not chart.has_legend and not chart.has_title
    assert chart.value_axis.axis_title.text_frame.text == "targeted ASR (%)"
    assert chart.category_axis.axis_title.text_frame.text == "Defence"
    c = theme.colours
    assert str(series.points[0].format.fill.fore_color.rgb) == c.dim
    assert str(series.format.fill.fore_color.rgb) == c.band
    (source,) = named(pages[7], "Source")
    assert source.text_frame.text == "Source: AgentDojo (Debenedetti et al., 2024)"
    assert source.top >= frame.top + frame.height


def test_a_column_chart_labels_each_point_with_the_lessons_own_text(pages: list[Any]) -> None:
    (frame,) = named(pages[8], "Chart")
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    (series,) = chart.plots[0].series
    assert tuple(series.values) == COLUMNS.series[0].values
    assert [series.points[i].data_label.text_frame.text for i in range(4)] == list(SHARES)
    # Without the custom text the number format would still show every value unrounded.
    assert series.data_labels.number_format == "#,##0.00000"


def test_an_illustrative_chart_has_no_chart_object_and_no_number_but_says_illustrative(
    pages: list[Any], theme: Theme
) -> None:
    page = pages[9]
    assert not any(s.has_chart for s in page.shapes)
    title = page.shapes.title.text_frame.text
    texts = [s.text_frame.text for s in body_shapes(page, theme) if s.has_text_frame]
    body = "\n".join(t for t in texts if t != title)
    assert not re.search(r"\d", body)
    assert "illustrative" in body.lower()
    for expected in ("score", "training time", "Clean-benchmark score", "Triggered-behaviour rate"):
        assert expected in body
    sketches = named(page, "Sketch: ")
    assert [s.name for s in sketches] == ["Sketch: Clean-benchmark score", "Sketch: Triggered-behaviour rate"]
    # Flat stays level; climbing ends higher than it starts (slide y grows downward).
    flat, climbing = (s._element.findall(".//" + qn("a:pt")) for s in sketches)
    ys = [int(p.get("y")) for p in climbing]
    assert ys[-1] < ys[0]
    flat_ys = [int(p.get("y")) for p in flat]
    assert max(flat_ys) - min(flat_ys) < (max(ys) - min(ys)) / 5


@pytest.mark.parametrize(
    ("trend", "shape"),
    [("flat", "flat"), ("climbing", "rising"), ("dropping to anyone", "falling"), ("rises then falls", "peaking"),
     ("levelling off", "saturating"), ("zigzag", None), ("", None)],
)  # fmt: skip
def test_trend_words_name_the_shape_of_the_sketch(trend: str, shape: str | None) -> None:
    assert trend_shape(trend) == shape


def test_an_unknown_trend_draws_no_line_and_says_so(tmp_path: Path, theme: Theme) -> None:
    odd = replace(SKETCH, series=(Series("Noise", trend="zigzag"),))
    result = build_deck(board(slide(1, "T", "title"), slide(2, "Odd", "chart", chart=odd)), theme, tmp_path / "d.pptx")
    page = Presentation(str(result.path)).slides[1]
    assert named(page, "Sketch") == []
    assert any("zigzag" in w.message and w.slide == 2 for w in result.warnings)


# ---------------------------------------------------------------- timeline


def test_timeline_markers_run_left_to_right_in_order_with_their_text_above_and_captions_below(
    pages: list[Any],
) -> None:
    page = pages[10]
    discs = named(page, "Timeline marker")
    assert [d.name.split(": ")[1] for d in discs] == ["T+0", "T+15 min", "T+1 h", "T+24 h"]
    assert [d.left for d in discs] == sorted(d.left for d in discs) and len({d.top for d in discs}) == 1
    texts = {s.text_frame.text: s for s in every_shape(page.shapes) if s.has_text_frame}
    for disc, item in zip(discs, MARKERS, strict=True):
        marker, caption = texts[item.text], next(s for t, s in texts.items() if t.startswith(item.detail))
        assert marker.top + marker.height <= disc.top and caption.top >= disc.top + disc.height
        assert marker.left < disc.left + disc.width // 2 < marker.left + marker.width
    assert (
        "accounts, conversations, data, spend"
        in texts["scope known\naccounts, conversations, data, spend"].text_frame.text
    )


# ---------------------------------------------------------------- degrading


def test_long_labels_shrink_then_are_cut_with_a_warning_naming_the_slide(tmp_path: Path, theme: Theme) -> None:
    long = " ".join(["a very long node label that goes on"] * 6)
    wordy = Diagram("chain", tuple(Item(f"{i} {long}") for i in range(6)))
    result = build_deck(
        board(slide(1, "T", "title"), slide(2, "Wordy", "diagram", diagram=wordy)), theme, tmp_path / "d.pptx"
    )
    page = Presentation(str(result.path)).slides[1]
    assert any(w.slide == 2 and "diagram label" in w.message for w in result.warnings)
    assert all(s.text_frame.text.endswith("…") for s in nodes(page))
    sizes = {r.font.size.pt for s in nodes(page) for p in s.text_frame.paragraphs for r in p.runs}
    assert sizes == {theme.sizes.label_min}
    boxes = [rect_of(s) for s in nodes(page)]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_a_long_main_route_wraps_as_a_snake_and_keeps_its_side_route_above(tmp_path: Path, theme: Theme) -> None:
    labels = [f"Stage {w}" for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")]
    edges = (*((i, i + 1) for i in range(8)), (9, 1))
    wide = Diagram("flow", (*(Item(t) for t in labels), Item("Side")), edges)
    result = build_deck(
        board(slide(1, "T", "title"), slide(2, "Wide", "diagram", diagram=wide)), theme, tmp_path / "d.pptx"
    )
    page = Presentation(str(result.path)).slides[1]
    boxes = [rect_of(s) for s in nodes(page)]
    assert len({b.top for b in boxes[:9]}) == 2, "nine main nodes wrap onto two rows"
    assert boxes[9].bottom < boxes[1].top and boxes[9].centre_x == boxes[1].centre_x
    assert sorted(glued(page)) == sorted(edges)
    assert result.warnings == ()
    assert all("\v" not in s.text_frame.text for s in nodes(page)), "no word is broken across lines"


def test_a_chain_boundary_is_drawn_around_neighbours_and_refused_for_nodes_apart(tmp_path: Path, theme: Theme) -> None:
    together, apart = replace(CHAIN, boundary=(1, 2)), replace(CHAIN, boundary=(0, 2))
    sb = board(
        slide(1, "T", "title"), slide(2, "A", "diagram", diagram=together), slide(3, "B", "diagram", diagram=apart)
    )
    result = build_deck(sb, theme, tmp_path / "d.pptx")
    first, second = list(Presentation(str(result.path)).slides)[1:]
    (outline,) = (rect_of(s) for s in named(first, "Boundary"))
    inside = [outline.contains(rect_of(s)) for s in nodes(first)]
    assert inside == [False, True, True, False, False]
    assert not any(outline.overlaps(rect_of(s)) for s in nodes(first) if not outline.contains(rect_of(s)))
    assert named(second, "Boundary") == []
    assert [w.slide for w in result.warnings] == [3] and "not side by side" in result.warnings[0].message


def test_a_diagram_slide_without_a_diagram_falls_back_to_the_draft_placeholder(tmp_path: Path, theme: Theme) -> None:
    result = build_deck(board(slide(1, "T", "title"), slide(2, "Nothing", "diagram")), theme, tmp_path / "d.pptx")
    page = Presentation(str(result.path)).slides[1]
    assert "DRAFT VISUAL" in page_text(page)
    assert [w.slide for w in result.warnings] == [2]


def test_the_flow_plan_is_a_function_of_nodes_and_edges_alone() -> None:
    main, sides = flow_routes(len(FLOW_LABELS), FLOW_EDGES)
    assert main == [0, 1, 2, 3, 4, 5, 6]
    assert [(s.nodes, s.joins) for s in sides] == [((7, 8, 9), 3)]
    area = Rect(0, 0, 12 * INCH, 5 * INCH)
    plans = [flow_plan(10, FLOW_EDGES, area, lambda width: INCH) for _ in range(2)]
    assert plans[0] == plans[1]
    # Measured text changes box heights, never which column or row a node sits in.
    taller = flow_plan(10, FLOW_EDGES, area, lambda width: 2 * INCH)
    assert [b.left for b in taller.boxes] == [b.left for b in plans[0].boxes]


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["chain", "flow", "hub"]),
    n=st.integers(1, 12),
    edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=16),
    boundary=st.lists(st.integers(1, 11), max_size=4, unique=True),
    box_h=st.sampled_from([0.5, 1.0, 3.0]),
)
def test_any_graph_is_laid_out_inside_its_area_without_two_boxes_overlapping(
    kind: str, n: int, edges: list[tuple[int, int]], boundary: list[int], box_h: float
) -> None:
    area = content_area(load_theme(DEFAULT_THEME))
    boundary = [i for i in boundary if i < n]
    measure = lambda width: round(box_h * INCH)  # noqa: E731
    if kind == "chain":
        plan = chain_plan(n, area, measure)
    elif kind == "flow":
        plan = flow_plan(n, edges, area, measure)
    else:
        plan = hub_plan(n, edges, boundary, area, measure)
    assert len(plan.boxes) == n
    for i, box in enumerate(plan.boxes):
        assert area.contains(box) and box.height > 0
        assert not any(box.overlaps(other) for other in plan.boxes[i + 1 :])
    assert all(0 <= link.start < n and 0 <= link.end < n for link in plan.links)
    if kind == "hub" and boundary:
        assert boundary_rect(plan.boxes, boundary, area) is not None, "a hub keeps its boundary's nodes together"


# ---------------------------------------------------------------- rendered by LibreOffice


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Rendered:
    return render_deck(GRAPHICS, theme, tmp_path_factory.mktemp("render"))


def colour_share(frame: Path, hex_: str) -> float:
    """Share of the frame's pixels within a small distance of ``hex_``."""
    target = tuple(int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    with Image.open(frame) as img:
        pixels = list(img.convert("RGB").getdata())
    near = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, target, strict=True)) < 30)
    return near / len(pixels)


def test_every_graphic_slide_renders_content_and_nothing_spills_below_the_content_area(rendered: Rendered) -> None:
    margin = rendered.theme.layout.margin
    top = rendered.theme.layout.band_height + deck_mod.CONTENT_GAP
    frames = rendered.frames.frames
    assert len(frames) == len(GRAPHICS.slides)
    for frame in frames[1:]:
        assert len(ink_rows(frame, top, deck_mod.CONTENT_BOTTOM, margin, 13.333 - margin)) > 100, frame.name
        spill = ink_rows(frame, deck_mod.CONTENT_BOTTOM + 0.02, deck_mod.FOOTER_RULE - 0.03, margin, 13.333 - margin)
        assert spill == [], f"{frame.name}: ink below the content area"


def test_libreoffice_draws_the_marked_node_the_grey_bar_and_the_custom_labels(rendered: Rendered) -> None:
    c = rendered.theme.colours
    frames = rendered.frames.frames
    assert colour_share(frames[2], c.highlight) > 0.005, "the red node"
    assert colour_share(frames[1], c.highlight) == 0
    assert colour_share(frames[7], c.dim) > 0.01, "the grey bar"
    text = subprocess.run(
        ["pdftotext", "-layout", rendered.frames.pdf, "-"], capture_output=True, text=True, check=True
    )
    pages = text.stdout.split("\f")
    for value in ("57.7", "41.7", "27.8", "8.0", "6.8", "targeted ASR (%)"):
        assert value in pages[7]
    for label in SHARES:
        assert label in pages[8]
    # The sketch's page holds no number outside its title and footer.
    body = [line for line in pages[9].splitlines()[1:] if GRAPHICS.code not in line]
    assert "ILLUSTRATIVE" in pages[9] and not any(re.search(r"\d", line) for line in body)


def test_a_deck_with_charts_is_byte_identical_whatever_the_clock_and_its_workbooks_carry_the_deck_date(
    tmp_path: Path, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A chart's data travels as an embedded workbook, which XlsxWriter dates by its clock.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = []
    for hour in (1, 7):
        now = classmethod(lambda cls, tz=None, h=hour: dt.datetime(2030, 1, 1, h, tzinfo=tz))
        monkeypatch.setattr(xlsxwriter.core, "datetime", type("Clock", (dt.datetime,), {"now": now}))
        built.append(build_deck(GRAPHICS, theme, tmp_path / f"deck{hour}.pptx").path.read_bytes())
    assert built[0] == built[1]
    with zipfile.ZipFile(io.BytesIO(built[0])) as deck:
        workbooks = [deck.read(n) for n in deck.namelist() if n.startswith("ppt/embeddings/")]
    assert len(workbooks) == 2  # the bar and column charts; the sketch is drawn, not charted
    for data in workbooks:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            core = book.read("docProps/core.xml").decode()
            assert {i.date_time for i in book.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2023-11-14T22:13:20Z"] * 2
