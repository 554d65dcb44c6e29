"""Layouts of items in rows: numbered steps, a checklist, and a recap of a few words side by side."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Item, Slide
from ...theme import ink
from ..fit import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, WIDTH_SAFETY, Box, Fitted, Para, Role, fit_boxes, fitted_height
from ..page import Context, content_area, fit_together, one_line_size, optical_shift, pinned, shown
from ..shapes import clean, decorative, displayed, inches, moved, named, outlined, place, rect, rounded_box, tick

PER_COLUMN = 6
"""Rows in one column; more items go into two columns."""
MAX_ROWS = 12
"""Items in two full columns; more are left off (with a warning)."""
MAX_TILES = 5
TILE_WORDS = 3
"""A recap item of more words than this is a sentence, shown as a numbered row instead of a tile."""
MAX_GAP = 0.6
"""Inches between rows at most: a few short steps spread down the slide, but stay a list."""

Marker = Callable[[Context, PptxSlide, int, int, int, int], None]
"""Draws the marker of row ``n`` (1-based) as a ``size`` square at ``left, top``."""


def steps(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A numbered list: an accent disc per step with its number, the step in bold, its detail muted."""
    _rows(ctx, page, slide, "step", _disc, joined=True, bold=True)


def checklist(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A checklist: a drawn check box per item in the accent colour, the item, its detail muted."""
    _rows(ctx, page, slide, "checklist item", _check_box, joined=False, bold=False)


def recap(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A few words large and bold side by side, each with its gloss under it.

    Items that are sentences rather than words (more than three words, more than five items, or a
    word too wide for its column even at the minimum size) are shown as numbered rows instead.
    """
    items = [item for item in slide.items if clean(item.text)]
    if not items:
        ctx.warn(slide, "the recap layout has no items; the slide shows its title only")
        return
    theme = ctx.theme
    s, c = theme.sizes, theme.colours
    left, top, width, height = content_area(ctx)
    gap = inches(0.4)
    col_w = (width - gap * (len(items) - 1)) // len(items)
    word = Role(theme.heading_font, s.statement, s.statement_min, ink(theme, "body"), bold=True, align=PP_ALIGN.CENTER)
    texts = [displayed(item.text)[0] for item in items]
    room_pt = (col_w / EMU_PER_PT - 2 * INSET_X_PT) * WIDTH_SAFETY
    size = one_line_size([w for t in texts for w in t.split()], word, room_pt, s.step)
    if len(items) > MAX_TILES or size is None or any(len(t.split()) > TILE_WORDS for t in texts):
        _rows(ctx, page, slide, "recap item", _disc, joined=False, bold=False)
        return
    word = pinned(word, size)
    gloss = Role(theme.body_font, s.detail, s.detail_min, ink(theme, "body_muted"), space_before=0.45,
                 align=PP_ALIGN.CENTER)  # fmt: skip
    boxes = []
    for i, item in enumerate(items):
        paras = [shown(ctx, item.text, word)]
        if clean(item.detail):
            paras.append(shown(ctx, item.detail, gloss))
        boxes.append(Box(left + i * (col_w + gap), top, col_w, height - inches(0.4), tuple(paras)))
    fitted = ctx.fit(slide, boxes, "a recap word's gloss")
    bar_w, bar_h, bar_gap = inches(0.9), inches(0.08), inches(0.3)
    block = bar_h + bar_gap + fitted_height(fitted)
    y = top + optical_shift(height, block)
    for i, f in enumerate(fitted):
        x = f.box.left
        with ctx.unit(page, slide, i):
            decorative(named(rect(page, x + (col_w - bar_w) // 2, y, bar_w, bar_h, c.accent), f"Recap bar {i + 1}"))
            named(place(page, moved(f, y + bar_h + bar_gap - top, height=block - bar_h - bar_gap)), f"Recap {i + 1}")
            if i:
                # A hairline between the words keeps each gloss with its word.
                decorative(named(rect(page, x - gap // 2, y, inches(0.015), block, c.card_border), f"Rule {i}"))


def _rows(ctx: Context, page: PptxSlide, slide: Slide, what: str, marker: Marker, *, joined: bool, bold: bool) -> None:
    """Items as rows, a marker beside each, spread down the content area; two columns past six."""
    items = _row_items(ctx, slide, what)
    if not items:
        return
    grid = _Grid.for_rows(ctx, len(items))
    fitted = fit_together(ctx, slide, _row_boxes(ctx, items, grid, bold=bold), grid.fits, f"a {what}")
    tops = grid.row_tops(fitted)
    per_column, mark = grid.per_column, grid.mark
    marker_tops = [tops[i % per_column] + grid.reach + _marker_offset(f, mark) for i, f in enumerate(fitted)]
    if joined:
        _join_markers(ctx, page, fitted, grid, marker_tops)
    for i, f in enumerate(fitted):
        with ctx.unit(page, slide, i):
            marker(ctx, page, i + 1, f.box.left - grid.text_x, marker_tops[i], mark)
            row_top = tops[i % per_column] + grid.reach
            named(place(page, moved(f, row_top - grid.top, height=fitted_height([f]))), f"{what.capitalize()} {i + 1}")


def _row_items(ctx: Context, slide: Slide, what: str) -> Sequence[Item]:
    """The items that have text, at most :data:`MAX_ROWS` (with a warning for any left off, or for none)."""
    items: Sequence[Item] = [item for item in slide.items if clean(item.text)]
    if not items:
        ctx.warn(slide, f"there are no {what}s to show; the slide shows its title only")
    elif len(items) > MAX_ROWS:
        ctx.warn(slide, f"only {MAX_ROWS} {what}s fit on a slide; {len(items) - MAX_ROWS} left off")
        items = items[:MAX_ROWS]
    return items


@dataclass(frozen=True, slots=True)
class _Grid:
    """Where rows go: the content area as one or two columns of ``per_column`` rows, a marker and
    then the text in each (EMU throughout)."""

    left: int
    top: int
    height: int
    per_column: int
    col_w: int
    col_gap: int
    mark: int
    """The side of a marker's square."""
    text_x: int
    """Where a row's text starts, from the left of its column."""
    reach: int
    """How far a marker taller than the first line it sits beside reaches above the text box."""
    min_gap: int

    @classmethod
    def for_rows(cls, ctx: Context, count: int) -> _Grid:
        s = ctx.theme.sizes
        left, top, width, height = content_area(ctx)
        columns = 1 if count <= PER_COLUMN else 2
        col_gap = inches(0.6)
        mark = inches(0.56)
        return cls(
            left,
            top,
            height,
            per_column=math.ceil(count / columns),
            col_w=(width - col_gap * (columns - 1)) // columns,
            col_gap=col_gap,
            mark=mark,
            text_x=mark + inches(0.25),
            reach=max(0, mark // 2 - round((INSET_Y_PT + s.body_min * s.line_spacing / 2) * EMU_PER_PT)),
            min_gap=inches(0.15),
        )

    def box(self, i: int, paras: tuple[Para, ...]) -> Box:
        """The box item ``i`` is fitted in: its column's text width, an equal share of the height."""
        slot = (self.height - self.min_gap * (self.per_column - 1)) // self.per_column - self.reach
        x = self.left + (i // self.per_column) * (self.col_w + self.col_gap) + self.text_x
        return Box(x, self.top, self.col_w - self.text_x, slot, paras)

    def row_heights(self, fitted: Sequence[Fitted]) -> list[int]:
        # Rows line up across columns: row j is as tall as its fullest item.
        heights = [max(fitted_height([f]), _marker_offset(f, self.mark) + self.mark) for f in fitted]
        return [max(heights[j :: self.per_column]) for j in range(self.per_column)]

    def fits(self, fitted: Sequence[Fitted]) -> bool:
        """Whether the rows, at their natural heights and the smallest gap, fit the content area."""
        return self.reach + sum(self.row_heights(fitted)) + self.min_gap * (self.per_column - 1) <= self.height

    def row_tops(self, fitted: Sequence[Fitted]) -> list[int]:
        """Each row's top: rows spread down the area at most :data:`MAX_GAP` apart, the block at the optical centre."""
        row_h = self.row_heights(fitted)
        free = self.height - self.reach - sum(row_h)
        gap = min(inches(MAX_GAP), free // (self.per_column - 1)) if self.per_column > 1 else 0
        gap = max(0, gap)
        y = self.top + optical_shift(self.height, self.reach + sum(row_h) + gap * (self.per_column - 1))
        return [y + sum(row_h[:j]) + j * gap for j in range(self.per_column)]


def _row_boxes(ctx: Context, items: Sequence[Item], grid: _Grid, *, bold: bool) -> list[Box]:
    """Each item's box: the item (bold for steps), its detail muted under it."""
    theme = ctx.theme
    s = theme.sizes
    phrase = Role(theme.heading_font, s.body, s.body_min, ink(theme, "body"), bold=bold)
    detail = Role(theme.body_font, s.detail, s.detail_min, ink(theme, "body_muted"), space_before=0.2)
    boxes = []
    for i, item in enumerate(items):
        paras = [shown(ctx, item.text, phrase)]
        if clean(item.detail):
            paras.append(shown(ctx, item.detail, detail))
        boxes.append(grid.box(i, tuple(paras)))
    return boxes


def _join_markers(
    ctx: Context, page: PptxSlide, fitted: Sequence[Fitted], grid: _Grid, marker_tops: Sequence[int]
) -> None:
    """A rule through each column's markers, so the steps read as one sequence."""
    for first in range(0, len(fitted), grid.per_column):
        last = min(len(fitted), first + grid.per_column) - 1
        if last == first:
            continue
        x = fitted[first].box.left - grid.text_x + grid.mark // 2 - inches(0.015)
        top, height = marker_tops[first] + grid.mark // 2, marker_tops[last] - marker_tops[first]
        decorative(named(rect(page, x, top, inches(0.03), height, ctx.theme.colours.card_border), "Rule"))


def _marker_offset(fitted: Fitted, mark: int) -> int:
    """Marker top, from the top of its text box, that centres it on the first line."""
    if not fitted.laid:
        return 0
    first_mid = (INSET_Y_PT + fitted.laid[0].line_pt / 2) * EMU_PER_PT
    return round(first_mid) - mark // 2


def _disc(ctx: Context, page: PptxSlide, n: int, left: int, top: int, size: int) -> None:
    c = ctx.theme.colours
    decorative(named(rect(page, left, top, size, size, c.accent, shape=MSO_SHAPE.OVAL), f"Disc {n}"))
    # The number goes in a square text box over the disc, not in the oval's own text frame:
    # renderers inset an ellipse's text to its inscribed rectangle, too narrow for "12".
    role = Role(ctx.theme.heading_font, 22, 14, ink(ctx.theme, "on_accent"), bold=True, align=PP_ALIGN.CENTER)
    number = Box(left, top, size, size, (Para(str(n), role),), MSO_ANCHOR.MIDDLE)
    named(place(page, fit_boxes([number], ctx.theme)[0]), f"Number {n}")


def _check_box(ctx: Context, page: PptxSlide, n: int, left: int, top: int, size: int) -> None:
    c = ctx.theme.colours
    inset = size // 10
    side = size - 2 * inset
    box = rounded_box(page, left + inset, top + inset, side, side, c.background)
    decorative(named(outlined(box, c.accent, 2.25), f"Check box {n}"))
    decorative(named(tick(page, left + inset, top + inset, side, c.accent, 3.5), f"Tick {n}"))
