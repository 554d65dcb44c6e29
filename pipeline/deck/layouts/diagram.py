"""Diagrams of named boxes joined by arrows: a chain, a flow with side routes, a hub (and, in
``venn.py``, overlapping sets).

Every box is a native rounded rectangle holding its own label and every arrow a straight
connector glued to the boxes' connection sites, so the diagram stays editable in PowerPoint.
Where the boxes go comes from ``graph_layout`` (the nodes and edges only); marks and dimming
change colours, never positions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.slide import Slide as PptxSlide

from ...model import Diagram, Item, Slide
from ...theme import Theme, ink
from ..fit import EMU_PER_PT, INSET_X_PT, WIDTH_SAFETY, Para, text_width
from ..geometry import Point, Rect, boundary_rect, callout_spot, pointer
from ..graph_layout import BOX_MAX_H, Measure, Plan, chain_plan, flow_plan, hub_plan
from ..page import Context, content_area, named_field
from ..shapes import (
    clean,
    connect,
    decorative,
    describe,
    grouped,
    inches,
    line,
    polyline,
    rounded_box,
    rounded_inset,
    stroke,
    write_text,
)
from .labels import (
    detail_role,
    item_paras,
    label_role,
    listed,
    marked_words,
    needed_height,
    text_box,
    whole_word_size,
)
from .text import placeholder
from .venn import venn, venn_fits

LINK_PT = 2.25
BORDER_PT = 1.5
BOUNDARY_PT = 2.25
BOX_PAD_Y = inches(0.1)
"""Room above and below a box's text."""
CALLOUT_MAX_W = inches(3.2)
ARC_DEPTH = inches(0.45)


@dataclass(frozen=True, slots=True)
class Look:
    """How one box is drawn: fill, outline (``""``: none), label and sub-label colours."""

    fill: str
    border: str
    text: str
    detail: str


def look_of(theme: Theme, diagram: Diagram, node: Item) -> Look:
    """Marked: the mark colour with white text (dark on a light mark colour); dimmed
    (``dim_unmarked`` and another node is marked): a pale box with a grey outline and muted text;
    otherwise navy with white text."""
    c = theme.colours
    if node.marked:
        fill = named_field(diagram.mark_colour, "highlight")
        text = ink(theme, f"marked_{fill}")
        return Look(getattr(c, fill), "", text, text)
    if dimmed(diagram, node):
        return Look(c.card, c.dim, ink(theme, "card_muted"), ink(theme, "card_muted"))
    return Look(c.band, "", ink(theme, "band"), ink(theme, "band_muted"))


def dimmed(diagram: Diagram, node: Item) -> bool:
    """Whether ``node`` is greyed out: ``dim_unmarked`` asks for it and another node is marked."""
    return diagram.dim_unmarked and not node.marked and any(n.marked for n in diagram.nodes)


def measure_for(theme: Theme, nodes: Sequence[Item]) -> Measure:
    """The shared box height the node labels need at a box width (what ``graph_layout`` asks)."""

    def measure(width: int) -> int:
        inset = rounded_inset(width, BOX_MAX_H)
        room = width - 2 * inset
        size = whole_word_size(theme, [n.text for n in nodes], room)
        label, detail = label_role(theme, size, "000000"), detail_role(theme, size, "000000")
        groups = [item_paras(n, label, detail) for n in nodes]
        return needed_height(theme, room, groups) + 2 * inset + 2 * BOX_PAD_Y

    return measure


def plan_of(diagram: Diagram, area: Rect, theme: Theme) -> Plan:
    """Where the boxes of a chain, flow or hub go: a function of its nodes and edges (and, for a
    hub, its boundary), never of its marks."""
    n, measure = len(diagram.nodes), measure_for(theme, diagram.nodes)
    if diagram.kind == "flow":
        return flow_plan(n, diagram.edges, area, measure)
    if diagram.kind == "hub":
        return hub_plan(n, diagram.edges, diagram.boundary, area, measure)
    return chain_plan(n, area, measure)


def diagram(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A chain, flow, hub or venn diagram of ``slide.diagram``; a draft placeholder without one."""
    d = slide.diagram
    if d is None or not d.nodes:
        ctx.warn(slide, "the diagram layout has no nodes to draw; shown as a draft placeholder")
        placeholder(ctx, page, slide)
        return
    area = Rect(*content_area(ctx))
    if d.kind == "venn":
        if venn_fits(d):
            venn(ctx, page, slide, d)
            return
        ctx.warn(slide, "a venn diagram takes one to three sets; its nodes are shown as boxes without arrows")
        plan = chain_plan(len(d.nodes), area, measure_for(ctx.theme, d.nodes))
        draw_plan(ctx, page, slide, d, Plan(plan.boxes, ()), area)
        return
    draw_plan(ctx, page, slide, d, plan_of(d, area, ctx.theme), area)


def draw_plan(ctx: Context, page: PptxSlide, slide: Slide, d: Diagram, plan: Plan, area: Rect) -> None:
    """Boundary behind, then boxes, arrows and callouts, all in one group that says what the
    diagram shows; each arrow and the boundary also say what they join."""
    theme = ctx.theme
    c = theme.colours
    label = [clean(n.text) for n in d.nodes]
    parts = []
    outline = None
    drawn_boundary = False
    if d.boundary:
        outline = boundary_rect(plan.boxes, d.boundary, area)
        if outline is None:
            names = ", ".join(clean(d.nodes[i].text) for i in d.boundary if 0 <= i < len(d.nodes))
            ctx.warn(slide, f"the boundary around {names} is not drawn: those nodes are not side by side")
        else:
            frame = rounded_box(page, outline.left, outline.top, outline.width, outline.height, "", name="Boundary")
            stroke(frame, c.accent, BOUNDARY_PT, dashed=True)
            inside = [label[i] for i in d.boundary if 0 <= i < len(d.nodes)]
            parts.append(describe(frame, f"Dashed boundary around {listed(inside)}"))
            drawn_boundary = True
    shapes, size = draw_boxes(ctx, page, slide, d, plan.boxes)
    parts += shapes
    for i, shape in enumerate(shapes):
        ctx.add_to_unit(slide, i, shape)
    segments: list[tuple[Point, Point]] = []
    for link in plan.links:
        quiet = dimmed(d, d.nodes[link.start]) and dimmed(d, d.nodes[link.end])
        colour, width = (c.dim, LINK_PT - 0.25) if quiet else (c.muted, LINK_PT)
        name = f"Arrow {link.start + 1} to {link.end + 1}"
        arrow = connect(
            page, shapes[link.start], link.start_side, shapes[link.end], link.end_side, colour, width, name=name
        )
        parts.append(describe(arrow, f"Arrow from {label[link.start]} to {label[link.end]}"))
        ctx.add_to_unit(slide, max(link.start, link.end), arrow)  # an arrow comes with the later of its ends
        segments.append((plan.boxes[link.start].site(link.start_side), plan.boxes[link.end].site(link.end_side)))
    for u, v in plan.arcs:
        points = arc_points(plan.boxes[u], plan.boxes[v], area)
        quiet = dimmed(d, d.nodes[u]) and dimmed(d, d.nodes[v])
        arc = polyline(page, points, c.dim if quiet else c.muted, LINK_PT, arrow=True, name=f"Arc {u + 1} to {v + 1}")
        parts.append(describe(arc, f"Arrow from {label[u]} to {label[v]}"))
        ctx.add_to_unit(slide, max(u, v), arc)
        segments.extend(itertools.pairwise(points))
    notes: list[tuple[int, str]] = []
    if d.callouts:
        placed = draw_callouts(ctx, page, slide, d, plan.boxes, area, segments, [outline] if outline else [], size)
        parts += [shape for shape, _, _ in placed]
        for shape, index, _ in placed:
            ctx.add_to_unit(slide, index, shape)
        notes = [(index, text) for _, index, text in placed if text]
    arrows = [(link.start, link.end) for link in plan.links] + list(plan.arcs)
    said = diagram_description(d, arrows, drawn_boundary, notes)
    grouped(page, parts, "Diagram", said, title=f"{KIND_NAMES.get(d.kind, 'Diagram')}")


KIND_NAMES = {"chain": "Chain diagram", "flow": "Flow diagram", "hub": "Hub diagram"}


def routes(arrows: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Arrows joined into routes: an arrow leaving the end of a route extends it."""
    found: list[list[int]] = []
    for u, v in arrows:
        route = next((r for r in found if r[-1] == u and v not in r), None)
        if route is None:
            found.append([u, v])
        else:
            route.append(v)
    return found


def diagram_description(
    d: Diagram, arrows: Sequence[tuple[int, int]], boundary: bool, notes: Sequence[tuple[int, str]]
) -> str:
    """The diagram in words, from its own labels: its kind and boxes, where the arrows run (as
    routes), what the boundary encloses, what is highlighted or greyed out, and each note."""
    label = [clean(n.text) for n in d.nodes]
    kind = KIND_NAMES.get(d.kind, "Diagram")
    said = [f"{kind} of {len(label)} box{'es' if len(label) != 1 else ''}"]
    if d.kind == "hub" and arrows and all(0 in pair for pair in arrows):
        outward = [label[v] for u, v in arrows if u == 0]
        inward = [label[u] for u, v in arrows if v == 0]
        hub = f"{label[0]} in the middle"
        if outward:
            hub += f", with arrows to {listed(outward)}"
        if inward:
            hub += f"{' and' if outward else ','} with arrows from {listed(inward)}"
        said.append(hub)
    elif arrows:
        said.append("; ".join(" to ".join(label[i] for i in route) for route in routes(arrows)))
    joined = {i for pair in arrows for i in pair}
    alone = [label[i] for i in range(len(label)) if i not in joined]
    if alone:
        said.append(("boxes " if arrows else "") + listed(alone))
    if boundary:
        said.append(f"a dashed boundary encloses {listed([label[i] for i in d.boundary if 0 <= i < len(label)])}")
    if marked_words(d):
        said.append(marked_words(d))
    said += [f"note on {label[i]}: {text}" for i, text in notes]
    return ": ".join(said[:2]) + ("; " + "; ".join(said[2:]) if said[2:] else "") + "."


def draw_boxes(
    ctx: Context, page: PptxSlide, slide: Slide, d: Diagram, rects: Sequence[Rect]
) -> tuple[list[Any], float]:
    """One rounded box per node, its text fitted at one size shared by every box; the shapes and
    the size the labels started from."""
    theme = ctx.theme
    insets = [rounded_inset(r.width, r.height) for r in rects]
    size = whole_word_size(
        theme, [n.text for n in d.nodes], min(r.width - 2 * i for r, i in zip(rects, insets, strict=True))
    )
    looks = [look_of(theme, d, node) for node in d.nodes]
    boxes = [
        text_box(r, item_paras(node, label_role(theme, size, look.text), detail_role(theme, size, look.detail)), inset)
        for r, node, look, inset in zip(rects, d.nodes, looks, insets, strict=True)
    ]
    fitted = ctx.fit(slide, boxes, "a diagram label")
    shapes = []
    for i, (r, look, f) in enumerate(zip(rects, looks, fitted, strict=True)):
        shape = rounded_box(
            page, r.left, r.top, r.width, r.height, look.fill, name=f"Node {i + 1}: {clean(d.nodes[i].text)[:40]}"
        )
        if look.border:
            stroke(shape, look.border, BORDER_PT)
        write_text(shape.text_frame, f)
        shapes.append(shape)
    return shapes, size


def arc_points(a: Rect, b: Rect, area: Rect) -> list[Point]:
    """A half-ellipse under the row, from the bottom of ``a`` to the bottom of ``b``."""
    (x0, y0), (x1, y1) = a.site("bottom"), b.site("bottom")
    depth = max(inches(0.2), min(ARC_DEPTH, area.bottom - max(y0, y1) - inches(0.05)))
    steps = 24
    return [
        (round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t + depth * math.sin(math.pi * t)))
        for t in (k / steps for k in range(steps + 1))
    ]


def callout_size(theme: Theme, text: str, size: float) -> tuple[int, int]:
    """A note's box: as wide as its text on one line (up to ``CALLOUT_MAX_W``), as tall as it needs."""
    role = label_role(theme, size, "000000", bold=False)
    natural = text_width(text, role.face, size) / WIDTH_SAFETY + 2 * INSET_X_PT + 2
    width = min(CALLOUT_MAX_W, round(natural * EMU_PER_PT) + 2 * rounded_inset(CALLOUT_MAX_W, CALLOUT_MAX_W))
    # The rounded corners' text inset grows with the box's height: settle the two together, so the
    # box drawn at this size holds its text exactly as measured.
    height = 0
    for _ in range(4):
        inset = rounded_inset(width, height or width)
        need = needed_height(theme, width - 2 * inset, [[Para(text, role)]]) + 2 * inset
        if need <= height and rounded_inset(width, height) <= inset:
            break
        height = max(height, need)
    return width, height


def draw_callouts(
    ctx: Context,
    page: PptxSlide,
    slide: Slide,
    d: Diagram,
    rects: Sequence[Rect],
    area: Rect,
    segments: list[tuple[Point, Point]],
    outlines: list[Rect],
    label_size: float,
) -> list[tuple[Any, int, str]]:
    """Each note in a small accent-outlined box above, below or beside its node, with a pointer;
    its text a step smaller than the node labels, so the notes never outshout the boxes. Returns
    the shapes drawn, each with its node and its note's text (``""`` for a pointer)."""
    theme = ctx.theme
    c = theme.colours
    size = max(theme.sizes.label_min, label_size - theme.sizes.step)
    placed: list[tuple[int, Rect, str]] = []
    for index, raw in d.callouts:
        text = clean(raw)
        if not text:
            continue
        if not 0 <= index < len(rects):
            ctx.warn(slide, f"a callout names node {index + 1}, which the diagram does not have; left off")
            continue
        taken = list(rects) + [spot for _, spot, _ in placed]
        spot = callout_spot(rects[index], callout_size(theme, text, size), area, taken, segments, outlines)
        if spot is None:
            ctx.warn(slide, f"no free room beside '{clean(d.nodes[index].text)}' for its callout '{text}'; left off")
            continue
        placed.append((index, spot, text))
        segments.append(pointer(spot, rects[index]))
    role = label_role(theme, size, ink(theme, "body"), bold=False)
    boxes = [text_box(spot, [Para(text, role)], rounded_inset(spot.width, spot.height)) for _, spot, text in placed]
    fitted = ctx.fit(slide, boxes, "a callout")
    drawn: list[tuple[Any, int, str]] = []
    for k, ((index, spot, text), f) in enumerate(zip(placed, fitted, strict=True), start=1):
        start, end = pointer(spot, rects[index])
        drawn.append((decorative(line(page, start, end, c.accent, BORDER_PT, name=f"Pointer {k} on node {index + 1}")),
                      index, ""))  # fmt: skip
        note = rounded_box(
            page, spot.left, spot.top, spot.width, spot.height, c.background, name=f"Callout {k} on node {index + 1}"
        )
        stroke(note, c.accent, BORDER_PT)
        write_text(note.text_frame, f)
        drawn.append((note, index, text))
    return drawn
