"""Layouts of phrases: bullets, cards, a two-column comparison, a pull-quote and the marked draft placeholder."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Direction, Item, Slide
from ...theme import ink
from ..fit import Box, Para, Role, fit_boxes, fitted_height, paragraph_bands
from ..page import Context, content_area, optical_shift, shown
from ..shapes import (
    clean,
    decorative,
    describe,
    displayed,
    inches,
    moved,
    named,
    outlined,
    place,
    rect,
    stroke,
    write_text,
)


def item_paras(ctx: Context, slide: Slide) -> tuple[Para, ...]:
    return tuple(para for paras in _item_groups(ctx, slide) for para in paras)


def _item_groups(ctx: Context, slide: Slide) -> list[tuple[Para, ...]]:
    """Each item's paragraphs: the bullet, and its detail under it."""
    roles = ctx.roles
    groups = []
    for item in slide.items:
        if clean(item.text):
            detail = (shown(ctx, item.detail, roles.detail),) if clean(item.detail) else ()
            groups.append((shown(ctx, item.text, roles.bullet), *detail))
    return groups


def bullets(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    left, top, width, height = content_area(ctx)
    groups = _item_groups(ctx, slide)
    paras = tuple(para for group in groups for para in group)
    if not paras:
        return
    fitted = ctx.fit(slide, [Box(left, top, width, height, paras)], "the bullet list")[0]
    place(page, fitted)
    # One text box holds every bullet; each bullet's band of it is a build unit of its own.
    for i, (y, band) in enumerate(paragraph_bands(fitted, [len(g) for g in groups])):
        ctx.cover(slide, i, left, y, width, band)


MAX_CARDS = 8
"""Cards on one slide (two rows of four); more are shown as bullets."""
SEQUENCE_WORDS = frozenset({"before", "without", "old", "then", "after", "with", "new", "now"})
"""First words of comparison headings that read as a change (Before → After), not a contest (A vs B)."""


def card_grid(count: int, direction: Direction | None) -> tuple[int, int] | None:
    """Rows × columns for ``count`` cards: the direction's grid when it holds them, else one row
    up to four and two rows beyond; ``None`` when there are none or too many for cards."""
    if not 1 <= count <= MAX_CARDS:
        return None
    if direction is not None and direction.grid is not None:
        rows, cols = direction.grid
        if rows >= 1 and cols >= 1 and rows * cols >= count:
            return math.ceil(count / cols), cols
    if count <= 4:
        return 1, count
    return 2, math.ceil(count / 2)


def card_paras(ctx: Context, item: Item) -> tuple[Para, ...]:
    """A card's label, its explanation and its points (bulleted, a marked point in the highlight colour)."""
    theme, roles, s = ctx.theme, ctx.roles, ctx.theme.sizes
    paras = [shown(ctx, item.text, roles.card_heading)]
    if clean(item.detail):
        paras.append(shown(ctx, item.detail, roles.card_body))
    indent = s.card_body * 0.9
    for point in item.points:
        text = " — ".join(t for t in (clean(point.text), clean(point.detail)) if t)
        if text:
            colour = ink(theme, "card_highlight") if point.marked else ink(theme, "card")
            bullet = colour if point.marked else ink(theme, "card_accent")
            role = Role(theme.body_font, s.card_body, s.card_body_min, colour, space_before=0.35, bullet=True,
                        indent_pt=indent, bullet_colour=bullet)  # fmt: skip
            paras.append(shown(ctx, text, role))
    return tuple(paras)


def cards(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """Cards in a grid (``direction.grid``, else one row of up to four, two rows for more), each a label
    over its explanation and points; all cards share one height, a marked card has a highlight strip."""
    items = slide.items
    grid = card_grid(len(items), slide.direction)
    if grid is None:
        ctx.warn(slide, f"the cards layout takes 1–{MAX_CARDS} items, not {len(items)}; shown as bullets")
        bullets(ctx, page, slide)
        return
    rows, cols = grid
    c = ctx.theme.colours
    left, top, width, height = content_area(ctx)
    gap = inches(0.3)
    card_w = (width - gap * (cols - 1)) // cols
    slot_h = (height - gap * (rows - 1)) // rows
    pad = inches(0.25)
    strip = inches(0.09)
    boxes = []
    for i, item in enumerate(items):
        row, col = divmod(i, cols)
        # A short last row is centred under the full ones.
        in_row = min(cols, len(items) - row * cols)
        x = left + (width - in_row * card_w - (in_row - 1) * gap) // 2 + col * (card_w + gap)
        boxes.append(Box(x + pad, top + strip + pad, card_w - 2 * pad, slot_h - strip - 2 * pad, card_paras(ctx, item)))
    fitted = ctx.fit(slide, boxes, "a card's text")
    # Cards are as tall as the fullest one needs (not the whole area), so short cards do not
    # float in empty boxes; all cards share that height.
    floor = inches(2.6) if rows == 1 else inches(1.5)
    card_h = min(slot_h, max(floor, fitted_height(fitted) + strip + 2 * pad))
    shift = optical_shift(height, rows * card_h + (rows - 1) * gap)
    for i, (item, f) in enumerate(zip(items, fitted, strict=True)):
        x = f.box.left - pad
        y = top + shift + (i // cols) * (card_h + gap)
        with ctx.unit(page, slide, i):
            card = decorative(named(rect(page, x, y, card_w, card_h, c.card), f"Card {i + 1}"))
            outlined(card, c.card_border, 0.75)
            bar = named(rect(page, x, y, card_w, strip, c.highlight if item.marked else c.accent), f"Strip {i + 1}")
            if item.marked:  # it stands out by its colour alone: say so to a screen reader
                describe(bar, f"Highlighted: {displayed(item.text)[0]}")
            else:
                decorative(bar)
            place(page, moved(f, y - top, height=card_h - strip - 2 * pad))


def column_paras(ctx: Context, item: Item) -> tuple[Para, ...]:
    """A comparison column's lines: its detail, then every point as its own paragraph (marked ones
    in the highlight colour, code in the code font)."""
    theme, s = ctx.theme, ctx.theme.sizes
    body = Role(ctx.roles.bullet.face, s.body, s.body_min, ink(theme, "card"))
    paras = [shown(ctx, item.detail, body)] if clean(item.detail) else []
    previous_code = False
    for point in item.points:
        if clean(point.text):
            colour = ink(theme, "card_highlight") if point.marked else ink(theme, "card")
            code = displayed(point.text)[1]
            # Consecutive lines of code read as one block: code sizes, no space between them.
            gap = 0.0 if not paras or (code and previous_code) else 0.5
            sizes = (s.code, s.code_min) if code else (s.body, s.body_min)
            role = Role(ctx.theme.body_font, *sizes, colour, space_before=gap)
            paras.append(shown(ctx, point.text, role))
            previous_code = code
    return tuple(paras)


def comparison(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """Two columns under coloured headings, with "vs" between them, or an arrow when the headings
    read as a change (Before / After)."""
    items = slide.items
    if len(items) != 2:
        ctx.warn(slide, f"the comparison layout takes exactly 2 items, not {len(items)}; shown as bullets")
        bullets(ctx, page, slide)
        return
    theme, roles = ctx.theme, ctx.roles
    c, s = theme.colours, theme.sizes
    left, top, width, height = content_area(ctx)
    gap = inches(0.9)
    col_w = (width - gap) // 2
    pad = inches(0.3)
    head_h = inches(1.25)
    grounds = ((c.band, "band"), (c.accent_alt, "on_accent_alt"))
    heads, bodies = [], []
    for i, (item, (_, pair)) in enumerate(zip(items, grounds, strict=True)):
        x = left + i * (col_w + gap) + pad
        head_role = Role(roles.card_heading.face, s.card_heading + 4, s.card_heading_min, ink(theme, pair), bold=True)
        heads.append(Box(x, top, col_w - 2 * pad, head_h, (shown(ctx, item.text, head_role),), MSO_ANCHOR.MIDDLE))
        bodies.append(Box(x, top + head_h + pad, col_w - 2 * pad, height - head_h - 2 * pad, column_paras(ctx, item)))
    fitted_heads = ctx.fit(slide, heads, "a comparison heading")
    fitted_bodies = ctx.fit(slide, bodies, "a comparison column")
    # Panels shrink to the longer column's text, as cards do.
    panel_h = min(height, max(inches(2.8), head_h + fitted_height(fitted_bodies) + 2 * pad))
    shift = optical_shift(height, panel_h)
    top += shift
    # Each column is one build unit: its panel, heading and points appear together.
    for i, ((colour, _), head, body) in enumerate(zip(grounds, fitted_heads, fitted_bodies, strict=True)):
        x = left + i * (col_w + gap)
        with ctx.unit(page, slide, i):
            panel = decorative(named(rect(page, x, top, col_w, panel_h, c.card), f"Column {i + 1}"))
            outlined(panel, c.card_border, 0.75)
            decorative(named(rect(page, x, top, col_w, head_h, colour), f"Heading band {i + 1}"))
            place(page, moved(head, shift))
            if body.laid and any(line.text for p in body.laid for line in p.lines):
                place(page, moved(body, shift, height=panel_h - head_h - 2 * pad))
    with ctx.unit(page, slide, 1):  # what joins the columns comes with the second
        _joiner(ctx, page, items, left + col_w + gap // 2, top, head_h)


def _joiner(ctx: Context, page: PptxSlide, items: Sequence[Item], cx: int, top: int, head_h: int) -> None:
    """An arrow between the columns when their headings read as a change, else a "vs" badge."""
    c = ctx.theme.colours
    if _reads_as_change(items[0].text, items[1].text):
        arrow_w, arrow_h = inches(0.7), inches(0.56)
        arrow = rect(page, cx - arrow_w // 2, top + (head_h - arrow_h) // 2, arrow_w, arrow_h, c.accent,
                     shape=MSO_SHAPE.RIGHT_ARROW)  # fmt: skip
        named(arrow, "Arrow")
        first, second = (displayed(item.text)[0] for item in items)
        describe(arrow, f"Arrow from {first} to {second}")
        return
    # "vs" badge between the columns, centred on the heading band.
    size = inches(0.72)
    badge = rect(page, cx - size // 2, top + (head_h - size) // 2, size, size, c.accent, shape=MSO_SHAPE.OVAL)
    named(badge, "vs badge")
    vs = Role(ctx.roles.card_heading.face, 20, 20, ink(ctx.theme, "on_accent"), bold=True, align=PP_ALIGN.CENTER)
    fitted = fit_boxes([Box(badge.left, badge.top, size, size, (Para("vs", vs),), MSO_ANCHOR.MIDDLE)], ctx.theme)[0]
    write_text(badge.text_frame, fitted)


def _reads_as_change(first: str, second: str) -> bool:
    words = [displayed(t)[0].lower().split()[:1] for t in (first, second)]
    return any(w and w[0].strip(":,.") in SEQUENCE_WORDS for w in words)


def quote(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    if not slide.items or not clean(slide.items[0].text):
        ctx.warn(slide, "the quote layout has no quote; the slide shows its title only")
        return
    theme, roles = ctx.theme, ctx.roles
    left, top, width, height = content_area(ctx)
    mark_w = inches(1.4)
    item = slide.items[0]
    paras = [Para(clean(item.text), roles.quote)]
    if clean(item.detail):
        paras.append(Para("— " + clean(item.detail), roles.attribution))
    box = Box(left + mark_w, top, width - mark_w - inches(0.8), height, tuple(paras), MSO_ANCHOR.MIDDLE)
    fitted = ctx.fit(slide, [box], "the quote")[0]
    place(page, fitted)
    # A large opening quote mark in the accent colour, level with the first line of the quote.
    text_top = top + (height - fitted_height([fitted])) // 2
    mark_role = Role(theme.heading_font, 120, 120, ink(theme, "body_accent"), bold=True)
    mark_top = max(top - inches(0.25), text_top - inches(0.55))
    mark = place(page, fit_boxes([Box(left, mark_top, mark_w, inches(2.1), (Para("“", mark_role),))], theme)[0])
    decorative(named(mark, "Quote mark"))  # an ornament: the quote is read as a quote without it


def placeholder(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A DRAFT placeholder showing the visual direction, beside the slide's key points."""
    theme, roles = ctx.theme, ctx.roles
    c = theme.colours
    left, top, width, height = content_area(ctx)
    points = item_paras(ctx, slide)
    side_w = inches(4.7) if points else 0
    gap = inches(0.45) if points else 0
    box_w = width - side_w - gap
    stroke(decorative(named(rect(page, left, top, box_w, height, c.card), "Draft frame")), c.draft, 2, dashed=True)
    pad = inches(0.3)
    tag_w, tag_h = inches(2.0), inches(0.42)
    tag = named(rect(page, left + pad, top + pad, tag_w, tag_h, c.draft), "Draft tag")
    tag_role = Role(theme.body_font, theme.sizes.footer + 2, theme.sizes.footer + 2, ink(theme, "on_draft"),
                    bold=True, align=PP_ALIGN.CENTER)  # fmt: skip
    write_text(
        tag.text_frame,
        fit_boxes([Box(tag.left, tag.top, tag_w, tag_h, (Para("DRAFT VISUAL", tag_role),), MSO_ANCHOR.MIDDLE)], theme)[
            0
        ],
    )
    direction = clean(slide.visual) or "No visual direction given in the slide outline."
    inner_top = top + pad + tag_h + pad
    note_h = inches(0.9)
    boxes = [
        Box(
            left + pad,
            inner_top,
            box_w - 2 * pad,
            height - (inner_top - top) - note_h - pad,
            (Para(direction, roles.direction),),
            MSO_ANCHOR.MIDDLE,
        ),
        Box(
            left + pad,
            top + height - note_h - pad // 2,
            box_w - 2 * pad,
            note_h,
            (
                Para(
                    "Placeholder: the lesson has nothing to draw this from. Replace before publishing.",
                    roles.draft_note,
                ),
            ),
            MSO_ANCHOR.BOTTOM,
        ),
    ]
    for fitted in ctx.fit(slide, boxes, "the visual direction"):
        place(page, fitted)
    if points:
        x = left + box_w + gap
        heading = Box(x, top, side_w, inches(0.5), (Para("KEY POINTS", roles.side_heading),))
        place(page, fit_boxes([heading], theme)[0])
        body = Box(x, top + inches(0.6), side_w, height - inches(0.6), points)
        place(page, ctx.fit(slide, [body], "the key points")[0])
