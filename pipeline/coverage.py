"""Does the narration actually say the lesson's key terms and quiz answers, and on which slides?

A learner is quizzed on the key terms and quiz answers, but only hears the video script. This
check reads the script slide by slide and reports, for every key term and every part of every
quiz answer, the slides whose narration says it. Matching is deliberately forgiving of
spelling (case, hyphens and spaces, plurals, small numbers written as digits or words) and
deliberately strict about meaning: a key term must be said as a phrase; an answer part counts
when most of its content words are heard on one slide. Anything it cannot vouch for comes out
uncovered; the report page shows which words were not heard, so a person can judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .model import Lesson, Slide, Source, Storyboard
from .text import STOP_WORDS, stem

# An answer part counts as said on a slide when this share of its content words is heard there.
ANSWER_THRESHOLD = 0.7
# How many extra narration words a space-less join may span ("fine-tuning" vs "finetuning").
_JOIN_SLACK = 2


_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_TOKEN = re.compile(r"[^\W_]+")
# Where an answer splits into separately checkable parts: semicolons, spaced dashes, numbered items…
_PART_BREAK = re.compile(r"\s*;\s*|\s+[—–]\s+|\s+--\s+|\s*\(\d+\)\s*|\s+(?:\d+|[a-z])\)\s+")
# … then ", or" / ", and" between clauses, unless the piece is a comma list of short items.
_CLAUSE_BREAK = re.compile(r",\s+(?:or|and|but)\s+")
_LIST_ITEM_BREAK = re.compile(r",\s+(?:(?:and|or)\s+)?")
# A sentence break inside an answer: end punctuation, then a capital; "Qi et al. showed" is not one.
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
# "e.g. Foo" and "et al. Foo" do not end a sentence.
_NOT_SENTENCE_END = re.compile(r"\b(?:e\.g|i\.e|al|vs|etc|cf|Dr|Mr|Mrs|Ms|Prof|St)\.$", re.I)
_SHORT_LIST_ITEM_WORDS = 4
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")


@dataclass(frozen=True, slots=True)
class Coverage:
    """Whether one key term, or one part of a quiz answer, is said in the narration.

    ``slides`` lists every slide whose narration says it (empty when ``covered`` is false).
    ``nearest`` is the slide that came closest, covered or not, and ``missing`` the content
    words not heard there: for an uncovered item they are what the author should look at.
    For an answer part, ``question`` is the quiz question it answers.
    """

    kind: Literal["term", "answer"]
    text: str
    slides: tuple[int, ...]
    covered: bool
    source: Source
    question: str = ""
    nearest: int | None = None
    missing: tuple[str, ...] = ()


def coverage(lesson: Lesson, storyboard: Storyboard) -> tuple[Coverage, ...]:
    """Every key term, then every part of every quiz answer, checked against each slide's narration."""
    spoken = [(slide.n, _Narration.of(slide)) for slide in storyboard.slides]
    results = [_term(term.term, term.source, spoken) for term in lesson.key_terms]
    for item in lesson.quiz:
        results.extend(_answer_part(part, item.question, item.source, spoken) for part in answer_parts(item.answer))
    return tuple(results)


def answer_parts(answer: str) -> tuple[str, ...]:
    """Split a quiz answer into the parts a learner would give separately.

    Breaks at semicolons, spaced dashes, ``, or`` / ``, and``, numbered items and sentence ends;
    a comma list of short items (``red, green, blue``) is split at its commas too. The closing
    full stop is dropped.
    """
    parts: list[str] = []
    for sentence in _sentences(answer):
        for piece in _PART_BREAK.split(sentence):
            piece = piece.strip(" .,:;")
            items = [item.strip() for item in _LIST_ITEM_BREAK.split(piece)]
            if len(items) > 2 and all(0 < len(item.split()) <= _SHORT_LIST_ITEM_WORDS for item in items):
                parts.extend(items)
            else:
                parts.extend(clause.strip(" .,:;") for clause in _CLAUSE_BREAK.split(piece))
    return tuple(p for p in parts if tokens(p))


def tokens(text: str) -> tuple[str, ...]:
    """Normalised words: lower case, split at hyphens and punctuation, plurals stemmed, small numbers as words.

    ``"Fine-tunes"`` -> ``("fine", "tune")``; ``"$5–$50"`` -> ``("five", "fifty")``.
    """
    out: list[str] = []
    # "GPUs", "LLMs": an acronym's plural, which the lower-cased stemmer cannot tell from "status".
    text = _ACRONYM_PLURAL.sub(r"\1", text)
    for raw in _TOKEN.findall(text.lower()):
        if raw.isdigit():
            out.extend(_number_words(raw))
        else:
            out.append(stem(raw))
    return tuple(out)


def content_words(text: str) -> tuple[str, ...]:
    """The normalised words of ``text`` that carry meaning (stop words dropped), first occurrence order."""
    words = tokens(text)
    kept = [w for w in words if w not in _STOP_STEMS] or list(words)
    return tuple(dict.fromkeys(kept))


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Narration:
    words: tuple[str, ...]
    vocabulary: frozenset[str]

    @classmethod
    def of(cls, slide: Slide) -> _Narration:
        words = tokens(slide.narration)
        return cls(words, frozenset(words))

    def says_phrase(self, phrase: Sequence[str]) -> bool:
        """The words of ``phrase`` in order, or a run of words that joins to the same letters."""
        n = len(phrase)
        if not n:
            return False
        joined = "".join(phrase)
        words = self.words
        for i in range(len(words)):
            if tuple(words[i : i + n]) == tuple(phrase):
                return True
            # "fine tuning" = "finetuning" = "fine-tuning": compare the letters without the breaks.
            run = ""
            for word in words[i : i + n + _JOIN_SLACK]:
                run += word
                if run == joined:
                    return True
                if not joined.startswith(run):
                    break
        return False


def _term(term: str, source: Source, spoken: Sequence[tuple[int, _Narration]]) -> Coverage:
    """A key term is said when one of its spellings occurs as a phrase (``Prompt injection (PI)``: either)."""
    forms = [tokens(form) for form in _term_forms(term)]
    slides = tuple(n for n, narration in spoken if any(narration.says_phrase(form) for form in forms))
    wanted = content_words(term)
    nearest, missing = _nearest(wanted, spoken, prefer=slides)
    return Coverage("term", term, slides, bool(slides), source, nearest=nearest, missing=missing)


def _answer_part(part: str, question: str, source: Source, spoken: Sequence[tuple[int, _Narration]]) -> Coverage:
    wanted = content_words(part)
    slides = tuple(n for n, narration in spoken if _share(wanted, narration) >= ANSWER_THRESHOLD)
    nearest, missing = _nearest(wanted, spoken, prefer=slides)
    return Coverage("answer", part, slides, bool(slides), source, question=question, nearest=nearest, missing=missing)


def _share(wanted: Sequence[str], narration: _Narration) -> float:
    if not wanted:
        return 0.0
    return sum(1 for w in wanted if w in narration.vocabulary) / len(wanted)


def _nearest(
    wanted: Sequence[str], spoken: Sequence[tuple[int, _Narration]], prefer: Sequence[int]
) -> tuple[int | None, tuple[str, ...]]:
    """The slide hearing most of ``wanted`` (among ``prefer`` when given) and the words it does not."""
    candidates = [(n, narration) for n, narration in spoken if not prefer or n in prefer]
    if not candidates or not wanted:
        return None, ()
    # The earliest slide wins ties: that is where a learner first hears it.
    n, narration = max(candidates, key=lambda pair: (_share(wanted, pair[1]), -pair[0]))
    if _share(wanted, narration) == 0:
        return None, tuple(wanted)
    return n, tuple(w for w in wanted if w not in narration.vocabulary)


# --- normalising ------------------------------------------------------------------------------


def _term_forms(term: str) -> list[str]:
    """``Prompt injection (PI)`` -> the full term, the term without the brackets, and ``PI``; ``A / B`` -> both."""
    forms = [term]
    bracketed = re.findall(r"\(([^)]*)\)", term)
    if bracketed:
        forms.append(re.sub(r"\s*\([^)]*\)", "", term))
        forms.extend(bracketed)
    for form in list(forms):
        if re.search(r"\s/\s", form):
            forms.extend(re.split(r"\s/\s", form))
    return [f for f in forms if f.strip()]


def _sentences(text: str) -> Iterable[str]:
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        if _NOT_SENTENCE_END.search(text[start : match.start()]):
            continue
        yield text[start : match.start()]
        start = match.end()
    yield text[start:]


# Stop words as :func:`_stem` leaves them, since they are compared with stemmed words ("does" -> "doe").
_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)


def _number_words(digits: str) -> list[str]:
    """``5`` -> five, ``50`` -> fifty, ``2026`` -> twenty twenty six (how it is read aloud); else unchanged."""
    value = int(digits)
    if len(digits) == 4 and 1100 <= value <= 2099 and value % 100 >= 10:
        return _below_hundred(value // 100) + _below_hundred(value % 100)
    if value < 100 and not (len(digits) > 1 and digits.startswith("0")):
        return _below_hundred(value)
    return [digits]


def _below_hundred(value: int) -> list[str]:
    if value < 20:
        return [_ONES[value]]
    tens, ones = divmod(value, 10)
    return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
