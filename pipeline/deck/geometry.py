"""Rectangles and segments on a slide, in EMU: overlap, enclosure, and where a pinned note can go.

Pure geometry shared by the graphic layouts; nothing here touches a slide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .shapes import inches

Side = Literal["top", "left", "bottom", "right"]
Point = tuple[int, int]
PAD = inches(0.2)
"""A boundary's distance from the boxes it encloses."""


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def centre_x(self) -> int:
        return self.left + self.width // 2

    @property
    def centre_y(self) -> int:
        return self.top + self.height // 2

    def overlaps(self, other: Rect) -> bool:
        """True when the two share any area (touching edges do not count)."""
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def contains(self, other: Rect) -> bool:
        return (
            self.left <= other.left
            and other.right <= self.right
            and self.top <= other.top
            and other.bottom <= self.bottom
        )

    def grown(self, pad: int) -> Rect:
        return Rect(self.left - pad, self.top - pad, self.width + 2 * pad, self.height + 2 * pad)

    def site(self, side: Side) -> Point:
        """The middle of one edge: where a connector meets the box."""
        return {
            "top": (self.centre_x, self.top),
            "bottom": (self.centre_x, self.bottom),
            "left": (self.left, self.centre_y),
            "right": (self.right, self.centre_y),
        }[side]


def enclosing(rects: Iterable[Rect]) -> Rect:
    """The smallest rectangle holding every one of ``rects``."""
    rects = list(rects)
    left, top = min(r.left for r in rects), min(r.top for r in rects)
    right, bottom = max(r.right for r in rects), max(r.bottom for r in rects)
    return Rect(left, top, right - left, bottom - top)


# ---------------------------------------------------------------- boundaries and callouts


def boundary_rect(boxes: Sequence[Rect], members: Sequence[int], area: Rect) -> Rect | None:
    """A rectangle around exactly ``members``' boxes, or ``None`` when one would take in another box."""
    chosen = [boxes[i] for i in members if 0 <= i < len(boxes)]
    if not chosen:
        return None
    outline = enclosing(chosen).grown(PAD)
    outline = Rect(
        max(outline.left, area.left),
        max(outline.top, area.top),
        min(outline.right, area.right) - max(outline.left, area.left),
        min(outline.bottom, area.bottom) - max(outline.top, area.top),
    )
    others = [b for i, b in enumerate(boxes) if i not in set(members)]
    return None if any(outline.overlaps(b) for b in others) else outline


def crosses(rect: Rect, a: Point, b: Point) -> bool:
    """True when the segment ``a``–``b`` passes through ``rect`` (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - rect.left), (dx, rect.right - x0), (-dy, y0 - rect.top), (dy, rect.bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def callout_spot(
    anchor: Rect,
    size: tuple[int, int],
    area: Rect,
    obstacles: Sequence[Rect],
    segments: Sequence[tuple[Point, Point]],
    outlines: Sequence[Rect] = (),
) -> Rect | None:
    """Where a note of ``size`` pinned to ``anchor`` can go: below, above, right or left of it,
    inside ``area``, clear of every obstacle and arrow and wholly inside or outside each outline."""
    w, h = size
    gap = inches(0.3)
    xs = [anchor.centre_x - w // 2, anchor.left, anchor.right - w]
    ys = [anchor.centre_y - h // 2]
    candidates = [Rect(x, anchor.bottom + gap, w, h) for x in xs]
    candidates += [Rect(x, anchor.top - gap - h, w, h) for x in xs]
    candidates += [Rect(anchor.right + gap, y, w, h) for y in ys]
    candidates += [Rect(anchor.left - gap - w, y, w, h) for y in ys]
    clear = inches(0.06)
    for spot in candidates:
        spot = Rect(min(max(spot.left, area.left), area.right - w), spot.top, w, h)
        if not area.contains(spot):
            continue
        if any(spot.overlaps(o.grown(clear)) for o in obstacles):
            continue
        if any(crosses(spot.grown(clear), a, b) for a, b in segments):
            continue
        if any(spot.overlaps(o) and not o.contains(spot) for o in outlines):
            continue
        return spot
    return None


def pointer(spot: Rect, anchor: Rect) -> tuple[Point, Point]:
    """A short straight line from a callout to the box it is pinned to, square to both."""
    if spot.top >= anchor.bottom or spot.bottom <= anchor.top:
        lo, hi = max(spot.left, anchor.left), min(spot.right, anchor.right)
        x = (lo + hi) // 2 if lo < hi else anchor.centre_x
        if spot.top >= anchor.bottom:
            return (x, spot.top), (x, anchor.bottom)
        return (x, spot.bottom), (x, anchor.top)
    lo, hi = max(spot.top, anchor.top), min(spot.bottom, anchor.bottom)
    y = (lo + hi) // 2 if lo < hi else anchor.centre_y
    if spot.left >= anchor.right:
        return (spot.left, y), (anchor.right, y)
    return (spot.right, y), (anchor.left, y)
