"""Line up the script's words with what the recognizer heard, and say where they differ.

A minimum edit distance alignment on words (unit costs: the standard word error rate). Among
the alignments with fewest edits, the one with the most exact matches, then the one pairing the
most similar-looking words as substitutions, is preferred ("further" heard as "for the" pairs
"further" with "for" and counts "the" as added), so an error report points at the word that
was mangled.

Both sides should be normalised first (:func:`pipeline.hearing.words.script_words` and
:func:`pipeline.hearing.words.heard_words`); words are compared exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from .models import HeardWord
from .words import ScriptWord

ErrorKind = Literal["missed", "substituted", "added"]

# Similarity of two different words, for the tie-break only: their common prefix, up to this many
# letters. The same word scores one more, so a tie is settled by exact matches first.
_PREFIX_MAX = 3
_SAME = _PREFIX_MAX + 1


@dataclass(frozen=True, slots=True)
class WordError:
    """One place where what was heard differs from the script.

    ``expected`` is the script's word ("" when the word was added), ``heard`` the recognizer's
    ("" when the word was missed). The time is the heard word's span; for a missed word, the gap
    it would have been said in: from the end of the heard word before it to the start of the one
    after (or the audio's edges). ``sentence`` is the script sentence it belongs to; an added
    word belongs to the sentence of the script word before it (0 at the very start).
    """

    kind: ErrorKind
    expected: str
    heard: str
    start_s: float
    end_s: float
    sentence: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The script's words lined up with the heard words.

    ``pairs`` is the edit path in order, as (script index, heard index) with ``None`` on the side
    that has no word (a missed or an added word). ``script_sentences`` holds each script word's
    sentence index, so the alignment can say when each sentence was heard.
    """

    pairs: tuple[tuple[int | None, int | None], ...]
    errors: tuple[WordError, ...]
    script_count: int
    heard_count: int
    script_sentences: tuple[int, ...]

    @property
    def wer(self) -> float:
        """Word error rate: (substitutions + misses + additions) / script words.

        0.0 when both sides are empty; 1.0 when the script is empty but something was heard
        (the rate is undefined there, and "all wrong" is the useful reading).
        """
        if self.script_count == 0:
            return 1.0 if self.heard_count else 0.0
        return len(self.errors) / self.script_count

    @property
    def matched(self) -> int:
        """How many script words were heard exactly."""
        paired = sum(1 for s, h in self.pairs if s is not None and h is not None)
        return paired - sum(1 for e in self.errors if e.kind == "substituted")

    def sentence_spans(self, heard: Sequence[HeardWord], sentences: int) -> tuple[tuple[float, float] | None, ...]:
        """For each of the first ``sentences`` script sentences, from the start of the first heard
        word paired with it (matched or substituted) to the end of the last; ``None`` when none is.

        ``heard`` must be the words this alignment was made from.
        """
        if len(heard) != self.heard_count:
            raise ValueError(f"the alignment was made from {self.heard_count} heard words, not {len(heard)}")
        spans: list[tuple[float, float] | None] = [None] * sentences
        for s, h in self.pairs:
            if s is None or h is None:
                continue
            sentence = self.script_sentences[s]
            if sentence >= sentences:
                continue
            span = spans[sentence]
            spans[sentence] = (heard[h].start_s if span is None else span[0], heard[h].end_s)
        return tuple(spans)


def align(script: Sequence[ScriptWord], heard: Sequence[HeardWord], *, duration_s: float | None = None) -> Alignment:
    """Align ``script`` with ``heard`` by minimum word edit distance, and list the differences.

    Among alignments with the fewest edits, the one with the most exact matches wins, then the
    one whose substitutions pair the most similar-looking words (longest common prefixes); the
    edit count, and so the WER, is the standard one. ``duration_s`` (the audio's length) ends the
    time of a word missed at the end; without it, that time ends where the last heard word does.
    """
    script_texts = [w.text for w in script]
    heard_texts = [w.text for w in heard]
    # A path costs `edit` per edit less the similarity of its pairs. One edit must outweigh any
    # tie-break: a path has at most min(n, m) pairs, each worth at most _SAME.
    edit = _SAME * min(len(script_texts), len(heard_texts)) + 1
    substitution = _substitution_rows(script_texts, heard_texts, edit)
    table = _cost_table(substitution, len(heard_texts), edit)
    pairs = _backtrace(table, substitution, edit)
    end_s = duration_s if duration_s is not None else (heard[-1].end_s if heard else 0.0)
    return Alignment(
        pairs=pairs,
        errors=_errors(pairs, script, heard, end_s),
        script_count=len(script),
        heard_count=len(heard),
        script_sentences=tuple(w.sentence for w in script),
    )


def _substitution_rows(script: list[str], heard: list[str], edit: int) -> list[list[int]]:
    """For each script word, the cost of pairing it with each heard word: -_SAME for the same
    word, else one edit less a point per shared leading letter (up to _PREFIX_MAX)."""
    # Heard positions by word and by leading letters, so a row is built from a few lookups
    # rather than a comparison per cell.
    same: dict[str, list[int]] = {}
    prefixes: list[dict[str, list[int]]] = [{} for _ in range(_PREFIX_MAX)]
    for j, word in enumerate(heard):
        same.setdefault(word, []).append(j)
        for k in range(_PREFIX_MAX):
            prefixes[k].setdefault(word[: k + 1], []).append(j)
    rows: dict[str, list[int]] = {}
    for word in script:
        if word in rows:
            continue
        row = [edit] * len(heard)
        for k in range(_PREFIX_MAX):
            # Words shorter than k + 1 letters share this "prefix" only with themselves, which
            # the exact match below overrides.
            for j in prefixes[k].get(word[: k + 1], ()):
                row[j] -= 1
        for j in same.get(word, ()):
            row[j] = -_SAME
        rows[word] = row
    return [rows[word] for word in script]


def _cost_table(substitution: list[list[int]], m: int, edit: int) -> list[list[int]]:
    """The full edit-cost table, row by row (row i: the first i script words)."""
    previous = list(range(0, (m + 1) * edit, edit))
    table = [previous]
    for i, costs in enumerate(substitution, start=1):
        left = i * edit
        row = [left]
        append = row.append
        # The hot loop: locals only, no min() call, one pass over zipped rows. The previous row is
        # one longer than the others: the cell above-left of each cell, then the one above it.
        for diagonal, up, cost in zip(previous, islice(previous, 1, None), costs, strict=False):
            best = diagonal + cost
            up += edit
            if up < best:
                best = up
            left += edit
            if left < best:
                best = left
            append(best)
            left = best
        table.append(row)
        previous = row
    return table


def _backtrace(
    table: list[list[int]], substitution: list[list[int]], edit: int
) -> tuple[tuple[int | None, int | None], ...]:
    i, j = len(table) - 1, len(table[0]) - 1
    path: list[tuple[int | None, int | None]] = []
    while i or j:
        here = table[i][j]
        if i and j and here == table[i - 1][j - 1] + substitution[i - 1][j - 1]:
            i, j = i - 1, j - 1
            path.append((i, j))
        elif i and here == table[i - 1][j] + edit:
            i -= 1
            path.append((i, None))
        else:
            j -= 1
            path.append((None, j))
    path.reverse()
    return tuple(path)


def _errors(
    pairs: tuple[tuple[int | None, int | None], ...],
    script: Sequence[ScriptWord],
    heard: Sequence[HeardWord],
    end_s: float,
) -> tuple[WordError, ...]:
    # For a missed word: the end of the heard word before it and the start of the one after.
    before: list[float] = []
    last_end = 0.0
    for _, h in pairs:
        before.append(last_end)
        if h is not None:
            last_end = heard[h].end_s
    after: list[float] = []
    next_start = max(end_s, last_end)
    for _, h in reversed(pairs):
        after.append(next_start)
        if h is not None:
            next_start = heard[h].start_s
    after.reverse()

    errors: list[WordError] = []
    sentence = 0
    for index, (s, h) in enumerate(pairs):
        if s is not None:
            sentence = script[s].sentence
        if s is not None and h is not None:
            if script[s].text != heard[h].text:
                word = heard[h]
                errors.append(WordError("substituted", script[s].text, word.text, word.start_s, word.end_s, sentence))
        elif s is not None:
            errors.append(WordError("missed", script[s].text, "", before[index], after[index], sentence))
        elif h is not None:
            word = heard[h]
            errors.append(WordError("added", "", word.text, word.start_s, word.end_s, sentence))
    return tuple(errors)
