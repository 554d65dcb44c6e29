"""Filling a slide that draws something from the lesson: a table, a diagram of named boxes, a
timeline, a chart of the lesson's numbers, a code block.

A figure is drawn only from what the lesson gives: a table the author wrote, items whose
fields name the columns, arrows written as ``a → b → c``, numbers written beside their labels.
A chart with no numbers in the lesson becomes a marked illustrative sketch, never invented data.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..model import Chart, Diagram, Item, Label, Series, Table
from ..text import split_sentences
from .context import Context
from .directions import span
from .extract import arrow_chains, best_list, cite, code_blocks, label_case, lists_of
from .fill import Filled, bullets, card_body, within_budget
from .labels import trend_of
from .phrases import capitalise, head_and_rest, overlap, same_label, shorten, stems, tidy

MAX_CELL_WORDS = 16
CHART_KINDS = (("pie", r"\bpie\b|\bdonut\b|\bdoughnut\b"), ("bar", r"\bbar\b"), ("line", r"\bline\b|\bcurve\b"))
SIDE_WORDS = 40
"""Words of key points beside a sketch or a draft visual."""
_DATUM = re.compile(
    r"^(?P<label>[^:]{1,60}?)\s*(?:\([^)]*\))?\s*:\s*(?:about|approximately|approx\.?|around|roughly|~|≈)?\s*"
    r"(?P<text>(?P<pre>[$€£])?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|[kKMBT]\b|x\b|×|ms\b|s\b|h\b)?)"
)
_TIME_MARKER = re.compile(
    r"^(?:T\s*[+-]\s*\d|(?:Day|Week|Month|Year|Phase|Stage|Step) \d|Q[1-4]\b|(?:19|20)\d\d\b|\d{1,2}:\d\d|"
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


# --- diagrams ----------------------------------------------------------------------------------


def chain(ctx: Context) -> Filled | None:
    labels = [label.text for label in ctx.direction.labels]
    if not labels:
        chains = arrow_chains(ctx)
        labels = chains[0] if chains else []
    if not labels:
        block = best_list(ctx, ctx.direction.count)
        labels = [head_and_rest(i.text)[0] for i in block.items] if block else []
    if len(labels) < 2:
        return None
    nodes = tuple(Item(label_case(text, ctx)) for text in labels)
    diagram = _marked(Diagram("chain", nodes, tuple((i, i + 1) for i in range(len(nodes) - 1))), ctx)
    count = ctx.direction.count
    warnings = (
        (f"the direction asks for {count} boxes; the lesson names {len(nodes)}",)
        if count and count != len(nodes)
        else ()
    )
    return Filled("diagram", diagram=diagram, warnings=warnings)


def flow(ctx: Context) -> Filled | None:
    chains = arrow_chains(ctx)
    named = " ".join(label.text for label in ctx.direction.labels)
    if named:
        chains.sort(key=lambda c: -overlap(named, " ".join(c)))
    if not chains:
        return chain(ctx) if ctx.direction.labels else None
    main = chains[0]
    names: list[str] = []
    edges: list[tuple[int, int]] = []

    def index(name: str) -> int:
        for i, known in enumerate(names):
            if same_label(known, name):
                return i
        names.append(name)
        return len(names) - 1

    for route in [main] + [c for c in chains[1:] if any(same_label(a, b) for a in c for b in main)]:
        ids = [index(n) for n in route]
        edges.extend((a, b) for a, b in itertools.pairwise(ids) if (a, b) not in edges)
    nodes = tuple(Item(capitalise(n)) for n in names)
    return Filled("diagram", diagram=_marked(Diagram("flow", nodes, tuple(edges)), ctx))


def reuse(ctx: Context, earlier: Diagram | None) -> Filled | None:
    """The earlier slide's diagram again, in the same layout, with this direction's marks."""
    if earlier is None:
        return flow(ctx)
    plain = Diagram(earlier.kind, tuple(Item(n.text, n.detail) for n in earlier.nodes), earlier.edges, earlier.boundary)
    return Filled("diagram", diagram=_marked(plain, ctx))


def hub(ctx: Context) -> Filled | None:
    labels = ctx.direction.labels
    if len(labels) < 3:
        return flow(ctx)
    centre, around = labels[0], labels[1:]
    nodes = tuple(Item(label_case(label.text, ctx)) for label in (centre, *around))
    edges = tuple((0, i) for i in range(1, len(nodes)))
    boundary: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    for mark in ctx.direction.marks:
        if mark.style == "boundary":
            boundary = _inside(mark.target, [n.text for n in nodes], ctx)
            if not boundary:
                warnings = (f"the lesson does not say which boxes are inside the boundary ({mark.target})",)
    return Filled("diagram", diagram=_marked(Diagram("hub", nodes, edges, boundary), ctx), warnings=warnings)


def _inside(description: str, names: Sequence[str], ctx: Context) -> tuple[int, ...]:
    """Which boxes a boundary "around the tools it actually needs" encloses, read from the lesson's
    sentences: boxes named where the key verb ("needs") is said plainly are in, where it is negated out."""
    generic = {"tool", "box", "node", "item", "one", "actual", "boundary", "around", "it", "thing"}
    keys = {s for s in stems(description) if s not in generic and not any(same_label(s, n) for n in names)}
    inside: set[int] = set()
    outside: set[int] = set()
    texts = [ctx.narration, *ctx.written(top=len(ctx.sections)), *(q.answer for q in ctx.lesson.quiz)]
    for sentence in (s for t in texts for s in split_sentences(t)):
        for clause in re.split(r";|\bbut\b", sentence):
            said = stems(clause)
            mentioned = {i for i, n in enumerate(names[1:], 1) if re.search(rf"\b{re.escape(n)}\b", clause, re.I)}
            if not mentioned:
                continue
            negated = bool(re.search(r"n't|\bnot\b|\bnever\b|\bno\b|\boutside\b", clause, re.I))
            if keys & said or re.search(r"\b(?:inside|outside|within)\b", clause, re.I):
                (outside if negated else inside).update(mentioned)
    return tuple(sorted(inside - outside))


def venn(ctx: Context) -> Filled | None:
    labels = ctx.direction.labels
    sets = [label for label in labels if label.note != "overlap"]
    members = [label for label in labels if label.note == "overlap"]
    if len(sets) < 2:
        return None
    nodes = [Item(label_case(label.text, ctx)) for label in sets]
    edges: list[tuple[int, int]] = []
    for member in members:
        nodes.append(Item(capitalise(member.text)))
        edges.extend((len(nodes) - 1, i) for i in range(len(sets)))
    return Filled("diagram", diagram=Diagram("venn", tuple(nodes), tuple(edges)))


def _marked(diagram: Diagram, ctx: Context) -> Diagram:
    """``diagram`` with the direction's highlights, greying and callouts applied to its nodes."""
    nodes = list(diagram.nodes)
    colour = ""
    dim = False
    callouts: list[tuple[int, str]] = []
    for mark in ctx.direction.marks:
        if re.search(r"→|->", mark.target):
            continue  # a link between two boxes, not a box: the model draws no marked links
        hits = [i for i, n in enumerate(nodes) if same_label(n.text, mark.target)]
        if mark.style == "highlight":
            for i in hits:
                nodes[i] = Item(nodes[i].text, nodes[i].detail, marked=True)
            colour = colour or mark.colour
        elif mark.style == "dim-others":
            dim = True
        elif mark.style == "callout" and hits and not any(same_label(n.text, mark.note) for n in nodes):
            callouts.append((hits[0], _callout_text(mark.note, nodes[hits[0]].text, ctx)))
    return Diagram(diagram.kind, tuple(nodes), diagram.edges, diagram.boundary, dim, tuple(callouts), colour)


def _callout_text(note: str, node: str, ctx: Context) -> str:
    """A short lesson sentence that says it (``Poison enters at scrape``), else the direction's own word."""
    texts = [*ctx.written(top=len(ctx.sections)), ctx.narration]
    short = [
        tidy(s)
        for t in texts
        for s in split_sentences(t)
        if len(s.split()) <= 8 and stems(note) <= stems(s) and stems(node) & stems(s)
    ]
    return min(short, key=len) if short else capitalise(note)


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


# --- charts ------------------------------------------------------------------------------------


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
    marked = tuple(
        i
        for i, c in enumerate(categories)
        for m in direction.marks
        if m.style == "highlight" and same_label(c, m.target)
    )
    colour = next((m.colour for m in direction.marks if m.style == "highlight" and m.colour), "")
    # A lead of a word or two is a table's column heading ("Minutes"): the unit, not a title.
    unit_heading = capitalise(lead) if lead and len(lead.split()) <= 2 else ""
    title = (
        capitalise(direction.measure)
        if unit_heading or not lead or len(lead.split()) > 14
        else capitalise(tidy(lead.rstrip(":")))
    )
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


def _data(ctx: Context) -> tuple[str, list[tuple[str, str, str]]] | None:
    """The list of ``label: number`` items that this chart plots: (its lead, [(label, number, as written)])."""
    named = [label.text for label in ctx.direction.labels]
    best: tuple[float, tuple[str, list[tuple[str, str, str]]] | None] = (0.0, None)
    for rank, (section, block) in enumerate(lists_of(ctx.sections)):
        rows = []
        for item in block.items:
            match = _DATUM.match(item.text)
            if match:
                rows.append((tidy(match.group("label")), match.group("num"), match.group("text").strip()))
        if len(rows) < 2 or len(rows) < len(block.items) * 0.75:
            continue
        if named and not all(any(same_label(n, r[0]) for r in rows) for n in named):
            continue
        score = overlap(ctx.direction.measure, f"{block.lead} {section.title}") + (0.5 if named else 0) - 0.01 * rank
        if score > best[0] or best[1] is None:
            best = (score, (block.lead, rows))
    for rank, section in enumerate(ctx.sections):
        for table in section.tables:
            found = _table_data(table.header, table.rows)
            if found is None or (named and not all(any(same_label(n, r[0]) for r in found[1]) for n in named)):
                continue
            score = overlap(ctx.direction.measure or ctx.title, f"{found[0]} {section.title}") + 0.3 - 0.01 * rank
            if score > best[0] or best[1] is None:
                best = (score, found)
    if best[1] is not None and named:
        lead, rows = best[1]
        ordered = [next(r for r in rows if same_label(n, r[0])) for n in named]
        return lead, ordered
    return best[1]


def _table_data(header: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[str, list[tuple[str, str, str]]] | None:
    """A table with a column of plain numbers (``| Backfill | 24 |``): (that column's heading, its rows)."""
    for col in range(1, len(header)):
        cells = [row[col].strip() for row in rows]
        numbers = [re.fullmatch(r"[$€£]?(\d[\d,]*(?:\.\d+)?)\s*(%|[a-zA-Z]{1,3})?", c) for c in cells]
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
    points = () if direction.illustrative else within_budget(bullets(ctx).items[:4], SIDE_WORDS)
    warnings = (
        ()
        if direction.illustrative
        else ("the lesson gives no numbers for this chart; drawn as an illustrative sketch",)
    )
    return Filled("chart", items=points, chart=drawn, warnings=warnings)


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
