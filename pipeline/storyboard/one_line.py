"""Filling a slide of one line from the lesson: a statement, a quote, a key figure, an end card.

The line is the direction's quoted text where it gives one, else what the lesson says in that
shape: the narration's question, a quoted passage with its attribution, the first figure with a
unit and the words that explain it, the next lesson's title as the narration announces it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Item
from ..text import STOP_WORDS, split_sentences
from .context import Context
from .extract import citations, cite
from .fill import Filled, bullets
from .phrases import MAX_DETAIL_WORDS, capitalise, shorten, tidy
from .spoken import next_lesson, quoted_passages

_NUMBER_WITH_UNIT = re.compile(r"(?:[$€£]\s?\d[\d,.]*\s?(?:[kKmMbB]|million|billion)?|\d[\d,.]*\s?(?:%|x|×|percent))")


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
