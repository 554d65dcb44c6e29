"""The lines of a lesson document, classified, and the list forms both spellings use.

A line is a heading (``Title¶`` or ``# Title``) or body text; lines inside a fenced code block
are neither. Lists are ``-``/``*``/``1.`` items or, in the docs export, flattened onto one line
(``Lead: - a - b``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Source, Text

LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")
FLATTENED_LIST = re.compile(r"^(?P<lead>[^\n]*?:)\s+-\s+(?P<rest>.+)$")
FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document, classified: a heading (with its name) or body text."""

    number: int
    text: str
    heading: bool
    level: int
    fenced: bool = False
    """Inside a fenced code block (or its fence line): never a heading or a list item."""


def classify(text: str) -> Iterator[Line]:
    """Number the lines and mark headings in either spelling (``¶`` suffix or ``#`` prefix).

    Lines inside a fenced code block are kept as they are: a YAML or shell comment is not a heading.
    """
    fence = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        opening = FENCE.match(line)
        if fence or opening:
            if opening and not fence:
                fence = opening.group(1)
            elif line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = ""
            yield Line(number, line, False, 0, fenced=True)
            continue
        if line.endswith("¶"):
            yield Line(number, line[:-1].strip(), True, 0)
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            yield Line(number, match.group(2), True, len(match.group(1)))
        else:
            yield Line(number, line, False, 0)


def body(section: list[Line]) -> list[Line]:
    """A section's lines without its heading and blank lines."""
    return [ln for ln in section[1:] if ln.text.strip()]


def clean(text: str) -> str:
    """Strip Markdown emphasis markers and surrounding space from a line of prose."""
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text).strip()


def split_flattened(text: str) -> tuple[str, list[str]]:
    """``Lead: - a - b`` -> (``Lead:``, [a, b]); other text -> (text, [])."""
    match = FLATTENED_LIST.match(text)
    if not match:
        return text, []
    items = [item.strip() for item in re.split(r"\s+-\s+(?=\S)", match.group("rest")) if item.strip()]
    return match.group("lead").strip(), items


def list_items(lines: list[Line], file: str) -> Iterator[Text]:
    """Every list item in ``lines`` (normal or flattened), with its location."""
    for ln in lines:
        match = LIST_ITEM.match(ln.text)
        if match:
            yield Text(clean(match.group(1)), Source(file, ln.number))
            continue
        _, flattened = split_flattened(clean(ln.text))
        for item in flattened:
            yield Text(item, Source(file, ln.number))
