"""Filling a slide of phrases from the lesson: bullets, steps, checklists, cards and recaps.

Each filler takes the slide's :class:`~.context.Context` and returns a :class:`Filled`, or
``None`` when the lesson has nothing of that shape for the slide; the planner then falls back to
the next best layout, never to an empty slide. The word budgets that keep a slide readable at a
glance live here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Chart, Diagram, Item, Layout, Table
from ..text import split_sentences
from .context import Context
from .extract import best_list, explain, label_case
from .phrases import (
    MAX_DETAIL_WORDS,
    MAX_PHRASE_WORDS,
    capitalise,
    item_parts,
    join_short,
    overlap,
    shorten,
    split_actions,
    tidy,
)
from .spoken import (
    CHECK_VERBS,
    announced,
    checks,
    enumeration,
    imperatives,
    inline_lists,
    labelled,
    lead_phrases,
)

MAX_ITEMS = 6
SLIDE_WORDS = 70
"""Words a list slide shows at most, phrases and supporting lines together."""
CARD_WORDS = 120
"""Words a single row of cards shows at most, shared between its cards."""
CARD_WORDS_TWO_ROWS = 18
"""Words one card in a grid of two rows shows at most."""
CARD_POINTS = 3
SIDE_WORDS = 40
"""Words of key points beside a sketch or a draft visual."""


@dataclass(frozen=True, slots=True)
class Filled:
    """What one slide shows, as the planner found it in the lesson."""

    layout: Layout
    items: tuple[Item, ...] = ()
    table: Table | None = None
    chart: Chart | None = None
    diagram: Diagram | None = None
    citation: str = ""
    warnings: tuple[str, ...] = ()


def _item(text: str) -> Item:
    head, detail = item_parts(text)
    return Item(head, detail)


# --- lists of phrases ------------------------------------------------------------------------


def candidates(ctx: Context, *, ordered: bool = False, spoken_first: bool = False) -> list[list[Item]]:
    """Every list of phrases the lesson offers for this slide, the most trustworthy first: a written
    list that matches the slide, then the spoken forms (or the spoken enumeration first, for cards)."""
    found: list[list[Item]] = []
    block = best_list(ctx, ctx.direction.count, ordered=True if ordered else None)
    if ordered and block is None:
        block = best_list(ctx, ctx.direction.count)
    enumerated = [_item(body) for body in enumeration(ctx.narration)]
    leads = [
        Item(capitalise(shorten(a)), capitalise(shorten(b, MAX_DETAIL_WORDS))) for a, b in lead_phrases(ctx.narration)
    ]
    labels = [
        Item(capitalise(a), capitalise(shorten(b, MAX_DETAIL_WORDS)))
        for a, b in labelled(ctx.narration)
        if not re.match(r"(?:next|up next)\b", a, re.I)
    ]
    actions = [_item(s) for s in imperatives(ctx.narration)]
    counted = [_item(s) for s in announced(ctx.narration)]
    inline = [[_item(part) for part in found] for found in inline_lists(ctx.narration)]
    inline += [[_item(part) for part in found] for text in ctx.written(top=1) for found in inline_lists(text)]
    written = [_item(i.text) for i in block.items] if block else []
    if ordered or (block and not spoken_first):
        order = (written, enumerated, counted, leads, labels, actions)
    else:
        order = (enumerated, counted, written, leads, labels, actions)
    for option in (*order, *inline):
        if len(option) >= 2:
            found.append(option)
    return found


def choose(options: Sequence[list[Item]], count: int | None) -> list[Item]:
    """The option with the asked-for number of items, else the nearest larger one cut to size, else the largest."""
    if not options:
        return []
    if count is None:
        return options[0][:MAX_ITEMS]
    for option in options:
        if len(option) == count:
            return option
    larger = [o for o in options if len(o) > count]
    if larger:
        return larger[0][:count]
    return max(options, key=len)


def key_sentences(ctx: Context, count: int) -> list[Item]:
    """The fallback: the narration's most telling sentences as phrases (never whole paragraphs)."""
    written = " ".join(ctx.written())
    scored = []
    for i, sentence in enumerate(split_sentences(ctx.narration)):
        if len(sentence.split()) < 3 or re.search(r"\b(?:this|next) (?:lesson|slide|video)\b", sentence, re.I):
            continue
        scored.append((overlap(sentence, written), -i, sentence))
    best = sorted(scored, reverse=True)[:count]
    return [_item(s) for _, _, s in sorted(best, key=lambda x: -x[1])]


def bullets(ctx: Context, *, layout: Layout = "bullets") -> Filled:
    count = ctx.direction.count
    items = choose(candidates(ctx, ordered=layout == "steps"), count)
    warnings: list[str] = []
    if not items:
        items = key_sentences(ctx, count or 3)
        warnings.append("found no list in the lesson for it; showing the narration's key sentences")
    warnings.extend(shortfall(count, len(items)))
    return Filled(layout, within_budget(items), warnings=tuple(warnings))


def shortfall(count: int | None, found: int, noun: str = "items") -> tuple[str, ...]:
    """The warning when the lesson gives fewer ``noun`` than the direction's count asks for."""
    return (f"the direction asks for {count} {noun}; the lesson gives {found}",) if count and found < count else ()


def cards_within_budget(items: Sequence[Item], grid: tuple[int, int] | None = None) -> tuple[Item, ...]:
    """Cards share the slide: each keeps its label, its explanation and as many points as its share
    allows. A card in a single row is tall (about 40 words across three); a card in a grid of two
    rows is half as tall and holds about 18."""
    rows = grid[0] if grid else (1 if len(items) <= 4 else 2)
    share = CARD_WORDS_TWO_ROWS if rows > 1 else CARD_WORDS // max(len(items), 1)
    out = []
    for item in items:
        used = len(f"{item.text} {item.detail}".split())
        points: list[Item] = []
        for point in item.points:
            used += len(point.text.split())
            if used > share:
                break
            points.append(point)
        out.append(Item(item.text, item.detail, item.marked, tuple(points)))
    return tuple(out)


def within_budget(items: Sequence[Item], budget: int = SLIDE_WORDS) -> tuple[Item, ...]:
    """``items`` with their supporting lines cut shorter, clause by clause, until the slide holds at most
    ``budget`` words: a reader takes in a slide at a glance, and the phrases matter more than the details."""
    for limit in (MAX_DETAIL_WORDS, 12, 8):
        shortened = tuple(Item(i.text, shorten(i.detail, limit) if i.detail else "", i.marked, i.points) for i in items)
        if sum(len(f"{i.text} {i.detail}".split()) for i in shortened) <= budget:
            return shortened
    return shortened


def side_points(ctx: Context) -> tuple[Item, ...]:
    """Key points for the narrow column beside a sketch or a draft visual."""
    return within_budget(bullets(ctx).items[:4], SIDE_WORDS)


def steps(ctx: Context) -> Filled:
    return bullets(ctx, layout="steps")


def checklist(ctx: Context) -> Filled | None:
    sentences = checks(ctx.narration)
    if not sentences:
        # A list of conditions to tick ("Every namespace has a default-deny policy.") is a checklist too.
        block = best_list(ctx, ctx.direction.count)
        sentences = [i.text for i in block.items] if block else []
    if not sentences:
        return None
    items = tuple(_item(CHECK_VERBS.sub("", s).strip(" ,")) for s in sentences)
    count = ctx.direction.count
    return Filled("checklist", items[: count or MAX_ITEMS], warnings=shortfall(count, len(items)))


# --- cards and recaps ------------------------------------------------------------------------------


def card_body(text: str) -> tuple[str, tuple[Item, ...]]:
    """A card's explanation: its first phrase, then up to a few short points."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        # A colon introduces an elaboration: the phrase before it stands alone, the rest is a point.
        for piece in (p for p in re.split(r";\s*|:\s+", sentence) if tidy(p)):
            actions = split_actions(piece)
            pieces.extend(actions if len(tidy(piece).split()) > MAX_PHRASE_WORDS else [tidy(piece)])
    if not pieces:
        return "", ()
    detail = capitalise(shorten(pieces[0], MAX_PHRASE_WORDS))
    # Shorten each piece first: a line of joined short items ("Revoke a key, suspend …") is a list, not prose.
    points = join_short([capitalise(shorten(p, MAX_DETAIL_WORDS)) for p in pieces[1:]])
    return detail, tuple(Item(p) for p in points[:CARD_POINTS])


def cards(ctx: Context) -> Filled | None:
    labels = ctx.direction.labels
    count = ctx.direction.count
    if labels:
        items = []
        for label in labels:
            detail, points = card_body(explain(label.text, ctx))
            items.append(Item(label_case(label.text, ctx), detail, points=points))
        missing = [i.text for i in items if not i.detail]
        if len(missing) == len(items) and len(items) <= 4:
            return None  # a row of bare labels says nothing; the lesson's own list says more
        warnings = (f"found nothing in the lesson about {', '.join(missing)}",) if missing else ()
        return Filled("cards", cards_within_budget(items, ctx.direction.grid), warnings=warnings)
    options = [o for o in candidates(ctx, spoken_first=True) if len(o) <= MAX_ITEMS]
    items = choose(options, count)
    if len(items) < 2:
        return None
    return Filled("cards", tuple(items), warnings=shortfall(count, len(items), "cards"))


def recap(ctx: Context) -> Filled:
    labels = ctx.direction.labels
    if labels:
        items = []
        for label in labels:
            gloss = explain(label.text, ctx, spoken_first=True)
            items.append(Item(label_case(label.text, ctx), capitalise(shorten(gloss)) if gloss else ""))
        return Filled("recap", tuple(items))
    filled = bullets(ctx, layout="steps")
    return Filled("recap", filled.items, warnings=filled.warnings)
