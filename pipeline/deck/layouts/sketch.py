"""An illustrative chart: what a lesson describes but gives no numbers for, drawn so nobody takes
it for data. An axes frame with arrowheads, the axis titles, a freehand-looking line for each
series whose trend is known, an ILLUSTRATIVE tag, watermark and note, and not a single number
(the category names are shown as the lesson writes them).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Chart, Slide
from ..fit import EMU_PER_PT, WIDTH_SAFETY, Box, Para, Role, fit_boxes, text_width
from ..geometry import Point, Rect
from ..page import Context
from ..shapes import clean, inches, line, place, polyline, rect, rounded_box, write_text
from .text import item_paras

Curve = Callable[[float], float]
"""Share of the way along the axis (0–1) -> height (0 bottom, 1 top)."""

SHAPES: dict[str, Curve] = {
    "flat": lambda t: 0.52,
    "rising": lambda t: 0.12 + 0.74 * t**1.6,
    "falling": lambda t: 0.12 + 0.74 * (1 - t) ** 1.8,
    "peaking": lambda t: 0.15 + 0.7 * math.sin(math.pi * t) ** 2,
    "dipping": lambda t: 0.85 - 0.7 * math.sin(math.pi * t) ** 2,
    "saturating": lambda t: 0.12 + 0.74 * (1 - math.exp(-4 * t)) / (1 - math.exp(-4)),
    "exponential": lambda t: 0.1 + 0.78 * t**3,
}
# Words a lesson uses for each shape, checked in this order (``levelling off`` before ``level``).
TREND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("saturating", ("saturating", "saturates", "levelling", "leveling", "plateauing", "flattening", "diminishing")),
    ("exponential", ("exponential", "exponentially", "explosive", "explodes", "hockey")),
    ("peaking", ("peaking", "peak", "peaks", "spike", "spikes", "spiking", "bump")),
    ("dipping", ("dipping", "dip", "dips", "trough", "valley")),
    ("rising", ("rising", "rise", "rises", "climbing", "climb", "climbs", "increasing", "increases", "growing",
                "grows", "grow", "up", "upward", "upwards", "higher", "improving", "improves")),
    ("falling", ("falling", "fall", "falls", "dropping", "drop", "drops", "declining", "declines", "decreasing",
                 "decreases", "shrinking", "shrinks", "down", "downward", "downwards", "lower", "cheaper")),
    ("flat", ("flat", "steady", "stable", "constant", "level", "unchanged", "plateau", "stays", "same")),
)  # fmt: skip
LINE_PT = 4.5
AXIS_PT = 2.25
PAD = inches(0.3)
NOTE_H = inches(0.45)
TAG = "ILLUSTRATIVE"


def trend_shape(trend: str) -> str | None:
    """The name of the shape a trend describes (``climbing`` -> ``rising``), or ``None``.

    A trend that both rises and falls peaks or dips, whichever comes first.
    """
    words = re.findall(r"[a-z]+", trend.lower())
    found = {name: next((i for i, w in enumerate(words) if w in vocab), None) for name, vocab in TREND_WORDS}
    up, down = found["rising"], found["falling"]
    if up is not None and down is not None and found["peaking"] is None and found["dipping"] is None:
        return "peaking" if up < down else "dipping"
    return next((name for name, _ in TREND_WORDS if found[name] is not None), None)


def sketch_points(shape: str, plot: Rect, wobble_phase: float, steps: int = 48) -> list[Point]:
    """The curve of ``shape`` across ``plot``, with a slight, even wobble so it reads as drawn by hand."""
    curve = SHAPES[shape]
    points = []
    for k in range(steps + 1):
        t = k / steps
        wobble = 0.010 * math.sin(2 * math.pi * 2.5 * t + wobble_phase) + 0.005 * math.sin(2 * math.pi * 6 * t)
        y = min(1.0, max(0.0, curve(t) + wobble))
        points.append((round(plot.left + t * plot.width), round(plot.bottom - y * plot.height)))
    return points


def key_points(ctx: Context, page: PptxSlide, slide: Slide, where: Rect) -> None:
    """The slide's items as key points beside a graphic, as the draft placeholder shows them."""
    roles = ctx.roles
    heading = Box(where.left, where.top, where.width, inches(0.5), (Para("KEY POINTS", roles.side_heading),))
    place(page, fit_boxes([heading], ctx.theme)[0])
    body = Box(where.left, where.top + inches(0.6), where.width, where.height - inches(0.6), item_paras(ctx, slide))
    place(page, ctx.fit(slide, [body], "the key points")[0])


def sketch(ctx: Context, page: PptxSlide, slide: Slide, ch: Chart, where: Rect) -> None:
    """Draw ``ch`` as an illustrative sketch inside ``where``: no chart object, no numbers."""
    theme = ctx.theme
    c, s = theme.colours, theme.sizes
    body = theme.body_font
    panel = Rect(where.left, where.top, where.width, where.height - NOTE_H)
    rect(page, panel.left, panel.top, panel.width, panel.height, c.card).name = "Illustrative panel"
    lines = [(series, trend_shape(series.trend)) for series in ch.series]
    drawn = [(series, shape) for series, shape in lines if shape]
    for series, shape in lines:
        if series.trend and not shape:
            ctx.warn(slide, f"no sketch for series '{series.name}': its trend '{series.trend}' is not a known shape")

    label_role = Role(body, s.label, s.label_min, c.text, bold=True)
    names = [clean(series.name) for series, _ in drawn]
    widest = max((text_width(n, body, s.label, bold=True) for n in names), default=0.0)
    name_room = min(inches(2.6), round((widest / WIDTH_SAFETY + 14) * EMU_PER_PT) + inches(0.2)) if names else 0
    title_h = inches(0.5)
    tag_w, tag_h = inches(2.1), inches(0.42)
    top = panel.top + PAD
    heads: list[Box] = []
    if clean(ch.title):
        title_role = Role(body, s.label + 2, s.label_min, c.text, bold=True)
        heads.append(Box(panel.left + PAD, top, panel.width - 2 * PAD - tag_w - PAD, title_h,
                         (Para(clean(ch.title), title_role),)))  # fmt: skip
        top += title_h
    axis_role = Role(body, s.label, s.label_min, c.muted)
    if clean(ch.value_axis):
        heads.append(Box(panel.left + PAD, top, panel.width - 2 * PAD - tag_w - PAD, title_h,
                         (Para(clean(ch.value_axis), axis_role),), MSO_ANCHOR.BOTTOM))  # fmt: skip
        top += title_h
    cat_h = inches(0.5) if ch.categories else 0
    cat_title_h = inches(0.5) if clean(ch.category_axis) else 0
    origin = (panel.left + PAD + inches(0.15), panel.bottom - PAD - cat_h - cat_title_h)
    x_end = panel.right - PAD - name_room
    y_top = max(top + inches(0.1), panel.top + PAD + tag_h + inches(0.15))
    plot = Rect(origin[0] + inches(0.25), y_top + inches(0.3), x_end - origin[0] - inches(0.55), 0)
    plot = Rect(plot.left, plot.top, plot.width, origin[1] - inches(0.2) - plot.top)

    _watermark(ctx, page, plot)
    line(page, origin, (origin[0], y_top), c.text, AXIS_PT, arrow=True, name="Value axis")
    line(page, origin, (x_end, origin[1]), c.text, AXIS_PT, arrow=True, name="Category axis")

    palette = [c.accent, c.accent_alt, c.band, c.highlight]
    label_boxes: list[Box] = []
    ends: list[int] = []
    for k, (series, shape) in enumerate(drawn):
        points = sketch_points(shape or "flat", plot, wobble_phase=1.7 * k)
        polyline(page, points, palette[k % len(palette)], LINE_PT, name=f"Sketch: {clean(series.name)[:40]}")
        ends.append(points[-1][1])
    for k, y in enumerate(_spread(ends, inches(0.45))):
        box_h = inches(0.5)
        label_boxes.append(Box(x_end + inches(0.15), y - box_h // 2, name_room - inches(0.15), box_h,
                               (Para(names[k], label_role),), MSO_ANCHOR.MIDDLE))  # fmt: skip
    if ch.categories:
        step = plot.width // len(ch.categories)
        role = Role(body, s.label, s.label_min, c.text, align=PP_ALIGN.CENTER)
        for i, name in enumerate(ch.categories):
            label_boxes.append(
                Box(plot.left + i * step, origin[1] + inches(0.06), step, cat_h, (Para(clean(name), role),))
            )
    if cat_title_h:
        role = Role(body, s.label, s.label_min, c.muted, align=PP_ALIGN.RIGHT)
        label_boxes.append(Box(origin[0], origin[1] + cat_h + inches(0.04), x_end - origin[0], cat_title_h,
                               (Para(clean(ch.category_axis), role),), MSO_ANCHOR.TOP))  # fmt: skip
    for fitted in ctx.fit(slide, heads + label_boxes, "a label of the illustrative chart"):
        place(page, fitted)

    _tag(ctx, page, Rect(panel.right - PAD - tag_w, panel.top + PAD, tag_w, tag_h))
    note = "Illustrative shape — no data" if drawn else "Illustrative frame — the lesson gives no data"
    note_role = Role(body, s.label_min, s.label_min, c.muted, italic=True)
    place(page, fit_boxes([Box(where.left, panel.bottom, where.width, NOTE_H, (Para(note, note_role),),
                               MSO_ANCHOR.BOTTOM)], theme)[0])  # fmt: skip


def _spread(ys: list[int], gap: int) -> list[int]:
    """``ys`` moved apart (keeping their order) until neighbours are at least ``gap`` apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for a, b in itertools.pairwise(order):
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    return out


def _tag(ctx: Context, page: PptxSlide, where: Rect) -> None:
    c, s = ctx.theme.colours, ctx.theme.sizes
    pill = rounded_box(page, where.left, where.top, where.width, where.height, c.muted, name="Illustrative tag")
    role = Role(ctx.theme.body_font, s.footer + 2, s.footer, c.band_text, bold=True, align=PP_ALIGN.CENTER)
    box = Box(where.left, where.top, where.width, where.height, (Para(TAG, role),), MSO_ANCHOR.MIDDLE)
    write_text(pill.text_frame, fit_boxes([box], ctx.theme)[0])


def _watermark(ctx: Context, page: PptxSlide, plot: Rect) -> None:
    """ILLUSTRATIVE in large pale letters across the plot, tilted, behind the sketch."""
    theme = ctx.theme
    width = round(plot.width * 0.7)
    size = min(96.0, width / EMU_PER_PT * WIDTH_SAFETY * 0.9 / max(1.0, text_width(TAG, theme.body_font, 1, bold=True)))
    height = round(size * 1.5 * EMU_PER_PT)
    left, top = plot.left + (plot.width - width) // 2, plot.top + (plot.height - height) // 2
    role = Role(theme.body_font, size, size, theme.colours.card_border, bold=True, align=PP_ALIGN.CENTER)
    mark = place(page, fit_boxes([Box(left, top, width, height, (Para(TAG, role),), MSO_ANCHOR.MIDDLE)], theme)[0])
    mark.rotation = -12
    mark.name = "Illustrative watermark"
