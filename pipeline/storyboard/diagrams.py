"""Filling a slide with a diagram of named boxes from the lesson: a chain, a flow, a hub, a Venn,
or an earlier slide's diagram again.

The boxes are what the direction names, else the lesson's arrows written as ``a → b → c``, else
a matching core-content list; the direction's marks (highlighted, greyed out, a boundary, a
callout) are applied to the boxes they name, and a boundary encloses what the lesson says it does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..model import Diagram, Item
from ..text import split_sentences
from .context import Context
from .extract import arrow_chains, best_list, label_case
from .fill import Filled
from .labels import ARROW
from .phrases import capitalise, head_and_rest, overlap, same_label, stems, tidy


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
    texts = [*ctx.texts(), *(q.answer for q in ctx.lesson.quiz)]  # any order: only in or out counts
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
        if re.search(ARROW, mark.target):
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
    short = [
        tidy(s)
        for t in ctx.texts()
        for s in split_sentences(t)
        if len(s.split()) <= 8 and stems(note) <= stems(s) and stems(node) & stems(s)
    ]
    return min(short, key=len) if short else capitalise(note)
