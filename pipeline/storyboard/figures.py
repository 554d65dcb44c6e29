"""Filling a slide from the lesson's tables, timelines and code.

A table is the lesson's own, else rows built from list items whose fields (``Signal: …``,
``Lever: …``) name the direction's columns, else cells the narration reads out per row; a
timeline's markers take the caption a list item or sentence gives them; a code block is shown
exactly as written. Diagrams (``diagrams``) and charts (``charts``) have modules of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Item, Label, Table
from ..text import split_sentences
from .context import Context
from .extract import YEAR, code_blocks, label_case, lists_of
from .fill import Filled, card_body
from .phrases import capitalise, overlap, shorten, stems, tidy

MAX_CELL_WORDS = 16
_TIME_MARKER = re.compile(
    rf"^(?:T\s*[+-]\s*\d|(?:Day|Week|Month|Year|Phase|Stage|Step) \d|Q[1-4]\b|{YEAR}\b|\d{{1,2}}:\d\d|"
    r"\d+(?:\.\d+)?\s*(?:min|h|s|d|hours?|days?|weeks?|months?|years?)\b)",
    re.I,
)


# --- tables ------------------------------------------------------------------------------------


def table(ctx: Context) -> Filled | None:
    written = _written_table(ctx)
    if written is not None:
        return Filled("table", table=written)
    built = _table_from_items(ctx) or _table_from_narration(ctx)
    if built is not None:
        return Filled("table", table=built)
    return None


def _written_table(ctx: Context) -> Table | None:
    columns = " ".join(ctx.direction.columns)
    best: tuple[float, Table | None] = (0.0, None)
    for rank, section in enumerate(ctx.sections):
        for block in section.tables:
            score = (overlap(columns, " ".join(block.header)) if columns else 0.5) + (0.3 if rank == 0 else 0.0)
            if score > best[0]:
                best = (score, Table(block.header, block.rows))
    return best[1]


def _fields(text: str) -> tuple[str, dict[str, str]]:
    """``Jailbreak campaign. Signal: a spike … Lever: suspend …`` -> (``Jailbreak campaign``, {Signal: …, Lever: …})."""
    parts = re.split(r"(?:^|(?<=[.;]))\s*([A-Z][\w -]{0,30}?):\s+", text.strip())
    head = tidy(parts[0])
    return head, {parts[i].strip(): tidy(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}


def _table_from_items(ctx: Context) -> Table | None:
    """Rows from a list whose items carry labelled fields matching the direction's columns."""
    columns = ctx.direction.columns
    if len(columns) < 2:
        return None
    for _, block in lists_of(ctx.sections):
        dashed = [re.split(r"\s+[—–]\s+", tidy(i.text)) for i in block.items]
        if len(dashed) >= 2 and all(len(cells) == len(columns) for cells in dashed):
            # "Access — a copy of all their personal data — one month": one cell per dash.
            rows = [tuple(capitalise(shorten(c, MAX_CELL_WORDS)) for c in cells) for cells in dashed]
            if _rows_named(rows, ctx.direction.labels):
                return Table(tuple(capitalise(c) for c in columns), tuple(rows))
        rows = []
        for item in block.items:
            head, fields = _fields(item.text)
            cells = [shorten(head, 8)]
            for column in columns[1:]:
                match = next((v for k, v in fields.items() if overlap(k, column) > 0 or overlap(column, k) >= 0.5), "")
                cells.append(capitalise(shorten(match, MAX_CELL_WORDS)))
            if all(cells):
                rows.append(tuple(cells))
        if len(rows) >= 2 and _rows_named(rows, ctx.direction.labels):
            return Table(tuple(capitalise(c) for c in columns), tuple(rows))
    return None


def _rows_named(rows: Sequence[tuple[str, ...]], labels: Sequence[Label]) -> bool:
    return not labels or all(any(overlap(label.text, row[0]) >= 0.5 for row in rows) for label in labels)


def _table_from_narration(ctx: Context) -> Table | None:
    """Rows named by the direction, cells read from the narration: "the first signal is …, and the first lever is …"."""
    columns, labels = ctx.direction.columns, ctx.direction.labels
    if len(columns) < 2 or len(labels) < 2:
        return None
    rows = []
    for label in labels:
        sentence = next((s for s in split_sentences(ctx.narration) if overlap(label.text, s) >= 0.6), "")
        cells = [label_case(label.text, ctx)]
        for column in columns[1:]:
            match = re.search(rf"\b{re.escape(column)}\s+(?:is|are|:)\s+(.+?)(?:,\s+and\b|;|\.|$)", sentence, re.I)
            cells.append(capitalise(shorten(match.group(1), MAX_CELL_WORDS)) if match else "")
        rows.append(tuple(cells))
    if not all(all(row) for row in rows):
        return None
    return Table(tuple(capitalise(c) for c in columns), tuple(rows))


# --- timeline ----------------------------------------------------------------------------------


def timeline(ctx: Context) -> Filled | None:
    markers = [label.text for label in ctx.direction.labels]
    entries: dict[str, str] = {}
    for _, block in lists_of(ctx.sections):
        for item in block.items:
            head, _, rest = item.text.partition(": ")  # "09:00 h: …" keeps its clock
            if _TIME_MARKER.match(head.strip()) and rest:
                entries[head.strip()] = rest.strip()
    if not markers:
        markers = list(entries)
    if len(markers) < 2:
        return None
    sentences = [s for t in (*ctx.written(), ctx.narration) for s in split_sentences(t)]
    items = []
    for marker in markers:
        text = next((v for k, v in entries.items() if _marker_key(k) == _marker_key(marker)), "")
        if not text:
            # "within 24 hours" says what happens at the 24 h marker.
            said = _spoken_marker(marker)
            text = next((s for s in sentences if said and said.search(s)), "")
        detail, points = card_body(text)
        items.append(Item(marker, detail, points=points[:2]))
    return Filled("timeline", tuple(items))


def _marker_key(text: str) -> str:
    return re.sub(r"\s+|hours?|hrs?|minutes?|mins?", "", text.lower()).replace("h", "")


_UNITS = {"h": r"h(?:ours?|rs?)?", "min": r"min(?:utes?|s)?", "d": r"d(?:ays?)?", "s": r"s(?:ec(?:onds?)?)?"}


def _spoken_marker(marker: str) -> re.Pattern[str] | None:
    """``24 h`` -> a pattern for "24 hours", "24h", "24-hour" in prose; ``None`` for a marker that is not a duration."""
    match = re.fullmatch(r"T?\s*\+?\s*(\d+(?:\.\d+)?)\s*([a-z]+)", marker.strip(), re.I)
    if not match or match.group(2).lower() not in _UNITS:
        return None
    return re.compile(rf"\b{re.escape(match.group(1))}[\s-]*{_UNITS[match.group(2).lower()]}\b", re.I)


# --- code ----------------------------------------------------------------------------------------


def code(ctx: Context) -> Filled | None:
    blocks = code_blocks(ctx)
    if not blocks:
        return None
    targets = [m.target for m in ctx.direction.marks if m.style == "highlight"]
    words = stems(ctx.direction.text)
    best = max(blocks, key=lambda b: (sum(t in "\n".join(b) for t in targets), len(words & stems("\n".join(b)))))
    items = tuple(Item(line, marked=any(t and t in line for t in targets)) for line in best)
    return Filled("code", items)
