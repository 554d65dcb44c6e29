"""Layouts of one large line: a statement, key figures with their source, and the end card."""

from __future__ import annotations

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Item, Slide
from ...theme import ink
from ..fit import EMU_PER_PT, INSET_X_PT, WIDTH_SAFETY, Box, Para, Role, fitted_height
from ..page import Context, content_area, fit_balanced, one_line_size, optical_shift, pinned, shown
from ..shapes import clean, displayed, inches, moved, named, place

MAX_FIGURES = 4
"""Key figures side by side; more would each be too small to read as a key figure."""
STATEMENT_WIDTH = 10.5
"""Inches: a centred sentence wider than this reads as a paragraph, not a statement."""


def _centred_box(ctx: Context, paras: tuple[Para, ...]) -> Box:
    left, top, width, height = content_area(ctx)
    inner = min(width, inches(STATEMENT_WIDTH))
    return Box(left + (width - inner) // 2, top, inner, height, paras, MSO_ANCHOR.MIDDLE)


def _first(slide: Slide, ctx: Context, layout: str) -> Item | None:
    items = [item for item in slide.items if clean(item.text)]
    if not items:
        ctx.warn(slide, f"the {layout} layout has no text; the slide shows its title only")
        return None
    if len(items) > 1:
        ctx.warn(slide, f"the {layout} layout shows one line; {len(items) - 1} more item(s) left off")
    return items[0]


def statement(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """One sentence, large and centred both ways in the content area; its detail as a muted line under it."""
    item = _first(slide, ctx, "statement")
    if item is None:
        return
    theme, s = ctx.theme, ctx.theme.sizes
    line = Role(theme.heading_font, s.statement, s.statement_min, ink(theme, "body"), bold=True, align=PP_ALIGN.CENTER)
    paras = [shown(ctx, item.text, line)]
    if clean(item.detail):
        under = Role(theme.body_font, s.detail, s.detail_min, ink(theme, "body_muted"), space_before=0.8,
                     align=PP_ALIGN.CENTER)  # fmt: skip
        paras.append(shown(ctx, item.detail, under))
    named(place(page, fit_balanced(ctx, slide, _centred_box(ctx, tuple(paras)), "the statement")), "Statement")


def end(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """The end card: the kicker (``Up next``) small in the accent colour, the line large under it, centred."""
    item = _first(slide, ctx, "end card")
    if item is None:
        return
    theme, s = ctx.theme, ctx.theme.sizes
    paras = []
    if clean(item.detail):
        kicker = Role(theme.body_font, s.detail, s.detail_min, ink(theme, "body_accent"), bold=True,
                      align=PP_ALIGN.CENTER)  # fmt: skip
        paras.append(shown(ctx, item.detail, kicker))
    line = Role(
        theme.heading_font,
        s.statement,
        s.statement_min,
        ink(theme, "body"),
        bold=True,
        space_before=0.35,
        align=PP_ALIGN.CENTER,
    )
    paras.append(shown(ctx, item.text, line))
    named(place(page, fit_balanced(ctx, slide, _centred_box(ctx, tuple(paras)), "the end card")), "End card")


def stat(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """Key figures very large in the accent colour, each over the line that explains it, side by side;
    the citation as a muted source line at the foot of the content area.

    A figure shrinks to stay on one line (down to ``stat_min``), all figures at one size; only a
    figure too wide even then is broken across lines, with a warning.
    """
    items = [item for item in slide.items if clean(item.text)]
    if not items:
        ctx.warn(slide, "the stat layout has no figure; the slide shows its title only")
        return
    if len(items) > MAX_FIGURES:
        ctx.warn(slide, f"the stat layout shows up to {MAX_FIGURES} figures; {len(items) - MAX_FIGURES} left off")
        items = items[:MAX_FIGURES]
    theme = ctx.theme
    s = theme.sizes
    left, top, width, height = content_area(ctx)
    if clean(slide.citation):
        source_h = inches(0.6)
        cited = clean(slide.citation)
        if not cited.lower().startswith("source"):
            cited = f"Source: {cited}"
        note = Role(theme.body_font, s.label, s.label_min, ink(theme, "body_muted"), align=PP_ALIGN.CENTER)
        source = Box(left, top + height - source_h, width, source_h, (Para(cited, note),), MSO_ANCHOR.BOTTOM)
        named(place(page, ctx.fit(slide, [source], "the source line")[0]), "Source")
        height -= source_h + inches(0.2)

    gap = inches(0.5)
    col_w = (width - gap * (len(items) - 1)) // len(items)
    figure = Role(theme.heading_font, s.stat, s.stat_min, ink(theme, "body_accent"), bold=True, align=PP_ALIGN.CENTER)
    room_pt = (col_w / EMU_PER_PT - 2 * INSET_X_PT) * WIDTH_SAFETY
    figures = [displayed(item.text)[0] for item in items]
    size = one_line_size(figures, figure, room_pt, s.step)
    if size is None:
        ctx.warn(slide, "a key figure is too wide for one line even at the minimum size; it runs onto more lines")
        size = s.stat_min
    figure = pinned(figure, size)
    explain = Role(theme.body_font, s.body, s.body_min, ink(theme, "body"), space_before=0.1, align=PP_ALIGN.CENTER)
    boxes = []
    for i, item in enumerate(items):
        paras = [Para(figures[i], figure)]
        if clean(item.detail):
            paras.append(shown(ctx, item.detail, explain))
        boxes.append(Box(left + i * (col_w + gap), top, col_w, height, tuple(paras)))
    fitted = ctx.fit(slide, boxes, "a key figure's line")
    # Figures share one top edge (so they line up), the group sitting at the optical centre.
    block = fitted_height(fitted)
    shift = optical_shift(height, block)
    for i, f in enumerate(fitted):
        named(place(page, moved(f, shift, height=block)), f"Figure {i + 1}")
