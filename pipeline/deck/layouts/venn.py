"""Venn diagrams: two or three overlapping translucent circles, each labelled in its own part,
with the nodes that belong to several sets as chips in their overlap.

In a venn diagram the nodes without an edge leading out of them are the sets; a node with edges
to sets is a member, placed where those sets overlap (in a set's own part when it names one).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.enum.shapes import MSO_SHAPE
from pptx.slide import Slide as PptxSlide

from ...model import Diagram, Slide
from ...theme import MARKED_SET_OPACITY, SET_OPACITY, ink
from ..fit import EMU_PER_PT, INSET_X_PT, WIDTH_SAFETY, Fitted, Para, text_width
from ..geometry import Rect
from ..page import Context, content_area, named_field
from ..shapes import (
    clean,
    decorative,
    grouped,
    named,
    place,
    rect,
    rounded_box,
    rounded_inset,
    stroke,
    translucent,
    write_text,
)
from .labels import detail_role, item_paras, label_role, listed, marked_words, text_box, whole_word_size

SPREAD = 0.6
"""Distance between two circles' centres, as a share of their diameter (the rest overlaps)."""
TRIANGLE = 0.56
"""Side of the triangle joining three circles' centres, as a share of their diameter."""


@dataclass(frozen=True, slots=True)
class VennPlan:
    """Circles (one per set), the text region of each set's own part, and of each overlap
    (keyed by the positions of the sets that overlap there)."""

    circles: tuple[Rect, ...]
    own: tuple[Rect, ...]
    overlaps: dict[frozenset[int], Rect]


def venn_roles(d: Diagram) -> tuple[list[int], dict[int, list[int]]]:
    """The sets (nodes with no edge out, in order) and each member's sets (targets that are sets)."""
    n = len(d.nodes)
    sources = {u for u, v in d.edges if 0 <= u < n and 0 <= v < n and u != v}
    sets = [i for i in range(n) if i not in sources]
    members = {u: sorted({v for s, v in d.edges if s == u and v in sets}) for u in sorted(sources)}
    # A member pointing at no set is drawn as a set of its own rather than lost.
    sets += [u for u, targets in members.items() if not targets]
    return sorted(sets), {u: t for u, t in members.items() if t}


def _centred(x: float, y: float, w: float, h: float) -> Rect:
    return Rect(round(x - w / 2), round(y - h / 2), round(w), round(h))


def venn_plan(k: int, area: Rect) -> VennPlan:
    """Circles for ``k`` (1–3) sets, as large as the area allows, and where text goes in them.

    A member's chip has a white ground, so its region may reach a little past the lens it sits in.
    """
    cx, cy = area.left + area.width / 2, area.top + area.height / 2
    if k == 1:
        d = area.height * 0.95
        return VennPlan((_centred(cx, cy, d, d),), (_centred(cx, cy, 0.62 * d, 0.55 * d),), {})
    if k == 2:
        d = min(area.height * 0.95, area.width / (1 + SPREAD))
        a, b = cx - SPREAD * d / 2, cx + SPREAD * d / 2
        own_w = (SPREAD - 0.16) * d
        return VennPlan(
            (_centred(a, cy, d, d), _centred(b, cy, d, d)),
            (_centred(a - d / 2 + 0.1 * d + own_w / 2, cy, own_w, 0.55 * d),
             _centred(b + d / 2 - 0.1 * d - own_w / 2, cy, own_w, 0.55 * d)),
            {frozenset({0, 1}): _centred(cx, cy, 0.5 * d, 0.55 * d)},
        )  # fmt: skip
    h_ratio = TRIANGLE * math.sqrt(3) / 2
    d = min(0.97 * area.height / (1 + h_ratio), area.width / (1 + TRIANGLE))
    side, h = TRIANGLE * d, h_ratio * d
    gy = cy - h / 6  # the centroid, with the whole figure centred in the area
    centres = [(cx - side / 2, gy - h / 3), (cx + side / 2, gy - h / 3), (cx, gy + 2 * h / 3)]
    circles = tuple(_centred(x, y, d, d) for x, y in centres)
    own = []
    for x, y in centres:
        reach = math.hypot(x - cx, y - gy)
        own.append(_centred(x + 0.2 * d * (x - cx) / reach, y + 0.2 * d * (y - gy) / reach, 0.46 * d, 0.3 * d))
    overlaps = {frozenset({0, 1, 2}): _centred(cx, gy, 0.3 * d, 0.2 * d)}
    for i, j in ((0, 1), (1, 2), (0, 2)):
        (x0, y0), (x1, y1), (x2, y2) = centres[i], centres[j], centres[3 - i - j]
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        reach = math.hypot(mx - x2, my - y2)
        push = 0.24 * d
        overlaps[frozenset({i, j})] = _centred(
            mx + push * (mx - x2) / reach, my + push * (my - y2) / reach, 0.42 * d, 0.3 * d
        )
    return VennPlan(circles, tuple(own), overlaps)


def _slots(region: Rect, count: int) -> list[Rect]:
    """``region`` cut into ``count`` equal horizontal slices, top to bottom."""
    h = region.height // max(count, 1)
    return [Rect(region.left, region.top + i * h, region.width, h) for i in range(count)]


def venn(ctx: Context, page: PptxSlide, slide: Slide, d: Diagram) -> None:
    """Draw ``d`` as overlapping sets (the caller checked there are one to three)."""
    theme = ctx.theme
    c = theme.colours
    if d.callouts or d.boundary:
        ctx.warn(slide, "a venn diagram draws no callouts or boundary; say it in the sets' names or the narration")
    sets, members = venn_roles(d)
    plan = venn_plan(len(sets), Rect(*content_area(ctx)))
    palette = ["accent", "accent_alt", "band"]
    mark_field = named_field(d.mark_colour, "highlight")
    mark = getattr(c, mark_field)
    any_marked = any(n.marked for n in d.nodes)

    def quiet(i: int) -> bool:
        return d.dim_unmarked and any_marked and not d.nodes[i].marked

    # Each set's colour, and the pair its label is drawn in (see ``theme.PAIRS``).
    looks = []
    for pos, i in enumerate(sets):
        field = mark_field if d.nodes[i].marked else "dim" if quiet(i) else palette[pos % len(palette)]
        pair = f"set_marked_{field}" if d.nodes[i].marked else f"set_{field}"
        looks.append((getattr(c, field), ink(theme, pair)))
    # The circles are decorative: the group they make with the labels says what the diagram shows.
    parts = []
    for pos, i in enumerate(sets):
        name = f"Set {i + 1}: {clean(d.nodes[i].text)[:40]}"
        parts.append(decorative(_circle(page, plan.circles[pos], looks[pos][0], d.nodes[i].marked, name)))

    # Set names share one size, members another: a long member name in a small lens must not
    # shrink the set names beside it.
    own_w = min(r.width for r in plan.own)
    set_size = whole_word_size(theme, [d.nodes[i].text for i in sets], own_w)
    lens_w = min([r.width for r in plan.overlaps.values()], default=own_w)
    member_size = whole_word_size(theme, [d.nodes[m].text for m in members], lens_w - 2 * rounded_inset(lens_w, lens_w))
    own_boxes = []
    for pos, i in enumerate(sets):
        colour = looks[pos][1]
        paras = list(item_paras(d.nodes[i], label_role(theme, set_size, colour), detail_role(theme, set_size, colour)))
        alone = [m for m, targets in members.items() if targets == [i]]
        role = label_role(theme, member_size, colour, bold=False)
        paras += [Para(clean(d.nodes[m].text), role) for m in alone]
        own_boxes.append(text_box(plan.own[pos], paras))
    chip_boxes, chip_nodes = [], []
    for key, region in plan.overlaps.items():
        inside = [m for m, ts in members.items() if len(ts) > 1 and frozenset(sets.index(t) for t in ts) == key]
        for m, slot in zip(inside, _slots(region, len(inside)), strict=True):
            pair = f"marked_{mark_field}" if d.nodes[m].marked else "body_muted" if quiet(m) else "body"
            colour = ink(theme, pair)
            roles = label_role(theme, member_size, colour), detail_role(theme, member_size, colour)
            chip_boxes.append(text_box(slot, item_paras(d.nodes[m], *roles), rounded_inset(slot.width, slot.height)))
            chip_nodes.append(m)
    fitted = ctx.fit(slide, own_boxes + chip_boxes, "a venn label")
    for f, i in zip(fitted[: len(own_boxes)], sets, strict=True):
        parts.append(named(place(page, f), f"Set label {i + 1}"))
    for f, m in zip(fitted[len(own_boxes) :], chip_nodes, strict=True):
        fill = mark if d.nodes[m].marked else c.background
        parts.append(_chip(ctx, page, d, m, f, fill, c.dim if quiet(m) else c.muted))
    grouped(page, parts, "Venn diagram", venn_description(d, sets, members), title="Venn diagram")


def venn_description(d: Diagram, sets: Sequence[int], members: dict[int, list[int]]) -> str:
    """The venn in words, from its own labels: the sets, which members sit in which sets, what is
    highlighted or greyed out."""
    label = [clean(n.text) for n in d.nodes]
    said = [f"Venn diagram of {len(sets)} set{'s' if len(sets) != 1 else ''}: {listed([label[i] for i in sets])}"]
    for m, targets in members.items():
        names = listed([label[t] for t in targets])
        where = {1: "only in", 2: "in both"}.get(len(targets), "in all of")
        said.append(f"{label[m]} {where} {names}")
    if marked_words(d):
        said.append(marked_words(d))
    return "; ".join(said) + "."


def _circle(page: PptxSlide, where: Rect, colour: str, marked: bool, name: str) -> Any:
    """A translucent circle outlined in its own colour; a marked one more opaque, its outline heavier."""
    circle = rect(page, where.left, where.top, where.width, where.height, colour, shape=MSO_SHAPE.OVAL)
    circle.name = name
    translucent(circle, MARKED_SET_OPACITY if marked else SET_OPACITY)
    stroke(circle, colour, 3.0 if marked else 1.5)
    return circle


def _chip(ctx: Context, page: PptxSlide, d: Diagram, m: int, fitted: Fitted, fill: str, border: str) -> Any:
    """A member as a rounded chip hugging its fitted text, centred where the text was fitted."""
    box = fitted.box
    widest = max(
        (text_width(line.text, p.role.face, p.size, bold=p.role.bold) for p in fitted.laid for line in p.lines),
        default=0.0,
    )
    inset_guess = rounded_inset(box.width, box.height)
    text_w = min(box.width, round((widest / WIDTH_SAFETY + 2 * INSET_X_PT + 4) * EMU_PER_PT))
    text_h = round((sum(p.height for p in fitted.laid) + 8) * EMU_PER_PT)
    w, h = text_w + 2 * inset_guess, min(box.height + 2 * inset_guess, text_h + 2 * inset_guess)
    cx, cy = box.left + box.width // 2, box.top + box.height // 2
    chip = rounded_box(
        page, cx - w // 2, cy - h // 2, w, h, fill, name=f"Member {m + 1}: {clean(d.nodes[m].text)[:40]}"
    )
    if not d.nodes[m].marked:
        stroke(chip, border, 1.25)
    write_text(chip.text_frame, fitted)
    return chip


def venn_fits(d: Diagram) -> bool:
    """Whether ``d`` can be drawn as a venn diagram: one to three sets."""
    return 1 <= len(venn_roles(d)[0]) <= 3
