"""A block of code or prompt text: monospace, every line exactly as written, marked lines highlighted.

Code cannot go through the word wrapper the other layouts use: that collapses runs of spaces and
would reflow indentation. Here each line is one paragraph, measured with the code font; the block
shrinks (``sizes.code`` to ``code_min``) until its widest line fits, and only then are lines too
wide broken, continuing under a hanging indent. Lines that do not fit in height are left off
after a ``…`` line. Either way the slide gets a warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.slide import Slide as PptxSlide

from ...model import Slide
from ...theme import PAIRS, ground, ink
from ..fit import (
    ELLIPSIS,
    EMU_PER_PT,
    INSET_X_PT,
    INSET_Y_PT,
    Box,
    Fitted,
    Laid,
    Line,
    Para,
    Role,
    text_width,
)
from ..page import Context, content_area, optical_shift
from ..shapes import clean_code, decorative, describe, hanging_indent, inches, keep_spaces, named, outlined, place, rect

HANG = 4
"""Characters of hanging indent on the continuation of a broken line, beyond the line's own indent."""
MAX_INDENT = 16
"""Characters of a line's own indentation its continuations follow at most."""
PAD = 0.2
"""Inches between the panel's edge and the code."""
MONO_SAFETY = 0.99
"""Share of the measured width code may fill. Every glyph of a monospace font has the same advance
and nothing is kerned, so the 4% the proportional text keeps in hand is not needed; 1% covers
rounding, and an 84-character line of prompt still fits whole at the minimum size."""
BAR = 0.08
"""Inches: the accent bar at the left of a marked line."""
MIN_PANEL = 6.0
"""Inches: the narrowest panel, so two short lines still read as a block."""


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One source line: its text and whether the slide marks it."""

    text: str
    marked: bool


@dataclass(frozen=True, slots=True)
class CodeFit:
    """The block laid out: the size, each kept line's pieces (continuations after the first), what was lost."""

    size: float
    pieces: tuple[tuple[str, ...], ...]
    broken: bool
    cut: bool


def code(ctx: Context, page: PptxSlide, slide: Slide) -> None:
    """A monospace panel, one paragraph per line of ``slide.items``, marked lines on a tinted band."""
    lines = [CodeLine(clean_code(item.text), item.marked) for item in slide.items]
    while lines and not lines[-1].text:
        lines.pop()
    if not lines:
        ctx.warn(slide, "the code layout has no lines; the slide shows its title only")
        return
    theme = ctx.theme
    s, c = theme.sizes, theme.colours
    left, top, width, height = content_area(ctx)
    pad, bar = inches(PAD), inches(BAR)
    text_w_pt = (width - 2 * pad - bar) / EMU_PER_PT - 2 * INSET_X_PT
    text_h_pt = (height - 2 * pad) / EMU_PER_PT - 2 * INSET_Y_PT
    role = Role(theme.code_font, s.code, s.code_min, ink(theme, "card"))
    laid = lay_code([line.text for line in lines], role, text_w_pt * MONO_SAFETY, text_h_pt, s.step, s.line_spacing)
    if laid.broken:
        ctx.warn(slide, "a code line is too wide even at the minimum size; it was broken onto a second line")
    if laid.cut:
        ctx.warn(slide, "the code is too long to fit even at the minimum size; it was cut short with '…'")

    # The panel hugs the code (never narrower than MIN_PANEL) and sits at the optical centre.
    line_pt = laid.size * s.line_spacing
    widest = max(_width(piece, role, laid.size) for pieces in laid.pieces for piece in pieces)
    text_w = math.ceil((widest / MONO_SAFETY + 2 * INSET_X_PT) * EMU_PER_PT) + inches(0.1)
    panel_w = min(width, max(inches(MIN_PANEL), text_w + 2 * pad + bar))
    text_h = math.ceil((sum(len(p) for p in laid.pieces) * line_pt + 2 * INSET_Y_PT) * EMU_PER_PT) + 1
    x = left + (width - panel_w) // 2
    y = top + optical_shift(height, text_h + 2 * pad)
    decorative(outlined(named(rect(page, x, y, panel_w, text_h + 2 * pad, c.card), "Code panel"), c.card_border, 0.75))

    # The ellipsis that ends a cut block is never marked, whatever line it stands in for.
    marks = [line.marked for line in lines][: len(laid.pieces) - 1 if laid.cut else len(laid.pieces)]
    marks += [False] * (len(laid.pieces) - len(marks))
    row_top = y + pad + round(INSET_Y_PT * EMU_PER_PT)
    for i, (pieces, marked) in enumerate(zip(laid.pieces, marks, strict=True)):
        band_h = round(len(pieces) * line_pt * EMU_PER_PT)
        if marked:
            band_fill = ground(c, PAIRS["code_marked"])
            decorative(named(rect(page, x, row_top, panel_w, band_h, band_fill), f"Marked line {i + 1}"))
            # The line stands out by its colour alone: say so to a screen reader, just before the code.
            marker = named(rect(page, x, row_top, bar, band_h, c.highlight), f"Marked bar {i + 1}")
            describe(marker, f"Highlighted: line {i + 1}, {lines[i].text.strip()}")
        row_top += band_h
    paras = _code_paras(ctx, laid, marks)
    sources = tuple(Para(line.text, paras[0].role) for line in lines[: len(paras)])
    box = Box(x + pad + bar, y + pad, panel_w - 2 * pad - bar, text_h, sources)
    shape = named(place(page, Fitted(box, paras, laid.cut)), "Code")
    for i, pieces in enumerate(laid.pieces):
        if len(pieces) > 1:
            hanging_indent(shape.text_frame, i, _hang(pieces[0], role, laid.size))
    keep_spaces(shape.text_frame)


def _code_paras(ctx: Context, laid: CodeFit, marks: Sequence[bool]) -> tuple[Laid, ...]:
    """One paragraph per source line; every piece but the last ends in a line break of its own,
    so the renderer never re-wraps code."""
    theme, spacing = ctx.theme, ctx.theme.sizes.line_spacing
    marked = Role(theme.code_font, laid.size, laid.size, ink(theme, "code_marked"), bold=True)
    plain = Role(theme.code_font, laid.size, laid.size, ink(theme, "card"))
    return tuple(
        Laid(
            marked if mark else plain,
            laid.size,
            tuple(Line(piece, forced=j < len(pieces) - 1) for j, piece in enumerate(pieces)),
            0.0,
            laid.size * spacing,
        )
        for pieces, mark in zip(laid.pieces, marks, strict=True)
    )


def lay_code(
    lines: Sequence[str], role: Role, width_pt: float, height_pt: float, step: float, spacing: float
) -> CodeFit:
    """Choose the size and the breaks: the largest size whose lines all fit unbroken, else the
    minimum with over-wide lines broken; then keep as many lines as the height holds."""
    size = role.size
    while size > role.min_size + 1e-6:
        fits_wide = all(_width(line, role, size) <= width_pt for line in lines)
        if fits_wide and len(lines) * size * spacing <= height_pt + 1e-6:
            return CodeFit(size, tuple((line,) for line in lines), False, False)
        size = max(role.min_size, size - step)
    size = role.min_size
    pieces = [tuple(_break(line, role, size, width_pt)) for line in lines]
    broken = any(len(p) > 1 for p in pieces)
    room = max(1, math.floor(height_pt / (size * spacing) + 1e-6))
    if sum(len(p) for p in pieces) <= room:
        return CodeFit(size, tuple(pieces), broken, False)
    kept: list[tuple[str, ...]] = []
    used = 0
    for p in pieces:
        if used + len(p) > room - 1:
            break
        kept.append(p)
        used += len(p)
    kept.append((ELLIPSIS,))
    return CodeFit(size, tuple(kept), broken, True)


def _hang(line: str, role: Role, size: float) -> float:
    """Points a broken line's continuations are indented by: its own indentation plus ``HANG``
    characters, so a continuation never lines up with the next real line."""
    indent = min(len(line) - len(line.lstrip(" ")), MAX_INDENT)
    return _width(" " * (indent + HANG), role, size)


def _width(text: str, role: Role, size: float) -> float:
    return text_width(text, role.face, size, bold=role.bold)


def _break(line: str, role: Role, size: float, width_pt: float) -> list[str]:
    """``line`` in pieces that fit: the first at full width, the rest beside a hanging indent.

    A piece ends after the last space that fits, else mid-word; continuations lose their
    leading spaces (the indent stands in for them).
    """
    pieces: list[str] = []
    room = width_pt
    rest = line
    while _width(rest, role, size) > room:
        cut = _longest(rest, role, size, room)
        space = rest.rfind(" ", 0, cut)
        if space > len(rest) - len(rest.lstrip(" ")):  # a space after the indentation
            cut = space + 1
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip(" ")
        room = width_pt - _hang(line, role, size)
    pieces.append(rest)
    return pieces


def _longest(text: str, role: Role, size: float, room: float) -> int:
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(text[:mid], role, size) <= room:
            lo = mid
        else:
            hi = mid - 1
    return lo
