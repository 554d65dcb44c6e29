"""Parse a lesson document into a :class:`~pipeline.model.Lesson`: the lines and lists both
spellings share (``lines``), core content with its code and tables (``core``), the budget line
(``budget_line``) and the document as a whole (``parse``)."""

from .budget_line import is_budget_line, parse_budget_line
from .parse import MAX_BYTES, MAX_SCRIPT_WORDS, MAX_SLIDES, decode_lesson, parse_lesson, read_lesson

__all__ = [
    "MAX_BYTES",
    "MAX_SCRIPT_WORDS",
    "MAX_SLIDES",
    "decode_lesson",
    "is_budget_line",
    "parse_budget_line",
    "parse_lesson",
    "read_lesson",
]
