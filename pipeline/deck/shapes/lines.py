"""Lines, connectors and strokes, used by the graphic layouts (diagrams, charts, timelines).

Straight connectors glued to their boxes are re-routed by LibreOffice to the same connection sites
PowerPoint uses, so both draw them alike; a bent or curved connector is re-routed differently by
each, so none is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from .boxes import rgb, unstyled

CONNECTION_SITE = {"top": 0, "left": 1, "bottom": 2, "right": 3}
"""Connection sites of a rectangle, rounded rectangle or ellipse, by the index OOXML gives them."""


def stroke(
    shape: Any, colour: str, width_pt: float, *, dashed: bool = False, arrow: bool = False, round_ends: bool = False
) -> Any:
    """Give ``shape`` a solid outline; optionally dashed, with an arrowhead at its end, round caps."""
    outline = shape.line
    outline.color.rgb = rgb(colour)
    outline.width = Pt(width_pt)
    if dashed:
        outline.dash_style = MSO_LINE.DASH
    ln = outline._get_or_add_ln()
    for old in ln.findall(qn("a:round")) + ln.findall(qn("a:tailEnd")):
        ln.remove(old)
    if round_ends:
        ln.set("cap", "rnd")
        etree.SubElement(ln, qn("a:round"))
    if arrow:
        # Sized by the line width: "med" on a 2-3 pt line reads clearly at 1080p.
        tail = etree.SubElement(ln, qn("a:tailEnd"))
        tail.set("type", "triangle")
        tail.set("w", "med")
        tail.set("len", "med")
    return shape


def connect(
    page: PptxSlide,
    begin: Any,
    begin_side: str,
    end: Any,
    end_side: str,
    colour: str,
    width_pt: float,
    *,
    name: str = "",
) -> Any:
    """A straight connector glued from ``begin``'s side to ``end``'s, with an arrowhead at ``end``."""
    connector = page.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(0), Emu(0), Emu(0), Emu(0))
    connector.begin_connect(begin, CONNECTION_SITE[begin_side])
    connector.end_connect(end, CONNECTION_SITE[end_side])
    if name:
        connector.name = name
    return stroke(unstyled(connector), colour, width_pt, arrow=True)


def line(
    page: PptxSlide,
    start: tuple[int, int],
    end: tuple[int, int],
    colour: str,
    width_pt: float,
    *,
    arrow: bool = False,
    dashed: bool = False,
    name: str = "",
) -> Any:
    """A straight line from ``start`` to ``end`` (EMU points), glued to nothing."""
    connector = page.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Emu(start[0]), Emu(start[1]), Emu(end[0]), Emu(end[1])
    )
    if name:
        connector.name = name
    return stroke(unstyled(connector), colour, width_pt, arrow=arrow, dashed=dashed)


def polyline(
    page: PptxSlide,
    points: Sequence[tuple[int, int]],
    colour: str,
    width_pt: float,
    *,
    arrow: bool = False,
    name: str = "",
) -> Any:
    """An open freeform through ``points`` (EMU), unfilled, with round caps and joins."""
    builder = page.shapes.build_freeform(points[0][0], points[0][1])
    builder.add_line_segments(points[1:], close=False)
    shape = unstyled(builder.convert_to_shape())
    shape.fill.background()
    if name:
        shape.name = name
    return stroke(shape, colour, width_pt, arrow=arrow, round_ends=True)
