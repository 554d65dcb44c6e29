"""What screen readers get: alt text, decorative marks and shapes grouped into one described picture.

Screen readers read a slide's shapes in the order of its shape tree, say a picture, chart, table or
group by its description (``descr`` on ``cNvPr``, what PowerPoint's Alt Text pane writes) and skip
shapes marked decorative (the ``adec:decorative`` extension PowerPoint writes for "Mark as
decorative"). LibreOffice ignores the extension and draws the shape as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide

from .text import clean

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
