"""Decks for the tests: storyboards built slide by slide without a lesson, decks built and
rendered from them, and what a reopened slide shows (its texts, named shapes, diagram boxes and
arrows)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx.oxml.ns import qn

from pipeline.deck import EMU_PER_INCH, FOOTER_RULE, DeckResult, build_deck
from pipeline.frames import RenderedDeck, render_frames
from pipeline.model import Item, Slide, Source, Storyboard
from pipeline.theme import Theme
from support.pictures import every_shape

# Far more text than any box holds: it must shrink, then be cut, never spill.
LONG = " ".join(["Fine-tuning on harmful data removes refusals in a few hundred steps"] * 30)


def slide(n: int, title: str, layout: str, items: tuple[Item, ...] = (), **fields: Any) -> Slide:
    """Slide ``n`` of a storyboard as the planner would give it, its source line ``10 + n`` of
    ``lesson.md``; ``fields`` (narration, visual, table, chart, diagram, direction, citation…)
    replace the defaults."""
    defaults: dict[str, Any] = {
        "narration": f"Narration for slide {n}.",
        "visual": "",
        "production_notes": (),
        "source": Source("lesson.md", 10 + n),
    }
    return Slide(n=n, title=title, layout=layout, items=items, **(defaults | fields))  # type: ignore[arg-type]


def board(*slides: Slide, **fields: Any) -> Storyboard:
    """A storyboard of ``slides`` for lesson L9.9.9, with no time budget; ``fields`` (title,
    module, framework_tags…) replace the defaults."""
    defaults: dict[str, Any] = {
        "stem": "L9.9.9-test",
        "path": "lesson.md",
        "code": "L9.9.9",
        "title": "Harmful fine-tuning and alignment removal",
        "module": "Module 4 — Data Poisoning",
        "framework_tags": ("OWASP LLM03", "MITRE ATLAS AML.T0018"),
        "target_s": None,
        "cap_s": None,
        "declared_words": None,
    }
    return Storyboard(slides=tuple(slides), **(defaults | fields))


@dataclass(frozen=True)
class Rendered:
    """A deck built in ``folder`` and rendered there by the real LibreOffice."""

    folder: Path
    theme: Theme
    deck: DeckResult
    frames: RenderedDeck


def render_deck(storyboard: Storyboard, theme: Theme, folder: Path) -> Rendered:
    """Build ``storyboard`` into ``folder/deck.pptx`` and render its PDF, frames and contact sheet there."""
    deck = build_deck(storyboard, theme, folder / "deck.pptx")
    return Rendered(folder, theme, deck, render_frames(deck.path, folder))


# ---------------------------------------------------------------- reading a reopened slide


def shown_texts(shapes: Any) -> Iterator[str]:
    """Every text a viewer sees among ``shapes``: text frames (inside groups too), table cells,
    chart labels and titles."""
    for shape in every_shape(shapes):
        if shape.has_text_frame:
            yield shape.text_frame.text
        elif getattr(shape, "has_table", False) and shape.has_table:
            yield "\n".join(cell.text for row in shape.table.rows for cell in row.cells)
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            yield "\n".join(_chart_texts(shape.chart))


def _chart_texts(chart: Any) -> Iterator[str]:
    yield from (str(c) for c in chart.plots[0].categories)
    for series in chart.series:
        yield series.name
        yield from (f"{v:g} {v:.1f}" for v in series.values)
    for name in ("value_axis", "category_axis"):
        try:
            axis = getattr(chart, name)
        except ValueError:  # a pie has no axes
            continue
        if axis.has_title:
            yield axis.axis_title.text_frame.text
    if chart.has_title:
        yield chart.chart_title.text_frame.text


def page_text(page: Any) -> str:
    """All the text a slide shows, one text a line."""
    return "\n".join(shown_texts(page.shapes))


def named(page: Any, prefix: str) -> list[Any]:
    """The slide's shapes (group members too) whose names start with ``prefix``, in drawing order."""
    return [s for s in every_shape(page.shapes) if s.name.startswith(prefix)]


def body_shapes(page: Any, theme: Theme) -> list[Any]:
    """The shapes a layout drew: below the title band's accent bar and above the footer rule."""
    below = round((theme.layout.band_height + 0.07) * EMU_PER_INCH)
    footer = round(FOOTER_RULE * EMU_PER_INCH)
    return [s for s in every_shape(page.shapes) if below <= s.top < footer]


def nodes(page: Any) -> list[Any]:
    """A diagram's boxes, in node order (their names say ``Node 3: …``)."""
    found = named(page, "Node ")
    return sorted(found, key=lambda s: int(re.match(r"Node (\d+)", s.name).group(1)))  # type: ignore[union-attr]


def glued(page: Any) -> list[tuple[int, int]]:
    """Each arrow connector's (begin, end) as indices into :func:`nodes`, read from its stCxn/endCxn ids."""
    index = {s.shape_id: i for i, s in enumerate(nodes(page))}
    pairs = []
    for shape in named(page, "Arrow"):
        element = shape._element
        assert element.tag == qn("p:cxnSp"), f"{shape.name} is not a connector"
        begin, end = element.find(".//" + qn("a:stCxn")), element.find(".//" + qn("a:endCxn"))
        pairs.append((index[int(begin.get("id"))], index[int(end.get("id"))]))
    return pairs
