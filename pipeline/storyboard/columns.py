"""Filling a two-column comparison from the lesson: each side's points, shown as written.

The columns come from the lesson's own labels (``Before: …`` / ``After: …``), a table whose header
names the two sides, or the narration's "on the left" / "on the right"; a side named as code shows
the section's code block, and a passage the narration reads out is shown as the lesson writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Item
from ..text import split_sentences
from .context import Context
from .extract import code_blocks, expand_acronym, explain
from .fill import Filled
from .phrases import MAX_DETAIL_WORDS, capitalise, code_points, same_label, shorten, tidy
from .spoken import spoken_matches

CODE_COLUMN_LINES = 10
CODE_WORDS = re.compile(
    r"\b(?:manifest|code|snippet|yaml|json|sql|config(?:uration)?|query|command|template|script)\b", re.I
)


def comparison(ctx: Context) -> Filled | None:
    labels = ctx.direction.labels
    # "PI = property of deployment; HFT = produces a different model": the author wrote the content.
    written_out = bool(re.search(r"^[^=;:]*[^=;:\s]\s*=[^;]+;[^=]+=", ctx.direction.text)) and not re.search(
        r"\b(?:left|right)\s*=", ctx.direction.text, re.I
    )
    if len(labels) == 2 and all(label.note for label in labels) and written_out:
        sides = tuple(Item(expand_acronym(side.text, ctx.narration), capitalise(side.note)) for side in labels)
        return Filled("comparison", sides)
    names = [label.text for label in labels]
    if not names:  # only when the lesson itself labels its items so: nothing invented
        names = ["Before", "After"] if _labelled_items(ctx, ["Before", "After"]) else []
    columns = _labelled_items(ctx, names) or _table_columns(ctx, names) or _spoken_sides(ctx)
    columns = _code_column(ctx, names, columns)
    if len(names) != 2 or len(columns) != 2 or not all(columns):
        return None
    marked = {m.target.lower() for m in ctx.direction.marks if m.style == "highlight"}
    items: list[Item] = []
    for i, (name, points) in enumerate(zip(names, columns, strict=False)):
        note = labels[i].note.lower() if i < len(labels) else ""
        shown = tuple(_exhibit(p, ctx, mark=any(t in note for t in marked)) for p in points)
        items.append(Item(capitalise(name), points=shown))
    return Filled("comparison", tuple(items))


def _labelled_items(ctx: Context, names: Sequence[str]) -> list[list[str]]:
    """Points for each column from list items or paragraphs that open with the column's name (``Before: …``)."""
    columns = []
    for name in names:
        text = explain(name, ctx)
        if not text:
            return []
        columns.append(_points(text))
    return columns


def _code_column(ctx: Context, names: Sequence[str], columns: list[list[str]]) -> list[list[str]]:
    """A side named as code ("manifest on the left") shows the section's code block, line by line."""
    blocks = code_blocks(ctx)[:1]
    if not blocks or len(columns) != len(names):
        return columns
    lines = [f"`{line}`" for line in blocks[0] if line.strip()]
    if len(lines) > CODE_COLUMN_LINES:  # half a slide holds a short block; the rest is marked as cut
        lines = [*lines[: CODE_COLUMN_LINES - 1], "`…`"]
    return [lines if CODE_WORDS.search(name) else points for name, points in zip(names, columns, strict=True)]


def _table_columns(ctx: Context, names: Sequence[str]) -> list[list[str]]:
    """Points for each column from a lesson table whose header names the two sides (``| | Ingress | Egress |``):
    each row's cell, led by the row's name."""
    for section in ctx.sections[:2]:
        for block in section.tables:
            found = [next((i for i, h in enumerate(block.header) if same_label(h, n)), -1) for n in names]
            if -1 in found:
                continue
            return [[f"{row[0]}: {row[i]}" if row[0] and i else row[i] for row in block.rows if row[i]] for i in found]
    return []


def _spoken_sides(ctx: Context) -> list[list[str]]:
    """The narration split where it says "on the left" / "on the right"."""
    text = ctx.narration
    left = re.search(r"\bon the left\b", text, re.I)
    right = re.search(r"\bon the right\b", text, re.I)
    if not left or not right or right.start() < left.start():
        return []
    return [_points(_after_intro(text[left.start() : right.start()])), _points(_after_intro(text[right.start() :]))]


def _after_intro(segment: str) -> str:
    """``On the left is what the recipient sees …: a supplier asking …`` -> ``a supplier asking …``;
    an intro with nothing after it (``On the right is how to read it.``) is dropped."""
    sentences = [
        p for s in split_sentences(segment) for p in re.split(r";\s+(?=on the (?:left|right)\b)", s, flags=re.I)
    ]
    if sentences and ":" in sentences[0]:
        sentences[0] = sentences[0].split(":", 1)[1]
    elif sentences and re.match(r"^on the (?:left|right)\b", sentences[0], re.I) and len(sentences[0].split()) <= 10:
        sentences = sentences[1:]
    return " ".join(sentences[:3])


def _points(text: str) -> list[str]:
    points: list[str] = []
    pieces = [p for sentence in split_sentences(text) for p in re.split(r";\s+", sentence) if tidy(p)]
    for sentence in pieces[:4]:
        points.extend(code_points(sentence) if "`" in sentence else [capitalise(tidy(sentence))])
        if re.match(r"^(?:it reads|it says|reading)\b", sentence, re.I):
            break  # the passage read out closes the column; what follows is commentary
    return [p for p in points if p]


def _exhibit(point: str, ctx: Context, *, mark: bool) -> Item:
    """A spoken point that reads out a written passage of the lesson is shown as written (``audit@…``)."""
    spoken = re.sub(r"^(?:it reads|it says|reading)\s*:?\s*", "", point, flags=re.I)
    for section in ctx.sections[:2]:
        for quote in section.quotes or ():
            if spoken_matches(spoken, quote.text):
                return Item(quote.text.strip('"“”'), marked=mark)
        for paragraph in section.paragraphs:
            if paragraph.text[:1] in '"“' and spoken_matches(spoken, paragraph.text):
                return Item(paragraph.text.strip().strip('"“”'), marked=mark)
    if point.startswith("`"):
        return Item(point)
    # A spoken sentence the core content writes down ("port eighty-eighty" / "TCP port 8080") is shown as written.
    for text in ctx.written(top=2):
        for sentence in split_sentences(text):
            if spoken_matches(spoken, sentence) and spoken_matches(sentence, spoken):
                return Item(capitalise(shorten(re.sub(r"^[^:]{1,30}:\s+", "", sentence), MAX_DETAIL_WORDS + 4)))
    return Item(shorten(point, MAX_DETAIL_WORDS + 4))
