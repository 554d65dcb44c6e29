"""Short labels drawn inside graphics (diagram boxes, sets, timeline markers), sized with the font.

Labels are fitted at one shared size per graphic, from the theme's ``label`` size down to
``label_min``. A label's words are never broken across lines when a smaller size would keep
them whole, so the start size is the largest at which every word fits the narrowest box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from ...model import Diagram, Item
from ...theme import Theme
from ..fit import Box, Para, Role, fit_boxes, fitted_height, inner_width, text_width
from ..geometry import Rect
from ..shapes import clean

DETAIL_SMALLER = 4.0
"""A sub-label (``Item.detail``) is this many points smaller than its label."""
TALL = 10**9  # a box height that never limits the text, for measuring what it needs


def whole_word_size(theme: Theme, texts: Iterable[str], width: int, *, bold: bool = True) -> float:
    """The largest label size (a ``sizes.step`` below ``sizes.label`` at a time, not below
    ``sizes.label_min``) at which every word of ``texts`` fits on one line of a box ``width`` wide."""
    s = theme.sizes
    probe = Role(theme.body_font, s.label, s.label_min, "000000", bold=bold)
    room = inner_width(Box(0, 0, width, TALL, ()), probe)
    words = [w for t in texts for w in clean(t).split(" ") if w]
    size = s.label
    while size > s.label_min:
        if all(text_width(w, theme.body_font, size, bold=bold) <= room for w in words):
            return size
        size = max(s.label_min, size - s.step)
    return s.label_min


def label_role(theme: Theme, size: float, colour: str, *, bold: bool = True, align: PP_ALIGN = PP_ALIGN.CENTER) -> Role:
    """A label at ``size`` that may shrink to ``sizes.label_min``."""
    return Role(theme.body_font, size, min(size, theme.sizes.label_min), colour, bold=bold, align=align)


def detail_role(theme: Theme, size: float, colour: str, *, align: PP_ALIGN = PP_ALIGN.CENTER) -> Role:
    """A sub-label, ``DETAIL_SMALLER`` points under its label, never under ``label_min - 2``."""
    floor = max(1.0, theme.sizes.label_min - 2)
    return Role(theme.body_font, max(size - DETAIL_SMALLER, floor), floor, colour, space_before=0.1, align=align)


def item_paras(item: Item, label: Role, detail: Role) -> tuple[Para, ...]:
    """A node's label, then its sub-label when it has one."""
    paras = [Para(clean(item.text), label)]
    if clean(item.detail):
        paras.append(Para(clean(item.detail), detail))
    return tuple(paras)


def text_box(rect: Rect, paras: Sequence[Para], inset: int = 0, anchor: MSO_ANCHOR = MSO_ANCHOR.MIDDLE) -> Box:
    """The box text is fitted into: ``rect`` less ``inset`` on every side."""
    return Box(
        rect.left + inset, rect.top + inset, rect.width - 2 * inset, rect.height - 2 * inset, tuple(paras), anchor
    )


def needed_height(theme: Theme, width: int, groups: Sequence[Sequence[Para]]) -> int:
    """Height (EMU) the fullest of ``groups`` needs in a box ``width`` wide, at the roles' start sizes."""
    boxes = [Box(0, 0, width, TALL, tuple(paras)) for paras in groups]
    return fitted_height(fit_boxes(boxes, theme)) if boxes else 0


# ---------------------------------------------------------------- descriptions
# Graphics are described for screen readers in their own labels' words (see ``shapes.describe``).


def listed(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    names = [n for n in names if n]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def marked_words(d: Diagram) -> str:
    """A diagram's marks in words (``Email tool shown in red; the others greyed out``); ``""`` for none."""
    marked = [clean(n.text) for n in d.nodes if n.marked]
    if not marked:
        return ""
    how = f"shown in {clean(d.mark_colour)}" if clean(d.mark_colour) else "highlighted"
    return f"{listed(marked)} {how}" + ("; the others greyed out" if d.dim_unmarked else "")
