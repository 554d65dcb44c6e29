"""Text on a slide: cleaning it for XML, and writing laid-out paragraphs into a text frame."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from ..fit import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, Fitted, Laid, Role
from .boxes import rgb

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAB_WIDTH = 4


def clean(text: str) -> str:
    """On-slide text: XML-safe, whitespace collapsed to single spaces."""
    return " ".join(_INVALID_XML.sub("", text).split())


def clean_notes(text: str) -> str:
    """Speaker notes: XML-safe, line breaks kept."""
    return _INVALID_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def displayed(text: str) -> tuple[str, bool]:
    """How an item's text is shown: ``(text, monospace)``.

    Text wholly wrapped in backticks (`` `V2hhdCB0b29s…` ``) is code: shown without the backticks
    in the code font. Backticks inside other text are Markdown residue and are dropped.
    """
    raw = text.strip()
    inner = raw[1:-1]
    if len(raw) > 2 and raw[0] == raw[-1] == "`" and "`" not in inner and inner.strip():
        # A line of code keeps its indentation: leading spaces become no-break spaces, which wrapping
        # (at ordinary spaces) leaves in place.
        code = clean_code(inner)
        body = code.lstrip(" ")
        return "\u00a0" * (len(code) - len(body)) + clean(body), True
    return clean(clean(text).replace("`", "")), False


def clean_code(line: str) -> str:
    """A line of code for the slide: XML-safe, tabs expanded, trailing blanks dropped, indentation kept."""
    return _INVALID_XML.sub("", line.replace("\r", "")).expandtabs(_TAB_WIDTH).rstrip()


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
        for j, segment in enumerate(_segments(laid)):
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
        _indent_and_bullet(para, role)


def _segments(laid: Laid) -> list[str]:
    """The paragraph's text split where a line break must be written: inside an over-long word.

    Elsewhere the lines are joined (with a space, or none after a hyphen) and the renderer wraps
    them where they were measured to wrap."""
    segments: list[str] = []
    current = ""
    for line in laid.lines:
        current += line.text
        if line.forced:
            segments.append(current)
            current = ""
        elif not line.hyphen:
            current += " "
    segments.append(current.rstrip())
    return segments


def _indent_and_bullet(para: Any, role: Role) -> None:
    """The paragraph's left margin and hanging indent, and its bullet (or an explicit none)."""
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
    """Write ``fitted`` into a new text box at its box, or into ``shape`` (a placeholder) moved there."""
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


def hanging_indent(frame: Any, index: int, indent_pt: float) -> None:
    """Indent every line but the first of paragraph ``index`` by ``indent_pt`` (wrapped code lines)."""
    ppr = frame.paragraphs[index]._p.get_or_add_pPr()
    ppr.set("marL", str(round(indent_pt * EMU_PER_PT)))
    ppr.set("indent", str(-round(indent_pt * EMU_PER_PT)))


def keep_spaces(frame: Any) -> None:
    """Mark every run of ``frame`` as text whose spaces matter, so indentation survives as written."""
    for para in frame.paragraphs:
        for run in para.runs:
            run._r.t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
