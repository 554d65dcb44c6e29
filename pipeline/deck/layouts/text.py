"""Layouts of phrases: bullets, cards, a two-column comparison, a pull-quote and the marked draft placeholder."""

from __future__ import annotations

from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide
from pptx.util import Pt

from ...model import Slide
from ..fit import Box, Para, Role, fit_boxes, fitted_height
from ..page import Context, content_area, optical_shift
from ..shapes import clean, inches, moved, place, rect, rgb, write_text


def item_paras(ctx: Context, slide: Slide) -> tuple[Para, ...]:
    roles = ctx.roles
    paras: list[Para] = []
    for item in slide.items:
        paras.append(Para(clean(item.text), roles.bullet))
        if clean(item.detail):
            paras.append(Para(clean(item.detail), roles.detail))
    return tuple(paras)


def bullets(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    left, top, width, height = content_area(ctx)
    paras = item_paras(ctx, slide)
    if not paras:
        return
    place(page, ctx.fit(slide, [Box(left, top, width, height, paras)], "the bullet list")[0])


def cards(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    items = slide.items
    if not 1 <= len(items) <= 4:
        ctx.warn(slide, f"the cards layout takes 2–4 items, not {len(items)}; shown as bullets")
        bullets(ctx, page, slide)
        return
    theme, roles = ctx.theme, ctx.roles
    left, top, width, height = content_area(ctx)
    gap = inches(0.3)
    card_w = (width - gap * (len(items) - 1)) // len(items)
    pad = inches(0.25)
    strip = inches(0.09)
    boxes = []
    for i, item in enumerate(items):
        paras = [Para(clean(item.text), roles.card_heading)]
        if clean(item.detail):
            paras.append(Para(clean(item.detail), roles.card_body))
        x = left + i * (card_w + gap) + pad
        boxes.append(Box(x, top + strip + pad, card_w - 2 * pad, height - strip - 2 * pad, tuple(paras)))
    fitted = ctx.fit(slide, boxes, "a card's text")
    # Cards are as tall as the fullest one needs (not the whole area), so short cards do not
    # float in empty boxes; all cards share that height.
    text_h = fitted_height(fitted)
    card_h = min(height, max(inches(2.6), text_h + strip + 2 * pad))
    shift = optical_shift(height, card_h)
    top += shift
    for i, f in enumerate(fitted):
        x = left + i * (card_w + gap)
        card = rect(page, x, top, card_w, card_h, theme.colours.card)
        card.line.color.rgb = rgb(theme.colours.card_border)
        card.line.width = Pt(0.75)
        rect(page, x, top, card_w, strip, theme.colours.accent)
        place(page, moved(f, shift, height=card_h - strip - 2 * pad))


def comparison(ctx: Context, page: PptxSlide, slide: Slide) -> None:
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
    head_role = Role(roles.card_heading.face, s.card_heading + 4, s.card_heading_min, c.band_text, bold=True)
    body_role = Role(roles.bullet.face, s.body, s.body_min, c.text)
    heads, bodies = [], []
    for i, item in enumerate(items):
        x = left + i * (col_w + gap) + pad
        heads.append(Box(x, top, col_w - 2 * pad, head_h, (Para(clean(item.text), head_role),), MSO_ANCHOR.MIDDLE))
        body = (Para(clean(item.detail), body_role),) if clean(item.detail) else ()
        bodies.append(Box(x, top + head_h + pad, col_w - 2 * pad, height - head_h - 2 * pad, body))
    fitted_heads = ctx.fit(slide, heads, "a comparison heading")
    fitted_bodies = ctx.fit(slide, bodies, "a comparison column")
    # Panels shrink to the longer column's text, as cards do.
    panel_h = min(height, max(inches(2.8), head_h + fitted_height(fitted_bodies) + 2 * pad))
    shift = optical_shift(height, panel_h)
    top += shift
    for i, colour in enumerate((c.band, c.accent_alt)):
        x = left + i * (col_w + gap)
        panel = rect(page, x, top, col_w, panel_h, c.card)
        panel.line.color.rgb = rgb(c.card_border)
        panel.line.width = Pt(0.75)
        rect(page, x, top, col_w, head_h, colour)
    for f in fitted_heads:
        place(page, moved(f, shift))
    for f in fitted_bodies:
        if f.laid and any(line.text for p in f.laid for line in p.lines):
            place(page, moved(f, shift, height=panel_h - head_h - 2 * pad))
    # "vs" badge between the columns, centred on the heading band.
    size = inches(0.72)
    cx = left + col_w + gap // 2
    badge = rect(page, cx - size // 2, top + (head_h - size) // 2, size, size, c.accent, shape=MSO_SHAPE.OVAL)
    vs = Role(roles.card_heading.face, 20, 20, c.band_text, bold=True, align=PP_ALIGN.CENTER)
    fitted = fit_boxes([Box(badge.left, badge.top, size, size, (Para("vs", vs),), MSO_ANCHOR.MIDDLE)], theme)[0]
    write_text(badge.text_frame, fitted)


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
    mark_role = Role(theme.heading_font, 120, 120, theme.colours.accent, bold=True)
    mark_top = max(top - inches(0.25), text_top - inches(0.55))
    place(page, fit_boxes([Box(left, mark_top, mark_w, inches(2.1), (Para("“", mark_role),))], theme)[0])


def placeholder(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A DRAFT placeholder showing the visual direction, beside the slide's key points."""
    theme, roles = ctx.theme, ctx.roles
    c = theme.colours
    left, top, width, height = content_area(ctx)
    points = item_paras(ctx, slide)
    side_w = inches(4.7) if points else 0
    gap = inches(0.45) if points else 0
    box_w = width - side_w - gap
    frame = rect(page, left, top, box_w, height, c.card)
    frame.line.color.rgb = rgb(c.draft)
    frame.line.width = Pt(2)
    frame.line.dash_style = MSO_LINE.DASH
    pad = inches(0.3)
    tag_w, tag_h = inches(2.0), inches(0.42)
    tag = rect(page, left + pad, top + pad, tag_w, tag_h, c.draft)
    tag_role = Role(
        roles.label.face, theme.sizes.footer + 2, theme.sizes.footer + 2, c.band_text, bold=True, align=PP_ALIGN.CENTER
    )
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
                    "Placeholder: the lesson gives no data for this chart. Replace before publishing.", roles.draft_note
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
