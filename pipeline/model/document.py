"""What a lesson document says, nothing inferred: its sections, lists, code, tables, script,
outline and production notes, each item with the file and line it was read from."""

from __future__ import annotations

from dataclasses import dataclass


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
