"""A native table, its cells bordered and filled, their text written as it was measured."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu

from ..fit import EMU_PER_PT, INSET_X_PT, INSET_Y_PT, Fitted
from .boxes import rgb
from .text import write_text

_NO_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"


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
