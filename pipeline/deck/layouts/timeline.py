"""A timeline: a line across the slide with evenly spaced markers, each marker's text above its
disc and its caption (and further points) below, all fitted at one shared size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Item, Slide
from ...theme import ink
from ..fit import Box, Para, Role
from ..geometry import Rect
from ..page import Context, content_area, optical_shift
from ..shapes import clean, decorative, grouped, inches, line, place, rect, stroke
from .labels import needed_height

PER_ROW = 6
"""Markers in one row; more wrap onto a second row (and so on), each with its own line."""
DISC = inches(0.36)
GAP = inches(0.14)  # between the disc and the text above and below it
ROW_GAP = inches(0.35)
COLUMN_GAP = inches(0.2)
LINE_PT = 3.0


def roles(ctx: Context) -> tuple[Role, Role, Role]:
    """Marker text (bold, larger), caption, and further points (smaller, muted)."""
    theme = ctx.theme
    s = theme.sizes
    body = theme.body_font
    return (
        Role(body, s.label + 4, s.label_min, ink(theme, "body"), bold=True, align=PP_ALIGN.CENTER),
        Role(body, s.label, s.label_min, ink(theme, "body"), align=PP_ALIGN.CENTER),
        Role(body, max(s.label - 2, s.label_min - 2), s.label_min - 2, ink(theme, "body_muted"), space_before=0.3,
             align=PP_ALIGN.CENTER),
    )  # fmt: skip


def below_paras(item: Item, caption: Role, point: Role) -> tuple[Para, ...]:
    """What goes under a marker: its caption, then each further point on its own line."""
    paras = [Para(clean(item.detail), caption)] if clean(item.detail) else []
    paras += [Para(clean(p.text), point) for p in item.points if clean(p.text)]
    return tuple(paras)


def timeline(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """The slide's items as markers on a line, in order left to right (and then row by row)."""
    items = [item for item in slide.items if clean(item.text) or clean(item.detail)]
    if not items:
        ctx.warn(slide, "the timeline layout has no markers; the slide shows its title only")
        return
    c = ctx.theme.colours
    area = Rect(*content_area(ctx))
    rows = math.ceil(len(items) / PER_ROW)
    per_row = math.ceil(len(items) / rows)
    column = area.width // per_row
    text_w = column - COLUMN_GAP
    marker, caption, point = roles(ctx)
    above = [(Para(clean(item.text), marker),) if clean(item.text) else () for item in items]
    below = [below_paras(item, caption, point) for item in items]
    row_h = (area.height - (rows - 1) * ROW_GAP) // rows
    room = row_h - DISC - 2 * GAP
    above_h = min(needed_height(ctx.theme, text_w, above), room * 2 // 5)
    below_h = min(needed_height(ctx.theme, text_w, below), room - above_h)
    block = rows * (above_h + DISC + 2 * GAP + below_h) + (rows - 1) * ROW_GAP
    top = area.top + optical_shift(area.height, block)
    boxes, discs = [], []
    for i in range(len(items)):
        row, j = divmod(i, per_row)
        row_top = top + row * (above_h + DISC + 2 * GAP + below_h + ROW_GAP)
        centre = area.left + j * column + column // 2
        line_y = row_top + above_h + GAP + DISC // 2
        left = centre - text_w // 2
        boxes.append(Box(left, row_top, text_w, above_h, above[i], MSO_ANCHOR.BOTTOM))
        boxes.append(Box(left, line_y + DISC // 2 + GAP, text_w, below_h, below[i], MSO_ANCHOR.TOP))
        discs.append((centre, line_y))
    # The line and discs are decorative; the group they make with the labels says what the timeline shows.
    parts = []
    for row in range(rows):
        line_y = discs[row * per_row][1]
        # A short last row ends its line (and arrow) after its last marker's column.
        right = area.left + min(per_row, len(items) - row * per_row) * column
        rule = line(page, (area.left, line_y), (right, line_y), c.band, LINE_PT, arrow=True, name=f"Timeline {row + 1}")
        parts.append(decorative(rule))
    for i, (x, y) in enumerate(discs):
        disc = rect(page, x - DISC // 2, y - DISC // 2, DISC, DISC, c.accent, shape=MSO_SHAPE.OVAL)
        disc.name = f"Timeline marker {i + 1}: {clean(items[i].text)[:40]}"
        stroke(disc, c.background, 3.0)  # a white ring lifts the disc off the line
        parts.append(decorative(disc))
        ctx.add_to_unit(slide, i, disc)
    for k, fitted in enumerate(ctx.fit(slide, boxes, "a timeline label")):
        if fitted.box.paras:
            parts.append(place(page, fitted))
            ctx.add_to_unit(slide, k // 2, parts[-1])  # two boxes per marker: above and below
    grouped(page, parts, "Timeline", timeline_description(items), title="Timeline")


def timeline_description(items: Sequence[Item]) -> str:
    """The timeline in words: how many markers, then each marker with its caption, in order."""
    marks = [" — ".join(t for t in (clean(item.text), clean(item.detail)) if t) for item in items]
    return f"Timeline of {len(items)} marker{'s' if len(items) != 1 else ''}, in order: {'; '.join(marks)}."
