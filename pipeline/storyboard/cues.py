"""Builds: which narration sentence brings each thing on a slide into view.

A slide's *build units* are the things that can appear one at a time: the rows of a list, the
cards, the markers of a timeline, the columns of a comparison, the rows of a table, the boxes
of a diagram. Each gets a *cue*, the number (1 = first) of the sentence that introduces it, so
the viewer's eye follows the voice. Cues are found by aligning units to sentences in order:
units appear in the order the slide shows them (a later row never before an earlier one), each
at the sentence that shares the most telling words with it. A unit the narration never names
appears with the one before it; the first ones appear with the slide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from ..model import Slide
from ..text import split_sentences
from .phrases import stems

# Layouts whose items are build units, one per item; every other layout (a statement, a chart,
# code, a quote) is one picture, shown whole.
ITEM_LAYOUTS = frozenset({"bullets", "steps", "checklist", "cards", "comparison", "timeline", "recap"})
DIAGRAM_KINDS = frozenset({"chain", "flow", "hub"})
MIN_SCORE = 0.4
"""The least share of a unit's telling words a sentence must say to count as naming it."""
LISTED_SCORE = 0.7
"""A sentence saying this much of several units lists them."""
DETAIL_WEIGHT = 0.8
"""A sentence that says a unit's label names it more surely than one that says as much of another line."""


Unit = tuple[str, tuple[str, ...]]
"""A build unit's label (a row's phrase, a card's heading, a table row's first cell, a box's name)
and the other lines it shows (detail, points, the row's other cells)."""


def build_units(slide: Slide) -> tuple[Unit, ...]:
    """The slide's build units in the order the deck draws them; empty when the slide has no builds."""
    if slide.layout in ITEM_LAYOUTS:
        return tuple((i.text, (i.detail, *(p.text for p in i.points))) for i in slide.items if i.text.strip())
    if slide.layout == "table" and slide.table is not None:
        return tuple((row[0], row[1:]) for row in slide.table.rows if row)
    if slide.layout == "diagram" and slide.diagram is not None and slide.diagram.kind in DIAGRAM_KINDS:
        return tuple((node.text, (node.detail,)) for node in slide.diagram.nodes)
    return ()


def with_cues(slide: Slide) -> Slide:
    """``slide`` with a cue for each of its build units and for its highlight, found in its narration.

    A diagram repeated from an earlier slide is not built again: the viewer has seen it whole.
    """
    sentences = split_sentences(slide.narration)
    reused = slide.direction is not None and slide.direction.kind == "reuse"
    cues = () if reused else find_cues(build_units(slide), sentences)
    return replace(slide, cues=cues, highlight=find_highlight(slide, cues, sentences))


def marked_units(slide: Slide) -> dict[int, tuple[str, ...]]:
    """The units holding something marked (a highlighted box, card or point), with what is marked."""
    if slide.layout == "diagram" and slide.diagram is not None and slide.diagram.kind in DIAGRAM_KINDS:
        return {i: (node.text,) for i, node in enumerate(slide.diagram.nodes) if node.marked}
    if slide.layout in ITEM_LAYOUTS:
        items = [i for i in slide.items if i.text.strip()]
        found = {k: tuple(p.text for p in item.points if p.marked) for k, item in enumerate(items)}
        found = {k: texts for k, texts in found.items() if texts}
        found |= {k: (item.text,) for k, item in enumerate(items) if item.marked}
        return found
    return {}


def find_highlight(slide: Slide, cues: Sequence[int], sentences: Sequence[str]) -> int:
    """The sentence at which the slide's marked things turn marked: the first after the one that
    brings them that names one of them. 0 (marked as they appear) when nothing names them later,
    or when the slide's first sentence already does ("Same diagram, the email tool in red")."""
    marked = marked_units(slide)
    if not marked or len(sentences) < 2:
        return 0
    shown = max((cues[i] if i < len(cues) else 1 for i in marked), default=1)
    labels = [(text, ()) for texts in marked.values() for text in texts]
    scores = _scores(labels, sentences)
    named = [s + 1 for s in range(len(sentences)) if any(row[s] for row in scores)]
    if shown == 1 and 1 in named:
        return 0
    return next((s for s in named if s > shown), 0)


def find_cues(units: Sequence[Unit], sentences: Sequence[str]) -> tuple[int, ...]:
    """For each unit, the number (1-based) of the sentence that introduces it; never decreasing.

    A dynamic programme over (unit, sentence) picks the in-order assignment that scores best; on
    ties the earliest sentence wins, so a unit nothing names shares the cue of the unit before it.
    """
    if not units:
        return ()
    if len(sentences) < 2:
        return (1,) * len(units)
    scores = _scores(units, sentences)
    n = len(sentences)
    # best[i][s]: the best total for units 0..i with unit i at sentence s.
    best: list[list[float]] = []
    for i, row in enumerate(scores):
        if i == 0:
            best.append(list(row))
            continue
        prefix = _running_max(best[-1])
        best.append([row[s] + prefix[s] for s in range(n)])
    cues: list[int] = []
    limit = n - 1
    for i in range(len(units) - 1, -1, -1):
        row = best[i][: limit + 1]
        top = max(row)
        s = next(k for k, v in enumerate(row) if v >= top - 1e-9)
        cues.append(s + 1)
        limit = s
    return tuple(reversed(cues))


def _running_max(values: Sequence[float]) -> list[float]:
    out, top = [], -math.inf
    for v in values:
        top = max(top, v)
        out.append(top)
    return out


def _scores(units: Sequence[Unit], sentences: Sequence[str]) -> list[list[float]]:
    """How fully each sentence names each unit, 0 to 1: the share of the unit's label it says, or a
    little less for the share of one of its other lines. Words count by how rare they are among the slide's
    sentences (a word said in every sentence, the slide's topic, tells nothing). Below
    :data:`MIN_SCORE` a sentence does not name the unit at all."""
    said = [stems(s) for s in sentences]
    n = len(said)
    counts: dict[str, int] = {}
    for words in said:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    rare = {w: math.log((n + 1) / c) for w, c in counts.items()}
    unsaid = math.log(n + 1)  # a word no sentence says is as telling as any

    def cover(words: set[str], sentence: set[str]) -> float:
        total = sum(rare.get(w, unsaid) for w in words)
        return sum(rare[w] for w in words & sentence) / total if total else 0.0

    rows = []
    for label, lines in units:
        head, others = stems(label), [stems(line) for line in lines if line.strip()]
        row = []
        for sentence in said:
            score = max([cover(head, sentence), *(DETAIL_WEIGHT * cover(other, sentence) for other in others)])
            row.append(score if score >= MIN_SCORE else 0.0)
        rows.append(row)
    # A sentence that lists several units ("four habits: unique, long, managed and MFA") names each
    # less surely than a later one about that unit alone, which then wins.
    for s in range(n):
        named = sum(1 for row in rows if row[s] >= LISTED_SCORE)
        for row in rows:
            row[s] /= math.sqrt(max(1, named))
    return rows


def steps(cues: Sequence[int]) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """The slide's build steps: each sentence at which something appears, with the units shown from
    then on (all units cued at or before it), in sentence order. One step means no build."""
    if not cues:
        return ()
    starts = sorted(set(cues))
    return tuple((s, tuple(i for i, c in enumerate(cues) if c <= s)) for s in starts)
