"""A native PowerPoint table: header row on the band colour, banded body rows, columns sized by content.

Every cell is measured with the same font metrics as any other text. Row heights are written
from that measurement: LibreOffice grows a row to fit its text, so a row measured too short
would push the table past the content area; measured here, what is written is what renders.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pptx.enum.text import MSO_ANCHOR
from pptx.slide import Slide as PptxSlide

from ...model import Slide
from ...theme import ink
from ..fit import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, WIDTH_SAFETY, Box, Fitted, Para, Role, fit_boxes, text_width
from ..page import Context, content_area, optical_shift, pinned, shown
from ..shapes import add_table, clean, describe, displayed, inches, named
from .text import bullets

PAD_X = 0.1
PAD_Y = 0.05
"""Inches of cell padding beyond the measuring insets."""
MIN_COLUMN = 1.0
"""Inches: the narrowest column, whatever its words."""
BORDER_PT = 0.75
HUGE = 10**9  # a box height that never constrains, for measuring natural heights


@dataclass(frozen=True, slots=True)
class Grid:
    """A table laid out at one size: column widths, row heights (EMU) and each cell's text."""

    widths: tuple[int, ...]
    heights: tuple[int, ...]
    cells: tuple[tuple[Fitted, ...], ...]


def table(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """``slide.table`` as a native table fitted to the content area, all cells at one shared size.

    The size shrinks from ``sizes.table`` to ``table_min`` until the whole table fits; then,
    only as a last resort, body cells are cut to fewer lines (and rows left off) with a warning.
    """
    data = slide.table
    if data is None or not any(clean(h) for h in data.header):
        ctx.warn(slide, "the table layout has no table; its items are shown as bullets")
        bullets(ctx, page, slide)
        return
    ncols = len(data.header)
    if not data.rows:
        ctx.warn(slide, "the table has a header but no rows")
    if any(len(row) != ncols for row in data.rows):
        ctx.warn(slide, f"table rows do not all have {ncols} cells; short rows are padded, long ones cut")
    rows = [tuple(row[:ncols]) + ("",) * (ncols - len(row)) for row in data.rows]
    theme = ctx.theme
    s, c = theme.sizes, theme.colours
    left, top, width, height = content_area(ctx)

    size = s.table
    while True:
        paras = _paras(ctx, data.header, rows, size)
        grid = lay_grid(paras, width, ctx)
        if sum(grid.heights) <= height or size <= s.table_min:
            break
        size = max(s.table_min, size - s.step)
    if sum(grid.heights) > height:
        grid = _cut(grid, paras, height, ctx)
        if any(f.truncated for row in grid.cells for f in row):
            ctx.warn(slide, "the table is too long to fit even at the minimum size; cells were cut short with '…'")
    kept_rows = len(grid.heights)
    if kept_rows < len(paras):
        ctx.warn(slide, f"the table is too long to fit; {len(paras) - kept_rows} row(s) left off")

    fills = [c.band] + [c.background if i % 2 == 0 else c.card for i in range(kept_rows - 1)]
    specs = [[(cell, fills[i]) for cell in row] for i, row in enumerate(grid.cells)]
    y = top + optical_shift(height, sum(grid.heights))
    pads = {"pad_x": inches(PAD_X), "pad_y": inches(PAD_Y)}
    frame = add_table(
        page, left, y, grid.widths, grid.heights, specs, border=c.card_border, border_pt=BORDER_PT, **pads
    )
    named(frame, "Table")
    describe(frame, table_description(data.header, rows[: kept_rows - 1]), title="Table")
    # A table is one shape: each body row is a build unit by its band of it, with the border lines
    # on its sides and under it (a rule drawn on an edge lies half outside it).
    row_top = y + grid.heights[0]
    rule = round(2 * BORDER_PT * EMU_PER_PT)  # the line, and the pixel its edges blur into
    for i, row_h in enumerate(grid.heights[1:]):
        ctx.cover(slide, i, left - rule, row_top, sum(grid.widths) + 2 * rule, row_h + rule)
        row_top += row_h


def table_description(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """What a screen reader says before reading the cells: the table's size, columns and first column."""
    # Semicolons between cells: a cell may hold commas of its own.
    columns = [displayed(h)[0] for h in header]
    said = f"Table of {len(rows)} row{'s' if len(rows) != 1 else ''}. Columns: {'; '.join(columns)}."
    names = [displayed(row[0])[0] for row in rows if row and clean(row[0])]
    if names:
        said += f" Rows: {'; '.join(names)}."
    return said


def _paras(ctx: Context, header: Sequence[str], rows: Sequence[Sequence[str]], size: float) -> list[list[Para]]:
    """Each cell's paragraph at ``size``: the header white and bold, the first column bold."""
    theme = ctx.theme
    head = pinned(Role(theme.heading_font, size, size, ink(theme, "band"), bold=True), size)
    out = [[shown(ctx, text, head) for text in header]]
    for i, row in enumerate(rows):
        # Body rows alternate white and the card colour (see ``table``).
        colour = ink(theme, "body" if i % 2 == 0 else "card")
        first = pinned(Role(theme.body_font, size, size, colour, bold=True), size)
        body = pinned(Role(theme.body_font, size, size, colour), size)
        out.append([shown(ctx, text, first if j == 0 else body) for j, text in enumerate(row)])
    return out


def _chrome_x() -> int:
    return round(2 * INSET_X_PT * EMU_PER_PT) + 2 * inches(PAD_X)


def _chrome_y() -> int:
    return round(2 * INSET_Y_PT * EMU_PER_PT) + 2 * inches(PAD_Y)


def _needed(width_pt: float) -> int:
    """Column width (EMU) that holds ``width_pt`` of text on one line, as the wrapper measures it."""
    return math.ceil(width_pt / WIDTH_SAFETY * EMU_PER_PT) + _chrome_x() + 1


def column_widths(paras: Sequence[Sequence[Para]], total: int) -> tuple[int, ...]:
    """Share ``total`` between the columns: each at least its longest word (and ``MIN_COLUMN``),
    the rest in proportion to how much text each column holds, none wider than its longest cell."""
    ncols = len(paras[0])

    def width(p: Para, text: str) -> float:
        return text_width(text, p.role.face, p.role.size, bold=p.role.bold, italic=p.role.italic)

    floor = [inches(MIN_COLUMN)] * ncols
    natural = [0] * ncols
    weight = [0.0] * ncols
    for row in paras:
        for j, p in enumerate(row):
            floor[j] = max(floor[j], _needed(max((width(p, w) for w in p.text.split()), default=0.0)))
            natural[j] = max(natural[j], _needed(width(p, p.text)))
            weight[j] += width(p, p.text)
    if sum(floor) >= total:
        # Even the longest words do not fit side by side: scale down and let words break.
        return _exact([f * total / sum(floor) for f in floor], total)
    widths = [float(f) for f in floor]
    open_ = [j for j in range(ncols) if natural[j] > widths[j]]
    spare = total - sum(widths)
    while spare > 1 and open_:
        share = sum(max(weight[j], 1.0) for j in open_)
        for j in list(open_):
            widths[j] += spare * max(weight[j], 1.0) / share
        spare = 0
        for j in list(open_):
            if widths[j] >= natural[j]:
                spare += widths[j] - natural[j]
                widths[j] = natural[j]
                open_.remove(j)
    if spare > 1:
        # Every column holds its text on one line: share the rest by width, keeping proportions.
        widths = [w * total / sum(widths) for w in widths]
    return _exact(widths, total)


def _exact(widths: Sequence[float], total: int) -> tuple[int, ...]:
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return tuple(out)


def lay_grid(paras: Sequence[Sequence[Para]], total: int, ctx: Context) -> Grid:
    """The table at the size its paragraphs carry: widths from the content, rows as tall as their text."""
    widths = column_widths(paras, total)
    heights: list[int] = []
    cells: list[tuple[Fitted, ...]] = []
    pad_x = inches(PAD_X)
    for i, row in enumerate(paras):
        anchor = MSO_ANCHOR.MIDDLE if i == 0 else MSO_ANCHOR.TOP
        boxes = [Box(0, 0, w - 2 * pad_x, HUGE, (p,), anchor) for w, p in zip(widths, row, strict=True)]
        fitted = fit_boxes(boxes, ctx.theme)
        text_h = max(sum(laid.height for laid in f.laid) for f in fitted)
        height = math.ceil(text_h * EMU_PER_PT) + _chrome_y() + 1
        heights.append(height)
        cells.append(tuple(_sized(f, height - 2 * inches(PAD_Y)) for f in fitted))
    return Grid(widths, tuple(heights), tuple(cells))


def _sized(fitted: Fitted, height: int) -> Fitted:
    return replace(fitted, box=replace(fitted.box, height=height))


def _cut(grid: Grid, paras: Sequence[Sequence[Para]], room: int, ctx: Context) -> Grid:
    """The last resort: body cells cut to the most lines that let the table fit, then rows left off."""
    line_pt = max(laid.line_pt for row in grid.cells for f in row for laid in f.laid)
    most = max((len(laid.lines) for row in grid.cells[1:] for f in row for laid in f.laid), default=1)
    capped = list(grid.heights[1:])
    for limit in range(most - 1, 0, -1):
        text_h = math.ceil(limit * line_pt * EMU_PER_PT) + round(2 * INSET_Y_PT * EMU_PER_PT) + 1
        capped = [min(h, text_h + 2 * inches(PAD_Y)) for h in grid.heights[1:]]
        if grid.heights[0] + sum(capped) <= room or limit == 1:
            break
    cells = [grid.cells[0]]
    heights = [grid.heights[0]]
    pad_x = inches(PAD_X)
    for i, row in enumerate(paras[1:], start=1):
        height = capped[i - 1]
        if sum(heights) + height > room:
            break
        text_h = height - 2 * inches(PAD_Y)
        boxes = [Box(0, 0, w - 2 * pad_x, text_h, (p,)) for w, p in zip(grid.widths, row, strict=True)]
        cells.append(tuple(fit_boxes(boxes, ctx.theme)))
        heights.append(height)
    return Grid(grid.widths, tuple(heights), tuple(cells))
