"""Core content: sub-sections with their paragraphs, lists, code blocks, tables and block quotes.

Code is kept exactly (fenced blocks, and the docs export's indented blocks); a paragraph ending in
a colon introduces the list after it; Markdown pipe tables and tab-separated rows are tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import CodeBlock, ItemList, Section, Source, TableBlock, Text
from .lines import FENCE, LIST_ITEM, TABLE_ROW, TABLE_RULE, Line, clean, split_flattened


@dataclass(slots=True)
class _SectionBuilder:
    """The parts of one core-content sub-section, gathered line by line."""

    title: str
    start: int
    paragraphs: list[Text]
    lists: list[ItemList]
    code: list[CodeBlock]
    tables: list[TableBlock]
    quotes: list[Text]

    def section(self, file: str) -> Section | None:
        if not (self.title or self.paragraphs or self.lists or self.code or self.tables):
            return None
        return Section(
            self.title,
            tuple(self.paragraphs),
            tuple(self.lists),
            Source(file, self.start),
            code=tuple(self.code),
            tables=tuple(self.tables),
            quotes=tuple(self.quotes),
        )


def parse_core(section: list[Line], file: str) -> Iterator[Section]:
    """Split Core content into its sub-sections: paragraphs, lists, code blocks, tables and quotes."""
    part = _SectionBuilder("", section[0].number if section else 0, [], [], [], [], [])
    lines = section[1:]
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.heading:
            done = part.section(file)
            if done:
                yield done
            part = _SectionBuilder(clean(ln.text), ln.number, [], [], [], [], [])
            i += 1
            continue
        if ln.fenced:
            i = _read_fenced(lines, i, part, file)
            continue
        if _is_indented_code(ln, lines[i - 1] if i else None, part):
            i = _read_indented(lines, i, part, file)
            continue
        if TABLE_ROW.match(ln.text) or "\t" in ln.text.strip():
            table, after = _read_table(lines, i, file)
            if table is not None:
                part.tables.append(table)
                i = after
                continue
        i += 1
        text = clean(ln.text)
        if not text:
            continue
        if text.startswith(">"):
            quote = Text(clean(text.lstrip("> ")), Source(file, ln.number))
            if quote.text:
                part.quotes.append(quote)
                part.paragraphs.append(quote)
            continue
        _add_text(part, text, ln.number, file)
    done = part.section(file)
    if done:
        yield done


def _add_text(part: _SectionBuilder, text: str, number: int, file: str) -> None:
    """A line of prose or a list item, added to the section being read."""
    match = LIST_ITEM.match(text)
    if match:
        item = Text(clean(match.group(1)), Source(file, number))
        lists = part.lists
        if lists and lists[-1].items and lists[-1].items[-1].source.line >= number - 2:
            lists[-1] = ItemList(lists[-1].lead, (*lists[-1].items, item), lists[-1].ordered)
        else:
            # A paragraph ending in a colon introduces the list: it is the list's lead, as in the
            # flattened spelling, not a paragraph of its own.
            paragraphs = part.paragraphs
            lead = paragraphs.pop().text if paragraphs and paragraphs[-1].text.endswith(":") else ""
            lists.append(ItemList(lead, (item,), ordered=bool(re.match(r"^\s*\d", text))))
        return
    lead, flattened = split_flattened(text)
    if flattened:
        part.lists.append(ItemList(lead, tuple(Text(i, Source(file, number)) for i in flattened)))
    else:
        part.paragraphs.append(Text(text, Source(file, number)))


def _read_fenced(lines: list[Line], i: int, part: _SectionBuilder, file: str) -> int:
    """A fenced block from its opening fence at ``lines[i]``; returns the index after it."""
    opening = FENCE.match(lines[i].text)
    language = opening.group(2) if opening else ""
    body: list[str] = []
    j = i + 1
    while j < len(lines) and lines[j].fenced and not FENCE.match(lines[j].text):
        body.append(lines[j].text)
        j += 1
    j += 1 if j < len(lines) and lines[j].fenced else 0
    if any(line.strip() for line in body):
        part.code.append(CodeBlock(language, tuple(_dedent(body)), Source(file, lines[i].number + 1)))
    return j


def _is_indented_code(ln: Line, previous: Line | None, part: _SectionBuilder) -> bool:
    """An indented line that is not the continuation of a list item: the text export's code block."""
    if not re.match(r"^(?: {4}|\t)", ln.text) or not ln.text.strip():
        return False
    last_item = part.lists[-1].items[-1].source.line if part.lists and part.lists[-1].items else -1
    return previous is None or previous.number != last_item


def _read_indented(lines: list[Line], i: int, part: _SectionBuilder, file: str) -> int:
    """An indented code block starting at ``lines[i]``; blank lines inside it are kept."""
    body: list[str] = []
    j = i
    while (
        j < len(lines)
        and not lines[j].heading
        and (re.match(r"^(?: {4}|\t)", lines[j].text) or not lines[j].text.strip())
    ):
        body.append(lines[j].text)
        j += 1
    while body and not body[-1].strip():
        body.pop()
    part.code.append(CodeBlock("", tuple(_dedent(body)), Source(file, lines[i].number)))
    return i + len(body)


def _dedent(lines: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:].rstrip() for line in lines]


def _read_table(lines: list[Line], i: int, file: str) -> tuple[TableBlock | None, int]:
    """A Markdown pipe table or a run of tab-separated rows at ``lines[i]``: (table or None, index after)."""
    rows: list[tuple[str, ...]] = []
    j = i
    piped = bool(TABLE_ROW.match(lines[i].text))
    while j < len(lines) and not lines[j].heading and lines[j].text.strip():
        text = lines[j].text.strip()
        if piped:
            if not TABLE_ROW.match(text):
                break
            if not TABLE_RULE.match(text):
                rows.append(tuple(clean(c) for c in text.strip("|").split("|")))
        else:
            if "\t" not in text:
                break
            rows.append(tuple(clean(c) for c in re.split(r"\t+", text)))
        j += 1
    width = len(rows[0]) if rows else 0
    if len(rows) < 2 or width < 2 or any(len(r) != width for r in rows):
        return None, i
    return TableBlock(rows[0], tuple(rows[1:]), Source(file, lines[i].number)), j
