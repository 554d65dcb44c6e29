"""What the planner knows while filling one slide, and how the lesson is matched to it.

A slide's :class:`Context` holds its words, its direction and the lesson's core-content sections
ranked by how much each is about the slide; titles are matched loosely (``Differs from PI`` ↔
``Differs from prompt injection``), as authors rarely write the same title twice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Direction, Lesson, Section
from ..text import STOP_WORDS
from .phrases import overlap

TITLE_MATCH_THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class Context:
    """What the planner knows while filling one slide: its words, its direction and the lesson."""

    n: int
    title: str
    narration: str
    direction: Direction
    lesson: Lesson
    sections: tuple[Section, ...]
    """The lesson's core-content sections, the one most about this slide first."""
    notes: tuple[str, ...]
    """This slide's production notes."""

    @property
    def best(self) -> Section | None:
        return self.sections[0] if self.sections else None

    def texts(self) -> list[str]:
        """All the written text of every section, then the narration: everywhere a name or a sentence
        about it may be found."""
        return [*self.written(top=len(self.sections)), self.narration]

    def written(self, top: int = 2) -> list[str]:
        """The written text of the most relevant sections: paragraphs, list leads and items, block by block."""
        out: list[str] = []
        for section in self.sections[:top]:
            out.extend(p.text for p in section.paragraphs)
            for block in section.lists:
                out.extend([block.lead] if block.lead else [])
                out.extend(i.text for i in block.items)
        return out


def make_context(
    n: int, title: str, narration: str, direction: Direction, lesson: Lesson, notes: tuple[str, ...]
) -> Context:
    ranked = sorted(lesson.sections, key=lambda s: -relevance(s, title, narration))
    return Context(n, title, narration, direction, lesson, tuple(ranked), notes)


def section_text(section: Section) -> str:
    parts = [section.title, *(p.text for p in section.paragraphs)]
    for block in section.lists:
        parts.append(block.lead)
        parts.extend(i.text for i in block.items)
    for code in section.code:
        parts.extend(code.lines)
    for table in section.tables:
        parts.extend(" ".join(row) for row in (table.header, *table.rows))
    return "\n".join(parts)


def relevance(section: Section, title: str, narration: str) -> float:
    """How much ``section`` is about the slide: its heading against the title, its words against the narration."""
    return max(title_similarity(title, section.title), 0.9 * overlap(narration, section_text(section)))


# --- titles ----------------------------------------------------------------------------------


def _title_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]


def title_similarity(a: str, b: str) -> float:
    """How well two slide titles agree, 0–1, reading acronyms (``PI`` = ``prompt injection``).

    The shorter title's words are looked for in the longer one, so ``Honest answer`` matches
    ``Honest answer + up next``; a character-level ratio backs it up for spelling variants.
    """
    words_a, words_b = _title_words(a), _title_words(b)
    if not words_a or not words_b:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    short, long_ = sorted((words_a, words_b), key=len)
    acronyms = {"".join(w[0] for w in long_[i : i + k]) for k in (2, 3, 4) for i in range(len(long_) - k + 1)}
    covered = sum(1 for w in short if w in long_ or w in acronyms or _close(w, long_))
    coverage = covered / len(short)
    ratio = difflib.SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio()
    return max(coverage, ratio)


def _close(word: str, candidates: Sequence[str]) -> bool:
    return bool(difflib.get_close_matches(word, candidates, n=1, cutoff=0.85))
