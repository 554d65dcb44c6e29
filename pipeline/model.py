"""Plain immutable data passed between stages: what a lesson says and the storyboard planned from it.

``Lesson`` is what the document says, nothing inferred. ``Storyboard`` is one entry per slide
with its layout, on-slide content, narration and speaker notes. Every item remembers where it
came from so errors and warnings can say ``path:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


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


@dataclass(frozen=True, slots=True)
class Section:
    """A core-content sub-section: its heading, paragraphs and lists."""

    title: str
    paragraphs: tuple[Text, ...]
    lists: tuple[ItemList, ...]
    source: Source

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
    """A free production note; ``slide`` is set when the note names one (``Slide 3 (…) …``)."""

    text: str
    slide: int | None
    source: Source


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


Layout = Literal["title", "bullets", "cards", "comparison", "quote", "visual"]
LAYOUTS: tuple[Layout, ...] = ("title", "bullets", "cards", "comparison", "quote", "visual")


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of on-slide content: a short phrase and an optional supporting line.

    Bullets use ``text``; cards and comparison columns use ``text`` as the heading and
    ``detail`` as the body; a pull-quote is a single item whose ``text`` is the quote.
    """

    text: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Warning:
    """A problem worth telling the author about; the build goes on."""

    message: str
    source: Source
    slide: int | None = None

    def __str__(self) -> str:
        return f"{self.source}: warning: {self.message}"


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
    warnings: tuple[Warning, ...] = field(default=())
