"""The slide bodies, one function per layout; each draws into the content area under the title band."""

from __future__ import annotations

from collections.abc import Callable

from pptx.slide import Slide as PptxSlide

from ...model import Slide
from ..page import Context
from .chart import chart
from .code import code
from .diagram import diagram
from .display import end, stat, statement
from .lists import checklist, recap, steps
from .table import table
from .text import bullets, cards, comparison, placeholder, quote
from .timeline import timeline

Body = Callable[[Context, PptxSlide, Slide], None]

BODIES: dict[str, Body] = {
    "statement": statement,
    "stat": stat,
    "steps": steps,
    "checklist": checklist,
    "recap": recap,
    "end": end,
    "code": code,
    "table": table,
    "bullets": bullets,
    "cards": cards,
    "comparison": comparison,
    "quote": quote,
    "placeholder": placeholder,
    "diagram": diagram,
    "chart": chart,
    "timeline": timeline,
}
