"""Writing shapes and text onto a slide: the one place that touches python-pptx's shapes and raw OOXML."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from .fit import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, Fitted

EMU_PER_INCH = 914400
SLIDE_W = 12192000  # 13.333 in: PowerPoint's own 16:9 size
SLIDE_H = 6858000  # 7.5 in
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def inches(inches: float) -> int:
    return round(inches * EMU_PER_INCH)


def clean(text: str) -> str:
    """On-slide text: XML-safe, whitespace collapsed to single spaces."""
    return " ".join(_INVALID_XML.sub("", text).split())


def clean_notes(text: str) -> str:
    """Speaker notes: XML-safe, line breaks kept."""
    return _INVALID_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def rect(slide: PptxSlide, left: int, top: int, width: int, height: int, fill: str, *, shape: Any = None) -> Any:
    sp = slide.shapes.add_shape(shape or MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    sp.fill.solid()
    sp.fill.fore_color.rgb = rgb(fill)
    sp.line.fill.background()
    # Drop the theme style reference: LibreOffice draws its shadow even under an empty effect list.
    style = sp._element.find(qn("p:style"))
    if style is not None:
        sp._element.remove(style)
    return sp


def write_text(frame: Any, fitted: Fitted) -> None:
    """Write laid-out paragraphs into a text frame with explicit sizes, spacing and wrapping."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = fitted.box.anchor
    frame.margin_left = frame.margin_right = Pt(INSET_X_PT)
    frame.margin_top = frame.margin_bottom = Pt(INSET_Y_PT)
    for i, laid in enumerate(fitted.laid):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        role = laid.role
        para.alignment = role.align
        para.line_spacing = Pt(laid.line_pt)
        para.space_before = Pt(laid.space_before_pt)
        para.space_after = Pt(0)
        segments: list[str] = []
        current = ""
        for line in laid.lines:
            current += line.text
            if line.forced:
                segments.append(current)
                current = ""
            else:
                current += " "
        segments.append(current.rstrip())
        for j, segment in enumerate(segments):
            if j:
                para.add_line_break()
            run = para.add_run()
            run.text = segment
            font = run.font
            font.name = role.face.name
            font.size = Pt(laid.size)
            font.bold = role.bold
            font.italic = role.italic
            font.color.rgb = rgb(role.colour)
        ppr = para._p.get_or_add_pPr()
        if role.indent_pt:
            ppr.set("marL", str(round(role.indent_pt * EMU_PER_PT)))
            ppr.set("indent", str(-round(role.indent_pt * EMU_PER_PT)) if role.bullet else "0")
        if role.bullet:
            colour = etree.SubElement(ppr, qn("a:buClr"))
            etree.SubElement(colour, qn("a:srgbClr")).set("val", role.bullet_colour or role.colour)
            etree.SubElement(ppr, qn("a:buSzPct")).set("val", "100000")
            etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Arial")
            etree.SubElement(ppr, qn("a:buChar")).set("char", "•")
        else:
            etree.SubElement(ppr, qn("a:buNone"))


def place(slide: PptxSlide, fitted: Fitted, *, shape: Any = None) -> Any:
    box = fitted.box
    if shape is None:
        shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    else:
        shape.left, shape.top, shape.width, shape.height = Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
        # A placeholder sits where the layout put it in z-order, under shapes drawn since (the
        # title band); move it to the front.
        element = shape._element
        parent = element.getparent()
        parent.remove(element)
        parent.append(element)
    write_text(shape.text_frame, fitted)
    return shape


def moved(fitted: Fitted, dy: int, *, height: int | None = None) -> Fitted:
    """``fitted`` moved down by ``dy``, its box stretched to ``height`` when given."""
    box = fitted.box
    return replace(fitted, box=replace(box, top=box.top + dy, height=box.height if height is None else height))
