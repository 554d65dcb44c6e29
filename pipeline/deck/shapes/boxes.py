"""Units and plain shapes: rectangles, rounded boxes, a drawn tick, names, outlines and fills."""

from __future__ import annotations

from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

EMU_PER_INCH = 914400
SLIDE_W = 12192000  # 13.333 in: PowerPoint's own 16:9 size
SLIDE_H = 6858000  # 7.5 in
ROUNDING = 0.12
"""Corner radius of a rounded box, as a share of its shorter side."""
_ROUND_TEXT_INSET = 0.29289  # the preset roundRect's text rectangle sits this share of the radius in


def rgb(hex_: str) -> RGBColor:
    """A theme colour (``"17324D"``) as python-pptx takes it."""
    return RGBColor.from_string(hex_)


def inches(inches: float) -> int:
    """``inches`` in EMU, the unit every position and size on a slide is given in."""
    return round(inches * EMU_PER_INCH)


def rect(slide: PptxSlide, left: int, top: int, width: int, height: int, fill: str, *, shape: Any = None) -> Any:
    """A rectangle (or the preset ``shape``) filled with ``fill``, no outline, no theme style."""
    sp = slide.shapes.add_shape(shape or MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    sp.fill.solid()
    sp.fill.fore_color.rgb = rgb(fill)
    sp.line.fill.background()
    # Drop the theme style reference: LibreOffice draws its shadow even under an empty effect list.
    return unstyled(sp)


def unstyled(shape: Any) -> Any:
    """``shape`` without its theme style reference, so LibreOffice adds no shadow or theme outline."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


def outlined(shape: Any, colour: str, width_pt: float) -> Any:
    """Give ``shape`` a solid outline (a card border, a check box)."""
    shape.line.color.rgb = rgb(colour)
    shape.line.width = Pt(width_pt)
    return shape


def named(shape: Any, name: str) -> Any:
    """Name a shape (``Step 2``, ``Check box 1``): what a reader of the XML, or a test, looks for."""
    shape.name = name
    return shape


def tick(slide: PptxSlide, left: int, top: int, size: int, colour: str, width_pt: float) -> Any:
    """A check mark drawn as a two-stroke open line inside the square at ``left, top`` of side ``size``."""
    points = [(0.22, 0.52), (0.42, 0.72), (0.80, 0.28)]
    builder = slide.shapes.build_freeform(left + round(points[0][0] * size), top + round(points[0][1] * size))
    builder.add_line_segments([(left + round(x * size), top + round(y * size)) for x, y in points[1:]], close=False)
    shape = builder.convert_to_shape()
    shape.fill.background()
    return unstyled(outlined(shape, colour, width_pt))


def rounded_inset(width: int, height: int) -> int:
    """How far inside a rounded box (EMU) its text rectangle starts, on every side."""
    return round(ROUNDING * min(width, height) * _ROUND_TEXT_INSET)


def rounded_box(page: PptxSlide, left: int, top: int, width: int, height: int, fill: str, *, name: str = "") -> Any:
    """A rounded rectangle filled with ``fill`` (``""``: no fill), no outline, corners ``ROUNDING``."""
    sp = rect(page, left, top, width, height, fill or "FFFFFF", shape=MSO_SHAPE.ROUNDED_RECTANGLE)
    sp.adjustments[0] = ROUNDING
    if not fill:
        sp.fill.background()
    if name:
        sp.name = name
    return sp


def translucent(shape: Any, opacity: float) -> Any:
    """Make ``shape``'s solid fill ``opacity`` opaque (0–1), so shapes under it show through."""
    colour = shape._element.spPr.find(qn("a:solidFill"))[0]
    for old in colour.findall(qn("a:alpha")):
        colour.remove(old)
    etree.SubElement(colour, qn("a:alpha")).set("val", str(round(opacity * 100000)))
    return shape
