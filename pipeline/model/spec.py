"""A slide's visual direction read as a spec: its kind and what it names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

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
