"""Plain immutable data passed between stages: what a lesson says and the storyboard planned from it.

``Lesson`` is what the document says, nothing inferred. ``Storyboard`` is one entry per slide
with its layout, on-slide content, narration and speaker notes. Every item remembers where it
came from so errors and warnings can say ``path:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item was read: the lesson file and its 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph or list item with its location."""

    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class Metadata:
    """The lesson's one-line metadata (``Type: … · Duration: … · Status: … Module: …``)."""

    type: str = ""
    duration: str = ""
    status: str = ""
    module: str = ""
    framework_tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemList:
    """A list inside a section, with the paragraph that introduces it (``For your own pipeline:``)."""

    lead: str
    items: tuple[Text, ...]
    ordered: bool = False
    """Written as ``1.``, ``2.``, …"""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced or indented block of code or prompt text, its lines exactly as written."""

    language: str
    lines: tuple[str, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table in the lesson (Markdown pipes or tab-separated cells): its header and body rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: Source


@dataclass(frozen=True, slots=True)
class Section:
    """A core-content sub-section: its heading, paragraphs and lists."""

    title: str
    paragraphs: tuple[Text, ...]
    lists: tuple[ItemList, ...]
    source: Source
    code: tuple[CodeBlock, ...] = ()
    tables: tuple[TableBlock, ...] = ()
    quotes: tuple[Text, ...] = ()
    """Block quotes (``> …``); their text is among the paragraphs too."""

    @property
    def items(self) -> tuple[Text, ...]:
        """Every list item of the section, in order."""
        return tuple(item for block in self.lists for item in block.items)


@dataclass(frozen=True, slots=True)
class KeyTerm:
    term: str
    definition: str
    source: Source


@dataclass(frozen=True, slots=True)
class QuizItem:
    question: str
    answer: str
    source: Source


@dataclass(frozen=True, slots=True)
class ScriptSegment:
    """The narration under one ``[SLIDE n — Title]`` marker."""

    n: int
    title: str
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One ``- Title — visual direction`` line of the slide outline."""

    title: str
    direction: str
    source: Source


@dataclass(frozen=True, slots=True)
class ProductionNote:
    """A free production note; ``slides`` are the slides it names (``Slide 3 (…) and slide 5 …``)."""

    text: str
    slides: tuple[int, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class Notice:
    """A problem worth telling the author about; the build goes on."""

    message: str
    source: Source
    slide: int | None = None

    def __str__(self) -> str:
        return f"{self.source}: warning: {self.message}"


@dataclass(frozen=True, slots=True)
class Lesson:
    """Everything the lesson document says that the pipeline uses."""

    path: str
    stem: str
    code: str
    title: str
    metadata: Metadata
    objectives: tuple[Text, ...]
    sections: tuple[Section, ...]
    key_terms: tuple[KeyTerm, ...]
    quiz: tuple[QuizItem, ...]
    declared_words: int | None
    declared_minutes: float | None
    segments: tuple[ScriptSegment, ...]
    outline: tuple[OutlineItem, ...]
    target_s: float | None
    cap_s: float | None
    notes: tuple[ProductionNote, ...]
    source: Source
    references: tuple[Text, ...] = ()
    warnings: tuple[Notice, ...] = ()
    """What the parser could read but not make sense of (an unreadable budget line)."""


Layout = Literal[
    "title",
    "statement",
    "stat",
    "bullets",
    "steps",
    "checklist",
    "cards",
    "comparison",
    "table",
    "diagram",
    "timeline",
    "chart",
    "code",
    "quote",
    "recap",
    "end",
    "placeholder",
]
LAYOUTS: tuple[Layout, ...] = get_args(Layout)


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of on-slide content: a short phrase, an optional supporting line, optional sub-points.

    What the fields mean depends on the layout:

    * bullets, steps, checklist, recap: ``text`` is the phrase, ``detail`` one supporting line;
    * cards: ``text`` is the card's label, ``detail`` its explanation, ``points`` further short lines;
    * comparison: exactly two items, one per column: ``text`` is the heading, ``points`` the lines
      under it (a marked point is drawn in the highlight colour);
    * timeline: ``text`` is the marker (``T+15 min``), ``detail`` its caption, ``points`` more lines;
    * code: one item per line of code, exactly as written (indentation kept), ``marked`` highlighted;
    * quote: ``text`` is the quote, ``detail`` the attribution;
    * statement, end: ``text`` is the line; for an end card ``detail`` is the kicker (``Up next``);
    * stat: ``text`` is the figure (``$60``), ``detail`` the line that explains it;
    * diagram nodes: ``text`` is the node's label, ``detail`` a short sub-label.

    Text wholly wrapped in backticks (`` `V2hh…` ``) is shown in a monospace font.
    """

    text: str
    detail: str = ""
    marked: bool = False
    points: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A table to draw as a native table: a header row and body rows of equal width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


ChartKind = Literal["bar", "column", "line", "pie"]


@dataclass(frozen=True, slots=True)
class Series:
    """One data series of a chart.

    ``values`` are the lesson's numbers, one per category, and ``labels`` the same numbers as the
    lesson writes them (``0.0035%``), shown on the chart so nothing is rounded into another value.
    A series without values belongs to an illustrative sketch: ``trend`` then says its shape
    (``flat``, ``rising``, ``falling``) and nothing numeric is drawn.
    """

    name: str
    values: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    trend: str = ""


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar, column, line or pie chart, or an illustrative sketch of one when the lesson gives no numbers."""

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    value_axis: str = ""
    category_axis: str = ""
    decimals: int = 0
    marked: tuple[int, ...] = ()
    """Categories drawn apart from the others (a baseline bar in grey, say)."""
    mark_colour: str = ""
    """The colour the direction names for the marked categories (``grey``, ``red``); empty: the accent."""
    illustrative: bool = False
    """No data: an empty frame or a sketch of the shape, clearly marked as illustrative."""

    @property
    def has_data(self) -> bool:
        return any(s.values for s in self.series)


DiagramKind = Literal["chain", "flow", "hub", "venn"]


@dataclass(frozen=True, slots=True)
class Diagram:
    """Named boxes and the arrows between them, laid out by the deck.

    * ``chain``: the nodes in order, an arrow from each to the next;
    * ``flow``: nodes joined by ``edges`` (index pairs, from → to); the longest route runs left to
      right and other routes join it from above;
    * ``hub``: ``nodes[0]`` in the middle, the others around it;
    * ``venn``: nodes without edges are overlapping sets; a node with edges to sets sits in their overlap.

    Marked nodes (``Item.marked``) are drawn in the highlight colour; with ``dim_unmarked`` the
    others are greyed out. ``boundary`` lists nodes enclosed by a dashed line; ``callouts`` pin a
    short note to a node.
    """

    kind: DiagramKind
    nodes: tuple[Item, ...]
    edges: tuple[tuple[int, int], ...] = ()
    boundary: tuple[int, ...] = ()
    dim_unmarked: bool = False
    callouts: tuple[tuple[int, str], ...] = ()
    mark_colour: str = ""
    """The colour the direction names for marked nodes (``red``); empty: the accent."""


Kind = Literal[
    "title",
    "statement",
    "stat",
    "bullets",
    "steps",
    "checklist",
    "cards",
    "comparison",
    "table",
    "chain",
    "flow",
    "reuse",
    "hub",
    "venn",
    "timeline",
    "chart",
    "code",
    "quote",
    "recap",
    "end",
    "placeholder",
]
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True, slots=True)
class Label:
    """A name the direction gives (a card, column, node, marker), with what it says about it."""

    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Mark:
    """Something the direction wants marked: ``target`` (a label or text) drawn in ``style``.

    Styles: ``highlight`` (the accent or the colour named), ``dim-others``, ``boundary``, ``callout``.
    """

    target: str
    style: str = "highlight"
    colour: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Direction:
    """A slide's visual direction, read as a spec: the kind of slide and what it names.

    ``text`` keeps the direction as written; everything else is what was read from it.
    """

    kind: Kind
    text: str = ""
    count: int | None = None
    labels: tuple[Label, ...] = ()
    """The items it names: cards, nodes, markers, table rows, chart categories, comparison columns."""
    columns: tuple[str, ...] = ()
    """A table's column headings, when the direction names them."""
    quote: str = ""
    marks: tuple[Mark, ...] = ()
    reuses: int | None = None
    """For a reused diagram: the slide whose diagram it repeats."""
    illustrative: bool = False
    """The direction says the visual has no real data (``illustrative only``, ``no values``)."""
    measure: str = ""
    """What a chart shows (``targeted attack success rate``)."""
    per: str = ""
    """A chart's categories (``quarter``, ``model size``)."""
    grid: tuple[int, int] | None = None
    """Rows × columns (``2×2``)."""
    source: str = ""
    """Where the direction says the content comes from (``from Wei et al. (2023)``)."""


@dataclass(frozen=True, slots=True)
class Slide:
    """One storyboard entry: what the slide shows and what the narrator says over it."""

    n: int
    title: str
    layout: Layout
    items: tuple[Item, ...]
    narration: str
    visual: str
    production_notes: tuple[str, ...]
    source: Source
    direction: Direction | None = None
    """The visual direction as read (``None`` without an outline item)."""
    table: Table | None = None
    chart: Chart | None = None
    diagram: Diagram | None = None
    citation: str = ""
    """Where a figure, chart or quote comes from, as the lesson cites it."""

    @property
    def speaker_notes(self) -> str:
        """Narration, then the visual direction and this slide's production notes."""
        parts = [self.narration]
        if self.visual:
            parts.append(f"Visual: {self.visual}")
        parts.extend(f"Production note: {note}" for note in self.production_notes)
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class Storyboard:
    """The planned lesson: its identity, budget and slides, plus warnings from planning."""

    stem: str
    path: str
    code: str
    title: str
    module: str
    framework_tags: tuple[str, ...]
    target_s: float | None
    cap_s: float | None
    declared_words: int | None
    slides: tuple[Slide, ...]
    warnings: tuple[Notice, ...] = field(default=())
