"""Filling a chart from the lesson's numbers, or sketching one when it has none.

A chart plots a core-content list of ``label: number`` items or a table column of plain numbers,
values exactly as written; with no numbers in the lesson (or a direction that says "illustrative")
it becomes a marked sketch of the shapes the direction describes, never invented data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Chart, Mark, Series
from .context import Context
from .directions import span
from .extract import cite, lists_of
from .fill import Filled, side_points
from .labels import trend_of
from .phrases import capitalise, overlap, same_label, tidy

CHART_KINDS = (("pie", r"\bpie\b|\bdonut\b|\bdoughnut\b"), ("bar", r"\bbar\b"), ("line", r"\bline\b|\bcurve\b"))
# A number as a chart plots it: thousands commas and a decimal point, a currency sign before it.
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_CURRENCY = r"[$€£]"
_DATUM = re.compile(
    r"^(?P<label>[^:]{1,60}?)\s*(?:\([^)]*\))?\s*:\s*(?:about|approximately|approx\.?|around|roughly|~|≈)?\s*"
    rf"(?P<text>(?P<pre>{_CURRENCY})?(?P<num>{_NUMBER})\s*(?P<unit>%|[kKMBT]\b|x\b|×|ms\b|s\b|h\b)?)"
)
_NUMBER_CELL = re.compile(rf"{_CURRENCY}?({_NUMBER})\s*(%|[a-zA-Z]{{1,3}})?")
Data = tuple[str, list[tuple[str, str, str]]]
"""What a chart plots: its lead (a list's lead or a column's heading) and (label, number, as written) per row."""


def chart(ctx: Context) -> Filled:
    direction = ctx.direction
    kind = next((k for k, cue in CHART_KINDS if re.search(cue, direction.text, re.I)), "column")
    data = None if direction.illustrative else _data(ctx)
    if data is None:
        return _sketch(ctx, kind)
    lead, rows = data
    decimals = max((len(num.split(".")[1]) if "." in num else 0) for _, num, _ in rows)
    labels = tuple(text for _, _, text in rows)
    categories = tuple(label for label, _, _ in rows)
    marked, colour = _highlighted(categories, direction.marks)
    title, unit_heading = _title_and_unit(lead, direction.measure)
    drawn = Chart(
        kind=kind,  # type: ignore[arg-type]
        categories=categories,
        series=(
            Series(
                capitalise(direction.measure or title), tuple(float(n.replace(",", "")) for _, n, _ in rows), labels
            ),
        ),
        title=title,
        value_axis=_axis_title(ctx, rows) or unit_heading,
        category_axis=capitalise(direction.per),
        decimals=decimals,
        marked=marked,
        mark_colour=colour,
    )
    return Filled("chart", chart=drawn, citation=cite(ctx))


def _highlighted(categories: Sequence[str], marks: Sequence[Mark]) -> tuple[tuple[int, ...], str]:
    """The bars the direction highlights, and the colour it names for them."""
    marked = tuple(
        i for i, c in enumerate(categories) for m in marks if m.style == "highlight" and same_label(c, m.target)
    )
    colour = next((m.colour for m in marks if m.style == "highlight" and m.colour), "")
    return marked, colour


def _title_and_unit(lead: str, measure: str) -> tuple[str, str]:
    """The chart's title: the lead of its list, else the direction's measure; and the unit, when the lead
    is a table's column heading."""
    # A lead of a word or two is a table's column heading ("Minutes"): the unit, not a title.
    unit_heading = capitalise(lead) if lead and len(lead.split()) <= 2 else ""
    title = (
        capitalise(measure)
        if unit_heading or not lead or len(lead.split()) > 14
        else capitalise(tidy(lead.rstrip(":")))
    )
    return title, unit_heading


def _data(ctx: Context) -> Data | None:
    """The lesson's numbers this chart plots: the best-scoring ``label: number`` list or table column,
    in the order the direction names its categories."""
    named = [label.text for label in ctx.direction.labels]
    scored = [*_scored_lists(ctx, named), *_scored_tables(ctx, named)]
    if not scored:
        return None
    # On a tie the first found wins: a list before a table, a nearer section before a farther one.
    lead, rows = max(scored, key=lambda found: found[0])[1]
    if named:
        rows = [next(r for r in rows if same_label(n, r[0])) for n in named]
    return lead, rows


def _scored_lists(ctx: Context, named: Sequence[str]) -> list[tuple[float, Data]]:
    """Each list whose items are (mostly) ``label: number`` and that holds every named category, scored
    by how well its lead and section say the chart's measure."""
    found: list[tuple[float, Data]] = []
    for rank, (section, block) in enumerate(lists_of(ctx.sections)):
        rows = []
        for item in block.items:
            match = _DATUM.match(item.text)
            if match:
                rows.append((tidy(match.group("label")), match.group("num"), match.group("text").strip()))
        if len(rows) < 2 or len(rows) < len(block.items) * 0.75 or not _holds(rows, named):
            continue
        score = overlap(ctx.direction.measure, f"{block.lead} {section.title}") + (0.5 if named else 0) - 0.01 * rank
        found.append((score, (block.lead, rows)))
    return found


def _scored_tables(ctx: Context, named: Sequence[str]) -> list[tuple[float, Data]]:
    """Each table column of plain numbers whose rows hold every named category, scored by how well its
    heading and section say the chart's measure (or the slide's title)."""
    found: list[tuple[float, Data]] = []
    for rank, section in enumerate(ctx.sections):
        for table in section.tables:
            data = _table_data(table.header, table.rows)
            if data is None or not _holds(data[1], named):
                continue
            score = overlap(ctx.direction.measure or ctx.title, f"{data[0]} {section.title}") + 0.3 - 0.01 * rank
            found.append((score, data))
    return found


def _holds(rows: Sequence[tuple[str, str, str]], named: Sequence[str]) -> bool:
    """Whether ``rows`` have a category for every name the direction gives (when it names none, any do)."""
    return all(any(same_label(n, r[0]) for r in rows) for n in named)


def _table_data(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Data | None:
    """A table with a column of plain numbers (``| Backfill | 24 |``): (that column's heading, its rows)."""
    for col in range(1, len(header)):
        cells = [row[col].strip() for row in rows]
        numbers = [_NUMBER_CELL.fullmatch(c) for c in cells]
        if len(rows) >= 2 and all(numbers):
            return header[col], [
                (tidy(row[0]), m.group(1), c) for row, m, c in zip(rows, numbers, cells, strict=True) if m
            ]
    return None


def _axis_title(ctx: Context, rows: Sequence[tuple[str, str, str]]) -> str:
    """The value axis: as a production note asks ("label the axis "targeted ASR (%)""), else the measure and unit."""
    for note in ctx.notes:
        match = re.search(r"\baxis\b[^\"“]*[\"“]([^\"”]+)[\"”]", note, re.I)
        if match:
            return match.group(1)
    unit = " (%)" if any(text.endswith("%") for _, _, text in rows) else ""
    measure = re.split(r"\s+(?:that|which|who|where|when)\b", ctx.direction.measure, maxsplit=1)[0]
    return capitalise(measure) + unit if measure else ""


def _sketch(ctx: Context, kind: str) -> Filled:
    """No numbers in the lesson: the chart's frame, axis titles and described shapes, marked illustrative."""
    direction = ctx.direction
    series = tuple(
        Series(f"{capitalise(label.text)} — {label.note}", trend=trend_of(label.note))
        for label in direction.labels
        if trend_of(label.note)
    )
    start, finish = span(direction.text)
    drawn = Chart(
        kind="line" if series else kind,  # type: ignore[arg-type]
        categories=tuple(c for c in (start, finish) if c),
        series=series,
        value_axis=capitalise(direction.measure),
        category_axis=capitalise(direction.per),
        illustrative=True,
    )
    # Beside the sketch, the facts the lesson does give: a narrow column, so fewer words.
    points = () if direction.illustrative else side_points(ctx)
    warnings = (
        ()
        if direction.illustrative
        else ("the lesson gives no numbers for this chart; drawn as an illustrative sketch",)
    )
    return Filled("chart", items=points, chart=drawn, warnings=warnings)
