"""Writing shapes and text onto a slide: the one place that touches python-pptx's shapes and raw OOXML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
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


# ---------------------------------------------------------------- text and table layouts
# The backtick rule, code lines written as they are, native tables, check marks and names.

_TAB_WIDTH = 4
_NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"


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
    outlined(shape, colour, width_pt)
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


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


def add_table(
    slide: PptxSlide,
    left: int,
    top: int,
    widths: Sequence[int],
    heights: Sequence[int],
    cells: Sequence[Sequence[tuple[Fitted, str]]],
    *,
    border: str,
    border_pt: float,
    pad_x: int,
    pad_y: int,
) -> Any:
    """A native table: columns ``widths``, rows ``heights`` (EMU); ``cells`` row by row, each its
    laid-out text and its fill, every cell bordered.

    Cell margins are the measuring insets plus ``pad_x``/``pad_y``, so a cell's text box is
    exactly the box it was measured in; the first row is marked as the header row.
    """
    frame = slide.shapes.add_table(len(heights), len(widths), Emu(left), Emu(top), Emu(sum(widths)), Emu(sum(heights)))
    table = frame.table
    props = table._tbl.get_or_add_tblPr()
    style = props.find(qn("a:tableStyleId"))
    if style is not None:
        style.text = _NO_TABLE_STYLE
    props.set("firstRow", "1")
    props.set("bandRow", "0")
    for j, width in enumerate(widths):
        table.columns[j].width = Emu(width)
    for i, height in enumerate(heights):
        table.rows[i].height = Emu(height)
        for j, (fitted, fill) in enumerate(cells[i]):
            cell = table.cell(i, j)
            _cell_borders(cell, border, border_pt)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            cell.margin_left = cell.margin_right = Emu(round(INSET_X_PT * EMU_PER_PT) + pad_x)
            cell.margin_top = cell.margin_bottom = Emu(round(INSET_Y_PT * EMU_PER_PT) + pad_y)
            cell.vertical_anchor = fitted.box.anchor
            write_text(cell.text_frame, fitted)
            # Cells take their margins and anchor from the cell, not the text body: keep it plain.
            body = cell.text_frame._txBody.find(qn("a:bodyPr"))
            for name in list(body.attrib):
                del body.attrib[name]
            for child in list(body):
                body.remove(child)
    return frame


def _cell_borders(cell: Any, colour: str, width_pt: float) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    # Schema order: the four edges come first in a:tcPr, before the fill.
    for index, edge in enumerate(("a:lnL", "a:lnR", "a:lnT", "a:lnB")):
        line = etree.Element(qn(edge), w=str(round(width_pt * EMU_PER_PT)), cap="flat", cmpd="sng", algn="ctr")
        etree.SubElement(etree.SubElement(line, qn("a:solidFill")), qn("a:srgbClr")).set("val", colour)
        etree.SubElement(line, qn("a:prstDash")).set("val", "solid")
        tcpr.insert(index, line)


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
            elif not line.hyphen:
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


# ---------------------------------------------------------------- lines, connectors and outlines
# Used by the graphic layouts (diagrams, charts, timelines). Straight connectors glued to their
# boxes are re-routed by LibreOffice to the same connection sites PowerPoint uses, so both draw
# them alike; a bent or curved connector is re-routed differently by each, so none is used.

CONNECTION_SITE = {"top": 0, "left": 1, "bottom": 2, "right": 3}
"""Connection sites of a rectangle, rounded rectangle or ellipse, by the index OOXML gives them."""
ROUNDING = 0.12
"""Corner radius of a rounded box, as a share of its shorter side."""
_ROUND_TEXT_INSET = 0.29289  # the preset roundRect's text rectangle sits this share of the radius in


def unstyled(shape: Any) -> Any:
    """``shape`` without its theme style reference, so LibreOffice adds no shadow or theme outline."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


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


def translucent(shape: Any, opacity: float) -> Any:
    """Make ``shape``'s solid fill ``opacity`` opaque (0–1), so shapes under it show through."""
    colour = shape._element.spPr.find(qn("a:solidFill"))[0]
    for old in colour.findall(qn("a:alpha")):
        colour.remove(old)
    etree.SubElement(colour, qn("a:alpha")).set("val", str(round(opacity * 100000)))
    return shape


def unsigned_axis_ids(page: PptxSlide) -> None:
    """Number each chart's axes 1, 2, … in ``c:axId`` and ``c:crossAx``, keeping every pairing.

    python-pptx's chart templates carry negative ids, which the schema (an unsignedInt) forbids and
    the Open XML SDK's validator rejects; small positive ids also fit readers that store an int32.
    """
    frames: Any = page.shapes  # python-pptx's stubs know no chart on a shape
    for frame in frames:
        if not getattr(frame, "has_chart", False):
            continue
        ids: dict[str, str] = {}
        for element in frame.chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
            element.set("val", ids.setdefault(element.get("val"), str(len(ids) + 1)))


def value_axis_at_far_end(chart: Any) -> None:
    """Cross the value axis at the last category: with bar categories drawn top to bottom
    (a reversed category axis), the value axis then stays along the bottom."""
    plot_area = chart._chartSpace.chart.plotArea
    for axis in plot_area.findall(qn("c:valAx")):
        crosses = axis.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")


# ---------------------------------------------------------------- accessibility
# Screen readers read a slide's shapes in the order of its shape tree, say a picture, chart,
# table or group by its description (``descr`` on ``cNvPr``, what PowerPoint's Alt Text pane
# writes) and skip shapes marked decorative (the ``adec:decorative`` extension PowerPoint writes
# for "Mark as decorative"). LibreOffice ignores the extension and draws the shape as before.

_DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def properties(shape: Any) -> Any:
    """The ``cNvPr`` element of any shape: autoshape, picture, connector, graphic frame or group."""
    return shape._element.xpath("./*[1]/p:cNvPr")[0]


def describe(shape: Any, text: str, *, title: str = "") -> Any:
    """Give ``shape`` alternative text ``text`` (and a short ``title``): what a screen reader says for it."""
    props = properties(shape)
    props.set("descr", clean(text))
    if clean(title):
        props.set("title", clean(title))
    return shape


def decorative(shape: Any) -> Any:
    """Mark ``shape`` decorative, as PowerPoint does, so screen readers pass over it (and drop any
    alt text, as PowerPoint does: python-pptx describes a picture by its file name)."""
    props = properties(shape)
    props.attrib.pop("descr", None)
    ext_list = props.find(qn("a:extLst"))
    if ext_list is None:
        ext_list = etree.SubElement(props, qn("a:extLst"))
    if not any(ext.get("uri") == _DECORATIVE_URI for ext in ext_list):
        ext = etree.SubElement(ext_list, qn("a:ext"), uri=_DECORATIVE_URI)
        etree.SubElement(ext, f"{{{_DECORATIVE_NS}}}decorative", nsmap={"adec": _DECORATIVE_NS}).set("val", "1")
    return shape


def is_decorative(shape: Any) -> bool:
    """Whether ``shape`` is marked decorative."""
    found = properties(shape).find(f"{qn('a:extLst')}/{qn('a:ext')}/{{{_DECORATIVE_NS}}}decorative")
    return found is not None and found.get("val") in ("1", "true")


def grouped(page: PptxSlide, members: Sequence[Any], name: str, text: str, *, title: str = "") -> Any:
    """``members`` (in their drawing order) moved into one group shape named ``name``, described by
    ``text``: a diagram or chart drawn from many shapes is read as one picture. Each member keeps
    its place on the slide; the group goes where the first member was in the shape tree."""
    tree = page.shapes._spTree
    first = min(tree.index(m._element) for m in members)
    group = page.shapes.add_group_shape(list(members))
    group.name = name
    element = group._element
    tree.remove(element)
    tree.insert(first, element)
    return describe(group, text, title=title)
