"""Writing shapes and text onto a slide: the one place that touches python-pptx's shapes and raw OOXML.

``boxes`` holds the units and plain shapes, ``text`` cleans text and writes it into frames,
``lines`` draws lines and connectors, ``table`` native tables, ``access`` alt text and decorative
marks, ``charts`` the chart XML python-pptx leaves wrong. The layouts import from here only.
"""

from .access import decorative, describe, grouped, is_decorative, properties
from .boxes import (
    EMU_PER_INCH,
    ROUNDING,
    SLIDE_H,
    SLIDE_W,
    inches,
    named,
    outlined,
    rect,
    rgb,
    rounded_box,
    rounded_inset,
    tick,
    translucent,
    unstyled,
)
from .charts import unsigned_axis_ids, value_axis_at_far_end
from .lines import CONNECTION_SITE, connect, line, polyline, stroke
from .table import add_table
from .text import clean, clean_code, clean_notes, displayed, hanging_indent, keep_spaces, moved, place, write_text

__all__ = [
    "CONNECTION_SITE",
    "EMU_PER_INCH",
    "ROUNDING",
    "SLIDE_H",
    "SLIDE_W",
    "add_table",
    "clean",
    "clean_code",
    "clean_notes",
    "connect",
    "decorative",
    "describe",
    "displayed",
    "grouped",
    "hanging_indent",
    "inches",
    "is_decorative",
    "keep_spaces",
    "line",
    "moved",
    "named",
    "outlined",
    "place",
    "polyline",
    "properties",
    "rect",
    "rgb",
    "rounded_box",
    "rounded_inset",
    "stroke",
    "tick",
    "translucent",
    "unsigned_axis_ids",
    "unstyled",
    "value_axis_at_far_end",
    "write_text",
]
