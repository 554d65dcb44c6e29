"""Filling a slide of phrases from the lesson: bullets, steps, checklists, cards, comparisons,
quotes, statements, key figures, recaps and end cards.

Each function takes the slide's :class:`~.extract.Context` and returns a :class:`Filled` or
``None`` when the lesson has nothing of that shape for the slide; the planner then falls back to
the next best layout, never to an empty slide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Chart, Diagram, Item, Layout, Table
from ..text import STOP_WORDS, split_sentences
from .context import Context
from .extract import best_list, citations, cite, code_blocks, expand_acronym, explain, label_case
from .phrases import (
    MAX_DETAIL_WORDS,
    MAX_PHRASE_WORDS,
    capitalise,
    code_points,
    item_parts,
    join_short,
    overlap,
    same_label,
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
    next_lesson,
    quoted_passages,
    spoken_matches,
)

MAX_ITEMS = 6
SLIDE_WORDS = 70
CARD_WORDS = 120
"""Words a single row of cards shows at most, shared between its cards."""
CARD_WORDS_TWO_ROWS = 18
"""Words a list slide shows at most, phrases and supporting lines together."""
CARD_POINTS = 3
_NUMBER_WITH_UNIT = re.compile(r"(?:[$€£]\s?\d[\d,.]*\s?(?:[kKmMbB]|million|billion)?|\d[\d,.]*\s?(?:%|x|×|percent))")


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
    if count and len(items) < count:
        warnings.append(f"the direction asks for {count} items; the lesson gives {len(items)}")
    return Filled(layout, within_budget(items), warnings=tuple(warnings))


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
    warnings = (
        (f"the direction asks for {count} items; the lesson gives {len(items)}",)
        if count and len(items) < count
        else ()
    )
    return Filled("checklist", items[: count or MAX_ITEMS], warnings=warnings)


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
    warnings = (
        (f"the direction asks for {count} cards; the lesson gives {len(items)}",)
        if count and len(items) < count
        else ()
    )
    return Filled("cards", tuple(items), warnings=warnings)


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


# --- two columns ---------------------------------------------------------------------------------


def comparison(ctx: Context) -> Filled | None:
    labels = ctx.direction.labels
    # "PI = property of deployment; HFT = produces a different model": the author wrote the content.
    written_out = bool(re.search(r"^[^=;:]*[^=;:\s]\s*=[^;]+;[^=]+=", ctx.direction.text)) and not re.search(
        r"\b(?:left|right)\s*=", ctx.direction.text, re.I
    )
    if len(labels) == 2 and all(label.note for label in labels) and written_out:
        sides = tuple(Item(expand_acronym(side.text, ctx.narration), capitalise(side.note)) for side in labels)
        return Filled("comparison", sides)
    names = [label.text for label in labels]
    if not names:  # only when the lesson itself labels its items so: nothing invented
        names = ["Before", "After"] if _labelled_items(ctx, ["Before", "After"]) else []
    columns = _labelled_items(ctx, names) or _table_columns(ctx, names) or _spoken_sides(ctx)
    columns = _code_column(ctx, names, columns)
    if len(names) != 2 or len(columns) != 2 or not all(columns):
        return None
    marked = {m.target.lower() for m in ctx.direction.marks if m.style == "highlight"}
    items: list[Item] = []
    for i, (name, points) in enumerate(zip(names, columns, strict=False)):
        note = labels[i].note.lower() if i < len(labels) else ""
        shown = tuple(_exhibit(p, ctx, mark=any(t in note for t in marked)) for p in points)
        items.append(Item(capitalise(name), points=shown))
    return Filled("comparison", tuple(items))


def _labelled_items(ctx: Context, names: Sequence[str]) -> list[list[str]]:
    """Points for each column from list items or paragraphs that open with the column's name (``Before: …``)."""
    columns = []
    for name in names:
        text = explain(name, ctx)
        if not text:
            return []
        columns.append(_points(text))
    return columns


CODE_COLUMN_LINES = 10
CODE_WORDS = re.compile(
    r"\b(?:manifest|code|snippet|yaml|json|sql|config(?:uration)?|query|command|template|script)\b", re.I
)


def _code_column(ctx: Context, names: Sequence[str], columns: list[list[str]]) -> list[list[str]]:
    """A side named as code ("manifest on the left") shows the section's code block, line by line."""
    blocks = code_blocks(ctx)[:1]
    if not blocks or len(columns) != len(names):
        return columns
    lines = [f"`{line}`" for line in blocks[0] if line.strip()]
    if len(lines) > CODE_COLUMN_LINES:  # half a slide holds a short block; the rest is marked as cut
        lines = [*lines[: CODE_COLUMN_LINES - 1], "`…`"]
    return [lines if CODE_WORDS.search(name) else points for name, points in zip(names, columns, strict=True)]


def _table_columns(ctx: Context, names: Sequence[str]) -> list[list[str]]:
    """Points for each column from a lesson table whose header names the two sides (``| | Ingress | Egress |``):
    each row's cell, led by the row's name."""
    for section in ctx.sections[:2]:
        for block in section.tables:
            found = [next((i for i, h in enumerate(block.header) if same_label(h, n)), -1) for n in names]
            if -1 in found:
                continue
            return [[f"{row[0]}: {row[i]}" if row[0] and i else row[i] for row in block.rows if row[i]] for i in found]
    return []


def _spoken_sides(ctx: Context) -> list[list[str]]:
    """The narration split where it says "on the left" / "on the right"."""
    text = ctx.narration
    left = re.search(r"\bon the left\b", text, re.I)
    right = re.search(r"\bon the right\b", text, re.I)
    if not left or not right or right.start() < left.start():
        return []
    return [_points(_after_intro(text[left.start() : right.start()])), _points(_after_intro(text[right.start() :]))]


def _after_intro(segment: str) -> str:
    """``On the left is what the recipient sees …: a supplier asking …`` -> ``a supplier asking …``;
    an intro with nothing after it (``On the right is how to read it.``) is dropped."""
    sentences = [
        p for s in split_sentences(segment) for p in re.split(r";\s+(?=on the (?:left|right)\b)", s, flags=re.I)
    ]
    if sentences and ":" in sentences[0]:
        sentences[0] = sentences[0].split(":", 1)[1]
    elif sentences and re.match(r"^on the (?:left|right)\b", sentences[0], re.I) and len(sentences[0].split()) <= 10:
        sentences = sentences[1:]
    return " ".join(sentences[:3])


def _points(text: str) -> list[str]:
    points: list[str] = []
    pieces = [p for sentence in split_sentences(text) for p in re.split(r";\s+", sentence) if tidy(p)]
    for sentence in pieces[:4]:
        points.extend(code_points(sentence) if "`" in sentence else [capitalise(tidy(sentence))])
        if re.match(r"^(?:it reads|it says|reading)\b", sentence, re.I):
            break  # the passage read out closes the column; what follows is commentary
    return [p for p in points if p]


def _exhibit(point: str, ctx: Context, *, mark: bool) -> Item:
    """A spoken point that reads out a written passage of the lesson is shown as written (``audit@…``)."""
    spoken = re.sub(r"^(?:it reads|it says|reading)\s*:?\s*", "", point, flags=re.I)
    for section in ctx.sections[:2]:
        for quote in section.quotes or ():
            if spoken_matches(spoken, quote.text):
                return Item(quote.text.strip('"“”'), marked=mark)
        for paragraph in section.paragraphs:
            if paragraph.text[:1] in '"“' and spoken_matches(spoken, paragraph.text):
                return Item(paragraph.text.strip().strip('"“”'), marked=mark)
    if point.startswith("`"):
        return Item(point)
    # A spoken sentence the core content writes down ("port eighty-eighty" / "TCP port 8080") is shown as written.
    for text in ctx.written(top=2):
        for sentence in split_sentences(text):
            if spoken_matches(spoken, sentence) and spoken_matches(sentence, spoken):
                return Item(capitalise(shorten(re.sub(r"^[^:]{1,30}:\s+", "", sentence), MAX_DETAIL_WORDS + 4)))
    return Item(shorten(point, MAX_DETAIL_WORDS + 4))


# --- single lines ----------------------------------------------------------------------------------


def quote(ctx: Context) -> Filled | None:
    text = ctx.direction.quote
    if not text:
        passages = quoted_passages(ctx.narration) or [q.text for s in ctx.sections[:1] for q in s.quotes]
        text = passages[0] if passages else ""
    if not text:
        return None
    return Filled("quote", (Item(text.strip('"“”'), _attribution(ctx, text)),))


def _attribution(ctx: Context, quote_text: str) -> str:
    if ctx.direction.source:
        return ctx.direction.source
    before = ctx.narration.split(quote_text[:30], 1)[0][-200:]
    found = citations(before)
    return f"{found[-1][0]} et al. ({found[-1][1]})" if found else ""


def statement(ctx: Context) -> Filled:
    text = ctx.direction.quote
    if not text:
        questions = [s for s in split_sentences(ctx.narration) if s.endswith("?") and len(s.split()) <= 16]
        text = questions[0] if questions else ""
    if not text:
        return bullets(ctx)
    return Filled("statement", (Item(text),))


def stat(ctx: Context) -> Filled | None:
    # The figure: quoted in the direction, written in it ("big number 81% with …"), else the lesson's first.
    quoted = ctx.direction.quote if _NUMBER_WITH_UNIT.search(ctx.direction.quote or "") else ""
    in_direction = _NUMBER_WITH_UNIT.search(ctx.direction.text)
    texts = [*ctx.written(), *split_sentences(ctx.narration)]
    figure = quoted or (in_direction.group(0).strip() if in_direction else "")
    if not figure:
        found = next((m.group(0) for t in texts for m in [_NUMBER_WITH_UNIT.search(t)] if m), "")
        figure = found.strip()
    if not figure:
        return None
    return Filled("stat", (Item(figure, _explained(figure, texts)),), citation=cite(ctx))


def _explained(figure: str, texts: Sequence[str]) -> str:
    """The words after ``figure`` in the shortest lesson sentence that holds it (or its last number:
    "€20M or 4%" is written "€20 million or 4%"), as the line under the figure."""
    for needle in (figure, *reversed([m.group(0).strip() for m in _NUMBER_WITH_UNIT.finditer(figure)])):
        holding = [s for t in texts for s in split_sentences(t) if needle in s]
        if not holding:
            continue
        sentence = min(holding, key=len)
        after = tidy(sentence.split(needle, 1)[1].strip(" ,:;"))
        if len(after.split()) < 3:
            return shorten(sentence)
        # "of hacking-related breaches …" continues the figure: keep it lower-case.
        return (
            shorten(after, MAX_DETAIL_WORDS)
            if after.split()[0].lower() in STOP_WORDS
            else capitalise(shorten(after, MAX_DETAIL_WORDS))
        )
    return ""


def end(ctx: Context) -> Filled:
    quoted = ctx.direction.quote
    if quoted and len(quoted.split()) > 3:
        return Filled("end", (Item(quoted),))
    upcoming = next_lesson(ctx.narration)
    kicker = quoted or "Up next"
    if kicker.lower().rstrip(":.") == ctx.title.lower().strip():
        kicker = ""  # the title band already says it
    if upcoming:
        return Filled("end", (Item(capitalise(upcoming), kicker),))
    return statement(ctx) if quoted else bullets(ctx)
