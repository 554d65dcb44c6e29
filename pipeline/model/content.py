"""What a slide shows: phrases, a table, a chart or a diagram, in the shapes the deck draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

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
