"""An illustrative chart: what a lesson describes but gives no numbers for, drawn so nobody takes
it for data. An axes frame with arrowheads, the axis titles, a freehand-looking line for each
series whose trend is known, an ILLUSTRATIVE tag, watermark and note, and not a single number
(the category names are shown as the lesson writes them).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide

from ...model import Chart, Series, Slide
from ...theme import ink
from ..fit import EMU_PER_PT, WIDTH_SAFETY, Box, Para, Role, fit_boxes, text_width
from ..geometry import Point, Rect
from ..page import Context
from ..shapes import clean, decorative, grouped, inches, line, place, polyline, rect, rounded_box, write_text
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


@dataclass(frozen=True, slots=True)
class Frame:
    """Where the parts of an illustrative chart go, in EMU."""

    panel: Rect
    """The pale ground of the whole sketch."""
    heads: tuple[Rect, ...]
    """The chart title and the value axis title, top left, as many as there are."""
    origin: Point
    top: int
    """Where the value axis ends (its arrowhead)."""
    right: int
    """Where the category axis ends (its arrowhead); series names stand to its right."""
    plot: Rect
    """Where the sketched lines run."""
    tag: Rect


def frame_of(where: Rect, heads: int, categories: bool, category_title: bool, name_room: int) -> Frame:
    """Lay out an illustrative chart inside ``where``, leaving ``NOTE_H`` below it for the note."""
    panel = Rect(where.left, where.top, where.width, where.height - NOTE_H)
    tag = Rect(panel.right - PAD - inches(2.1), panel.top + PAD, inches(2.1), inches(0.42))
    head_h = inches(0.5)
    head_w = tag.left - PAD - (panel.left + PAD)
    head_rects = tuple(Rect(panel.left + PAD, panel.top + PAD + k * head_h, head_w, head_h) for k in range(heads))
    below = (inches(0.5) if categories else 0) + (inches(0.5) if category_title else 0)
    origin = (panel.left + PAD + inches(0.15), panel.bottom - PAD - below)
    top = max(panel.top + PAD + heads * head_h + inches(0.1), tag.bottom + inches(0.15))
    right = panel.right - PAD - name_room
    plot_top = top + inches(0.3)
    plot = Rect(
        origin[0] + inches(0.25), plot_top, right - origin[0] - inches(0.55), origin[1] - inches(0.2) - plot_top
    )
    return Frame(panel, head_rects, origin, top, right, plot, tag)


def sketch(ctx: Context, page: PptxSlide, slide: Slide, ch: Chart, where: Rect) -> None:
    """Draw ``ch`` as an illustrative sketch inside ``where``: no chart object, no numbers."""
    theme = ctx.theme
    c, s = theme.colours, theme.sizes
    body = theme.body_font
    said: list[str] = []  # each sketched series in the lesson's words, for the description
    drawn = []
    for series in ch.series:
        shape = trend_shape(series.trend)
        if shape:
            drawn.append((clean(series.name), shape))
            said.append(_in_words(series))
        elif series.trend:
            ctx.warn(slide, f"no sketch for series '{series.name}': its trend '{series.trend}' is not a known shape")
    widest = max((text_width(name, body, s.label, bold=True) for name, _ in drawn), default=0.0)
    name_room = min(inches(3.0), round((widest / WIDTH_SAFETY + 14) * EMU_PER_PT) + inches(0.2)) if drawn else 0
    title = Role(body, s.label + 2, s.label_min, ink(theme, "card"), bold=True)
    heads = [Para(clean(ch.title), title)] if clean(ch.title) else []
    if clean(ch.value_axis):
        heads.append(Para(clean(ch.value_axis), Role(body, s.label, s.label_min, ink(theme, "card_muted"))))
    frame = frame_of(where, len(heads), bool(ch.categories), bool(clean(ch.category_axis)), name_room)

    panel, origin = frame.panel, frame.origin
    # Every part is drawn plain and marked decorative; the group they make says what the sketch shows.
    parts = [rect(page, panel.left, panel.top, panel.width, panel.height, c.card)]
    parts[0].name = "Illustrative panel"
    parts.append(_watermark(ctx, page, frame.plot))
    parts.append(line(page, origin, (origin[0], frame.top), c.text, AXIS_PT, arrow=True, name="Value axis"))
    parts.append(line(page, origin, (frame.right, origin[1]), c.text, AXIS_PT, arrow=True, name="Category axis"))
    palette = [c.accent, c.accent_alt, c.band, c.highlight]
    ends = []
    for k, (name, shape) in enumerate(drawn):
        points = sketch_points(shape, frame.plot, wobble_phase=1.7 * k)
        parts.append(polyline(page, points, palette[k % len(palette)], LINE_PT, name=f"Sketch: {name[:40]}"))
        ends.append(points[-1][1])
    for part in parts:
        decorative(part)

    boxes = [
        Box(r.left, r.top, r.width, r.height, (para,), MSO_ANCHOR.BOTTOM)
        for r, para in zip(frame.heads, heads, strict=True)
    ]
    name_role = Role(body, s.label, s.label_min, ink(theme, "card"), bold=True)
    # A series' name says its shape in the author's words ("… — flat through training"): up to three lines.
    for (name, _), y in zip(drawn, _spread(ends, inches(0.95)), strict=True):
        boxes.append(Box(frame.right + inches(0.15), y - inches(0.45), name_room - inches(0.15), inches(0.9),
                         (Para(name, name_role),), MSO_ANCHOR.MIDDLE))  # fmt: skip
    boxes += _axis_labels(ctx, ch, frame)
    parts += [place(page, fitted) for fitted in ctx.fit(slide, boxes, "a label of the illustrative chart")]
    parts.append(_tag(ctx, page, frame.tag))
    note = "Illustrative shape — no data" if drawn else "Illustrative frame — the lesson gives no data"
    note_role = Role(body, s.label_min, s.label_min, ink(theme, "body_muted"), italic=True)
    parts.append(place(page, fit_boxes([Box(where.left, panel.bottom, where.width, NOTE_H, (Para(note, note_role),),
                                            MSO_ANCHOR.BOTTOM)], theme)[0]))  # fmt: skip
    grouped(page, parts, "Illustrative chart", sketch_description(ch, said), title="Illustrative sketch")


def _in_words(series: Series) -> str:
    """A sketched series as the lesson puts it: its name, with its trend when the name does not say
    its shape (``Cost — dropping`` already does)."""
    name, trend = clean(series.name), clean(series.trend)
    if not trend or trend_shape(name):
        return name or trend
    return f"{name} — {trend}" if name else trend


def sketch_description(ch: Chart, said: Sequence[str]) -> str:
    """The sketch in words: that it holds no data, then its title, each series' shape as the lesson
    describes it, the axes and the categories along them."""
    parts = [clean(ch.title)] if clean(ch.title) else []
    if said:
        parts.append("; ".join(said))
    value, category = clean(ch.value_axis), clean(ch.category_axis)
    if value and category:
        parts.append(f"{value} against {category}")
    elif value or category:
        parts.append(value or f"along {category}")
    names = [clean(c) for c in ch.categories if clean(c)]
    if len(names) == 2:
        parts.append(f"from {names[0]} to {names[1]}")
    elif names:
        parts.append(f"across {', '.join(names)}")
    kind = "Illustrative sketch, no data" if said else "Illustrative frame, no data"
    return kind + (": " + "; ".join(parts) if parts else "") + "."


def _axis_labels(ctx: Context, ch: Chart, frame: Frame) -> list[Box]:
    """The category names evenly under the category axis (text only), its title at its end."""
    body, s = ctx.theme.body_font, ctx.theme.sizes
    boxes = []
    below = frame.origin[1] + inches(0.06)
    if ch.categories:
        step = frame.plot.width // len(ch.categories)
        role = Role(body, s.label, s.label_min, ink(ctx.theme, "card"), align=PP_ALIGN.CENTER)
        for i, name in enumerate(ch.categories):
            boxes.append(Box(frame.plot.left + i * step, below, step, inches(0.5), (Para(clean(name), role),)))
        below += inches(0.5)
    if clean(ch.category_axis):
        role = Role(body, s.label, s.label_min, ink(ctx.theme, "card_muted"), align=PP_ALIGN.RIGHT)
        width = frame.right - frame.origin[0]
        boxes.append(
            Box(frame.origin[0], below - inches(0.02), width, inches(0.5), (Para(clean(ch.category_axis), role),))
        )
    return boxes


def _spread(ys: list[int], gap: int) -> list[int]:
    """``ys`` moved apart (keeping their order) until neighbours are at least ``gap`` apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for a, b in itertools.pairwise(order):
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    return out


def _tag(ctx: Context, page: PptxSlide, where: Rect) -> Any:
    c, s = ctx.theme.colours, ctx.theme.sizes
    pill = rounded_box(page, where.left, where.top, where.width, where.height, c.muted, name="Illustrative tag")
    role = Role(ctx.theme.body_font, s.footer + 2, s.footer, ink(ctx.theme, "on_muted"), bold=True,
                align=PP_ALIGN.CENTER)  # fmt: skip
    box = Box(where.left, where.top, where.width, where.height, (Para(TAG, role),), MSO_ANCHOR.MIDDLE)
    write_text(pill.text_frame, fit_boxes([box], ctx.theme)[0])
    return pill


def _watermark(ctx: Context, page: PptxSlide, plot: Rect) -> Any:
    """ILLUSTRATIVE in large pale letters across the plot, tilted, behind the sketch."""
    theme = ctx.theme
    width = round(plot.width * 0.7)
    size = min(96.0, width / EMU_PER_PT * WIDTH_SAFETY * 0.9 / max(1.0, text_width(TAG, theme.body_font, 1, bold=True)))
    height = round(size * 1.5 * EMU_PER_PT)
    left, top = plot.left + (plot.width - width) // 2, plot.top + (plot.height - height) // 2
    # Pale on purpose, and marked decorative with the rest of the frame: the tag and the note say it in legible text.
    role = Role(theme.body_font, size, size, theme.colours.card_border, bold=True, align=PP_ALIGN.CENTER)
    mark = place(page, fit_boxes([Box(left, top, width, height, (Para(TAG, role),), MSO_ANCHOR.MIDDLE)], theme)[0])
    mark.rotation = -12
    mark.name = "Illustrative watermark"
    return mark
