"""The planned lesson: one slide per script segment, with its layout, content, narration and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .content import Chart, Diagram, Item, Layout, Table
from .document import Notice, Source
from .spec import Direction


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
    cues: tuple[int, ...] = ()
    """For each build unit (a list row, card, marker, table row, diagram box, in the order drawn),
    the number of the narration sentence (1 = first) at which it appears."""
    builds: bool = True
    """Whether the units appear at their cues; off, the slide is shown whole from its start."""
    highlight: int = 0
    """The narration sentence at which the slide's marked things (a box in red, the others greyed)
    take their marked look, a build step of its own; 0: marked from the moment they appear."""

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
