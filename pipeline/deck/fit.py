"""Measuring and fitting text: every block is laid out with the real font metrics before it is written.

Text never leaves its box. Each block is measured with the font file the theme resolved (what
LibreOffice renders with), wrapped into the box width, shrunk a step at a time down to the theme's
minimum, and only then truncated with an ellipsis. Pure measurement: nothing here touches a slide.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import ImageFont
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from ..theme import FontFace, Theme

EMU_PER_PT = 12700
INSET_X_PT = 5.0  # text-frame insets, set explicitly so measuring and rendering agree
INSET_Y_PT = 3.0
WIDTH_SAFETY = 0.96  # renderers differ slightly in kerning and hinting; keep 4% in hand
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Role:
    """How one kind of paragraph looks: font, start and minimum size, colour, bullet."""

    face: FontFace
    size: float
    min_size: float
    colour: str
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0
    """Space above the paragraph, as a multiple of its size (not applied to a box's first)."""
    bullet: bool = False
    indent_pt: float = 0.0
    """Left margin of every line; bullets hang in it."""
    bullet_colour: str = ""
    align: PP_ALIGN = PP_ALIGN.LEFT


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph to place: its text and its role."""

    text: str
    role: Role


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line; ``forced`` when it ends inside an over-long word (a line break is written)."""

    text: str
    forced: bool = False
    hyphen: bool = False
    """The line ends at a hyphen inside a word ("Optimization-"): renderers break there by themselves."""


@dataclass(frozen=True, slots=True)
class Laid:
    """A paragraph laid out at a size."""

    role: Role
    size: float
    lines: tuple[Line, ...]
    space_before_pt: float
    line_pt: float

    @property
    def height(self) -> float:
        return self.space_before_pt + len(self.lines) * self.line_pt


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the slide, in EMU, and the paragraphs to fit into it."""

    left: int
    top: int
    width: int
    height: int
    paras: tuple[Para, ...]
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP


@dataclass(frozen=True, slots=True)
class Fitted:
    box: Box
    laid: tuple[Laid, ...]
    truncated: bool


@functools.cache
def _font(path: Path) -> ImageFont.FreeTypeFont:
    # Measured at a 1000-unit em and scaled: one font object per file, precise to 1/1000 em.
    return ImageFont.truetype(str(path), 1000)


def text_width(text: str, face: FontFace, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Advance width of ``text`` in points at ``size`` points, from the font file's metrics."""
    if not text:
        return 0.0
    return _font(face.file(bold=bold, italic=italic)).getlength(text) * size / 1000


def wrap(text: str, width_pt: float, role: Role, size: float) -> list[Line]:
    """Greedy word wrap into ``width_pt``, as renderers do: at spaces, after a hyphen inside a word
    too wide for the line, and only then inside the word itself."""

    def fits(candidate: str) -> bool:
        return text_width(candidate, role.face, size, bold=role.bold, italic=role.italic) <= width_pt

    lines: list[Line] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        # A hyphenated word may break after one of its hyphens ("Optimization-" / "based").
        parts = re.findall(r"[^-]+-+|[^-]+$", word) if "-" in word.strip("-") else [word]
        for k in range(len(parts) - 1, 0, -1):
            head = "".join(parts[:k])
            joined = f"{current} {head}" if current else head
            if fits(joined):
                lines.append(Line(joined, hyphen=True))
                current, word = "", "".join(parts[k:])
                break
        else:
            if current:
                lines.append(Line(current))
                current = ""
        while not fits(word):
            # The longest prefix that fits (at least one character, so this always ends).
            cut = max(1, _longest_prefix(word, fits))
            lines.append(Line(word[:cut], forced=True))
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(Line(current))
    return lines


def _longest_prefix(word: str, fits: Any) -> int:
    lo, hi = 0, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(word[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def inner_width(box: Box, role: Role) -> float:
    return (box.width / EMU_PER_PT - 2 * INSET_X_PT - role.indent_pt) * WIDTH_SAFETY


def _lay(box: Box, size_of: dict[Role, float], line_spacing: float) -> tuple[Laid, ...]:
    laid: list[Laid] = []
    for i, para in enumerate(box.paras):
        size = size_of[para.role]
        lines = wrap(para.text, inner_width(box, para.role), para.role, size)
        before = para.role.space_before * size if i else 0.0
        laid.append(Laid(para.role, size, tuple(lines), before, size * line_spacing))
    return tuple(laid)


def _room(box: Box) -> float:
    return box.height / EMU_PER_PT - 2 * INSET_Y_PT


def fit_boxes(boxes: Sequence[Box], theme: Theme) -> list[Fitted]:
    """Lay out a group of boxes at one shared scale (so sibling cards match), shrinking to fit.

    Every role shrinks by ``sizes.step`` points per step until all boxes fit or every role is at
    its minimum; boxes that still overflow are truncated with an ellipsis (``truncated=True``).
    """
    step = theme.sizes.step
    spacing = theme.sizes.line_spacing
    roles = {p.role for b in boxes for p in b.paras}
    steps = max((math.ceil((r.size - r.min_size) / step) for r in roles), default=0)
    for k in range(steps + 1):
        size_of = {r: max(r.min_size, r.size - k * step) for r in roles}
        laid = [_lay(b, size_of, spacing) for b in boxes]
        fits = all(sum(p.height for p in lay) <= _room(b) + 1e-6 for b, lay in zip(boxes, laid, strict=True))
        # A word broken across lines ("Optimization-b / ased") is a last resort: shrink first.
        if fits and (k == steps or not any(breaks_words(lay) for lay in laid)):
            return [Fitted(b, lay, False) for b, lay in zip(boxes, laid, strict=True)]
    size_of = {r: r.min_size for r in roles}
    out: list[Fitted] = []
    for b in boxes:
        lay = _lay(b, size_of, spacing)
        if sum(p.height for p in lay) <= _room(b) + 1e-6:
            out.append(Fitted(b, lay, False))
        else:
            out.append(Fitted(b, _truncate(b, lay), True))
    return out


def breaks_words(laid: Sequence[Laid]) -> bool:
    """Whether any line of ``laid`` ends inside a word too wide for its box."""
    return any(line.forced for para in laid for line in para.lines)


def _truncate(box: Box, laid: tuple[Laid, ...]) -> tuple[Laid, ...]:
    room = _room(box)
    kept: list[Laid] = []
    for para in laid:
        available = math.floor((room - para.space_before_pt) / para.line_pt + 1e-6)
        if available >= len(para.lines):
            kept.append(para)
            room -= para.height
            continue
        if available >= 1:
            kept.append(_with_ellipsis(box, para, para.lines[:available]))
        elif kept:
            kept[-1] = _with_ellipsis(box, kept[-1], kept[-1].lines)
        else:
            # Not even one line fits: the box is smaller than a line (a layout bug, not content).
            kept.append(_with_ellipsis(box, para, para.lines[:1]))
        break
    return tuple(kept)


def _with_ellipsis(box: Box, para: Laid, lines: Sequence[Line]) -> Laid:
    role, size = para.role, para.size
    width = inner_width(box, role)
    text = lines[-1].text.rstrip()
    while text and text_width(text + ELLIPSIS, role.face, size, bold=role.bold, italic=role.italic) > width:
        text = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
    text = text.rstrip(" ,;:.—–-") + ELLIPSIS
    return Laid(role, size, (*lines[:-1], Line(text)), para.space_before_pt, para.line_pt)


def fitted_height(fitted: Sequence[Fitted]) -> int:
    """EMU needed by the fullest of ``fitted`` boxes (text plus insets)."""
    need = max((sum(p.height for p in f.laid) + 2 * INSET_Y_PT for f in fitted), default=0.0)
    return math.ceil(need * EMU_PER_PT) + 1


def paragraph_bands(fitted: Fitted, group_sizes: Sequence[int]) -> list[tuple[int, int]]:
    """The horizontal band (top, height in EMU) of each run of ``group_sizes`` paragraphs of a
    top-anchored box, the space between runs shared out: what hides one bullet and no other."""
    box = fitted.box
    edges = [float(box.top)]  # where each run's band starts, and last the box's end
    y = box.top / EMU_PER_PT + INSET_Y_PT
    first = 0
    for g, size in enumerate(group_sizes):
        for k, laid in enumerate(fitted.laid[first : first + size]):
            if g and not k:
                edges.append((y + laid.space_before_pt / 2) * EMU_PER_PT)
            y += laid.space_before_pt + len(laid.lines) * laid.line_pt
        first += size
    edges.append(float(box.top + box.height))
    return [(round(a), round(b) - round(a)) for a, b in itertools.pairwise(edges)]
